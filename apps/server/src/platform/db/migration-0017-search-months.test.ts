import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { insertSearchDocs, searchDocOf } from '../../modules/search/search.index';
import { dialects } from '../../test/harness';
import { migrationDatabases, seedIssuedItem } from './migration-test-helpers';
import { MIGRATIONS } from './migrations';
import type { Database, RegisterEntryRow } from './schema';

// Migration 0017 on a PostgreSQL database whose search index already holds rows: each row gains
// the month tag of its entry date in both documents, the very tag search.index.ts writes for a
// new row (so old and new rows are sliced alike); down takes it away again. On SQLite it changes
// nothing (FTS5 reads its matches in order).

const DIALECTS = await dialects();

describe.each(DIALECTS)('migration 0017 (search index: month tags) on %s', (dialect) => {
  const openBefore = migrationDatabases(dialect);

  const docs = async (db: Kysely<unknown>) =>
    (await sql<{ meta: string; full: string }>`select meta_doc::text as meta, full_doc::text as full from register_search order by entry_id`.execute(db)).rows;

  it('tags each index row with the month of its entry date, as a new row is tagged', async () => {
    const db = await openBefore('0017');
    const now = '2026-03-02T00:00:00.000Z';
    await seedIssuedItem(db, 'vanthu', now);
    const entries: RegisterEntryRow[] = [];
    for (const [id, date, n] of [
      ['e1', '2026-03-02', 1],
      ['e2', '2025-12-31', 7],
    ] as const) {
      await sql`insert into register_entries (id, register, year, number, volume, entry_date, item_id, level, quantity, form_code, created_by, created_at, summary)
        values (${id}, 'incoming', ${Number(date.slice(0, 4))}, ${n}, 1, ${date}, 'item', 'SECRET', 1, 'ND63', 'vanthu', ${now}, 'Về việc đón đoàn')`.execute(
        db,
      );
      entries.push((await sql<RegisterEntryRow>`select * from register_entries where id = ${id}`.execute(db)).rows[0]!);
    }
    if (dialect === 'sqlite') {
      const before = await sql`select count(*) as n from register_search`.execute(db);
      await MIGRATIONS['0017_search_months']!.up(db);
      await MIGRATIONS['0017_search_months']!.down!(db);
      expect(await sql`select count(*) as n from register_search`.execute(db)).toEqual(before);
      return;
    }
    // Rows as written today (with the tag), then as before this migration (the tag taken away).
    await insertSearchDocs(db as unknown as Kysely<Database>, entries.map(searchDocOf));
    const written = await docs(db);
    expect(written.map((d) => d.full.match(/'M\d{6}'/g))).toEqual([["'M202603'"], ["'M202512'"]]);
    await MIGRATIONS['0017_search_months']!.down!(db);
    const untagged = await docs(db);
    for (const d of untagged) expect(`${d.meta} ${d.full}`).not.toMatch(/'M\d{6}'/);
    expect(untagged[0]!.full).toContain("'don'");
    await MIGRATIONS['0017_search_months']!.up(db);
    expect(await docs(db)).toEqual(written);
    // The tag is a filter tag: it matches the month, and no folded word of a user reaches it.
    const hit = async (q: string) =>
      (await sql<{ entry_id: string }>`select entry_id from register_search where full_doc @@ ${q}::tsquery order by entry_id`.execute(db)).rows.map(
        (r) => r.entry_id,
      );
    expect(await hit("'don' & 'M202512'")).toEqual(['e2']);
    expect(await hit("'m202512'")).toEqual([]);
  });
});
