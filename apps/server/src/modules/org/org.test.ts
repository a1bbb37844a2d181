import { afterEach, describe, expect, it } from 'vitest';
import type { AuditLog, AuditWriter } from '../../platform/audit/audit-log';
import { ADMIN_PASSWORD, Client, createTestApp, databaseFingerprint, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../../test/harness';
import { actorOf } from '../auth/auth.usecases';
import { findUserWithRoles } from '../auth/auth.repository';
import * as uc from './org.usecases';

const DIALECTS = await dialects();

describe.each(DIALECTS)('organisation on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function start() {
    t = await createTestApp(dialect);
    const seeded = await seedAgency(t.deps);
    const admin = new Client(t.app, t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    return { ...seeded, admin };
  }

  it('manages the unit tree: create, rename, move, close — each audited', async () => {
    const { admin, unitId: root } = await start();
    const a = (await admin.post('/api/units', { name: 'Văn phòng Sở', code: 'VP', parentId: root })).json();
    const b = (await admin.post('/api/units', { name: 'Phòng Hợp tác quốc tế', code: 'HTQT', parentId: root })).json();
    const a1 = (await admin.post('/api/units', { name: 'Tổ Văn thư', code: 'VT', parentId: a.id })).json();
    expect((await admin.post('/api/units', { name: 'Trùng mã', code: 'VP', parentId: root })).json().error.code).toBe('org.unit_code_taken');
    expect((await admin.patch(`/api/units/${a1.id}`, { name: 'Bộ phận Văn thư' })).json().name).toBe('Bộ phận Văn thư');
    expect((await admin.post(`/api/units/${a.id}/move`, { parentId: a1.id })).json().error.code).toBe('org.unit_move_cycle');
    expect((await admin.post(`/api/units/${root}/move`, { parentId: a.id })).json().error.code).toBe('org.root_unit_immutable');
    expect((await admin.post(`/api/units/${a1.id}/move`, { parentId: b.id })).json().parentId).toBe(b.id);
    expect((await admin.post(`/api/units/${b.id}/close`, { reason: 'Sáp nhập' })).json().error.code).toBe('org.unit_has_open_children');
    const closed = (await admin.post(`/api/units/${a1.id}/close`, { reason: 'Sáp nhập vào Văn phòng' })).json();
    expect(closed.closedAt).not.toBeNull();
    expect((await admin.post('/api/units', { name: 'Con', code: 'CON', parentId: a1.id })).json().error.code).toBe('org.parent_closed');
    const actions = (await t.deps.dbh.db.selectFrom('audit_events').select('action').where('actor_id', 'is not', null).orderBy('seq').execute()).map(
      (r) => r.action,
    );
    expect(actions.filter((x) => x.startsWith('org.unit'))).toEqual([
      'org.unit.created',
      'org.unit.created',
      'org.unit.created',
      'org.unit.renamed',
      'org.unit.moved',
      'org.unit.closed',
    ]);
  });

  it('manages users; deactivation ends sessions; the last admin stays', async () => {
    const { admin, unitId, userId: adminId } = await start();
    const res = await admin.post('/api/users', {
      username: 'vanthu',
      fullName: 'Lê Thị Văn Thư',
      unitId,
      position: 'Văn thư',
      roles: ['clerk'],
      password: 'Tamthoi2026x',
    });
    expect(res.statusCode).toBe(200);
    const user = res.json();
    expect(user).toMatchObject({ username: 'vanthu', roles: ['clerk'], clearance: 'NONE', active: true });
    expect(JSON.stringify(user)).not.toMatch(/argon2|password|totp_secret/);
    expect(
      (await admin.post('/api/users', { username: 'xx1', fullName: 'X', unitId, position: 'P', roles: ['admin', 'officer'], password: 'Tamthoi2026x' })).json()
        .error.code,
    ).toBe('org.roles_invalid');
    expect(
      (await admin.post('/api/users', { username: 'VANTHU', fullName: 'X', unitId, position: 'P', roles: ['clerk'], password: 'Tamthoi2026x' })).json().error
        .code,
    ).toBe('org.username_taken');
    const u = new Client(t.app, t.clock);
    await u.post('/api/auth/login', { username: 'vanthu', password: 'Tamthoi2026x' });
    expect((await admin.post(`/api/users/${user.id}/deactivate`, { reason: 'Chuyển công tác' })).json().active).toBe(false);
    expect((await u.get('/api/auth/session')).json().authenticated).toBe(false);
    expect((await u.post('/api/auth/login', { username: 'vanthu', password: 'Tamthoi2026x' })).json().error.code).toBe('auth.account_inactive');
    expect((await admin.post(`/api/users/${adminId}/deactivate`, { reason: 'x' })).json().error.code).toBe('org.user_self_deactivate');
    expect((await admin.patch(`/api/users/${adminId}`, { roles: ['officer'] })).json().error.code).toBe('org.last_admin');
    expect((await admin.post(`/api/users/${user.id}/activate`)).json().active).toBe(true);
    expect((await admin.post(`/api/users/${user.id}/reset-password`, { newPassword: 'Datlai2026xyz' })).statusCode).toBe(200);
    expect((await u.post('/api/auth/login', { username: 'vanthu', password: 'Datlai2026xyz' })).json().user.mustChangePassword).toBe(true);
    const list = (await admin.get(`/api/users?q=${encodeURIComponent('văn thư')}`)).json().items;
    expect(list.map((x: { username: string }) => x.username)).toEqual(['vanthu']);
  });

  it('clearance: the security officer asks, a raise waits for the agency head; admin cannot, nobody for themselves', async () => {
    const { admin, unitId } = await start();
    const soId = await seedUser(t.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'SECRET' });
    const officerId = await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'] });
    const adminSelf = (await admin.get('/api/auth/session')).json().user.id;
    const body = { reason: 'Được giao soạn thảo tài liệu Mật', decisionRef: 'QĐ 12/QĐ-SNV' };
    expect((await admin.post(`/api/users/${officerId}/clearance`, { clearance: 'SECRET', ...body })).statusCode).toBe(403);
    expect((await admin.post(`/api/users/${adminSelf}/clearance`, { clearance: 'TOP_SECRET', ...body })).statusCode).toBe(403);
    const so = new Client(t.app, t.clock);
    await so.signIn('baomat', USER_PASSWORD);
    const r = await so.post(`/api/users/${officerId}/clearance`, { clearance: 'CONFIDENTIAL', ...body });
    expect(r.statusCode, r.body).toBe(200);
    // A raise waits for the second person: the effective clearance is unchanged meanwhile.
    expect(r.json()).toMatchObject({ user: { clearance: 'NONE', pendingClearance: 'CONFIDENTIAL', hold: [] }, change: { status: 'pending' } });
    expect((await so.post(`/api/users/${soId}/clearance`, { clearance: 'TOP_SECRET', ...body })).json().error.code).toBe('org.clearance_self');
    expect((await so.post(`/api/users/${adminSelf}/clearance`, { clearance: 'SECRET', ...body })).json().error.code).toBe('org.clearance_not_applicable');
    const ev = await t.deps.dbh.db.selectFrom('audit_events').selectAll().where('action', '=', 'org.user.clearance_requested').executeTakeFirstOrThrow();
    expect(JSON.parse(ev.details)).toEqual({ from: 'NONE', to: 'CONFIDENTIAL', ...body, changeId: r.json().change.id });
    expect(ev.actor_id).toBe(soId);
  });

  it('a change and its audit event commit together or not at all', async () => {
    const { unitId, userId } = await start();
    const actor = actorOf((await findUserWithRoles(t.deps.dbh.db, userId))!);
    const before = await databaseFingerprint(t.deps);
    const failing = (when: 'before' | 'after'): AuditLog => {
      const writer: AuditWriter = {
        append: async (tx, input) => {
          if (when === 'before') throw new Error('audit insert failed');
          await t.deps.audit.append(tx, input);
          throw new Error('audit insert failed after write');
        },
      };
      return writer as unknown as AuditLog;
    };
    for (const when of ['before', 'after'] as const) {
      await expect(uc.createUnit({ ...t.deps, audit: failing(when) }, actor, { name: 'Phòng X', code: 'PX', parentId: unitId })).rejects.toThrow(
        /audit insert failed/,
      );
    }
    expect(await databaseFingerprint(t.deps)).toBe(before);
    // The audit insert failing at the database level (a constraint) rolls back the change too.
    await t.deps.dbh.db
      .insertInto('audit_events')
      .values({
        seq: 1000,
        id: 'x',
        occurred_at: 'x',
        actor_id: null,
        action: 'x',
        subject_type: null,
        subject_id: null,
        details: '{}',
        prev_hash: 'x',
        hash: 'x',
      })
      .execute();
    const head = await t.deps.audit.head(t.deps.dbh.db);
    await t.deps.dbh.db.updateTable('audit_head').set({ seq: 999 }).execute();
    const units = async () => (await t.deps.dbh.db.selectFrom('units').select('id').execute()).length;
    const n = await units();
    await expect(uc.createUnit(t.deps, actor, { name: 'Phòng Y', code: 'PY', parentId: unitId })).rejects.toThrow();
    expect(await units()).toBe(n);
    await t.deps.dbh.db.updateTable('audit_head').set({ seq: head.seq }).execute();
  });
});
