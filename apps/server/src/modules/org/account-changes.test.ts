import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, createTestApp, databaseFingerprint, dialects, seedUser, USER_PASSWORD, withoutAudit, type TestApp } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from '../items/items-test-helpers';

// Issue 11, points 1 and 2: account administration never yields access to content, and
// clearances follow the grant table. Each attack as it was tried from outside, on both databases.

const DIALECTS = await dialects();

/** The database as fingerprinted, without the audit trail (a refusal is audited, nothing else changes). */
/** Signs in an account made by the administrator (temporary password) and sets its own. */
async function signInAs(t: TestApp, username: string) {
  const c = new Client(t.app, t.clock);
  await c.signIn(username, TEMP);
  expect((await c.post('/api/auth/password', { currentPassword: TEMP, newPassword: OWN })).statusCode).toBe(200);
  return c;
}

const TEMP = 'Tamthoi2026xyz';
const OWN = 'Cuaminh2026xyz';

describe.each(DIALECTS)('account changes wait for a second person on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  async function setup() {
    a = await startAgency(dialect);
    const admin = new Client(a.t.app, a.t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    return admin;
  }

  /** Signs in an account created or reset by the administrator and sets its own password. */
  async function signInNew(username: string, temp = TEMP) {
    const c = new Client(a.t.app, a.t.clock);
    await c.signIn(username, temp);
    const r = await c.post('/api/auth/password', { currentPassword: temp, newPassword: OWN });
    expect(r.statusCode, r.body).toBe(200);
    return c;
  }

  const pendingOf = async (viewer: Client, userId: string) =>
    (
      (await viewer.get('/api/account-changes?status=pending')).json().items as {
        id: string;
        kind: string;
        user: { id: string };
        canConfirm: boolean;
        waitingFor: string;
      }[]
    ).filter((c) => c.user.id === userId);

  it("(a) an administrator's security officer cannot grant, and an administrator's head cannot read, until confirmed", async () => {
    const admin = await setup();
    const { ids, as, t } = a;
    const itemId = await a.issued();
    const so2 = (
      await admin.post('/api/users', {
        username: 'baomat2',
        fullName: 'Bảo Mật Hai',
        unitId: ids.root,
        position: 'CV',
        roles: ['security_officer'],
        password: TEMP,
      })
    ).json();
    const head2 = (
      await admin.post('/api/users', {
        username: 'truongphong2',
        fullName: 'Trưởng Phòng Hai',
        unitId: ids.unitA,
        position: 'Phó trưởng phòng',
        roles: ['head'],
        password: TEMP,
      })
    ).json();
    expect(so2.hold).toEqual(['account']);
    expect(head2.hold).toEqual(['account']);
    // Even cleared (as if lawfully), the held head reads nothing of the unit's item.
    await t.deps.dbh.db.updateTable('users').set({ clearance: 'TOP_SECRET' }).where('id', '=', head2.id).execute();
    const fakeSo = await signInNew('baomat2');
    const me = (await fakeSo.get('/api/auth/session')).json().user;
    expect(me.hold).toEqual({ kinds: ['account'] });
    expect(me.permissions).not.toContain('org.user.clearance');
    expect((await fakeSo.post(`/api/users/${head2.id}/clearance`, { clearance: 'TOP_SECRET', reason: 'x', decisionRef: 'QĐ 1' })).json().error.code).toBe(
      'auth.forbidden',
    );
    expect((await fakeSo.get('/api/account-changes')).statusCode).toBe(403);
    const fakeHead = await signInNew('truongphong2');
    const refused = await fakeHead.get(`/api/items/${itemId}/content`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(SUMMARY);

    // The security officer and the agency head were told, and so was the person; no content.
    const notes = await t.deps.dbh.db.selectFrom('notifications').selectAll().where('kind', '=', 'account_change').execute();
    expect(notes.filter((n) => n.user_id === ids.so).length).toBe(2);
    expect(notes.filter((n) => n.user_id === ids.headR).length).toBe(1); // the security officer's account only
    expect(notes.filter((n) => n.user_id === head2.id).map((n) => n.message)[0]).toMatch(/tạm dừng, chờ xác nhận/);
    expect(JSON.stringify(notes)).not.toContain(SUMMARY);

    // Happy paths: the security officer confirms the head; the agency head confirms the security officer.
    const so = await as('baomat');
    const headChange = (await pendingOf(so, head2.id))[0]!;
    expect(headChange).toMatchObject({ kind: 'account', canConfirm: true, waitingFor: 'confirmer' });
    const soChange = (await pendingOf(so, so2.id))[0]!;
    expect(soChange.canConfirm).toBe(false);
    expect((await so.post(`/api/account-changes/${soChange.id}/confirm`, {})).json().error.code).toBe('org.change_not_confirmer');
    expect((await admin.post(`/api/account-changes/${headChange.id}/confirm`, {})).statusCode).toBe(403);
    const ok = await so.post(`/api/account-changes/${headChange.id}/confirm`, { note: 'Có quyết định bổ nhiệm' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', kind: 'account' });
    expect((await so.post(`/api/account-changes/${headChange.id}/confirm`, {})).json().error.code).toBe('org.change_already_decided');
    expect((await fakeHead.get(`/api/items/${itemId}/content`)).json().summary).toBe(SUMMARY);
    const agencyHead = await as('giamdoc');
    expect((await pendingOf(agencyHead, so2.id))[0]!.canConfirm).toBe(true);
    expect((await agencyHead.post(`/api/account-changes/${soChange.id}/confirm`, {})).statusCode).toBe(200);
    expect((await fakeSo.get('/api/auth/session')).json().user.hold).toBeNull();
    const actions = (
      await t.deps.dbh.db.selectFrom('audit_events').select('action').where('action', 'like', 'org.account_change.%').orderBy('seq').execute()
    ).map((r) => r.action);
    expect(actions).toEqual(['org.account_change.refused', 'org.account_change.confirmed', 'org.account_change.refused', 'org.account_change.confirmed']);
  });

  it('(b) a second head created in the agency by the administrator cannot approve a waiting proposal', async () => {
    const admin = await setup();
    const { ids, as } = a;
    const itemId = await a.draft();
    expect((await (await as('canboa')).post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    await admin.post('/api/users', { username: 'giamdoc2', fullName: 'Giám Đốc Giả', unitId: ids.root, position: 'Giám đốc', roles: ['head'], password: TEMP });
    const fake = await signInNew('giamdoc2');
    const r = await fake.post(`/api/items/${itemId}/approve`);
    expect(r.statusCode).toBe(403);
    expect((await a.t.deps.dbh.db.selectFrom('secret_items').select('state').where('id', '=', itemId).executeTakeFirstOrThrow()).state).toBe('proposed');
  });

  it('(c) a password and TOTP reset holds a cleared head until the person set their own and the security officer confirmed it is them', async () => {
    const admin = await setup();
    const { ids, as } = a;
    const itemId = await a.issued();
    expect((await (await as('truongphonga')).get(`/api/items/${itemId}/content`)).statusCode).toBe(200);
    expect((await admin.post(`/api/users/${ids.headA}/reset-password`, { newPassword: TEMP })).statusCode).toBe(200);
    const reset = await admin.post(`/api/users/${ids.headA}/reset-totp`);
    expect(reset.json().hold).toEqual(['identity']);
    const so = await as('baomat');
    const [change, ...more] = await pendingOf(so, ids.headA);
    expect(more).toEqual([]); // the TOTP reset superseded the password reset, keeping both
    expect(change).toMatchObject({ kind: 'identity', waitingFor: 'person', canConfirm: false });
    expect((await so.post(`/api/account-changes/${change!.id}/confirm`, { note: 'Đối chiếu trực tiếp CCCD' })).json().error.code).toBe(
      'org.change_person_not_ready',
    );
    // Whoever signs in with the reset password (the administrator who knows it) reads nothing.
    const signedIn = await signInNew('truongphonga');
    expect((await signedIn.get(`/api/items/${itemId}/content`)).statusCode).toBe(403);
    expect((await pendingOf(so, ids.headA))[0]).toMatchObject({ waitingFor: 'confirmer', canConfirm: true });
    expect((await so.post(`/api/account-changes/${change!.id}/confirm`, {})).json().error.code).toBe('org.change_note_required');
    expect((await so.post(`/api/account-changes/${change!.id}/confirm`, { note: 'Đối chiếu trực tiếp CCCD' })).statusCode).toBe(200);
    expect((await signedIn.get(`/api/items/${itemId}/content`)).json().summary).toBe(SUMMARY);
  });

  it('(c) a password reset of a cleared officer holding a copy holds the officer; a rejection closes the account', async () => {
    const admin = await setup();
    const { ids, as, t } = a;
    const itemId = await a.issued();
    await handCopyToOfficerA(itemId);
    expect((await (await as('canboa')).get(`/api/items/${itemId}/content`)).statusCode).toBe(200);
    await admin.post(`/api/users/${ids.officerA}/reset-password`, { newPassword: TEMP });
    const signedIn = await signInNew('canboa');
    expect((await signedIn.get(`/api/items/${itemId}/content`)).statusCode).toBe(403);
    const so = await as('baomat');
    const change = (await pendingOf(so, ids.officerA))[0]!;
    const r = await so.post(`/api/account-changes/${change.id}/reject`, { reason: 'Không phải người dùng này' });
    expect(r.json()).toMatchObject({ status: 'rejected', decisionNote: 'Không phải người dùng này' });
    expect((await t.deps.dbh.db.selectFrom('users').select('active').where('id', '=', ids.officerA).executeTakeFirstOrThrow()).active).toBe(0);
    expect((await signedIn.get('/api/auth/session')).json().authenticated).toBe(false);
    // Re-opened by the administrator, the account is held again until confirmed.
    expect((await admin.post(`/api/users/${ids.officerA}/activate`)).json()).toMatchObject({ active: true, hold: ['account'] });
  });

  it('(d) moving a cleared officer into another unit as its head opens nothing until confirmed', async () => {
    const admin = await setup();
    const { ids, as } = a;
    const itemId = await a.issued(); // unit A is a recipient: its head reads it
    const moved = await admin.patch(`/api/users/${ids.officerB}`, { unitId: ids.unitA, roles: ['head'] });
    expect(moved.json()).toMatchObject({ unitId: ids.unitA, roles: ['head'], hold: ['roles', 'unit'], clearance: 'TOP_SECRET' });
    const c = new Client(a.t.app, a.t.clock);
    await c.signIn('canbob', USER_PASSWORD);
    expect((await c.get(`/api/items/${itemId}/content`)).statusCode).toBe(403);
    expect((await c.get(`/api/units/${ids.unitA}/holdings`)).statusCode).toBe(403);
    const so = await as('baomat');
    const changes = await pendingOf(so, ids.officerB);
    expect(changes.map((x) => x.kind).sort()).toEqual(['roles', 'unit']);
    const list = (await so.get('/api/account-changes')).json().items as { kind: string; payload: unknown }[];
    expect(list.find((x) => x.kind === 'unit')!.payload).toEqual({ unitId: ids.unitA, unitName: 'Phòng Hợp tác quốc tế' });
    expect(list.find((x) => x.kind === 'roles')!.payload).toEqual({ roles: ['head'] });
    expect((await so.post(`/api/account-changes/${changes[0]!.id}/confirm`, {})).statusCode).toBe(200);
    expect((await c.get(`/api/items/${itemId}/content`)).statusCode).toBe(403); // still held by the other change
    expect((await so.post(`/api/account-changes/${changes[1]!.id}/confirm`, {})).statusCode).toBe(200);
    expect((await c.get(`/api/items/${itemId}/content`)).json().summary).toBe(SUMMARY);
  });

  it('(e) an officer holding a Tối mật copy cannot be deactivated: 409 with the copy listed, nothing changed', async () => {
    const admin = await setup();
    const { ids, t } = a;
    const itemId = await a.issued();
    await handCopyToOfficerA(itemId);
    const before = await databaseFingerprint(t.deps);
    const r = await admin.post(`/api/users/${ids.officerA}/deactivate`, { reason: 'Chuyển công tác' });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('org.user_holds_copies');
    expect(r.json().error.details.copies).toEqual([{ label: 'Bản số 1/3', level: 'SECRET', number: '1', symbol: 'KH-SNV' }]);
    expect(r.body).not.toContain(SUMMARY);
    expect(withoutAudit(await databaseFingerprint(t.deps))).toBe(withoutAudit(before));
    // The refusal is audited with its reason (ids and a count, no labels of the copies).
    const refused = await t.deps.dbh.db.selectFrom('audit_events').selectAll().where('action', '=', 'org.user.deactivate_refused').execute();
    expect(refused.map((e) => ({ actor: e.actor_id, subject: e.subject_id, details: JSON.parse(e.details!) }))).toEqual([
      { actor: ids.admin, subject: ids.officerA, details: { reason: 'org.user_holds_copies', copies: 1 } },
    ]);
    expect(JSON.stringify(refused)).not.toMatch(/Bản số|KH-SNV/);
  });

  it('a refused role or unit change is audited with its reason, and changes nothing else', async () => {
    const admin = await setup();
    const { ids, t } = a;
    const closed = t.deps.ids();
    const at = '2026-01-01T00:00:00.000Z';
    const unit = {
      id: closed,
      parent_id: ids.root,
      name: 'Phòng đã giải thể',
      code: 'GT',
      parent_body: null,
      closed_at: at,
      closed_reason: 'Sáp nhập',
      created_at: at,
    };
    await t.deps.dbh.db.insertInto('units').values(unit).execute();
    const before = await databaseFingerprint(t.deps);
    const code = async (id: string, body: object) => (await admin.patch(`/api/users/${id}`, body)).json().error?.code;
    expect(await code(ids.officerA, { roles: ['admin', 'officer'] })).toBe('org.roles_invalid');
    expect(await code(ids.officerA, { unitId: closed })).toBe('org.unit_closed');
    expect(await code(ids.admin, { roles: ['officer'] })).toBe('org.last_admin');
    expect(await code(ids.officerA, { unitId: ids.officerA })).toBe('org.unit_not_found'); // no unit: not a refusal of this account
    expect(withoutAudit(await databaseFingerprint(t.deps))).toBe(withoutAudit(before));
    const refused = await t.deps.dbh.db.selectFrom('audit_events').selectAll().where('action', '=', 'org.user.update_refused').orderBy('seq').execute();
    expect(refused.map((e) => ({ actor: e.actor_id, subject: e.subject_id, details: JSON.parse(e.details!) }))).toEqual([
      { actor: ids.admin, subject: ids.officerA, details: { roles: ['admin', 'officer'], reason: 'org.roles_invalid' } },
      { actor: ids.admin, subject: ids.officerA, details: { unitId: closed, reason: 'org.unit_closed' } },
      { actor: ids.admin, subject: ids.admin, details: { roles: ['officer'], reason: 'org.last_admin' } },
    ]);
  });

  it('a change that makes an agency head (the position created with, the head role given to its holder, the position given) is confirmed by the agency head, not the security officer', async () => {
    const admin = await setup();
    const { ids, as, t } = a;
    const so = await as('baomat');
    const agencyHead = await as('giamdoc');
    const positions = (await admin.get('/api/positions')).json().items as { id: string; kind: string }[];
    const agencyHeadPosition = positions.find((p) => p.kind === 'agency_head')!.id;
    // Issue 13: a head placed in the agency is not its head by that alone. A head created there
    // without a position is a deputy; a clerk given the head role keeps her position; a department
    // head moved there keeps his — the security officer confirms those as ordinary changes.
    const deputy = (
      await admin.post('/api/users', {
        username: 'phogiamdoc',
        fullName: 'Phó Giám Đốc',
        unitId: ids.root,
        position: 'Phó Giám đốc',
        roles: ['head'],
        password: TEMP,
      })
    ).json();
    expect(deputy.positionKind).toBe('deputy_agency_head');
    expect((await admin.patch(`/api/users/${ids.headA}`, { unitId: ids.root })).statusCode).toBe(200);
    expect((await admin.patch(`/api/users/${ids.officerB}`, { roles: ['head'] })).statusCode).toBe(200);
    for (const userId of [deputy.id, ids.headA, ids.officerB]) {
      const [change] = await pendingOf(so, userId);
      expect(change!.canConfirm, userId).toBe(true);
      expect((await pendingOf(agencyHead, userId))[0]!.canConfirm).toBe(false);
      expect((await so.post(`/api/account-changes/${change!.id}/confirm`, {})).statusCode).toBe(200);
    }
    // The clerk of the agency is given the agency head's position (no head role: it gives nothing
    // yet, the security officer confirms), then the head role: that makes an agency head.
    const toClerk = await admin.post(`/api/users/${ids.clerkR}/position`, { positionId: agencyHeadPosition, reason: 'Quyết định bổ nhiệm' });
    expect(toClerk.statusCode, toClerk.body).toBe(200);
    expect(toClerk.json()).toMatchObject({ user: { positionKind: 'agency_head', hold: ['position'] }, change: { status: 'pending' } });
    expect((await so.post(`/api/account-changes/${(await pendingOf(so, ids.clerkR))[0]!.id}/confirm`, {})).statusCode).toBe(200);
    expect((await admin.patch(`/api/users/${ids.clerkR}`, { roles: ['clerk', 'head'] })).statusCode).toBe(200);
    const created = (
      await admin.post('/api/users', {
        username: 'giamdoc2',
        fullName: 'Giám Đốc Hai',
        unitId: ids.root,
        position: 'Giám đốc',
        positionId: agencyHeadPosition,
        roles: ['head'],
        password: TEMP,
      })
    ).json();
    expect((await admin.post(`/api/users/${deputy.id}/position`, { positionId: agencyHeadPosition })).statusCode).toBe(200);
    const cases = [
      [created.id, 'account'],
      [ids.clerkR, 'roles'],
      [deputy.id, 'position'],
    ] as const;
    for (const [userId, kind] of cases) {
      const [change] = await pendingOf(so, userId);
      expect(change, kind).toMatchObject({ kind, canConfirm: false, waitingFor: 'confirmer' });
      expect((await so.post(`/api/account-changes/${change!.id}/confirm`, {})).json().error.code).toBe('org.change_not_confirmer');
      expect((await pendingOf(agencyHead, userId))[0]!.canConfirm).toBe(true);
    }
    // The agency head was told of each change that would make another agency head, and only of those.
    const told = await t.deps.dbh.db
      .selectFrom('notifications')
      .select('subject_id')
      .where('user_id', '=', ids.headR)
      .where('kind', '=', 'account_change')
      .execute();
    expect(told).toHaveLength(3);
    for (const [userId] of cases) {
      const change = (await pendingOf(agencyHead, userId))[0]!;
      expect((await agencyHead.post(`/api/account-changes/${change.id}/confirm`, {})).statusCode).toBe(200);
    }
  });

  it('a position that makes an agency head, rejected, is taken back; the position routes refuse what does not fit', async () => {
    const admin = await setup();
    const { ids, as, t } = a;
    const agencyHead = await as('giamdoc');
    const positions = (await admin.get('/api/positions')).json().items as { id: string; kind: string; name: string }[];
    expect(positions.map((p) => p.kind).sort()).toEqual(['agency_head', 'deputy_agency_head', 'deputy_unit_head', 'office_chief', 'staff', 'unit_head']);
    const byKind = (k: string) => positions.find((p) => p.kind === k)!.id;
    const deputy = (
      await admin.post('/api/users', {
        username: 'phogiamdoc',
        fullName: 'Phó Giám Đốc',
        unitId: ids.root,
        position: 'Phó Giám đốc',
        roles: ['head'],
        password: TEMP,
      })
    ).json();
    await (await as('baomat')).post(`/api/account-changes/${(await pendingOf(await as('baomat'), deputy.id))[0]!.id}/confirm`, {});
    // Refusals: an agency head position outside the agency, for an inspector, the same position again.
    await as('truongphonga');
    for (const [userId, positionId, code] of [
      [ids.headA, byKind('agency_head'), 'org.position_agency_head_outside_agency'],
      [ids.inspector, byKind('agency_head'), 'org.position_not_for_role'],
      [deputy.id, byKind('deputy_agency_head'), 'org.position_unchanged'],
      [deputy.id, '00000000-0000-4000-8000-000000000000', 'org.position_not_found'],
    ] as const) {
      const r = await admin.post(`/api/users/${userId}/position`, { positionId });
      expect([r.statusCode >= 400, r.json().error?.code]).toEqual([true, code]);
      expect(r.json().error.message).toMatch(/[àáảãạăâđêôơư]/i);
    }
    // Only the administrator sets positions; the agency head does not set them either.
    expect((await agencyHead.post(`/api/users/${deputy.id}/position`, { positionId: byKind('staff') })).json().error.code).toBe('auth.forbidden');
    // Made agency head, held meanwhile, rejected: the former position comes back.
    expect((await admin.post(`/api/users/${deputy.id}/position`, { positionId: byKind('agency_head') })).json().change).toMatchObject({ status: 'pending' });
    const [change] = await pendingOf(agencyHead, deputy.id);
    expect((await agencyHead.post(`/api/account-changes/${change!.id}/reject`, { reason: 'Chưa có quyết định bổ nhiệm' })).statusCode).toBe(200);
    const after = (await admin.get(`/api/users/${deputy.id}`)).json();
    expect(after).toMatchObject({ positionKind: 'deputy_agency_head', hold: [] });
    // A position that decides nothing applies at once, audited.
    const staff = await admin.post(`/api/users/${deputy.id}/position`, { positionId: byKind('staff') });
    expect(staff.json()).toMatchObject({ user: { positionKind: 'staff', hold: [] }, change: null });
    const audit = await t.deps.dbh.db.selectFrom('audit_events').select(['action']).where('subject_id', '=', deputy.id).execute();
    expect(audit.map((e) => e.action)).toEqual(expect.arrayContaining(['org.user.position_set', 'org.user.update_refused', 'org.account_change.rejected']));
    // The list of positions: created and renamed by the administrator, audited; names unique.
    const made = await admin.post('/api/positions', { name: 'Phó Chánh Văn phòng', kind: 'deputy_unit_head' });
    expect(made.statusCode, made.body).toBe(200);
    expect((await admin.post('/api/positions', { name: 'Phó Chánh Văn phòng', kind: 'staff' })).json().error.code).toBe('org.position_name_taken');
    expect((await admin.patch(`/api/positions/${made.json().id}`, { name: 'Phó Chánh Văn phòng Sở' })).json().name).toBe('Phó Chánh Văn phòng Sở');
    expect((await agencyHead.post('/api/positions', { name: 'X', kind: 'staff' })).json().error.code).toBe('auth.forbidden');
  });

  it('says when changes would wait for ever: no confirmed security officer, no agency head', async () => {
    const admin = await setup();
    const { ids, as, t } = a;
    const agencyHead = await as('giamdoc');
    const warningsOf = async (c: Client) => (await c.get('/api/account-changes')).json().warnings as string[];
    expect(await warningsOf(agencyHead)).toEqual([]);
    expect((await admin.get('/api/users')).json().warnings).toEqual([]);
    // The only security officer's identity is reset: held, they cannot confirm; the agency head is told why changes wait.
    expect((await admin.post(`/api/users/${ids.so}/reset-totp`)).statusCode).toBe(200);
    expect(await warningsOf(agencyHead)).toEqual(['no_security_officer']);
    // The administrator, who does not see the confirmers' list, reads it on the users list.
    expect((await admin.get('/api/users')).json().warnings).toEqual(['no_security_officer']);
    // The agency head can still confirm the security officer once the person enrolled TOTP again.
    const so = new Client(a.t.app, a.t.clock);
    await so.signIn('baomat', USER_PASSWORD);
    const change = (await pendingOf(agencyHead, ids.so))[0]!;
    expect(change.canConfirm).toBe(true);
    expect((await agencyHead.post(`/api/account-changes/${change.id}/confirm`, { note: 'Đối chiếu trực tiếp CCCD' })).statusCode).toBe(200);
    expect(await warningsOf(agencyHead)).toEqual([]);
    // A closed security officer, and no agency head either.
    await t.deps.dbh.db.updateTable('users').set({ active: 0 }).where('id', '=', ids.so).execute();
    expect(await warningsOf(agencyHead)).toEqual(['no_security_officer']);
    await t.deps.dbh.db.updateTable('users').set({ active: 1 }).where('id', '=', ids.so).execute();
    await t.deps.dbh.db.updateTable('users').set({ unit_id: ids.unitA }).where('id', '=', ids.headR).execute();
    await so.signIn('baomat', USER_PASSWORD);
    expect(await warningsOf(so)).toEqual(['no_agency_head']);
  });

  /** The agency's clerk sent copy 1/3 to unit A: A's clerk signs for it and hands it to officer A. */
  async function handCopyToOfficerA(itemId: string) {
    const { as, t, ids } = a;
    const clerkA = await as('vanthua');
    const pending = (await clerkA.get('/api/my/copies')).json().pending as { eventId: string }[];
    expect((await clerkA.post(`/api/custody/${pending[0]!.eventId}/confirm`)).statusCode).toBe(200);
    const copy = await t.deps.dbh.db
      .selectFrom('copies')
      .select('id')
      .where('item_id', '=', itemId)
      .where('label', '=', 'Bản số 1/3')
      .executeTakeFirstOrThrow();
    const handed = await clerkA.post('/api/custody/hand-over', { copyIds: [copy.id], to: { kind: 'user', id: ids.officerA } });
    expect(handed.statusCode, handed.body).toBe(200);
    expect((await (await as('canboa')).post(`/api/custody/${handed.json().eventId}/confirm`)).statusCode).toBe(200);
  }
});

describe.each(DIALECTS)('clearance grant table on %s', (dialect) => {
  let a: Agency | undefined;
  afterEach(async () => {
    await a?.t.cleanup();
    a = undefined;
  });
  const ref = { reason: 'Được giao nhiệm vụ', decisionRef: 'QĐ 15/QĐ-SNV' };

  it('a department head grants nothing; nobody grants above their own; the agency head and SO are changed by the agency head only', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const before = await databaseFingerprint(t.deps);
    const deptHead = await as('truongphonga');
    const code = async (c: Client, id: string, clearance: string, body: object = ref) =>
      (await c.post(`/api/users/${id}/clearance`, { clearance, ...body })).json().error?.code;
    expect(await code(deptHead, ids.lowA, 'TOP_SECRET')).toBe('org.clearance_not_granter');
    expect(await code(deptHead, ids.officerB, 'TOP_SECRET')).toBe('org.clearance_not_granter');
    expect(await code(deptHead, ids.headR, 'NONE')).toBe('org.clearance_not_granter');
    expect(await code(deptHead, ids.so, 'NONE')).toBe('org.clearance_not_granter');
    // A security officer with no clearance grants nothing; one cleared Tối mật not Tuyệt mật.
    await t.deps.dbh.db.updateTable('users').set({ clearance: 'NONE' }).where('id', '=', ids.so).execute();
    const so = await as('baomat');
    expect(await code(so, ids.lowA, 'TOP_SECRET')).toBe('org.clearance_above_own');
    await t.deps.dbh.db.updateTable('users').set({ clearance: 'SECRET' }).where('id', '=', ids.so).execute();
    expect(await code(so, ids.lowA, 'TOP_SECRET')).toBe('org.clearance_above_own');
    expect(await code(so, ids.officerB, 'CONFIDENTIAL')).toBe('org.clearance_above_own'); // officer B holds Tuyệt mật
    await t.deps.dbh.db.updateTable('users').set({ clearance: 'TOP_SECRET' }).where('id', '=', ids.so).execute();
    expect(await code(so, ids.headR, 'NONE')).toBe('org.clearance_protected');
    // Reason and decision reference are required.
    expect((await so.post(`/api/users/${ids.lowA}/clearance`, { clearance: 'SECRET', reason: 'x' })).statusCode).toBe(400);
    expect((await so.post(`/api/users/${ids.lowA}/clearance`, { clearance: 'SECRET', reason: 'x', decisionRef: '  ' })).statusCode).toBe(400);
    await t.deps.dbh.db.updateTable('users').set({ clearance: 'SECRET' }).where('id', '=', ids.so).execute();
    const after = await databaseFingerprint(t.deps);
    const noSessions = (f: string) => withoutAudit(f).replace(/ sessions=\d+/, ''); // the sign-ins above
    expect(noSessions(after)).toBe(noSessions(before));
    // Each refusal of the grant table is audited with its reason and the level asked (Zod's 400s never reach the table).
    const refused = await t.deps.dbh.db.selectFrom('audit_events').selectAll().where('action', '=', 'org.user.clearance_refused').orderBy('seq').execute();
    expect(refused.map((e) => [e.actor_id, e.subject_id, JSON.parse(e.details!)])).toEqual([
      [ids.headA, ids.lowA, { to: 'TOP_SECRET', reason: 'org.clearance_not_granter' }],
      [ids.headA, ids.officerB, { to: 'TOP_SECRET', reason: 'org.clearance_not_granter' }],
      [ids.headA, ids.headR, { to: 'NONE', reason: 'org.clearance_not_granter' }],
      [ids.headA, ids.so, { to: 'NONE', reason: 'org.clearance_not_granter' }],
      [ids.so, ids.lowA, { to: 'TOP_SECRET', reason: 'org.clearance_above_own' }],
      [ids.so, ids.lowA, { to: 'TOP_SECRET', reason: 'org.clearance_above_own' }],
      [ids.so, ids.officerB, { to: 'CONFIDENTIAL', reason: 'org.clearance_above_own' }],
      [ids.so, ids.headR, { to: 'NONE', reason: 'org.clearance_protected' }],
    ]);
  });

  it('a lowering applies at once and tells the person, the security officers, and the agency head when a security officer is concerned', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const so2 = await seedUser(t.deps, { username: 'baomat2', unitId: ids.root, roles: ['security_officer'], clearance: 'TOP_SECRET' });
    await a.issued(); // an item exists: its summary must appear in no notice
    const notes = async () => {
      const rows = await t.deps.dbh.db
        .selectFrom('notifications')
        .select(['user_id', 'message', 'subject_type', 'subject_id'])
        .where('kind', '=', 'account_change')
        .execute();
      await t.deps.dbh.db.deleteFrom('notifications').execute();
      return rows;
    };
    // The security officer lowers an officer: the officer, the other security officer and the agency head are told.
    const so = await as('baomat');
    expect((await so.post(`/api/users/${ids.officerA}/clearance`, { clearance: 'CONFIDENTIAL', ...ref })).json().change.status).toBe('applied');
    const first = await notes();
    expect(first.map((n) => n.user_id).sort()).toEqual([ids.headR, ids.officerA, so2].sort());
    expect(first.find((n) => n.user_id === ids.officerA)).toMatchObject({
      message: 'Tài khoản của bạn: hạ mức tiếp cận từ Tối mật xuống Mật. Có hiệu lực ngay.',
      subject_type: 'user',
      subject_id: ids.officerA,
    });
    expect(first.find((n) => n.user_id === so2)!.message).toBe(
      'Tài khoản của Người dùng canboa (canboa, Phòng Hợp tác quốc tế): hạ mức tiếp cận từ Tối mật xuống Mật. Đã có hiệu lực.',
    );
    expect(JSON.stringify(first)).not.toContain(SUMMARY);
    // The agency head lowers a security officer: the person and the other security officer are told.
    expect((await (await as('giamdoc')).post(`/api/users/${so2}/clearance`, { clearance: 'SECRET', ...ref })).json().change.status).toBe('applied');
    expect((await notes()).map((n) => n.user_id).sort()).toEqual([ids.so, so2].sort());
  });

  it('a new agency gets going: the agency head of the set-up confirms the first security officer and decides her clearance at once', async () => {
    // Nothing seeded: the agency as the set-up page makes it (administrator + agency head), then the
    // administrator's security officer and officer, as in the browser story.
    const t: TestApp = await createTestApp(dialect);
    try {
      const c = new Client(t.app, t.clock);
      const HEAD_PW = 'Giamdoc2026abc';
      const setup = await c.post('/api/setup', {
        agency: { name: 'Sở Tư pháp', code: 'STP', parentBody: 'UBND tỉnh' },
        admin: { username: 'quantri', fullName: 'Quản Trị', position: 'Chuyên viên', password: ADMIN_PASSWORD },
        head: { username: 'giamdoc', fullName: 'Giám Đốc', position: 'Giám đốc', password: HEAD_PW },
      });
      expect(setup.statusCode, setup.body).toBe(200);
      const admin = new Client(t.app, t.clock);
      await admin.signIn('quantri', ADMIN_PASSWORD);
      const root = (await admin.get('/api/units')).json().items[0].id as string;
      const mk = async (username: string, roles: string[]) =>
        (await admin.post('/api/users', { username, fullName: username, unitId: root, position: 'CV', roles, password: TEMP })).json().id as string;
      const soId = await mk('baomat', ['security_officer']);
      const officerId = await mk('canbo', ['officer']);
      const head = new Client(t.app, t.clock);
      await head.signIn('giamdoc', HEAD_PW);
      expect((await head.post('/api/auth/password', { currentPassword: HEAD_PW, newPassword: OWN })).statusCode).toBe(200);
      const soAccount = (await head.get('/api/account-changes')).json().items.find((x: { user: { id: string } }) => x.user.id === soId);
      expect((await head.post(`/api/account-changes/${soAccount.id}/confirm`, { note: 'Gặp trực tiếp' })).statusCode).toBe(200);
      // The agency head decides the security officer's clearance: in force at once (no one else could confirm it).
      const given = await head.post(`/api/users/${soId}/clearance`, { clearance: 'SECRET', reason: 'Cán bộ bảo mật', decisionRef: 'QĐ 1/QĐ-STP' });
      expect(given.json()).toMatchObject({ user: { clearance: 'SECRET', pendingClearance: null }, change: { status: 'applied' } });
      const told = await t.deps.dbh.db.selectFrom('notifications').select('message').where('user_id', '=', soId).where('kind', '=', 'account_change').execute();
      expect(told.map((n) => n.message)).toContain(
        'Tài khoản của bạn: cho phép tiếp cận bí mật nhà nước độ Tối mật theo quyết định của Thủ trưởng cơ quan. Có hiệu lực ngay.',
      );
      // The security officer confirms the officer's account and asks for a clearance, which waits for the agency head.
      const so = await signInAs(t, 'baomat');
      const officerAccount = (await so.get('/api/account-changes')).json().items.find((x: { user: { id: string } }) => x.user.id === officerId);
      expect((await so.post(`/api/account-changes/${officerAccount.id}/confirm`, {})).statusCode).toBe(200);
      const asked = await so.post(`/api/users/${officerId}/clearance`, { clearance: 'CONFIDENTIAL', reason: 'Soạn thảo', decisionRef: 'QĐ 2/QĐ-STP' });
      expect(asked.json()).toMatchObject({ user: { clearance: 'NONE', pendingClearance: 'CONFIDENTIAL' }, change: { status: 'pending' } });
      expect((await so.post(`/api/account-changes/${asked.json().change.id}/confirm`, {})).json().error.code).toBe('org.change_self');
      expect((await head.post(`/api/account-changes/${asked.json().change.id}/confirm`, {})).statusCode).toBe(200);
      expect((await head.get(`/api/users/${officerId}`)).json()).toMatchObject({ clearance: 'CONFIDENTIAL', pendingClearance: null });
      // A second security officer's clearance is the agency head's decision alone: her colleague is refused.
      const so2Id = await mk('baomat2', ['security_officer']);
      const so2Account = (await head.get('/api/account-changes')).json().items.find((x: { user: { id: string } }) => x.user.id === so2Id);
      expect((await head.post(`/api/account-changes/${so2Account.id}/confirm`, { note: 'x' })).statusCode).toBe(200);
      expect((await so.post(`/api/users/${so2Id}/clearance`, { clearance: 'CONFIDENTIAL', reason: 'x', decisionRef: 'QĐ 3' })).json().error.code).toBe(
        'org.clearance_protected',
      );
    } finally {
      await t.cleanup();
    }
  });

  it("a raise waits for the second person (the agency head for the security officer's request); a lowering applies at once", async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const so = await as('baomat');
    const raise = await so.post(`/api/users/${ids.lowA}/clearance`, { clearance: 'SECRET', ...ref });
    expect(raise.json()).toMatchObject({ user: { clearance: 'CONFIDENTIAL', pendingClearance: 'SECRET' }, change: { status: 'pending' } });
    const head = await as('giamdoc');
    const list = (await head.get('/api/account-changes')).json();
    expect(list).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(list.items[0]).toMatchObject({
      kind: 'clearance',
      payload: { clearance: 'SECRET', fromClearance: 'CONFIDENTIAL' },
      decisionRef: ref.decisionRef,
      reason: ref.reason,
      canConfirm: true,
    });
    expect((await so.post(`/api/account-changes/${raise.json().change.id}/confirm`, {})).json().error.code).toBe('org.change_self');
    // A confirmer not cleared for the level cannot confirm it.
    await t.deps.dbh.db.updateTable('users').set({ clearance: 'CONFIDENTIAL' }).where('id', '=', ids.headR).execute();
    expect((await head.post(`/api/account-changes/${raise.json().change.id}/confirm`, {})).json().error.code).toBe('org.change_clearance_insufficient');
    await t.deps.dbh.db.updateTable('users').set({ clearance: 'TOP_SECRET' }).where('id', '=', ids.headR).execute();
    expect((await head.post(`/api/account-changes/${raise.json().change.id}/confirm`, {})).statusCode).toBe(200);
    expect((await so.get(`/api/users/${ids.lowA}`)).json()).toMatchObject({ clearance: 'SECRET', pendingClearance: null });
    const lower = await so.post(`/api/users/${ids.lowA}/clearance`, { clearance: 'NONE', ...ref });
    expect(lower.json()).toMatchObject({ user: { clearance: 'NONE' }, change: { status: 'applied' } });
    // Only the agency head lowers the security officer.
    expect((await head.post(`/api/users/${ids.so}/clearance`, { clearance: 'SECRET', ...ref })).json().change.status).toBe('applied');
  });
});
