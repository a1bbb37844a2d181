import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { migrationDatabases, seedIssuedItem } from './migration-test-helpers';
import { MIGRATIONS } from './migrations';

// Migration 0014 on a database that already holds an executed provision request: the provision
// and letter tables appear empty, their keys hold on both databases (one provision per request,
// one letter per request, a letter number once a year), the requester's list index is rebuilt,
// and down removes them again.

const DIALECTS = await dialects();

describe.each(DIALECTS)('migration 0014 (provisions, answer letters) on %s', (dialect) => {
  const openBefore = migrationDatabases(dialect);

  it('adds the provision and letter tables, and their keys hold', async () => {
    const db = await openBefore('0014');
    const now = '2026-03-02T00:00:00.000Z';
    await seedIssuedItem(db, 'vanthu', now);
    for (const r of ['r1', 'r2'])
      await sql`insert into requests (id, type, item_id, requester_id, purpose, details, status, route, created_at, updated_at)
        values (${r}, 'provide_domestic', 'item', 'vanthu', 'Công tác', '{}', 'executed', 'agency', ${now}, ${now})`.execute(db);
    await sql`insert into custody_events (id, item_id, kind, occurred_at, actor_id, from_label, to_label) values ('ev', 'item', 'dispatch', ${now}, 'vanthu', 'Văn thư', 'Sở Tư pháp')`.execute(
      db,
    );

    await MIGRATIONS['0014_provisions']!.up(db);

    const provision = (id: string, request: string) =>
      sql`insert into provisions (id, request_id, item_id, custody_event_id, recipient, executed_by, executed_at) values (${id}, ${request}, 'item', 'ev', 'Sở Tư pháp', 'vanthu', ${now})`.execute(
        db,
      );
    expect(Number((await sql<{ n: number | string }>`select count(*) as n from provisions`.execute(db)).rows[0]!.n)).toBe(0);
    await provision('p1', 'r1');
    await expect(provision('p2', 'r1')).rejects.toThrow(); // one provision per request

    const letter = (request: string, number: number) =>
      sql`insert into request_letters (request_id, year, number, letter_date, first_printed_by, first_printed_at) values (${request}, 2026, ${number}, '2026-03-02', 'vanthu', ${now})`.execute(
        db,
      );
    await letter('r1', 1);
    await expect(letter('r1', 2)).rejects.toThrow(); // one letter per request
    await expect(letter('r2', 1)).rejects.toThrow(); // a number once a year
    await letter('r2', 2);

    await MIGRATIONS['0014_provisions']!.down!(db);
    for (const table of ['provisions', 'request_letters']) await expect(sql`select count(*) from ${sql.table(table)}`.execute(db)).rejects.toThrow();
    // The requester's list keeps its index after down.
    await MIGRATIONS['0014_provisions']!.up(db);
  });
});
