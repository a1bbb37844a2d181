import { LEVELS, type Level } from '@khomat/policy';
import { ApiError } from '../../kit/api';

// Deactivating an account that holds copies (or has copies on their way to it) is refused, 409
// `org.user_holds_copies`, with the copies in the error's details: the account would otherwise
// close with copies "held" by nobody who can act for them. The dialog lists them so that the
// administrator knows what must be handed over first. Pure (heldCopies.test.ts).

export const HOLDS_COPIES = 'org.user_holds_copies';

export interface HeldCopy {
  label: string;
  /** Số, ký hiệu of the item (null while it has none). */
  numberSymbol: string | null;
  level: Level | null;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

/** "12/BC-STP": as sent, or put together from the number and the symbol the server sends apart. */
function numberSymbolOf(o: Record<string, unknown>): string | null {
  const whole = text(o.numberSymbol);
  if (whole) return whole;
  const n = typeof o.number === 'number' ? String(o.number) : text(o.number);
  const s = text(o.symbol);
  if (n && s) return `${n}/${s}`;
  return n ?? s;
}

/** The copies of a refused deactivation, or [] for any other error (malformed rows are left out). */
export function heldCopiesOf(err: unknown): HeldCopy[] {
  if (!(err instanceof ApiError) || err.code !== HOLDS_COPIES) return [];
  const rows = err.details?.copies;
  if (!Array.isArray(rows)) return [];
  const out: HeldCopy[] = [];
  for (const r of rows as unknown[]) {
    if (typeof r !== 'object' || r === null) continue;
    const o = r as Record<string, unknown>;
    const label = text(o.label);
    if (!label) continue;
    const level = LEVELS.includes(o.level as Level) ? (o.level as Level) : null;
    out.push({ label, numberSymbol: numberSymbolOf(o), level });
  }
  return out;
}
