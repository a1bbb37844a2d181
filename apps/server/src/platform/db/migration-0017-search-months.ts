import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * PostgreSQL's register search: a month tag in every index row (issue 11, search p95 at 100k
 * items). A text search returns its matches newest first, but the GIN hands them over unordered:
 * a common summary phrase matched 20,000 rows at 100k items, every one read from the table and
 * sorted before a head's first page could be decided (28 ms of the page). With the month of the
 * entry date as a tag ('M' + YYYYMM, upper case like the other filter tags, so no folded user
 * term reaches it), the GIN intersects the words with a slice of months and hands over only the
 * newest matches (772 rows, 5 ms, for the same phrase over two months); older slices are asked
 * only while the page and the count's reach are not filled (search.usecases.ts).
 *
 * The tag is derived from the order key (sort_key = entry day × 2^28 + …), exactly as
 * search.index.ts derives it for new rows. The update writes every row again: the table is then
 * rewritten once, compact and in entry order, as migration 0016 did. SQLite's FTS5 index reads its
 * matches in order already and is unchanged.
 */
const MONTH_TAG = sql`('M' || to_char(date '1970-01-01' + (sort_key / 268435456)::int, 'YYYYMM'))`;

export const m0017_search_months: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`update register_search set meta_doc = meta_doc || ${MONTH_TAG}::tsvector, full_doc = full_doc || ${MONTH_TAG}::tsvector`.execute(db);
    await sql`cluster register_search using register_search_sort_idx`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`update register_search set meta_doc = ts_delete(meta_doc, ${MONTH_TAG}), full_doc = ts_delete(full_doc, ${MONTH_TAG})`.execute(db);
  },
};
