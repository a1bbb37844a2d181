import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config';
import { ADMIN_PASSWORD, Client, createTestApp, databaseFingerprint, dialects, seedAgency, type TestApp } from '../test/harness';

// A state-changing request that names the page it came from (Origin, or else Referer) must come
// from the server's own origin or a configured one; requests naming none (CLI, scripts) pass on
// to the session and CSRF checks as before.

const DIALECTS = await dialects();
const HOST = 'khomat.snv.local:8443';

describe('KHOMAT_ALLOWED_ORIGINS', () => {
  it('reads a comma-separated list of origins and refuses anything that is not an origin', () => {
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    const listed = loadConfig({ KHOMAT_ALLOWED_ORIGINS: 'https://KhoMat.snv.vn, http://10.0.0.5:8080/' }).allowedOrigins;
    expect(listed).toEqual(['https://khomat.snv.vn', 'http://10.0.0.5:8080']);
    for (const bad of ['https://a.vn/khomat', 'a.vn', 'ftp://a.vn', 'https://u:p@a.vn', 'https://a.vn?x=1', 'null']) {
      expect(() => loadConfig({ KHOMAT_ALLOWED_ORIGINS: bad }), bad).toThrow(/KHOMAT_ALLOWED_ORIGINS/);
    }
  });
});

describe.each(DIALECTS)('Origin check on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function start(config: Parameters<typeof createTestApp>[1] = {}) {
    t = await createTestApp(dialect, config);
    const { unitId: root } = await seedAgency(t.deps);
    const admin = new Client(t.app, t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    let n = 0;
    const newUnit = (headers: Record<string, string>, host = HOST) =>
      admin.request('POST', '/api/units', { name: `Phòng thử ${++n}`, code: `PT${n}`, parentId: root }, { host, ...headers });
    return { admin, newUnit };
  }

  async function expectRefusedUnchanged(send: () => Promise<import('fastify').LightMyRequestResponse>) {
    const before = await databaseFingerprint(t.deps);
    const res = await send();
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error.code).toBe('auth.origin_mismatch');
    expect(res.json().error.message).toMatch(/trang khác/);
    expect(await databaseFingerprint(t.deps)).toBe(before);
  }

  it('refuses a state change from another origin (Origin, or Referer when Origin is absent), changing nothing; same origin passes', async () => {
    const { admin, newUnit } = await start();
    await expectRefusedUnchanged(() => newUnit({ origin: 'https://evil.example' }));
    await expectRefusedUnchanged(() => newUnit({ origin: `http://${HOST.replace('8443', '8444')}` }));
    await expectRefusedUnchanged(() => newUnit({ origin: `https://${HOST}` }));
    await expectRefusedUnchanged(() => newUnit({ origin: 'null' }));
    await expectRefusedUnchanged(() => newUnit({ referer: 'https://evil.example/trang.html' }));
    await expectRefusedUnchanged(() => newUnit({ referer: 'không phải địa chỉ' }));
    // Origin wins over a same-origin Referer.
    await expectRefusedUnchanged(() => newUnit({ origin: 'https://evil.example', referer: `http://${HOST}/` }));
    // Signing in from another site's page (login CSRF) is refused too, and opens no session.
    const stranger = new Client(t.app, t.clock);
    const credentials = { username: 'admin', password: ADMIN_PASSWORD };
    await expectRefusedUnchanged(() => stranger.request('POST', '/api/auth/login', credentials, { origin: 'https://evil.example' }));

    // The web UI (same origin) and clients that name no origin (CLI, scripts, tests) work as before.
    expect((await newUnit({ origin: `http://${HOST}` })).statusCode).toBe(200);
    expect((await newUnit({ origin: `http://${HOST.toUpperCase()}` })).statusCode).toBe(200);
    expect((await newUnit({ referer: `http://${HOST}/don-vi?x=1` })).statusCode).toBe(200);
    expect((await newUnit({})).statusCode).toBe(200);
    // Reading is not checked: a link from elsewhere may open a page.
    expect((await admin.request('GET', '/api/units', undefined, { host: HOST, origin: 'https://evil.example' })).statusCode).toBe(200);
    // The default port is the same origin written without it.
    const plain = await newUnit({ origin: 'http://khomat.local' }, 'khomat.local:80');
    expect(plain.statusCode, plain.body).toBe(200);
  });

  it('behind HTTPS (secure cookies) the own origin is https; configured origins are let in as well', async () => {
    const { newUnit } = await start({ config: { secureCookie: true, allowedOrigins: ['https://cong.snv.vn'] } });
    expect((await newUnit({ origin: `https://${HOST}` })).statusCode).toBe(200);
    expect((await newUnit({ origin: 'https://cong.snv.vn' })).statusCode).toBe(200);
    expect((await newUnit({ referer: 'https://cong.snv.vn/khomat/' })).statusCode).toBe(200);
    await expectRefusedUnchanged(() => newUnit({ origin: `http://${HOST}` }));
    await expectRefusedUnchanged(() => newUnit({ origin: 'http://cong.snv.vn' }));
  });
});
