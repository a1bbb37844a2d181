import { clearanceCovers, LEVELS } from '@khomat/policy';
import { sql, type RawBuilder } from 'kysely';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { RegisterEntryRow } from '../../platform/db/schema';
import { readsAnySummary, summaryShown } from '../items/items.rules';
import { needToKnowAmong, needToKnowItems, rowAccessFor, rowViewerOf } from '../items/row-access';
import {
  DAY_KEYS,
  dayEndKey,
  dayStartKey,
  expandPrefixes,
  filterTags,
  ftsMatch,
  inMonthsQuery,
  keptRowsQuery,
  monthStartKey,
  monthsNewestFirst,
  queryPhrases,
  tsQuery,
} from './search.index';

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
 * A text search whose matches are decided per row — by a viewer whose summary matches depend on
 * the row (a unit's văn thư, a head, an officer), or with the item-state filter (the one filter
 * not in the index): counting to SEARCH_COUNT_LIMIT asks need-to-know, or the item's state, of
 * every match up to the thousandth shown one. They are counted only this many pages past the
 * page shown ("more than N"), a window that moves with them.
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
export async function searchRegisters(deps: Deps, actor: Actor | null, f: SearchFilter, reading: Partial<NewestFirstReading> = {}) {
  requirePermission(actor, 'register.read');
  const db = deps.dbh.db;
  const viewer = await rowViewerOf(db, actor);
  const anySummary = readsAnySummary(viewer);
  const { phrases, hadText } = queryPhrases(f.q);
  const found = await findHits(deps, actor, f, phrases, hadText, searchScope(actor, viewer), { ...NEWEST_FIRST, ...reading });
  const access = await rowAccessFor(
    db,
    deps,
    actor,
    found.rows.map((r) => ({ itemId: r.item_id, level: r.level, keeperUnitId: r.unit_id })),
    viewer,
  );
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
 * SQLite: needToKnowItems (row-access.ts) asked of one register entry `e`: the same facts — a copy
 * held by the viewer (or, for a head, by their unit), Nơi nhận naming them (or their unit), an
 * assignment — each looked up by the entry's item through that table's item index. (PostgreSQL
 * decides such rows in batches: perRowRule, or the paths of shownByPaths.)
 */
function needToKnowOfEntry(actor: Actor): RawBuilder<unknown> {
  const head = actor.roles.includes('head');
  const copyHolder = head ? sql`(c.holder_user_id = ${actor.userId} or c.holder_unit_id = ${actor.unitId})` : sql`c.holder_user_id = ${actor.userId}`;
  const named = head ? sql`(r.user_id = ${actor.userId} or r.unit_id = ${actor.unitId})` : sql`r.user_id = ${actor.userId}`;
  return sql`(exists (select 1 from copies c where c.item_id = e.item_id and c.status not in ('destroyed', 'lost') and ${copyHolder})
    or exists (select 1 from item_recipients r where r.item_id = e.item_id and ${named})
    or exists (select 1 from item_assignments a where a.item_id = e.item_id and a.user_id = ${actor.userId}))`;
}

async function findHits(deps: Deps, actor: Actor, f: SearchFilter, phrases: string[][], hadText: boolean, scope: SummaryScope, reading: NewestFirstReading) {
  const none = { rows: [] as (RegisterEntryRow & { item_state: string })[], total: 0, totalExact: true };
  // Only punctuation typed: nothing can match it (every term must match).
  if (hadText && phrases.length === 0) return none;
  const tags = filterTags(f);
  const pg = deps.dbh.dialect === 'postgres';
  const db = deps.dbh.db;
  const text = phrases.length > 0;
  // Summary words count for some rows only: those rows are told apart on the entry (level, unit, item).
  const filtered = text && scope.kind === 'some';
  const limit = countLimitOf(f, filtered || (text && !!f.state));
  // SQLite: the rows whose summary this viewer may see, the SQL form of rowContentAccess.
  const visible = (): RawBuilder<unknown> => {
    if (scope.kind !== 'some') return sql`false`;
    const levels = scope.levels.length ? sql`e.level in (${sql.join(scope.levels)})` : sql`false`;
    const keeper = scope.allUnits ? sql`true` : scope.keeperUnitId ? sql`e.unit_id = ${scope.keeperUnitId}` : sql`false`;
    return sql`(${levels} and (${keeper} or ${needToKnowOfEntry(scope.actor)}))`;
  };

  // PostgreSQL: each term's prefix as the words it stands for (see expandPrefixes).
  const expansions = pg && text ? await expandPrefixes(db, phrases) : undefined;
  if (pg && text) {
    const found = await pgTextHits(db, f, tsQuery(phrases, tags, expansions)!, limit, scope, reading);
    if (found) return found;
  }

  const conds: RawBuilder<unknown>[] = [];
  if (pg) {
    // Text: the GIN intersects the words with the filter tags. No text: the filters are plain
    // b-tree columns, walked in sort_key order (a deep page would otherwise mean intersecting
    // the tags' whole posting lists on the GIN).
    const tq = text ? tsQuery(phrases, tags, expansions) : undefined;
    if (tq) {
      // Only a page past the count's reach of a viewer who reads every summary or none comes here
      // (pgTextHits serves every other text search, and every per-row viewer's).
      if (scope.kind === 'some') throw new Error('findHits: a per-row text search reached the generic PostgreSQL path');
      conds.push(scope.kind === 'all' ? sql`s.full_doc @@ ${tq}::tsquery` : sql`s.meta_doc @@ ${tq}::tsquery`);
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
  // PostgreSQL's index rows carry level, keeping unit and item (migration 0016): no entry is looked up.
  const joinEntry = !pg && (filtered || !!f.state);
  const join = sql`${joinEntry ? sql`cross join register_entries e` : sql``} ${f.state ? sql`cross join secret_items i` : sql``}`;
  if (joinEntry) conds.push(sql`e.id = s.entry_id`);
  if (f.state) conds.push(sql`i.id = ${pg ? sql`s` : sql`e`}.item_id`, sql`i.state = ${f.state}`);
  const where = conds.length ? sql`where ${sql.join(conds, sql` and `)}` : sql``;
  // One register and year without text: the b-trees on rev_key (= -sort_key, the same order) serve
  // it; `sort_key desc` would let the planner walk the plain sort_key index instead (migration 0004).
  const byFilterIndex = pg && !text && !!f.register && !!f.year;
  const order = byFilterIndex ? sql`s.rev_key` : pg ? sql`s.sort_key desc` : sql`s.rowid desc`;

  const found = await pageAndCount(
    f,
    limit,
    async (n, offset) =>
      (await sql<{ entry_id: string }>`select s.entry_id from register_search s ${join} ${where} order by ${order} limit ${n} offset ${offset}`.execute(db))
        .rows,
    async () =>
      Number(
        (await sql<{ n: number }>`select count(*) as n from (select 1 from register_search s ${join} ${where} limit ${limit + 1}) c`.execute(db)).rows[0]?.n ??
          0,
      ),
  );
  return pageOf(db, found.ids, found.counted, limit);
}

/**
 * A text search on PostgreSQL, newest first, with the page and the count's reach (undefined: a
 * page past that reach for a viewer who reads every summary or none — the generic path reads it).
 * The GIN hands its matches over unordered (20,000 for a common summary phrase at 100k items):
 * reading every one from the table and sorting it is what a page cannot afford. A viewer whose
 * summary matches are decided per row, except a head, without the item-state filter: three paths,
 * each read through its own index (shownByPaths). Everyone else: the matches read newest first,
 * only as far as needed (readNewestFirst), each batch decided by the viewer's rule and the
 * item-state filter.
 */
async function pgTextHits(db: Deps['dbh']['db'], f: SearchFilter, words: string, limit: number, scope: SummaryScope, reading: NewestFirstReading) {
  // Between two dates: the GIN intersects the words with those months' tags too (migration 0017),
  // so only matches of those months are read from the table; the order key then cuts the days.
  const months = f.from && f.to ? monthsNewestFirst(dayStartKey(f.to), dayStartKey(f.from)) : [];
  const tq = months.length > 0 && months.length <= reading.maxSliceMonths ? inMonthsQuery(words, months) : words;
  const start = (f.page - 1) * f.pageSize;
  // Enough for the page and the count's reach.
  const want = Math.max(limit + 1, start + f.pageSize);
  if (scope.kind !== 'some' && want > limit + 1) return undefined;
  const range: RawBuilder<unknown>[] = [];
  if (f.from) range.push(sql`s.sort_key >= ${dayStartKey(f.from)}`);
  if (f.to) range.push(sql`s.sort_key < ${dayEndKey(f.to)}`);
  const andRange = range.length ? sql` and ${sql.join(range, sql` and `)}` : sql``;
  let ids: string[];
  if (scope.kind === 'some' && !scope.actor.roles.includes('head') && !f.state) ids = await shownByPaths(db, { tq, want, andRange, scope });
  else {
    const rule: Decide = scope.kind === 'some' ? perRowRule(db, scope) : async (ms) => ms.map((m) => m.entry_id);
    const decide = f.state ? inItemState(db, f.state, rule) : rule;
    ids = await readNewestFirst(db, { tq, doc: scope.kind === 'none' ? 'meta_doc' : 'full_doc', want, andRange }, reading, decide);
  }
  return pageOf(
    db,
    ids.slice(start, start + f.pageSize).map((entry_id) => ({ entry_id })),
    ids.length,
    limit,
  );
}

/** A match as read from its index row. */
interface Match {
  entry_id: string;
  item_id: string;
  level: string;
  unit_id: string | null;
  /** Matched by its metadata (shown whoever asks). */
  by_meta: boolean;
}

/** Which of a batch of matches (newest first) are shown: their entry ids, in the same order. */
type Decide = (matches: Match[]) => Promise<string[]>;

/**
 * The per-row rule of a viewer of scope `some` (the SQL `visible()` of findHits, decided in
 * batches): a metadata match is shown; a summary match where the viewer is cleared for the row's
 * level and keeps it or has need-to-know on its item (asked by item, once per batch, only of the
 * rows not decided otherwise).
 */
function perRowRule(db: Deps['dbh']['db'], scope: Extract<SummaryScope, { kind: 'some' }>): Decide {
  const levels = new Set<string>(scope.levels);
  const keeps = (unitId: string | null) => scope.allUnits || (!!scope.keeperUnitId && unitId === scope.keeperUnitId);
  return async (ms) => {
    const decided = (m: Match) => m.by_meta || (levels.has(m.level) && keeps(m.unit_id));
    const known = await needToKnowAmong(
      db,
      scope.actor,
      ms.filter((m) => !decided(m) && levels.has(m.level)).map((m) => m.item_id),
    );
    return ms.filter((m) => decided(m) || (levels.has(m.level) && known.has(m.item_id))).map((m) => m.entry_id);
  };
}

/** `rule` applied to the matches whose item is now in `state` (the one filter not in the index). */
function inItemState(db: Deps['dbh']['db'], state: string, rule: Decide): Decide {
  return async (ms) => {
    if (ms.length === 0) return [];
    const ids = [...new Set(ms.map((m) => m.item_id))];
    const inState = new Set(
      (await sql<{ id: string }>`select id from secret_items where id = any(${ids}::text[]) and state = ${state}`.execute(db)).rows.map((r) => r.id),
    );
    return rule(ms.filter((m) => inState.has(m.item_id)));
  };
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
 * The matches of `tq` in `doc`, read newest first and handed to `decide` in batches, until `want`
 * are shown or none are left. The GIN hands its matches over unordered, so how far to read is
 * told by how common the words are, measured on the newest rows:
 * - common (at least `denseShare` of them): the newest rows are walked in order (the order key's
 *   b-tree) and each is matched as it comes, as many as `want` needs at the share shown so far;
 * - rarer: a slice of months at a time, the GIN intersecting the words with the slice's month tags
 *   (migration 0017), so only that slice's matches are read from the table and sorted — as many
 *   months as the matches and the share shown so far say are needed;
 * - rare (what is left is expected to hold few matches): all that is left at once.
 * Read all at once and sorted, a common summary phrase at 100k items meant 20,000 rows read from
 * the table (28 ms) before the first row could be decided.
 */
async function readNewestFirst(
  db: Deps['dbh']['db'],
  { tq, doc, want, andRange }: NewestFirstQuery,
  { probeRows, denseShare, maxSliceMonths, fewLeft }: NewestFirstReading,
  decide: Decide,
): Promise<string[]> {
  const column = sql.ref(`s.${doc}`);
  const shown: string[] = [];
  let hits = 0; // matches read
  let before: number | undefined; // every row newer than this key has been read
  type Row = Match & { sort_key: string | number };
  const bound = () => (before === undefined ? sql`` : sql` and s.sort_key < ${before}`);
  const matches = (months?: readonly string[]) => sql`${column} @@ ${months ? inMonthsQuery(tq, months) : tq}::tsquery`;
  // The rows of `where` (it matches the words), newest first, at most `limit`, decided.
  const read = async (where: RawBuilder<unknown>, limit?: number): Promise<Row[]> => {
    const rows = (
      await sql<Row>`select s.entry_id, s.sort_key, s.item_id, s.level, s.unit_id, s.meta_doc @@ ${tq}::tsquery as by_meta
        from register_search s where ${where}${bound()}${andRange} order by s.sort_key desc${limit === undefined ? sql`` : sql` limit ${limit}`}`.execute(db)
    ).rows;
    shown.push(...(await decide(rows)));
    hits += rows.length;
    return rows;
  };
  // Matches still to read for `want`, at the share shown so far.
  const needed = () => ((want - shown.length) / Math.max(hits > 0 ? shown.length / hits : 1, 0.01)) * 1.25;

  // How common the words are among the newest rows.
  const probe = (
    await sql<{ n: string | number; m: string | number; first: string | number | null; last: string | number | null }>`select count(*) as n,
      count(*) filter (where p.hit) as m, max(p.sort_key) as first, min(p.sort_key) as last
      from (select s.sort_key, ${matches()} as hit from register_search s where true${andRange} order by s.sort_key desc limit ${probeRows}) p`.execute(db)
  ).rows[0];
  const [probed, probeHits] = [Number(probe?.n ?? 0), Number(probe?.m ?? 0)];
  if (probed === 0 || probe?.first == null || probe.last == null) return shown;
  if (probed < probeRows || probeHits / probed >= denseShare) {
    // Common words: the newest rows walked in order, each matched as it comes (the match
    // written so that the GIN cannot serve it: the order key's b-tree then drives, and the walk
    // stops at the matches asked for).
    for (;;) {
      const n = Math.ceil(needed());
      const got = await read(sql`coalesce(${matches()}, false)`, n);
      if (got.length < n || shown.length >= want) return shown;
      before = Number(got[got.length - 1]!.sort_key);
    }
  }
  const oldest = (await sql<{ k: string | number | null }>`select min(s.sort_key) as k from register_search s where true${andRange}`.execute(db)).rows[0]?.k;
  if (oldest == null) return shown;
  const months = monthsNewestFirst(Number(probe.first), Number(oldest));
  // Matches per month, from the days the newest rows span (at least one day).
  const days = Math.max(1, (Number(probe.first) - Number(probe.last)) / DAY_KEYS);
  const matchesPerMonth = Math.max((probeHits / days) * 30, 1);
  for (let at = 0; shown.length < want && at < months.length;) {
    const size = Math.max(1, Math.ceil(needed() / matchesPerMonth));
    const rest = months.length - at;
    // What is left holds few matches (or is no more than asked): read it all at once.
    if (size >= rest || rest * matchesPerMonth <= fewLeft * needed()) {
      await read(matches(rest <= maxSliceMonths ? months.slice(at) : undefined));
      return shown;
    }
    const slice = months.slice(at, at + Math.min(size, maxSliceMonths));
    await read(matches(slice));
    at += slice.length;
    before = monthStartKey(slice[slice.length - 1]!);
  }
  return shown;
}

interface NewestFirstQuery {
  tq: string;
  /** The document matched: the full one, or the metadata one for a viewer who reads no summary. */
  doc: 'full_doc' | 'meta_doc';
  want: number;
  andRange: RawBuilder<unknown>;
}

/** How matches are read newest first (readNewestFirst); tests set small values to reach every path. */
export interface NewestFirstReading {
  /** How many of the newest rows are matched one by one to tell how common the words are. */
  probeRows: number;
  /** At least this share of those rows matching: the newest rows are walked in order instead of read by months. */
  denseShare: number;
  /** At most this many month tags in one look-up; beyond it, the order key bounds what is read. */
  maxSliceMonths: number;
  /** What is left is read at once when it is expected to hold at most this many times the matches still needed. */
  fewLeft: number;
}

const NEWEST_FIRST: NewestFirstReading = { probeRows: 500, denseShare: 0.1, maxSliceMonths: 12, fewLeft: 4 };

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
