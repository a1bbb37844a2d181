import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, createTestApp, dialects, seedAgency, type TestApp } from '../test/harness';
import type { ApiRoute } from './build-app';

// Protection is decided from the route the request reached, never from the raw URL string: every
// spelling of an /api path that reaches a route gets the same session, CSRF and stage checks as
// the plain spelling; a spelling that reaches no route is a 404. Walks every registered /api route.

const DIALECTS = await dialects();
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const ANY_ID = '0190f0c1-7a1c-7c3e-9b1a-2f6d4c8e9a10';

/** The route's URL with every parameter filled in, without the leading "/api/". */
function restOf(r: ApiRoute): string {
  return r.url.slice('/api/'.length).replace(/:\w+/g, (p) => (p === ':register' ? 'outgoing' : p === ':year' ? '2026' : ANY_ID));
}

/** Spellings that reach the same route: they must be answered exactly as the plain path is. */
function sameRoute(rest: string): string[] {
  const first = rest.charCodeAt(0).toString(16);
  return [`/%61pi/${rest}`, `/ap%69/${rest}`, `/%61%70%69/${rest}`, `/api/%${first}${rest.slice(1)}`, `/api/${rest}?`];
}

/** Spellings that reach no API route (or the same one): never a 2xx, never a 5xx. */
function otherSpellings(rest: string): string[] {
  return [
    `/api//${rest}`,
    `/API/${rest}`,
    `/Api/${rest}`,
    `/api%2F${rest}`,
    `/api%2f${rest}`,
    `/%2561pi/${rest}`,
    `//api/${rest}`,
    `/api/${rest}/`,
    `/api/./${rest}`,
    `/x/../api/${rest}`,
  ];
}

describe.each(DIALECTS)('route protection on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function send(method: string, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return t.app.inject({ method: method as 'GET', url, headers });
  }

  function expectNeverOpen(res: LightMyRequestResponse, what: string) {
    expect([401, 403, 404], `${what} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
  }

  it('without a session: every non-public /api route answers 401 in every spelling', async () => {
    t = await createTestApp(dialect);
    await seedAgency(t.deps);
    const routes = t.app.apiRoutes.filter((r) => r.access !== 'public');
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) {
      const rest = restOf(r);
      const plain = await send(r.method, `/api/${rest}`);
      expect(plain.statusCode, `${r.method} ${r.url}`).toBe(401);
      for (const url of sameRoute(rest)) {
        const res = await send(r.method, url);
        expect(res.statusCode, `${r.method} ${url} → ${res.body}`).toBe(401);
        expect(res.json().error.code).toBe('auth.unauthenticated');
      }
      for (const url of otherSpellings(rest)) expectNeverOpen(await send(r.method, url), `${r.method} ${url}`);
    }
  });

  it('with a session still at the TOTP step: every fully-signed-in route refuses in every spelling', async () => {
    t = await createTestApp(dialect);
    await seedAgency(t.deps);
    const c = new Client(t.app, t.clock);
    await c.signIn('admin', ADMIN_PASSWORD);
    await c.post('/api/auth/logout');
    expect((await c.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).json().stage).toBe('totp');
    const headers = { cookie: `khomat_sid=${c.cookie}`, 'x-csrf-token': c.csrf! };
    for (const r of t.app.apiRoutes.filter((x) => x.access === 'full')) {
      const rest = restOf(r);
      for (const url of [`/api/${rest}`, ...sameRoute(rest)]) {
        const res = await send(r.method, url, headers);
        expect(res.statusCode, `${r.method} ${url} → ${res.body}`).toBe(401);
        expect(res.json().error.code).toBe('auth.totp_required');
      }
      for (const url of otherSpellings(rest)) expectNeverOpen(await send(r.method, url, headers), `${r.method} ${url}`);
    }
    // The half-signed session is still there: nothing above was let through to log it out.
    expect((await c.get('/api/auth/session')).json()).toMatchObject({ authenticated: true, stage: 'totp' });
  });

  it('with a full session but no CSRF token: every state change is refused in every spelling, nothing changes', async () => {
    t = await createTestApp(dialect);
    await seedAgency(t.deps);
    const c = new Client(t.app, t.clock);
    await c.signIn('admin', ADMIN_PASSWORD);
    const headers = { cookie: `khomat_sid=${c.cookie}` };
    const before = await t.deps.dbh.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const unsafe = t.app.apiRoutes.filter((r) => !SAFE.has(r.method) && r.access !== 'public');
    expect(unsafe.length).toBeGreaterThan(20);
    for (const r of unsafe) {
      const rest = restOf(r);
      for (const url of [`/api/${rest}`, ...sameRoute(rest)]) {
        const res = await send(r.method, url, headers);
        expect(res.statusCode, `${r.method} ${url} → ${res.body}`).toBe(403);
        expect(res.json().error.code).toBe('auth.csrf_invalid');
      }
      for (const url of otherSpellings(rest)) expectNeverOpen(await send(r.method, url, headers), `${r.method} ${url}`);
    }
    const after = await t.deps.dbh.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await c.get('/api/auth/session')).json()).toMatchObject({ authenticated: true, stage: 'full' });
  });
});
