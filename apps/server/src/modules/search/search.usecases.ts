import { clearanceCovers, LEVELS } from '@khomat/policy';
import { sql, type RawBuilder } from 'kysely';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { RegisterEntryRow } from '../../platform/db/schema';
import { readsAnySummary, summaryShown } from '../items/items.rules';
import { needToKnowAmong, needToKnowItems, rowAccessFor, rowViewerOf } from '../items/row-access';
import { dayEndKey, dayStartKey, expandPrefixes, filterTags, ftsMatch, keptRowsQuery, queryPhrases, tsQuery } from './search.index';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock'>;

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

/**
 * A text search by a viewer whose summary matches are decided per row (a unit's văn thư, a head,
 * an officer): counting to SEARCH_COUNT_LIMIT asks need-to-know of every candidate up to the
 * thousandth visible one. They are counted only this many pages past the page shown ("more than
 * N"), a window that moves with them.
 */
export const PER_ROW_COUNT_PAGES = 4;

/** How far hits are counted for this search (see SEARCH_COUNT_LIMIT, PER_ROW_COUNT_PAGES). */
export function countLimitOf(f: Pick<SearchFilter, 'page' | 'pageSize'>, perRowText: boolean): number {
  return perRowText ? Math.min(SEARCH_COUNT_LIMIT, (f.page + PER_ROW_COUNT_PAGES) * f.pageSize) : SEARCH_COUNT_LIMIT;
}

type SearchHit = RegisterEntryRow & { item_state: string; summaryHidden: boolean };

/**
 * Search over the registers: number/symbol, summary, issuer, recipient, without diacritics or
 * case (đ folded to d); every term must match, as a word prefix. A row is matched by its summary
 * words only when the one content decision would show this viewer that summary — otherwise the hit
 * itself would reveal what the hidden summary says — so a row whose summary is hidden is found
 * (and counted) through its register metadata alone. Newest first (entry date, then number),
 * unranked, paged. Served by the register_search index (search.index.ts): FTS5 on SQLite,
 * tsvector + GIN on PostgreSQL. Every page searched is audited (never the words typed).
 */
export async function searchRegisters(deps: Deps, actor: Actor | null, f: SearchFilter) {
  requirePermission(actor, 'register.read');
  const db = deps.dbh.db;
  const viewer = await rowViewerOf(db, actor);
  const anySummary = readsAnySummary(viewer);
  const { phrases, hadText } = queryPhrases(f.q);
  const found = await findHits(deps, actor, f, phrases, hadText, searchScope(actor, viewer));
  const access = await rowAccessFor(db, deps, actor, found.rows.map((r) => ({ itemId: r.item_id, level: r.level, keeperUnitId: r.unit_id })), viewer);
  const items: SearchHit[] = found.rows.map((r, i) => {
    const s = summaryShown(r, access[i]!);
    return { ...r, summary: s.summary, summaryHidden: s.hidden };
  });
  await db.transaction().execute((tx) =>
    deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'search.performed',
      subjectType: 'register',
      subjectId: f.register ?? 'all',
      // What was asked, not what was typed: the words could be content, so only their count and length.
      details: {
        register: f.register ?? null,
        year: f.year ?? null,
        level: f.level ?? null,
        unitId: f.unitId ?? null,
        state: f.state ?? null,
        from: f.from ?? null,
        to: f.to ?? null,
        queryLength: f.q?.length ?? 0,
        queryTerms: phrases.length,
        page: f.page,
        rows: items.length,
        total: found.total,
      },
    }),
  );
  return { items, total: found.total, totalExact: found.totalExact, page: f.page, pageSize: f.pageSize, summaryShown: anySummary };
}

/**
 * Which rows may be matched by their summary words: `none` (role or clearance: the summary is
 * not even searched), `all` (the agency's văn thư cleared for every level keeps every row), or
 * `some`: rows at a level the viewer is cleared for, kept by the viewer (a unit's văn thư) or on
 * an item the viewer has need-to-know on — the SQL form of rowContentAccess for register rows.
 */
type SummaryScope = { kind: 'none' } | { kind: 'all' } | { kind: 'some'; levels: string[]; keeperUnitId: string | null; allUnits: boolean; actor: Actor };

