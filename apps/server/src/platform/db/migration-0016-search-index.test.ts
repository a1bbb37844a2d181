import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { migrationDatabases, seedIssuedItem } from './migration-test-helpers';
import { MIGRATIONS } from './migrations';

// Migration 0016 on a PostgreSQL database whose search index already holds rows: each row gets its
// entry's item, the word list appears with the words of those rows (never the filter tags), and
// down removes both. On SQLite it changes nothing (FTS5 expands prefixes itself).

const DIALECTS = await dialects();

describe.each(DIALECTS)('migration 0016 (search index: items, words) on %s', (dialect) => {
  const openBefore = migrationDatabases(dialect);

  const tables = async (db: Kysely<unknown>) =>
    (await db.introspection.getTables())
      .map((t) => t.name)
      .filter((n) => n.startsWith('register_search'))
      .sort();

  it("gives each index row its entry's item and lists the words the index holds, without its filter tags", async () => {
    const db = await openBefore('0016');
    const before = await tables(db);
    const now = '2026-03-02T00:00:00.000Z';
    await seedIssuedItem(db, 'vanthu', now);
    await sql`insert into register_entries (id, register, year, number, volume, entry_date, item_id, level, quantity, form_code, created_by, created_at)
      values ('e1', 'incoming', 2026, 1, 1, '2026-03-02', 'item', 'SECRET', 1, 'ND63', 'vanthu', ${now})`.execute(db);
    if (dialect === 'postgres') {
      await sql`insert into register_search (entry_id, sort_key, meta_doc, full_doc, register, year, level, unit_id, rev_key)
        values ('e1', 5, to_tsvector('simple', '125 bng ls') || 'RTAG'::tsvector, to_tsvector('simple', '125 bng ls don doan dai bieu') || 'RTAG'::tsvector, 'incoming', 2026, 'SECRET', null, -5)`.execute(
        db,
      );
    }
    await MIGRATIONS['0016_search_index']!.up(db);
    if (dialect === 'sqlite') {
      expect(await tables(db)).toEqual(before);
      return;
    }
    const words = (await sql<{ word: string }>`select word from register_search_words order by word`.execute(db)).rows.map((r) => r.word);
    expect(words).toEqual(['125', 'bieu', 'bng', 'dai', 'doan', 'don', 'ls']);
    expect((await sql<{ item_id: string }>`select item_id from register_search`.execute(db)).rows).toEqual([{ item_id: 'item' }]);
    await MIGRATIONS['0016_search_index']!.down!(db);
    expect(await tables(db)).toEqual(before);
    const columns = (
      await sql<{
        column_name: string;
      }>`select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'register_search'`.execute(db)
    ).rows.map((r) => r.column_name);
    expect(columns).not.toContain('item_id');
  });
});
