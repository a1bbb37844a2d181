import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, createTestApp, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../../test/harness';

const DIALECTS = await dialects();

describe.each(DIALECTS)('auth over HTTP on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function start() {
    t = await createTestApp(dialect);
    const seeded = await seedAgency(t.deps);
    return { ...seeded, client: new Client(t.app, t.clock) };
  }

  it('set-up page flow: status → set-up → TOTP enrolment → full session', async () => {
    t = await createTestApp(dialect);
    const c = new Client(t.app, t.clock);
    expect((await c.get('/api/setup/status')).json()).toEqual({ initialized: false });
    const agency = { name: 'Sở Ngoại vụ', code: 'SNV', parentBody: 'UBND tỉnh' };
    const adminBody = { username: 'QuanTri', fullName: 'Quản Trị', position: 'Chuyên viên', password: ADMIN_PASSWORD };
    const head = { username: 'GiamDoc', fullName: 'Lê Hoàng Sơn', position: 'Giám đốc Sở', password: 'Thutruong2026x' };
    // Issue 11: the set-up creates the agency head too (the first confirmer); without one, or
    // with the administrator as head, nothing is set up.
    expect((await c.post('/api/setup', { agency, admin: adminBody })).statusCode).toBe(400);
    expect((await c.post('/api/setup', { agency, admin: adminBody, head: { ...head, username: 'quantri' } })).statusCode).toBe(400);
    expect((await c.get('/api/setup/status')).json()).toEqual({ initialized: false });
    const res = await c.post('/api/setup', { agency, admin: adminBody, head });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ authenticated: true, stage: 'enrol', user: { username: 'quantri', roles: ['admin'], hold: null } });
    const headRow = await t.deps.dbh.db
      .selectFrom('users')
      .innerJoin('units', 'units.id', 'users.unit_id')
      .selectAll('users')
      .select('units.parent_id')
      .where('username', '=', 'giamdoc')
      .executeTakeFirstOrThrow();
    expect(headRow).toMatchObject({ clearance: 'TOP_SECRET', must_change_password: 1, parent_id: null, full_name: 'Lê Hoàng Sơn' });
    expect((await t.deps.dbh.db.selectFrom('user_roles').select('role').where('user_id', '=', headRow.id).execute()).map((r) => r.role)).toEqual(['head']);
    expect(await t.deps.dbh.db.selectFrom('account_changes').selectAll().execute()).toEqual([]);
    const setupEvent = await t.deps.dbh.db.selectFrom('audit_events').select('details').where('action', '=', 'setup.completed').executeTakeFirstOrThrow();
    expect(JSON.parse(setupEvent.details)).toMatchObject({ admin: 'quantri', head: 'giamdoc', headId: headRow.id });
    const cookie = res.headers['set-cookie']!.toString();
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    // Before enrolment nothing else is reachable.
    expect((await c.get('/api/units')).statusCode).toBe(401);
    const en = await c.post('/api/auth/totp/enrolment');
    expect(en.json().qrSvg).toMatch(/^<svg/);
    expect(en.json().qrSvg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    c.totpSecret = en.json().secret;
    expect((await c.post('/api/auth/totp/enrolment/confirm', { code: '000000' })).statusCode).toBe(401);
    const ok = await c.post('/api/auth/totp/enrolment/confirm', { code: c.totpCode() });
    expect(ok.json()).toMatchObject({ stage: 'full', user: { totpEnabled: true } });
    expect((await c.get('/api/units')).statusCode).toBe(200);
    expect((await c.get('/api/setup/status')).json()).toEqual({ initialized: true });
    // A second set-up is refused.
    const again = await new Client(t.app, t.clock).post('/api/setup', {
      agency: { name: 'X', code: 'X', parentBody: 'Y' },
      admin: { username: 'other', fullName: 'O', position: 'P', password: ADMIN_PASSWORD },
      head: { username: 'other2', fullName: 'O', position: 'P', password: ADMIN_PASSWORD },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('setup.already_done');
  });

  it('logs in with password then TOTP; replayed and wrong codes are refused; logout ends the session', async () => {
    const { client: c } = await start();
    await c.signIn('admin', ADMIN_PASSWORD);
    await c.post('/api/auth/logout');
    expect((await c.get('/api/auth/session')).json()).toEqual({ authenticated: false });
    const secret = c.totpSecret;
    const res = await c.post('/api/auth/login', { username: 'ADMIN', password: ADMIN_PASSWORD });
    expect(res.json().stage).toBe('totp');
    expect((await c.get('/api/units')).json().error.code).toBe('auth.totp_required');
    // The code just used at enrolment is a replay.
    c.totpSecret = secret;
    expect((await c.post('/api/auth/totp', { code: c.totpCode() })).json().error.code).toBe('auth.totp_invalid');
    t.clock.advance(30_000);
    expect((await c.post('/api/auth/totp', { code: c.totpCode() })).json().stage).toBe('full');
  });

  it('an officer needs no TOTP; a wrong password is a generic error', async () => {
    const { unitId, client: c } = await start();
    await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'] });
    const bad = await c.post('/api/auth/login', { username: 'canbo', password: 'sai-mat-khau-1' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error).toMatchObject({ code: 'auth.invalid_credentials' });
    const unknown = await c.post('/api/auth/login', { username: 'khongco', password: 'sai-mat-khau-1' });
    expect(unknown.json().error.code).toBe('auth.invalid_credentials');
    expect((await c.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD })).json().stage).toBe('full');
  });

  it('a new sign-in ends the session the browser presented, so a planted session id does not outlive it', async () => {
    const { unitId, client: c } = await start();
    await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'] });
    await seedUser(t.deps, { username: 'canbo2', unitId, roles: ['officer'] });
    expect((await c.post('/api/auth/login', { username: 'canbo2', password: USER_PASSWORD })).statusCode).toBe(200);
    const planted = c.cookie!;
    const other = new Client(t.app, t.clock);
    other.cookie = planted;
    expect((await other.get('/api/units')).statusCode).toBe(200);
    // The same browser signs in again (as someone else): the session it carried is gone.
    expect((await c.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD })).statusCode).toBe(200);
    expect(c.cookie).not.toBe(planted);
    expect((await other.get('/api/units')).statusCode).toBe(401);
    expect((await c.get('/api/auth/session')).json()).toMatchObject({ user: { username: 'canbo' } });
  });

  it('locks the account for 15 minutes after 5 failures', async () => {
    const { unitId, client: c } = await start();
    await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'] });
    for (let i = 0; i < 4; i++) expect((await c.post('/api/auth/login', { username: 'canbo', password: 'wrong-pass-1' })).statusCode).toBe(401);
    const fifth = await c.post('/api/auth/login', { username: 'canbo', password: 'wrong-pass-1' });
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.code).toBe('auth.account_locked');
    // Even the right password is refused while locked.
    expect((await c.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD })).json().error.code).toBe('auth.account_locked');
    t.clock.advance(14 * 60_000);
    expect((await c.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD })).statusCode).toBe(429);
    t.clock.advance(60_000 + 1);
    expect((await c.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD })).statusCode).toBe(200);
    const actions = await t.deps.dbh.db.selectFrom('audit_events').select('action').orderBy('seq').execute();
    expect(actions.map((a) => a.action)).toContain('auth.account_locked');
  });

  it('expires a session after 15 idle minutes and after 8 hours in all', async () => {
    const { unitId, client: c } = await start();
    await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'] });
    await c.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD });
    t.clock.advance(14 * 60_000);
    expect((await c.get('/api/units')).statusCode).toBe(200);
    t.clock.advance(15 * 60_000 + 1);
    expect((await c.get('/api/units')).statusCode).toBe(401);
    await c.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD });
    for (let h = 0; h < 8 * 6; h++) {
      t.clock.advance(10 * 60_000);
      const r = await c.get('/api/auth/session');
      if (h < 8 * 6 - 1) expect(r.json().authenticated).toBe(true);
      else expect(r.json().authenticated).toBe(false);
    }
  });

  it('refuses a state change without the CSRF token, or with another session’s token', async () => {
    const { client: c } = await start();
    await c.signIn('admin', ADMIN_PASSWORD);
    const units = (await c.get('/api/units')).json().items;
    const body = { name: 'Phòng Thử', code: 'PT', parentId: units[0].id };
    const token = c.csrf;
    c.csrf = undefined;
    const res = await c.post('/api/units', body);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.csrf_invalid');
    c.csrf = 'x'.repeat(token!.length);
    expect((await c.post('/api/units', body)).statusCode).toBe(403);
    c.csrf = token;
    expect((await c.post('/api/units', body)).statusCode).toBe(200);
  });

  it('forces a password change before anything else, and ends other sessions', async () => {
    const { client: admin } = await start();
    await admin.signIn('admin', ADMIN_PASSWORD);
    const unitId = (await admin.get('/api/units')).json().items[0].id;
    const created = await admin.post('/api/users', {
      username: 'canbo2',
      fullName: 'Cán Bộ Hai',
      unitId,
      position: 'Chuyên viên',
      roles: ['officer'],
      password: 'Tamthoi2026x',
    });
    expect(created.statusCode).toBe(200);
    const u = new Client(t.app, t.clock);
    expect((await u.post('/api/auth/login', { username: 'canbo2', password: 'Tamthoi2026x' })).json().user.mustChangePassword).toBe(true);
    expect((await u.get('/api/units')).json().error.code).toBe('auth.password_change_required');
    expect((await u.post('/api/auth/password', { currentPassword: 'Tamthoi2026x', newPassword: 'short' })).json().error.code).toBe('auth.password_too_weak');
    expect((await u.post('/api/auth/password', { currentPassword: 'sai', newPassword: 'Moi2026abcdef' })).json().error.code).toBe(
      'auth.wrong_current_password',
    );
    expect((await u.post('/api/auth/password', { currentPassword: 'Tamthoi2026x', newPassword: 'Moi2026abcdef' })).statusCode).toBe(200);
    // Past the password change; the new officer's account waits for the security officer (issue 11),
    // so their own notices are reachable and the session says why the rest is not.
    expect((await u.get('/api/notifications')).statusCode).toBe(200);
    expect((await u.get('/api/auth/session')).json().user.hold).toEqual({ kinds: ['account'] });
  });

  /** Who a session cookie belongs to now: the session state it opens, and whether it reaches /api/units. */
  async function probe(cookie: string) {
    const headers = { cookie: `khomat_sid=${cookie}` };
    const state = (await t.app.inject({ method: 'GET', url: '/api/auth/session', headers })).json();
    const units = (await t.app.inject({ method: 'GET', url: '/api/units', headers })).statusCode;
    return { state, units };
  }

  const sessionsOf = async (userId: string) => {
    const rows = await t.deps.dbh.db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute();
    return rows.map((r) => r.id);
  };

  it('issues a new session id and CSRF token when the TOTP step completes; the cookie from before no longer works', async () => {
    const { userId, client: c } = await start();
    await c.signIn('admin', ADMIN_PASSWORD);
    await c.post('/api/auth/logout');
    t.clock.advance(30_000);
    await c.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const [before, csrfBefore] = [c.cookie!, c.csrf!];
    expect(await sessionsOf(userId)).toHaveLength(1);
    const res = await c.post('/api/auth/totp', { code: c.totpCode() });
    expect(res.json()).toMatchObject({ stage: 'full' });
    expect(c.cookie).toBeDefined();
    expect(c.cookie).not.toBe(before);
    expect(res.json().csrfToken).not.toBe(csrfBefore);
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly/);
    expect(await probe(before)).toEqual({ state: { authenticated: false }, units: 401 });
    expect(await probe(c.cookie!)).toMatchObject({ state: { authenticated: true, stage: 'full' }, units: 200 });
    // The old row is gone, not merely promoted: one session, under the new id.
    expect(await sessionsOf(userId)).toHaveLength(1);
    // The old CSRF token is no longer the session's.
    c.csrf = csrfBefore;
    expect((await c.post('/api/auth/logout')).json().error.code).toBe('auth.csrf_invalid');
  });

  it('issues a new session id and CSRF token when TOTP enrolment is confirmed (first sign-in and re-enrolment)', async () => {
    const { userId, client: c } = await start();
    await c.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    const enrolling = c.cookie!;
    c.totpSecret = (await c.post('/api/auth/totp/enrolment')).json().secret;
    const res = await c.post('/api/auth/totp/enrolment/confirm', { code: c.totpCode() });
    expect(res.json()).toMatchObject({ stage: 'full' });
    expect(c.cookie).not.toBe(enrolling);
    expect(await probe(enrolling)).toEqual({ state: { authenticated: false }, units: 401 });
    expect(await probe(c.cookie!)).toMatchObject({ state: { stage: 'full' }, units: 200 });
    // Re-enrolling from the account page renews it again.
    const full = c.cookie!;
    t.clock.advance(30_000);
    c.totpSecret = (await c.post('/api/auth/totp/enrolment')).json().secret;
    expect((await c.post('/api/auth/totp/enrolment/confirm', { code: c.totpCode() })).json()).toMatchObject({ stage: 'full' });
    expect(c.cookie).not.toBe(full);
    expect((await probe(full)).state).toEqual({ authenticated: false });
    expect(await sessionsOf(userId)).toHaveLength(1);
  });

  it('issues a new session id and CSRF token on a password change; every earlier session of that person ends', async () => {
    const { unitId, client: admin } = await start();
    await admin.signIn('admin', ADMIN_PASSWORD);
    const userId = await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'] });
    const c = new Client(t.app, t.clock);
    const elsewhere = new Client(t.app, t.clock);
    await c.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD });
    await elsewhere.post('/api/auth/login', { username: 'canbo', password: USER_PASSWORD });
    const [before, csrfBefore] = [c.cookie!, c.csrf!];
    const res = await c.post('/api/auth/password', { currentPassword: USER_PASSWORD, newPassword: 'Moi2026abcdef' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ authenticated: true, stage: 'full', user: { username: 'canbo', mustChangePassword: false } });
    expect(c.cookie).not.toBe(before);
    expect(c.csrf).not.toBe(csrfBefore);
    expect(await probe(before)).toEqual({ state: { authenticated: false }, units: 401 });
    expect(await probe(elsewhere.cookie!)).toEqual({ state: { authenticated: false }, units: 401 });
    expect(await probe(c.cookie!)).toMatchObject({ state: { authenticated: true }, units: 200 });
    expect(await sessionsOf(userId)).toHaveLength(1);
    // A refused change keeps the session as it was.
    const kept = c.cookie;
    expect((await c.post('/api/auth/password', { currentPassword: 'sai-mat-khau-1', newPassword: 'Khac2026abcdef' })).statusCode).toBe(422);
    expect(c.cookie).toBe(kept);
    expect((await probe(kept!)).units).toBe(200);
  });

  it.each([false, true])('logout clears the cookie with the flags it was set with (secure cookies %s)', async (secureCookie) => {
    t = await createTestApp(dialect, { config: { secureCookie } });
    await seedAgency(t.deps);
    const c = new Client(t.app, t.clock);
    await c.signIn('admin', ADMIN_PASSWORD);
    const res = await c.post('/api/auth/logout');
    expect(res.statusCode).toBe(200);
    const set = [res.headers['set-cookie']].flat().find((h) => h?.startsWith('khomat_sid='))!;
    const attrs = set.split(';').map((a) => a.trim().toLowerCase());
    expect(attrs[0]).toBe('khomat_sid=');
    expect(attrs).toContain('path=/');
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=strict');
    expect(attrs.includes('secure')).toBe(secureCookie);
    expect(attrs.some((a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970'))).toBe(true);
  });

  it('rate-limits login attempts per IP', async () => {
    t = await createTestApp(dialect, { config: { loginRatePerMinute: 3, loginMaxFailures: 100 } });
    await seedAgency(t.deps);
    const c = new Client(t.app, t.clock);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await c.post('/api/auth/login', { username: 'admin', password: 'wrong-pass-1' })).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    expect((await c.post('/api/auth/login', { username: 'admin', password: 'wrong-pass-1' })).json().error.code).toBe('common.rate_limited');
  });
});