function searchScope(actor: Actor, viewer: Awaited<ReturnType<typeof rowViewerOf>>): SummaryScope {
  if (!readsAnySummary(viewer)) return { kind: 'none' };
  const levels = LEVELS.filter((l) => clearanceCovers(viewer.clearance, l));
  const clerk = viewer.roles.includes('clerk');
  if (clerk && viewer.isAgencyClerk && levels.length === LEVELS.length) return { kind: 'all' };
  return { kind: 'some', levels, keeperUnitId: clerk ? actor.unitId : null, allUnits: clerk && viewer.isAgencyClerk === true, actor };
}

/**
 * needToKnowItems (row-access.ts) asked of one register row `e`: the same facts — a copy held by
 * the viewer (or, for a head, by their unit), Nơi nhận naming them (or their unit), an assignment —
 * each looked up by the row's item through that table's item index.
 */
function needToKnowOfRow(actor: Actor, pg: boolean): RawBuilder<unknown> {
  const head = actor.roles.includes('head');
  const copyHolder = head ? sql`(c.holder_user_id = ${actor.userId} or c.holder_unit_id = ${actor.unitId})` : sql`c.holder_user_id = ${actor.userId}`;
  const named = head ? sql`(r.user_id = ${actor.userId} or r.unit_id = ${actor.unitId})` : sql`r.user_id = ${actor.userId}`;
  // PostgreSQL turns such an EXISTS into a hashed subplan when it expects many rows: the head's
  // whole holdings (50,000 copies, every Nơi nhận row) read to answer a thousand rows. OFFSET 0
  // keeps each EXISTS a look-up by the row's item (the planner does not hash a subquery with one).
  const perRow = pg ? sql` offset 0` : sql``;
  return sql`(exists (select 1 from copies c where c.item_id = e.item_id and c.status not in ('destroyed', 'lost') and ${copyHolder}${perRow})
    or exists (select 1 from item_recipients r where r.item_id = e.item_id and ${named}${perRow})
    or exists (select 1 from item_assignments a where a.item_id = e.item_id and a.user_id = ${actor.userId}${perRow}))`;
}

