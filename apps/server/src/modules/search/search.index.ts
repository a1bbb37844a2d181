import { foldForSearch } from '@khomat/policy';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Database, RegisterEntryRow } from '../../platform/db/schema';

// The register search index (issue 3, performance): derived data, one row per register entry,
// written in the transaction that writes the entry (writeRegisterEntry), never by hidden SQL
// triggers, left out of backups and rebuilt on restore (rebuildRegisterSearch).
//
// SQLite: FTS5 table `register_search` (contentless; unicode61 over the already-folded text):
//   rowid    the order key (entry date, then number — newest first is rowid desc, unranked)
//   entry_id UNINDEXED, kept (contentless_unindexed) to find the entry
//   meta     number/symbol, document type, issuer, recipient (what everyone may search)
//   summary  the summary (trích yếu): only for readers allowed to see it
//   tags     filter tokens (register, year, level, unit), never reachable from the user's query
// PostgreSQL: ordinary table `register_search` (entry_id, sort_key, meta_doc and full_doc
//   tsvectors with GIN, 'simple' configuration): meta_doc = meta + tags, full_doc = meta +
//   summary + tags; since migration 0004 also the filters as columns (register, year, level,
//   unit_id) and b-trees on (register, year[, level | unit_id], rev_key = -sort_key), so a page
//   without text is an index walk instead of an intersection of tag lists on the GIN; since
//   migration 0016 the row's item_id (need-to-know asked from the index row) and, in
//   register_search_words, the words the index holds (prefixes expanded before the GIN is
//   asked); since migration 0017 a month tag in both documents (a search read a slice of months
//   at a time). Tags are upper-case lexemes (cast straight to tsvector, not normalised): a user's
//   folded, lower-case term can never match or prefix-match them.

type Db = Kysely<Database>;

export const REGISTER_SEARCH_TABLE = 'register_search';
/** PostgreSQL: the words the index holds, to expand a prefix before the GIN is asked (migration 0016). */
export const REGISTER_SEARCH_WORDS_TABLE = 'register_search_words';
/** SQLite's FTS5 shadow tables of the index (derived, never backed up). */
export const REGISTER_SEARCH_SHADOW_TABLES = ['data', 'idx', 'content', 'docsize', 'config'].map((s) => `${REGISTER_SEARCH_TABLE}_${s}`);

const REGISTER_ORDER = ['outgoing', 'incoming', 'transfer', 'copy'] as const;
const DAY_SHIFT = 2 ** 28; // number * 4 + register index < 2^28 (numbers below 2^26 per register and year)
/** The order keys of one day. */
export const DAY_KEYS = DAY_SHIFT;

