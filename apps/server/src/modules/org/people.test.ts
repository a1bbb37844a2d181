import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, databaseFingerprint, dialects } from '../../test/harness';
import { startAgency, type Agency } from '../items/items-test-helpers';
import { insertNewUser } from './org.usecases';

const DIALECTS = await dialects();

interface Person {
  id: string;
  fullName: string;
  unitId: string;
  unitName: string;
  position: string;
  held: boolean;
  cleared?: boolean;
}

describe.each(DIALECTS)('people directory on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  it('an officer finds colleagues by name without diacritics; never usernames, roles or clearance values', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    await t.deps.dbh.db.updateTable('users').set({ full_name: 'Nguyễn Thị Đào' }).where('id', '=', ids.colleagueA).execute();
    await t.deps.dbh.db.updateTable('users').set({ full_name: 'Đặng Văn Nam' }).where('id', '=', ids.officerB).execute();
    await t.deps.dbh.db.updateTable('users').set({ full_name: 'Trần Văn An' }).where('id', '=', ids.officerA).execute();
    const officer = await as('canboa');
    // An officer may not list users...
    expect((await officer.get('/api/users')).json().error.code).toBe('auth.forbidden');
    // ...but finds people to send to.
    const all = await officer.get('/api/people');
    expect(all.statusCode, all.body).toBe(200);
    const people = all.json().people as Person[];
    // Active people who work with secrets: not the admin, not the inspector.
    expect(people.map((p) => p.id).sort()).toEqual(
      [ids.headR, ids.clerkR, ids.so, ids.headA, ids.clerkA, ids.officerA, ids.colleagueA, ids.lowA, ids.headB, ids.clerkB, ids.officerB].sort(),
    );
    expect(people.map((p) => p.id)).not.toContain(ids.admin);
    expect(people.map((p) => p.id)).not.toContain(ids.inspector);
    // By unit (Vietnamese order: Phòng Hợp tác quốc tế, Phòng Lãnh sự, Sở Ngoại vụ…), then name.
    expect([...new Set(people.map((p) => p.unitName))]).toEqual(['Phòng Hợp tác quốc tế', 'Phòng Lãnh sự', 'Sở Ngoại vụ tỉnh Thử nghiệm']);
    expect(people.filter((p) => p.unitId === ids.unitB).map((p) => p.fullName)).toEqual(['Đặng Văn Nam', 'Người dùng truongphongb', 'Người dùng vanthub']);
    for (const p of people) expect(Object.keys(p).sort()).toEqual(['fullName', 'held', 'id', 'position', 'unitId', 'unitName']);
    const body = all.body;
    for (const leak of ['canboa', 'username', 'roles', 'clearance', 'SECRET', 'argon2', 'totp', 'password']) expect(body).not.toContain(leak);

    const find = async (qs: string) => ((await officer.get(`/api/people?${qs}`)).json().people as Person[]).map((p) => p.fullName);
    expect(await find(`q=${encodeURIComponent('nguyen thi dao')}`)).toEqual(['Nguyễn Thị Đào']);
    expect(await find(`q=${encodeURIComponent('ĐÀO')}`)).toEqual(['Nguyễn Thị Đào']);
    expect(await find(`q=${encodeURIComponent('dang  nam')}`)).toEqual(['Đặng Văn Nam']);
    expect(await find(`q=dao&unitId=${ids.unitB}`)).toEqual([]);
    expect(await find(`unitId=${ids.unitB}`)).toEqual(['Đặng Văn Nam', 'Người dùng truongphongb', 'Người dùng vanthub']);
    expect(await find('q=thanhtra')).toEqual([]);
    expect(await find('q=admin')).toEqual([]);
    // Usernames are not searchable either.
    expect(await find('q=canbob')).toEqual([]);

    // With a level, whether each person is cleared for it — not their clearance.
    const cleared = (await officer.get(`/api/people?level=SECRET&unitId=${ids.unitA}`)).json().people as Person[];
    expect(Object.fromEntries(cleared.map((p) => [p.id, p.cleared]))).toEqual({
      [ids.headA]: true,
      [ids.clerkA]: true,
      [ids.officerA]: true,
      [ids.colleagueA]: true,
      [ids.lowA]: false,
    });
    const top = (await officer.get(`/api/people?level=TOP_SECRET&unitId=${ids.unitA}`)).json().people as Person[];
    expect(top.filter((p) => p.cleared).map((p) => p.id)).toEqual([ids.headA]);

    // A deactivated person disappears.
    await t.deps.dbh.db.updateTable('users').set({ active: 0 }).where('id', '=', ids.colleagueA).execute();
    expect(await find('q=dao')).toEqual([]);
  });

  it('offers a held person as held and not cleared, and refuses to hand them a copy', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const itemId = await a.issued(); // copy 1/3 (Tối mật) is on its way to unit A
    const clerkA = await as('vanthua');
    const pending = (await clerkA.get('/api/my/copies')).json().pending as { eventId: string }[];
    expect((await clerkA.post(`/api/custody/${pending[0]!.eventId}/confirm`)).statusCode).toBe(200);
    // The administrator resets officer A's password: the account is held until confirmed.
    const admin = new Client(t.app, t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    expect((await admin.post(`/api/users/${ids.officerA}/reset-password`, { newPassword: 'Tamthoi2026xyz' })).json().hold).toEqual(['identity']);
    const people = (await clerkA.get(`/api/people?level=SECRET&unitId=${ids.unitA}`)).json().people as Person[];
    expect(Object.fromEntries(people.map((p) => [p.id, [p.held, p.cleared]]))).toEqual({
      [ids.headA]: [false, true],
      [ids.clerkA]: [false, true],
      [ids.officerA]: [true, false], // cleared Tối mật, but could not open it now
      [ids.colleagueA]: [false, true],
      [ids.lowA]: [false, false],
    });
    expect(((await clerkA.get(`/api/people?unitId=${ids.unitA}`)).json().people as Person[]).find((p) => p.id === ids.officerA)).toMatchObject({ held: true });
    expect((await clerkA.get(`/api/people?unitId=${ids.unitA}`)).json().people.find((p: Person) => p.id === ids.officerA).cleared).toBeUndefined();
    // Handing the copy to the held person is refused with a clear error, and changes nothing.
    const copy = await t.deps.dbh.db
      .selectFrom('copies')
      .select('id')
      .where('item_id', '=', itemId)
      .where('label', '=', 'Bản số 1/3')
      .executeTakeFirstOrThrow();
    const before = await databaseFingerprint(t.deps);
    const r = await clerkA.post('/api/custody/hand-over', { copyIds: [copy.id], to: { kind: 'user', id: ids.officerA } });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({ code: 'org.receiver_held', message: expect.stringMatching(/tạm dừng quyền làm việc với bí mật nhà nước/) });
    expect(await databaseFingerprint(t.deps)).toBe(before);
    // To someone not held, the same hand-over goes through.
    expect((await clerkA.post('/api/custody/hand-over', { copyIds: [copy.id], to: { kind: 'user', id: ids.colleagueA } })).statusCode).toBe(200);
  });

  it('is capped at 50 people', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    for (let i = 0; i < 55; i++) {
      await insertNewUser(t.deps, t.deps.dbh.db, {
        username: `cb${i}`,
        fullName: `Cán bộ ${String(i).padStart(2, '0')}`,
        unitId: ids.unitB,
        position: 'Chuyên viên',
        roles: ['officer'],
        password: 'Matkhau2026x',
        clearance: 'CONFIDENTIAL',
        mustChangePassword: false,
      });
    }
    const people = (await (await as('vanthub')).get(`/api/people?unitId=${ids.unitB}`)).json().people as Person[];
    expect(people).toHaveLength(50);
    expect(people[0]!.fullName).toBe('Cán bộ 00');
  });

  it('refuses the inspector and the administrator, and bad filters', async () => {
    a = await startAgency(dialect);
    const { as } = a;
    const inspector = await as('thanhtra');
    expect((await inspector.get('/api/people')).statusCode).toBe(403);
    expect((await inspector.get('/api/people')).json().error.code).toBe('auth.forbidden');
    const admin = new Client(a.t.app, a.t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    expect((await admin.get('/api/people')).json().error.code).toBe('auth.forbidden');
    expect((await new Client(a.t.app, a.t.clock).get('/api/people')).statusCode).toBe(401);
    const officer = await as('canboa');
    expect((await officer.get('/api/people?level=HIGH')).statusCode).toBe(400);
    expect((await officer.get('/api/people?unitId=a%20b')).statusCode).toBe(400);
    expect((await officer.get(`/api/people?q=${'x'.repeat(101)}`)).statusCode).toBe(400);
    expect((await officer.get('/api/people?username=canboa')).statusCode).toBe(400);
  });
});