async function findHits(deps: Deps, actor: Actor, f: SearchFilter, phrases: string[][], hadText: boolean, scope: SummaryScope) {
  const none = { rows: [] as (RegisterEntryRow & { item_state: string })[], total: 0, totalExact: true };
  // Only punctuation typed: nothing can match it (every term must match).
  if (hadText && phrases.length === 0) return none;
  const tags = filterTags(f);
  const pg = deps.dbh.dialect === 'postgres';
  const db = deps.dbh.db;
  const text = phrases.length > 0;
  // Summary words count for some rows only: those rows are told apart on the entry (level, unit, item).
  const filtered = text && scope.kind === 'some';
  const limit = countLimitOf(f, filtered);
  const visible = (): RawBuilder<unknown> => {
    if (scope.kind !== 'some') return sql`false`;
    const levels = scope.levels.length ? sql`e.level in (${sql.join(scope.levels)})` : sql`false`;
    const keeper = scope.allUnits ? sql`true` : scope.keeperUnitId ? sql`e.unit_id = ${scope.keeperUnitId}` : sql`false`;
    // A unit head's items run to tens of thousands (their unit's copies and Nơi nhận): built as a
    // list for every statement they cost more than the page, so both databases ask per row, by the
    // item's own keys, only for the rows reached. PostgreSQL hashes anyone else's short list once.
    const knows = pg && !scope.actor.roles.includes('head') ? sql`e.item_id in (${needToKnowItems(db, scope.actor)})` : needToKnowOfRow(scope.actor, pg);
    return sql`(${levels} and (${keeper} or ${knows}))`;
  };

  // PostgreSQL: each term's prefix as the words it stands for (see expandPrefixes).
  const expansions = pg && text ? await expandPrefixes(db, phrases) : undefined;
  if (pg && filtered && !f.state && scope.kind === 'some') return pgPerRowTextHits(deps, f, tsQuery(phrases, tags, expansions)!, limit, scope);

  const conds: RawBuilder<unknown>[] = [];
  if (pg) {
    // Text: the GIN intersects the words with the filter tags. No text: the filters are plain
    // b-tree columns, walked in sort_key order (a deep page would otherwise mean intersecting
    // the tags' whole posting lists on the GIN).
    const tq = text ? tsQuery(phrases, tags, expansions) : undefined;
    if (tq) {
      if (scope.kind === 'all') conds.push(sql`s.full_doc @@ ${tq}::tsquery`);
      else if (scope.kind === 'none') conds.push(sql`s.meta_doc @@ ${tq}::tsquery`);
      // A hit through the summary only where the summary may be seen; through metadata always.
      else conds.push(sql`s.full_doc @@ ${tq}::tsquery`, sql`(${visible()} or s.meta_doc @@ ${tq}::tsquery)`);
    } else {
      if (f.register) conds.push(sql`s.register = ${f.register}`);
      if (f.year) conds.push(sql`s.year = ${f.year}`);
      if (f.level) conds.push(sql`s.level = ${f.level}`);
      if (f.unitId) conds.push(sql`s.unit_id = ${f.unitId}`);
    }
    if (f.from) conds.push(sql`s.sort_key >= ${dayStartKey(f.from)}`);
    if (f.to) conds.push(sql`s.sort_key < ${dayEndKey(f.to)}`);
  } else if (filtered) {
    // Hits through the metadata alone, and hits through the summary too where it may be seen:
    // two FTS5 scans in rowid order, merged (a compound SELECT ordered by its key), so a page stops
    // after its rows. (Asked per row instead, "does this row match on its metadata alone?" re-ran
    // the whole match for every candidate: seconds per page for a common word.)
    const range: RawBuilder<unknown>[] = [];
    if (f.from) range.push(sql`s.rowid >= ${dayStartKey(f.from)}`);
    if (f.to) range.push(sql`s.rowid < ${dayEndKey(f.to)}`);
    const state = f.state ? [sql`i.id = e.item_id`, sql`i.state = ${f.state}`] : [];
    const arm = (match: string, more: RawBuilder<unknown>[]) => {
      const where = [sql`register_search match ${match}`, ...range, sql`e.id = s.entry_id`, ...more, ...state];
      // CROSS JOIN fixes SQLite's join order: the index drives, entries and items are looked up by key.
      return sql`select s.rowid as k, s.entry_id from register_search s cross join register_entries e ${f.state ? sql`cross join secret_items i` : sql``} where ${sql.join(where, sql` and `)}`;
    };
    // Disjoint arms (the summary may be seen, or not), so UNION ALL: each arm then hands its rows
    // over in FTS5's own rowid order, which a de-duplicating UNION (ordered on every column) loses.
    const hits = sql`${arm(ftsMatch(phrases, tags, false)!, [sql`not coalesce(${visible()}, 0)`])} union all ${arm(ftsMatch(phrases, tags, true)!, [visible()])}`;
    const found = await pageAndCount(
      f,
      limit,
      async (n, offset) => (await sql<{ entry_id: string }>`${hits} order by k desc limit ${n} offset ${offset}`.execute(db)).rows,
      async () => Number((await sql<{ n: number }>`select count(*) as n from (${hits} limit ${limit + 1}) c`.execute(db)).rows[0]?.n ?? 0),
    );
    return pageOf(db, found.ids, found.counted, limit);
  } else {
    const m = ftsMatch(phrases, tags, scope.kind !== 'none');
    if (m) conds.push(sql`register_search match ${m}`);
    if (f.from) conds.push(sql`s.rowid >= ${dayStartKey(f.from)}`);
    if (f.to) conds.push(sql`s.rowid < ${dayEndKey(f.to)}`);
  }
  // The item's state changes after registration: the one filter not in the index.
  // CROSS JOIN fixes SQLite's join order: the index drives, entries and items are looked up by key.
  const joinEntry = filtered || !!f.state;
  const join = sql`${joinEntry ? sql`cross join register_entries e` : sql``} ${f.state ? sql`cross join secret_items i` : sql``}`;
  if (joinEntry) conds.push(sql`e.id = s.entry_id`);
  if (f.state) conds.push(sql`i.id = e.item_id`, sql`i.state = ${f.state}`);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  // One register and year without text: the b-trees on rev_key (= -sort_key, the same order) serve
  // it; `sort_key desc` would let the planner walk the plain sort_key index instead (migration 0004).
  const byFilterIndex = pg && !text && !!f.register && !!f.year;
  const order = byFilterIndex ? sql`s.rev_key` : pg ? sql`s.sort_key desc` : sql`s.rowid desc`;

  const found = await pageAndCount(
    f,
    limit,
    async (n, offset) => (await sql<{ entry_id: string }>`select s.entry_id from register_search s ${join} ${where} order by ${order} limit ${n} offset ${offset}`.execute(db)).rows,
    async () => Number((await sql<{ n: number }>`select count(*) as n from (select 1 from register_search s ${join} ${where} limit ${limit + 1}) c`.execute(db)).rows[0]?.n ?? 0),
  );
  return pageOf(db, found.ids, found.counted, limit);
}

