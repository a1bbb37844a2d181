import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { migrationDatabases, seedIssuedItem } from './migration-test-helpers';
import { MIGRATIONS } from './migrations';

// Migration 0012 on a database that already holds an executed take-out request: the take-out and
// incident tables appear empty, their checks hold on both databases (one take-out per request, a
// known status, no return without the holder's report, a known incident type), and down removes
// them again.

const DIALECTS = await dialects();

describe.each(DIALECTS)('migration 0012 (take-outs, incidents) on %s', (dialect) => {
  const openBefore = migrationDatabases(dialect);

  it('adds the take-out and incident tables, and their checks hold', async () => {
    const db = await openBefore('0012');
    const now = '2026-03-02T00:00:00.000Z';
    await seedIssuedItem(db, 'canbo', now);
    await sql`insert into requests (id, type, item_id, requester_id, purpose, details, status, route, created_at, updated_at)
      values ('r1', 'take_out_domestic', 'item', 'canbo', 'Công tác', '{}', 'executed', 'agency', ${now}, ${now})`.execute(db);

    await MIGRATIONS['0012_take_outs']!.up(db);

    const takeOut = (id: string, over: { request?: string; status?: string; report?: string | null } = {}) =>
      sql`insert into take_outs (id, request_id, item_id, taken_by, executed_by, return_to_kind, return_to_id, due_date, status, taken_at, return_report)
        values (${id}, ${over.request ?? 'r1'}, 'item', 'canbo', 'canbo', 'unit', 'root', '2026-03-05', ${over.status ?? 'out'}, ${now}, ${over.report ?? null})`.execute(
        db,
      );
    expect(Number((await sql<{ n: number | string }>`select count(*) as n from take_outs`.execute(db)).rows[0]!.n)).toBe(0);
    await expect(takeOut('t0', { status: 'returned' })).rejects.toThrow(); // returned without the holder's report
    await expect(takeOut('t0', { status: 'away' })).rejects.toThrow();
    await takeOut('t1');
    await expect(takeOut('t2')).rejects.toThrow(); // one take-out per request

    const incident = (id: string, type: string) =>
      sql`insert into incidents (id, type, item_id, take_out_id, reported_by, reported_at, description) values (${id}, ${type}, 'item', 't1', 'canbo', ${now}, 'Mất')`.execute(
        db,
      );
    await incident('i1', 'loss');
    await expect(incident('i2', 'theft')).rejects.toThrow();
    const notified = (await sql<{ notified: string }>`select notified from incidents where id = 'i1'`.execute(db)).rows[0]!.notified;
    expect(notified).toBe('[]');

    await MIGRATIONS['0012_take_outs']!.down!(db);
    for (const table of ['take_outs', 'take_out_copies', 'incidents'])
      await expect(sql`select count(*) from ${sql.table(table)}`.execute(db)).rejects.toThrow();
  });
});