export function isPostgres(db: Kysely<unknown> | Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function dayOf(civilDate: string): number {
  const [y, m, d] = civilDate.slice(0, 10).split('-').map(Number);
  return Math.floor(Date.UTC(y!, m! - 1, d!) / 86_400_000);
}

/** Order key: entry date, then number (ties across registers broken by register). */
export function sortKey(entryDate: string, number: number, register: string): number {
  const r = Math.max(0, REGISTER_ORDER.indexOf(register as (typeof REGISTER_ORDER)[number]));
  return dayOf(entryDate) * DAY_SHIFT + number * 4 + r;
}

/** Smallest key of a day / first key after a day (for from/to filters on the entry date). */
export const dayStartKey = (civilDate: string) => dayOf(civilDate) * DAY_SHIFT;
export const dayEndKey = (civilDate: string) => (dayOf(civilDate) + 1) * DAY_SHIFT;

/** The month (YYYYMM) of an order key's entry date. */
export function monthOfKey(key: number): string {
  const d = new Date(Math.floor(key / DAY_SHIFT) * 86_400_000);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Smallest order key of a month (YYYYMM). */
export const monthStartKey = (month: string) => dayStartKey(`${month.slice(0, 4)}-${month.slice(4, 6)}-01`);

/** The months from the newest key's to the oldest key's, newest first (YYYYMM). */
export function monthsNewestFirst(newestKey: number, oldestKey: number): string[] {
  const out: string[] = [];
  const last = monthOfKey(oldestKey);
  const first = monthOfKey(newestKey);
  let y = Number(first.slice(0, 4));
  let m = Number(first.slice(4, 6));
  for (;;) {
    const month = `${y}${String(m).padStart(2, '0')}`;
    if (month < last) return out;
    out.push(month);
    if (--m === 0) [y, m] = [y - 1, 12];
  }
}

/** Word characters as the unicode61 tokenizer sees them; everything else separates words. */
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;

/** Folded words of a text, in order (the same split on both databases). */
export function wordsOf(text: string): string[] {
  return foldForSearch(text).match(WORD) ?? [];
}

const hexTag = (prefix: string, v: string) => prefix + Buffer.from(v, 'utf8').toString('hex');

export interface RegisterSearchFilter {
  register?: string | undefined;
  year?: number | undefined;
  level?: string | undefined;
  unitId?: string | undefined;
}

/** Filter tokens: only alphanumerics, prefixed, so a value never needs quoting. */
export function filterTags(f: RegisterSearchFilter): string[] {
  const t: string[] = [];
  if (f.register) t.push(hexTag('r', f.register));
  if (f.year) t.push(`y${f.year}`);
  if (f.level) t.push(hexTag('l', f.level));
  if (f.unitId) t.push(hexTag('u', f.unitId));
  return t;
}

export interface SearchDoc {
  key: number;
  entryId: string;
  meta: string;
  summary: string;
  tags: string;
  /** The filters as plain columns too (PostgreSQL: b-tree pages without text, migration 0004). */
  filters: { register: string; year: number; level: string; unitId: string | null };
  /** The entry's item (PostgreSQL: need-to-know asked from the index row, migration 0016). */
  itemId: string;
}

/** The indexed form of an entry, computed from the stored row alone (so a rebuild gives the same). */
export function searchDocOf(
  e: Pick<
    RegisterEntryRow,
    'id' | 'item_id' | 'register' | 'year' | 'number' | 'entry_date' | 'unit_id' | 'level' | 'number_symbol' | 'doc_type' | 'summary' | 'issuer' | 'recipient'
  >,
): SearchDoc {
  return {
    key: sortKey(e.entry_date, Number(e.number), e.register),
    entryId: e.id,
    meta: wordsOf([e.number_symbol ?? '', e.doc_type ?? '', e.issuer ?? '', e.recipient ?? ''].join(' ')).join(' '),
    summary: wordsOf(e.summary ?? '').join(' '),
    tags: filterTags({ register: e.register, year: Number(e.year), level: e.level, unitId: e.unit_id ?? undefined }).join(' '),
    filters: { register: e.register, year: Number(e.year), level: e.level, unitId: e.unit_id ?? null },
    itemId: e.item_id,
  };
}

/** Inserts index rows (many per statement); runs inside the caller's transaction. */
export async function insertSearchDocs(db: Db, docs: SearchDoc[]): Promise<void> {
  if (docs.length === 0) return;
  const pg = isPostgres(db);
  for (let i = 0; i < docs.length; i += 500) {
    const part = docs.slice(i, i + 500);
    if (pg) {
      const values = sql.join(
        part.map((d) => {
          const tags = pgTags([...d.tags.split(' ').filter(Boolean), monthTag(monthOfKey(d.key))]);
          const f = d.filters;
          return sql`(${d.entryId}, ${d.key}, to_tsvector('simple', ${d.meta}) || ${tags}::tsvector, to_tsvector('simple', ${`${d.meta} ${d.summary}`}) || ${tags}::tsvector, ${f.register}, ${f.year}, ${f.level}, ${f.unitId}, ${-d.key}, ${d.itemId})`;
        }),
      );
      await sql`insert into register_search (entry_id, sort_key, meta_doc, full_doc, register, year, level, unit_id, rev_key, item_id) values ${values}`.execute(
        db,
      );
      // The words as the index holds them (the same parser over the same text), those not listed yet.
      const text = part.map((d) => `${d.meta} ${d.summary}`).join(' ');
      await sql`insert into register_search_words (word)
        select distinct u.lexeme from unnest(to_tsvector('simple', ${text})) u
         where not exists (select 1 from register_search_words w where w.word = u.lexeme)`.execute(db);
    } else {
      const values = sql.join(part.map((d) => sql`(${d.key}, ${d.entryId}, ${d.meta}, ${d.summary}, ${d.tags})`));
      await sql`insert into register_search (rowid, entry_id, meta, summary, tags) values ${values}`.execute(db);
    }
  }
}

/** Keeps the index in step with a new register entry (same transaction as the entry). */
export async function indexRegisterEntry(db: Db, row: RegisterEntryRow): Promise<void> {
  await insertSearchDocs(db, [searchDocOf(row)]);
}

/**
 * Replaces an entry's index row after its summary was completed (same transaction as the change).
 * The SQLite index is contentless: its row is removed by giving FTS5 the words it indexed.
 */
export async function reindexRegisterEntry(db: Db, before: RegisterEntryRow, after: RegisterEntryRow): Promise<void> {
  const old = searchDocOf(before);
  if (isPostgres(db)) await sql`delete from register_search where entry_id = ${old.entryId}`.execute(db);
  else {
    await sql`insert into register_search (register_search, rowid, entry_id, meta, summary, tags)
      values ('delete', ${old.key}, ${old.entryId}, ${old.meta}, ${old.summary}, ${old.tags})`.execute(db);
  }
  await insertSearchDocs(db, [searchDocOf(after)]);
}

/** Rebuilds the whole index from register_entries (after a restore, or to repair). */
export async function rebuildRegisterSearch(db: Db): Promise<number> {
  if (isPostgres(db)) {
    await sql`delete from register_search`.execute(db);
    await sql`delete from register_search_words`.execute(db);
  } else await sql`insert into register_search (register_search) values ('delete-all')`.execute(db);
  let n = 0;
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('register_entries')
      .select(['id', 'item_id', 'register', 'year', 'number', 'entry_date', 'unit_id', 'level', 'number_symbol', 'doc_type', 'summary', 'issuer', 'recipient'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(2000)
      .execute();
    if (rows.length === 0) return n;
    await insertSearchDocs(db, rows.map(searchDocOf));
    n += rows.length;
    after = rows[rows.length - 1]!.id;
  }
}

// ---- queries ----------------------------------------------------------------------------------

/**
 * The user's query as phrases: each space-separated term becomes the phrase of its words, the
 * last word a prefix ("125/BNG-L" → 125 bng l*). Only letters and digits reach the query syntax,
 * so quotes, NEAR(, *, AND/OR/NOT, column filters and the like are plain text. Terms without any
 * letter or digit are dropped.
 */
export function queryPhrases(q: string | undefined, maxTerms = 8): { phrases: string[][]; hadText: boolean } {
  const terms = q ? foldForSearch(q).split(' ').filter(Boolean) : [];
  const phrases = terms
    .map((t) => t.match(WORD) ?? [])
    .filter((p) => p.length > 0)
    .slice(0, maxTerms);
  return { phrases, hadText: terms.length > 0 };
}

/** FTS5 MATCH expression, or undefined when nothing needs matching. */
export function ftsMatch(phrases: string[][], tags: string[], withSummary: boolean): string | undefined {
  const parts: string[] = [];
  if (tags.length) parts.push(`{tags} : (${tags.map((t) => `"${t}"`).join(' AND ')})`);
  if (phrases.length) {
    const cols = withSummary ? '{meta summary}' : '{meta}';
    parts.push(`${cols} : (${phrases.map((p) => `"${p.join(' ').replace(/"/g, '""')}" *`).join(' AND ')})`);
  }
  return parts.length ? parts.join(' AND ') : undefined;
}

const tsLexeme = (w: string) => `'${w.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`;

/** A filter tag as a PostgreSQL lexeme: upper case, which no folded user term can reach. */
const tagLexeme = (t: string) => tsLexeme(t.toUpperCase());
const pgTags = (tags: string[]) => tags.map(tagLexeme).join(' ');

/**
 * PostgreSQL: the month tag every index row carries ('M' + YYYYMM of its entry date, migration
 * 0017), so the GIN can hand over one slice of months of a search's matches at a time.
 */
const monthTag = (month: string) => `m${month}`;

/** PostgreSQL: `tq` narrowed to the rows entered in any of `months` (YYYYMM). */
export function inMonthsQuery(tq: string, months: readonly string[]): string {
  if (months.length === 0) throw new RangeError('inMonthsQuery: no month');
  const lx = months.map((m) => tagLexeme(monthTag(m)));
  return `${tq} & ${lx.length > 1 ? `(${lx.join(' | ')})` : lx[0]!}`;
}

/** At most this many words stand for a prefix; a prefix of more words is left to the GIN. */
export const PREFIX_EXPANSION_LIMIT = 16;

/**
 * PostgreSQL: the indexed words each term's last word (a prefix) stands for — `undefined` where
 * more than PREFIX_EXPANSION_LIMIT words start with it (or none: the GIN then finds nothing at
 * once). One statement: for each prefix, a walk of the word list's b-tree from it.
 */
export async function expandPrefixes(db: Db, phrases: string[][]): Promise<Map<string, string[] | undefined>> {
  const prefixes = [...new Set(phrases.map((p) => p[p.length - 1]!))];
  const out = new Map<string, string[] | undefined>();
  if (prefixes.length === 0) return out;
  const rows = (
    await sql<{ p: string; word: string }>`select p.p, w.word from unnest(${prefixes}::text[]) as p(p)
      cross join lateral (select distinct x.word from register_search_words x where x.word >= p.p collate "C" order by x.word limit ${PREFIX_EXPANSION_LIMIT + 1}) w`.execute(
      db,
    )
  ).rows;
  for (const p of prefixes) {
    const words = rows.filter((r) => r.p === p && r.word.startsWith(p)).map((r) => r.word);
    out.set(p, words.length === 0 || words.length > PREFIX_EXPANSION_LIMIT ? undefined : words);
  }
  return out;
}

/**
 * PostgreSQL: `tq` narrowed to the rows a keeper reads (any of `levels`, and kept by `unitId`
 * unless null: every unit), through the filter tags every index row carries — so the GIN
 * intersects them with the words and only those rows are read from the table.
 */
export function keptRowsQuery(tq: string, levels: readonly string[], unitId: string | null): string {
  const lv = filterTagsOf(levels.map((level) => ({ level })));
  if (lv.length === 0) throw new RangeError('keptRowsQuery: no level');
  const parts = [tq, lv.length > 1 ? `(${lv.join(' | ')})` : lv[0]!];
  if (unitId) parts.push(filterTagsOf([{ unitId }])[0]!);
  return parts.join(' & ');
}

const filterTagsOf = (fs: RegisterSearchFilter[]) => fs.flatMap((f) => filterTags(f)).map(tagLexeme);

/**
 * PostgreSQL tsquery text (cast with ::tsquery, lexemes taken as they are), or undefined. Each
 * term is the phrase of its words, the last one a prefix: `'w':*`, or, given the words it stands
 * for (expandPrefixes), their alternation — the same matches.
 */
export function tsQuery(phrases: string[][], tags: string[], expansions?: Map<string, string[] | undefined>): string | undefined {
  const parts = tags.map(tagLexeme);
  for (const p of phrases) {
    const last = (w: string) => {
      const words = expansions?.get(w);
      if (!words) return `${tsLexeme(w)}:*`;
      return words.length === 1 ? tsLexeme(words[0]!) : `(${words.map(tsLexeme).join(' | ')})`;
    };
    const words = p.map((x, i) => (i === p.length - 1 ? last(x) : tsLexeme(x)));
    parts.push(words.length > 1 ? `(${words.join(' <-> ')})` : words[0]!);
  }
  return parts.length ? parts.join(' & ') : undefined;
}
