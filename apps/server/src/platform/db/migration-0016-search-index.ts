import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * Two additions to PostgreSQL's register search (issue 11, search p95 at 100k items):
 *
 * The item of each row (`item_id`, filled from register_entries, with a b-tree): a text search by
 * a viewer whose summary matches are decided per row asks need-to-know of the row's item. Read
 * from the index row itself, that needs no look-up of a thousand register entries by id per page
 * (which, out of cache, cost up to 100 ms); and the rows of a viewer's need-to-know items are
 * found from those items.
 *
 * The list of the words its index holds (issue 11, search
 * p95): every search term is a word prefix, and the GIN answers a prefix ('dai':*) by gathering
 * every match of every word that starts with it into a bitmap before it can intersect — 17 ms of
 * a 27 ms look-up for four summary words at 100k items. Expanded first to the words that exist
 * ('dai' | 'daily'), the GIN intersects its posting lists directly (16 ms for the same look-up).
 * The list is derived data like the index: written with each index row (search.index.ts), never
 * backed up, rebuilt on restore. Words are never removed (a word no longer indexed only expands
 * to a lexeme without matches). No unique key on purpose: two registrations writing the same new
 * word would otherwise wait on each other and, in opposite orders, deadlock; a word written twice
 * is harmless (the expansion reads distinct words). C collation: byte order, so the words after a
 * prefix are a walk of the b-tree from it.
 * SQLite's FTS5 index handles prefixes itself and is unchanged.
 */
export const m0016_search_index: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`alter table register_search add column item_id text`.execute(db);
    await sql`update register_search s set item_id = e.item_id from register_entries e where e.id = s.entry_id`.execute(db);
    await sql`alter table register_search alter column item_id set not null`.execute(db);
    await sql`create index register_search_item_idx on register_search (item_id)`.execute(db);
    // The update wrote every row again: the table would stay twice its size, every search's heap
    // reads spread over both halves. Rewritten once, compact, in entry order (indexes rebuilt).
    await sql`cluster register_search using register_search_sort_idx`.execute(db);
    await sql`create table register_search_words (word text collate "C" not null)`.execute(db);
    // The words of the rows already indexed; the filter tags (upper case, never a folded word) are not words.
    await sql`insert into register_search_words (word) select word from ts_stat('select full_doc from register_search') where word = lower(word)`.execute(db);
    await sql`create index register_search_words_idx on register_search_words (word)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`drop table register_search_words`.execute(db);
    await sql`drop index register_search_item_idx`.execute(db);
    await sql`alter table register_search drop column item_id`.execute(db);
  },
};
