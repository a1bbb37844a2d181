import { REGISTER_SUMMARY_ROLES } from '@khomat/policy';
import { sql } from 'kysely';
import { requirePermission, type Actor } from '../../app/actor';
import type { AppDeps } from '../../app/context';
import type { RegisterEntryRow } from '../../platform/db/schema';
import { dayEndKey, dayStartKey, filterTags, ftsMatch, queryPhrases, tsQuery } from './search.index';

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

/**
 * Hits are counted up to this many: beyond it `total` is this number and `totalExact` false
 * ("more than 1,000 — narrow the search"). An exact count of a very common word costs a pass over
 * every match (and, with the item-state filter, a lookup per match); pages stay cheap either way.
 */
export const SEARCH_COUNT_LIMIT = 1000;

type SearchHit = RegisterEntryRow & { item_state: string };

/**
 * Search over the registers: number/symbol, summary, issuer, recipient, without diacritics or
 * case (đ folded to d); every term must match, as a word prefix. A reader who may not see
 * summaries searches without them — otherwise a hit would reveal what the hidden column says.
 * Newest first (entry date, then number), unranked, paged. Served by the register_search index
 * (search.index.ts): FTS5 on SQLite, tsvector + GIN on PostgreSQL.
 */
export async function searchRegisters(deps: Deps, actor: Actor | null, f: SearchFilter) {
  requirePermission(actor, 'register.read');
  const withSummary = actor.roles.some((r) => REGISTER_SUMMARY_ROLES.includes(r));
  const empty = { items: [] as SearchHit[], total: 0, totalExact: true, page: f.page, pageSize: f.pageSize, summaryShown: withSummary };
  const { phrases, hadText } = queryPhrases(f.q);
  // Only punctuation typed: nothing can match it (every term must match).
  if (hadText && phrases.length === 0) return empty;
  const tags = filterTags(f);
  const pg = deps.dbh.dialect === 'postgres';
  const db = deps.dbh.db;

  const conds = [];
  if (pg) {
    // Text: the GIN intersects the words with the filter tags. No text: the filters are plain
    // b-tree columns, walked in sort_key order (a deep page would otherwise mean intersecting
    // the tags' whole posting lists on the GIN).
    const tq = phrases.length ? tsQuery(phrases, tags) : undefined;
    // Without summary rights the summary is not even in the document searched.
    if (tq) conds.push(withSummary ? sql`s.full_doc @@ ${tq}::tsquery` : sql`s.meta_doc @@ ${tq}::tsquery`);
    else {
      if (f.register) conds.push(sql`s.register = ${f.register}`);
      if (f.year) conds.push(sql`s.year = ${f.year}`);
      if (f.level) conds.push(sql`s.level = ${f.level}`);
      if (f.unitId) conds.push(sql`s.unit_id = ${f.unitId}`);
    }
    if (f.from) conds.push(sql`s.sort_key >= ${dayStartKey(f.from)}`);
    if (f.to) conds.push(sql`s.sort_key < ${dayEndKey(f.to)}`);
  } else {
    const m = ftsMatch(phrases, tags, withSummary);
    if (m) conds.push(sql`register_search match ${m}`);
    if (f.from) conds.push(sql`s.rowid >= ${dayStartKey(f.from)}`);
    if (f.to) conds.push(sql`s.rowid < ${dayEndKey(f.to)}`);
  }
  // The item's state changes after registration: the one filter not in the index.
  // CROSS JOIN fixes SQLite's join order: the index drives, entries and items are looked up by key.
  const join = f.state ? sql`cross join register_entries e cross join secret_items i` : sql``;
  if (f.state) conds.push(sql`e.id = s.entry_id and i.id = e.item_id`);
  if (f.state) conds.push(sql`i.state = ${f.state}`);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  // One register and year without text: the b-trees on rev_key (= -sort_key, the same order) serve
  // it; `sort_key desc` would let the planner walk the plain sort_key index instead (migration 0004).
  const byFilterIndex = pg && phrases.length === 0 && !!f.register && !!f.year;
  const order = byFilterIndex ? sql`s.rev_key` : pg ? sql`s.sort_key desc` : sql`s.rowid desc`;

  const [ids, total] = await Promise.all([
    sql<{ entry_id: string }>`select s.entry_id from register_search s ${join} ${where} order by ${order} limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`.execute(db),
    sql<{ n: number }>`select count(*) as n from (select 1 from register_search s ${join} ${where} limit ${SEARCH_COUNT_LIMIT + 1}) c`.execute(db),
  ]);
  const counted = Number(total.rows[0]?.n ?? 0);
  const totals = { total: Math.min(counted, SEARCH_COUNT_LIMIT), totalExact: counted <= SEARCH_COUNT_LIMIT };
  const order_ = ids.rows.map((r) => r.entry_id);
  if (order_.length === 0) return { ...empty, ...totals };
  const rows = await db
    .selectFrom('register_entries')
    .innerJoin('secret_items', 'secret_items.id', 'register_entries.item_id')
    .selectAll('register_entries')
    .select('secret_items.state as item_state')
    .where('register_entries.id', 'in', order_)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const items = order_.flatMap((id) => {
    const r = byId.get(id);
    return r ? [{ ...r, summary: withSummary ? r.summary : null }] : [];
  });
  return { ...empty, items, ...totals };
}
