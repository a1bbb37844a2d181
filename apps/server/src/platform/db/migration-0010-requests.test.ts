import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { migrationDatabases } from './migration-test-helpers';
import { MIGRATIONS } from './migrations';

// Migration 0010 on a database that already holds an agency and items: the two request tables
// appear empty, their checks hold on both databases (a known type and status, one decision per
// request, a refusal with its reason, an outside decision with its number and no in-system
// decider), and down removes them again.

const DIALECTS = await dialects();

describe.each(DIALECTS)('migration 0010 (requests) on %s', (dialect) => {
  const openBefore = migrationDatabases(dialect);

  async function before0010(): Promise<Kysely<unknown>> {
    return openBefore('0010');
  }

  it('adds the request tables to an agency with items, and their checks hold', async () => {
    const db = await before0010();
    const now = '2026-03-02T00:00:00.000Z';
    await sql`insert into units (id, parent_id, name, code, created_at) values ('root', null, 'Sở', 'S', ${now})`.execute(db);
    for (const id of ['canbo', 'giamdoc'])
      await sql`insert into users (id, username, full_name, unit_id, position, password_hash, clearance, password_changed_at, created_at) values (${id}, ${id}, ${id}, 'root', 'x', 'h', 'SECRET', ${now}, ${now})`.execute(
        db,
      );
    await sql`insert into secret_items (id, origin, kind, state, doc_type, level, copies_planned, copy_allowed, addressee_only, recall_required, search_text, unit_id, created_at, updated_at)
      values ('item', 'internal', 'document', 'issued', 'Kế hoạch', 'SECRET', 1, 1, 0, 0, '', 'root', ${now}, ${now})`.execute(db);

    await MIGRATIONS['0010_requests']!.up(db);

    const request = (id: string, over: { type?: string; status?: string; route?: string | null } = {}) =>
      sql`insert into requests (id, type, item_id, requester_id, purpose, details, status, route, created_at, updated_at)
        values (${id}, ${over.type ?? 'copy'}, 'item', 'canbo', 'Công tác', '{}', ${over.status ?? 'submitted'}, ${over.route === undefined ? 'agency' : over.route}, ${now}, ${now})`.execute(
        db,
      );
    expect(Number((await sql<{ n: number | string }>`select count(*) as n from requests`.execute(db)).rows[0]!.n)).toBe(0);
    await request('r1');
    await request('r2', { status: 'draft', route: null });
    await expect(request('r3', { type: 'lend' })).rejects.toThrow();
    await expect(request('r4', { status: 'pending' })).rejects.toThrow();
    await expect(request('r5', { status: 'submitted', route: null })).rejects.toThrow(); // submitted means routed

    const decision = (
      id: string,
      over: { request?: string; outcome?: string; via?: string; by?: string | null; reason?: string | null; number?: string | null } = {},
    ) =>
      sql`insert into request_decisions (id, request_id, outcome, via, decided_by, recorded_by, reason, outside_number, decided_at)
        values (${id}, ${over.request ?? 'r1'}, ${over.outcome ?? 'approved'}, ${over.via ?? 'position'}, ${over.by === undefined ? 'giamdoc' : over.by}, 'giamdoc', ${over.reason ?? null}, ${over.number ?? null}, ${now})`.execute(
        db,
      );
    await expect(decision('d0', { outcome: 'refused' })).rejects.toThrow(); // a refusal without its reason
    await expect(decision('d0', { via: 'outside' })).rejects.toThrow(); // outside, yet no number and a decider in the system
    await decision('d1');
    await expect(decision('d2', { outcome: 'refused', reason: 'Lần hai' })).rejects.toThrow(); // one decision per request
    await decision('d3', { request: 'r2', via: 'outside', by: null, number: '12/QĐ-UBND' });

    await MIGRATIONS['0010_requests']!.down!(db);
    await expect(sql`select count(*) from requests`.execute(db)).rejects.toThrow();
    expect(Number((await sql<{ n: number | string }>`select count(*) as n from secret_items`.execute(db)).rows[0]!.n)).toBe(1);
  });
});
