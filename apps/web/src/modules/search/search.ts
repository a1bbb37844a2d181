import { LEVELS, REGISTERS, type Level, type RegisterKind as PolicyRegister } from '@khomat/policy';

// The search page's filters as they live in the address bar (so a search can be bookmarked, sent
// back with the browser's Back button, or shared), and as the API takes them. Pure; search.test.ts.

export const ITEM_STATES_FOR_SEARCH = ['draft', 'proposed', 'returned', 'classified', 'issued', 'received'] as const;
export const PAGE_SIZES = [20, 50, 100] as const;

export interface SearchFilters {
  q?: string;
  register?: PolicyRegister;
  year?: number;
  level?: Level;
  unitId?: string;
  state?: (typeof ITEM_STATES_FOR_SEARCH)[number];
  /** YYYY-MM-DD */
  from?: string;
  /** YYYY-MM-DD */
  to?: string;
  page: number;
  pageSize: number;
}

const CIVIL = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function oneOf<T extends string>(list: readonly T[], v: string | null): T | undefined {
  return v !== null && (list as readonly string[]).includes(v) ? (v as T) : undefined;
}

/** Reads the filters from the query string; anything malformed is dropped (never sent to the server). */
export function filtersFromParams(p: URLSearchParams): SearchFilters {
  const out: SearchFilters = { page: 1, pageSize: 20 };
  const q = p.get('q')?.trim();
  if (q) out.q = q.slice(0, 200);
  const register = oneOf(REGISTERS, p.get('register'));
  if (register) out.register = register;
  const year = Number(p.get('year'));
  if (p.get('year') && Number.isInteger(year) && year >= 2000 && year <= 2100) out.year = year;
  const level = oneOf(LEVELS, p.get('level'));
  if (level) out.level = level;
  const unitId = p.get('unitId');
  if (unitId && ID.test(unitId)) out.unitId = unitId;
  const state = oneOf(ITEM_STATES_FOR_SEARCH, p.get('state'));
  if (state) out.state = state;
  const from = p.get('from');
  if (from && CIVIL.test(from)) out.from = from;
  const to = p.get('to');
  if (to && CIVIL.test(to)) out.to = to;
  const page = Number(p.get('page'));
  if (Number.isInteger(page) && page >= 1 && page <= 10_000) out.page = page;
  const pageSize = Number(p.get('pageSize'));
  if ((PAGE_SIZES as readonly number[]).includes(pageSize)) out.pageSize = pageSize;
  return out;
}

/** The query string for the filters: only what is set; page 1 and the default page size left out. */
export function paramsFromFilters(f: SearchFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.q) out.q = f.q;
  if (f.register) out.register = f.register;
  if (f.year) out.year = String(f.year);
  if (f.level) out.level = f.level;
  if (f.unitId) out.unitId = f.unitId;
  if (f.state) out.state = f.state;
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  if (f.page > 1) out.page = String(f.page);
  if (f.pageSize !== 20) out.pageSize = String(f.pageSize);
  return out;
}

/** Whether anything narrows the search (otherwise the page shows the newest entries). */
export function hasCriteria(f: SearchFilters): boolean {
  return !!(f.q || f.register || f.year || f.level || f.unitId || f.state || f.from || f.to);
}