/**
 * A text search on PostgreSQL by a viewer whose summary matches are decided per row. The GIN hands
 * its matches over unordered (20,000 for a common summary phrase at 100k items): deciding the row
 * rule for each of them, or reading each from the table, is what a page cannot afford. So a match
 * is shown through one of three paths, each read through its own index and asked only of the rows
 * it can show: matched by its metadata (the metadata GIN; always shown), kept by the viewer at a
 * level they are cleared for (the GIN with the filter tags every index row carries), or on an item
 * of their need-to-know at such a level. Level, keeping unit and item are columns of
 * register_search (migration 0016): no register entry is looked up to decide.
 */
async function pgPerRowTextHits(deps: Deps, f: SearchFilter, tq: string, limit: number, scope: Extract<SummaryScope, { kind: 'some' }>) {
  const start = (f.page - 1) * f.pageSize;
  // Enough for the page and the count's reach.
  const want = Math.max(limit + 1, start + f.pageSize);
  const range: RawBuilder<unknown>[] = [];
  if (f.from) range.push(sql`s.sort_key >= ${dayStartKey(f.from)}`);
  if (f.to) range.push(sql`s.sort_key < ${dayEndKey(f.to)}`);
  const q: PerRowQuery = { tq, want, andRange: range.length ? sql` and ${sql.join(range, sql` and `)}` : sql``, scope };
  const ids = scope.actor.roles.includes('head') ? await shownInWindows(deps.dbh.db, q) : await shownByPaths(deps.dbh.db, q);
  return pageOf(deps.dbh.db, ids.slice(start, start + f.pageSize).map((entry_id) => ({ entry_id })), ids.length, limit);
}

interface PerRowQuery {
  tq: string;
  want: number;
  andRange: RawBuilder<unknown>;
  scope: Extract<SummaryScope, { kind: 'some' }>;
}

/**
 * Anyone but a head: their need-to-know list is short (their own copies, Nơi nhận naming them,
 * assignments), so each path is one indexed read of a few hundred rows, merged in one statement.
 * The need-to-know rows come from register_search's item index, the words checked on those rows
 * only (OFFSET 0 keeps the GIN out of that path).
 */
async function shownByPaths(db: Deps['dbh']['db'], { tq, want, andRange, scope }: PerRowQuery): Promise<string[]> {
  const newest = (from: RawBuilder<unknown>) => sql`(select s.entry_id, s.sort_key from ${from} order by s.sort_key desc limit ${want})`;
  const paths = [newest(sql`register_search s where s.meta_doc @@ ${tq}::tsquery${andRange}`)];
  if (scope.levels.length && (scope.allUnits || scope.keeperUnitId)) {
    const kept = keptRowsQuery(tq, scope.levels, scope.allUnits ? null : scope.keeperUnitId);
    paths.push(newest(sql`register_search s where s.full_doc @@ ${kept}::tsquery${andRange}`));
  }
  if (scope.levels.length) {
    const known = sql`(select s.entry_id, s.sort_key, s.full_doc from register_search s
      where s.item_id in (${needToKnowItems(db, scope.actor)}) and s.level in (${sql.join(scope.levels)}) offset 0) s`;
    paths.push(newest(sql`${known} where s.full_doc @@ ${tq}::tsquery${andRange}`));
  }
  const rows = await sql<{ entry_id: string }>`select u.entry_id from (${sql.join(paths, sql` union `)}) u order by u.sort_key desc limit ${want}`.execute(db);
  return rows.rows.map((r) => r.entry_id);
}

