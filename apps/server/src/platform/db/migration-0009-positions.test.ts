import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { migrationDatabases } from './migration-test-helpers';
import { MIGRATIONS } from './migrations';

// Migration 0009 on an agency set up before positions: its accounts get positions as the old rule
// read them, its classification delegations keep working (classify, every level), and an empty
// database stays empty.

const DIALECTS = await dialects();

describe.each(DIALECTS)('migration 0009 (positions) on %s', (dialect) => {
  const openBefore = migrationDatabases(dialect);

  async function before0009(): Promise<Kysely<unknown>> {
    return openBefore('0009');
  }

  it('gives positions by the old rule and keeps classification delegations working', async () => {
    const db = await before0009();
    const now = '2026-01-02T00:00:00.000Z';
    const unit = (id: string, parent: string | null) =>
      sql`insert into units (id, parent_id, name, code, created_at) values (${id}, ${parent}, ${id}, ${id}, ${now})`.execute(db);
    await unit('root', null);
    await unit('dept', 'root');
    const user = async (id: string, unitId: string, roles: string[]) => {
      await sql`insert into users (id, username, full_name, unit_id, position, password_hash, clearance, password_changed_at, created_at) values (${id}, ${id}, ${id}, ${unitId}, 'x', 'h', 'NONE', ${now}, ${now})`.execute(
        db,
      );
      for (const r of roles) await sql`insert into user_roles (user_id, role) values (${id}, ${r})`.execute(db);
    };
    await user('giamdoc', 'root', ['head']);
    await user('truongphong', 'dept', ['head', 'clerk']);
    await user('vanthu', 'root', ['clerk']);
    await user('quantri', 'root', ['admin']);
    await sql`insert into delegations (id, delegate_id, field, valid_from, valid_to, decision_ref, granted_by, created_at) values ('d1', 'vanthu', 'Ngoại giao', '2026-01-01', '2026-12-31', '1/QĐ', 'giamdoc', ${now})`.execute(
      db,
    );
    await sql`insert into account_changes (id, user_id, kind, payload, requested_by, requested_at, status) values ('c1', 'vanthu', 'roles', '{}', 'quantri', ${now}, 'pending')`.execute(
      db,
    );

    await MIGRATIONS['0009_positions']!.up(db);

    const held = await sql<{ id: string; kind: string }>`select u.id, p.kind from users u join positions p on p.id = u.position_id order by u.id`.execute(db);
    expect(held.rows).toEqual([
      { id: 'giamdoc', kind: 'agency_head' },
      { id: 'quantri', kind: 'staff' },
      { id: 'truongphong', kind: 'unit_head' },
      { id: 'vanthu', kind: 'staff' },
    ]);
    const titles = await sql<{ name: string; kind: string }>`select name, kind from positions order by kind`.execute(db);
    expect(titles.rows.map((r) => r.kind)).toEqual(['agency_head', 'deputy_agency_head', 'deputy_unit_head', 'office_chief', 'staff', 'unit_head']);
    expect(titles.rows.find((r) => r.kind === 'deputy_agency_head')!.name).toBe('Phó Giám đốc');
    const d = await sql<{ operations: string; levels: string }>`select operations, levels from delegations`.execute(db);
    expect(d.rows.map((r) => [JSON.parse(r.operations), JSON.parse(r.levels)])).toEqual([[['classify'], ['CONFIDENTIAL', 'SECRET', 'TOP_SECRET']]]);
    // The waiting change survived the rebuild; a position change can now be recorded, an unknown kind cannot.
    expect((await sql<{ id: string }>`select id from account_changes`.execute(db)).rows).toEqual([{ id: 'c1' }]);
    await sql`insert into account_changes (id, user_id, kind, payload, requested_by, requested_at, status) values ('c2', 'vanthu', 'position', '{}', 'quantri', ${now}, 'pending')`.execute(
      db,
    );
    await expect(
      sql`insert into account_changes (id, user_id, kind, payload, requested_by, requested_at, status) values ('c3', 'vanthu', 'promotion', '{}', 'quantri', ${now}, 'pending')`.execute(
        db,
      ),
    ).rejects.toThrow();
  });

  it('leaves an empty database empty (the set-up creates the starting titles)', async () => {
    const db = await before0009();
    await MIGRATIONS['0009_positions']!.up(db);
    expect(Number((await sql<{ n: number | string }>`select count(*) as n from positions`.execute(db)).rows[0]!.n)).toBe(0);
  });
});
