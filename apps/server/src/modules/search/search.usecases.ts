import { foldForSearch, REGISTER_SUMMARY_ROLES } from '@khomat/policy';
import { requirePermission, type Actor } from '../../app/actor';
import type { AppDeps } from '../../app/context';

type Deps = Pick<AppDeps, 'dbh'>;

export interface SearchFilter {
  q?: string | undefined;
  register?: string | undefined;
  year?: number | undefined;
  level?: string | undefined;
  unitId?: string | undefined;
  state?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

const escapeLike = (t: string) => t.replace(/[%_\\]/g, (c) => `\\${c}`);

/**
 * Search over the registers: number/symbol, summary, issuer, recipient, without diacritics or
 * case (đ folded to d). A reader who may not see summaries searches without them — otherwise a
 * hit would reveal what the hidden column says. Newest first, paged.
 */
export async function searchRegisters(deps: Deps, actor: Actor | null, f: SearchFilter) {
  requirePermission(actor, 'register.read');
  const withSummary = actor.roles.some((r) => REGISTER_SUMMARY_ROLES.includes(r));
  const column = withSummary ? 'register_entries.search_text' : 'register_entries.search_meta';
  const tokens = f.q ? foldForSearch(f.q).split(' ').filter(Boolean).slice(0, 8) : [];
  let q = deps.dbh.db.selectFrom('register_entries').innerJoin('secret_items', 'secret_items.id', 'register_entries.item_id');
  for (const t of tokens) q = q.where(column, 'like', `%${escapeLike(t)}%`);
  if (f.register) q = q.where('register_entries.register', '=', f.register);
  if (f.year) q = q.where('register_entries.year', '=', f.year);
  if (f.level) q = q.where('register_entries.level', '=', f.level);
  if (f.unitId) q = q.where('register_entries.unit_id', '=', f.unitId);
  if (f.state) q = q.where('secret_items.state', '=', f.state);
  if (f.from) q = q.where('register_entries.entry_date', '>=', f.from);
  if (f.to) q = q.where('register_entries.entry_date', '<=', f.to);
  const [rows, total] = await Promise.all([
    q.selectAll('register_entries').select('secret_items.state as item_state').orderBy('register_entries.entry_date', 'desc').orderBy('register_entries.number', 'desc').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => ({ ...r, summary: withSummary ? r.summary : null })), total: Number(total.n), page: f.page, pageSize: f.pageSize, summaryShown: withSummary };
}