/**
 * A head: their unit's holdings run to tens of thousands of items, too many to start from. The
 * metadata matches come first (the newest `want`: when there are that many, any match older than
 * the last of them lies past the count's reach); then all matches newest first in windows (four
 * times what is wanted, then as many as the share shown so far says are still needed), with
 * need-to-know asked, by item, only of a window's rows at a level the head is cleared for and not
 * already shown.
 */
async function shownInWindows(db: Deps['dbh']['db'], { tq, want, andRange, scope }: PerRowQuery): Promise<string[]> {
  const metaRows = (
    await sql<{ entry_id: string; sort_key: string | number }>`select s.entry_id, s.sort_key from register_search s
      where s.meta_doc @@ ${tq}::tsquery${andRange} order by s.sort_key desc limit ${want}`.execute(db)
  ).rows;
  const byMeta = new Set(metaRows.map((r) => r.entry_id));
  const reach = metaRows.length === want ? Number(metaRows[want - 1]!.sort_key) : -Infinity;
  const levels = new Set<string>(scope.levels);
  const keeps = (unitId: string | null) => scope.allUnits || (!!scope.keeperUnitId && unitId === scope.keeperUnitId);
  const shown: string[] = [];
  for (let offset = 0, window = 4 * want; shown.length < want; ) {
    const cands = (
      await sql<{ entry_id: string; sort_key: string | number; item_id: string; level: string; unit_id: string | null }>`select s.entry_id, s.sort_key, s.item_id, s.level, s.unit_id
        from register_search s where s.full_doc @@ ${tq}::tsquery${andRange} order by s.sort_key desc limit ${window} offset ${offset}`.execute(db)
    ).rows;
    const past = cands.findIndex((c) => Number(c.sort_key) < reach);
    const reached = past >= 0 ? cands.slice(0, past) : cands;
    const decided = (c: (typeof cands)[number]) => byMeta.has(c.entry_id) || (levels.has(c.level) && keeps(c.unit_id));
    const known = await needToKnowAmong(db, scope.actor, reached.filter((c) => !decided(c) && levels.has(c.level)).map((c) => c.item_id));
    for (const c of reached) if (decided(c) || (levels.has(c.level) && known.has(c.item_id))) shown.push(c.entry_id);
    if (past >= 0 || cands.length < window) break;
    offset += window;
    const share = Math.max(shown.length / offset, 0.01);
    window = Math.max(4 * want, Math.ceil(((want - shown.length) / share) * 1.25));
  }
  return shown;
}

/**
 * The page and the count. While the page lies within the hits counted, one statement reads the
 * hits up to the count's reach in order and the page is cut from them: the match (two FTS5
 * scans for a per-row viewer) runs once instead of once for the page and again for the count.
 * A page beyond that reach is read on its own, beside the count.
 */
async function pageAndCount(
  f: Pick<SearchFilter, 'page' | 'pageSize'>,
  limit: number,
  ordered: (n: number, offset: number) => Promise<{ entry_id: string }[]>,
  count: () => Promise<number>,
): Promise<{ ids: { entry_id: string }[]; counted: number }> {
  const reach = limit + 1;
  const offset = (f.page - 1) * f.pageSize;
  if (offset + f.pageSize <= reach) {
    const rows = await ordered(reach, 0);
    return { ids: rows.slice(offset, offset + f.pageSize), counted: rows.length };
  }
  const [ids, counted] = await Promise.all([ordered(f.pageSize, offset), count()]);
  return { ids, counted };
}

/** The page's entries in the order found, with the total counted up to `limit`. */
async function pageOf(db: Deps['dbh']['db'], ids: { entry_id: string }[], counted: number, limit: number) {
  const totals = { total: Math.min(counted, limit), totalExact: counted <= limit };
  const order_ = ids.map((r) => r.entry_id);
  if (order_.length === 0) return { rows: [] as (RegisterEntryRow & { item_state: string })[], ...totals };
  const rows = await db
    .selectFrom('register_entries')
    .innerJoin('secret_items', 'secret_items.id', 'register_entries.item_id')
    .selectAll('register_entries')
    .select('secret_items.state as item_state')
    .where('register_entries.id', 'in', order_)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: order_.flatMap((id) => byId.get(id) ?? []), ...totals };
}
