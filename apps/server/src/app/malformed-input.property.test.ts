import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  Client,
  createTestApp,
  databaseFingerprint,
  dialects,
  seedAgency,
  seedUser,
  USER_PASSWORD,
  withoutAudit,
  type TestApp,
} from '../test/harness';

// Random and malformed input at every registered route: never a 5xx, and a rejected request
// changes nothing (row counts and the audit chain head). Failed sign-in attempts are the one
// designed exception: they are security events, audited and counted towards lock-out.
const AUDITED_REFUSALS = new Set(['auth.invalid_credentials', 'auth.account_locked', 'auth.totp_invalid', 'item.content_forbidden']);

/** Audit actions that record a refusal: the one change a refused request may leave. */
const REFUSAL_ACTION = /_refused$|^auth\.login_failed$|^auth\.account_locked$/;

const DIALECTS = await dialects();
const RUNS_PER_ROUTE = Number(process.env.KHOMAT_FUZZ_RUNS ?? 25);

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const bodyArb = fc.oneof(
  jsonValue.map((v) => ({ kind: 'json' as const, v })),
  fc
    .dictionary(
      fc.constantFrom('name', 'code', 'parentId', 'username', 'password', 'roles', 'clearance', 'reason', 'code', 'unitId', 'newPassword', 'agency', 'admin'),
      jsonValue,
    )
    .map((v) => ({ kind: 'json' as const, v })),
  fc.string({ maxLength: 200 }).map((s) => ({ kind: 'raw' as const, s, type: 'application/json' })),
  fc
    .constantFrom('{"a":', '[', '{"name": "x", "code": "y", "parentId": ', '\u0000', 'null', '"x"', '1e309')
    .map((s) => ({ kind: 'raw' as const, s, type: 'application/json' })),
  fc.string({ maxLength: 50 }).map((s) => ({ kind: 'raw' as const, s, type: 'text/plain' })),
);
const idArb = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 80 }).map(encodeURIComponent), fc.constant('%00'), fc.constant('..%2F..'));
const queryArb = fc.dictionary(
  fc.constantFrom('unitId', 'q', 'includeInactive', 'page', 'pageSize', 'from', 'to', 'actorId', 'action', 'x'),
  fc.string({ maxLength: 30 }),
);

describe.each(DIALECTS)('malformed input on %s', (dialect) => {
  let t: TestApp;
  let admin: Client;
  let anon: Client;

  beforeAll(async () => {
    t = await createTestApp(dialect, { config: { loginRatePerMinute: 10_000 } });
    const { unitId } = await seedAgency(t.deps);
    await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'] });
    admin = new Client(t.app, t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    anon = new Client(t.app, t.clock);
  });
  afterAll(async () => t?.cleanup());

  it('no route answers 5xx, and rejected requests change nothing', async () => {
    const routes = t.app.apiRoutes.filter((r) => r.url !== '/api/auth/logout');
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(fc.boolean(), bodyArb, idArb, queryArb, async (asAdmin, body, id, query) => {
          const c = asAdmin ? admin : anon;
          const qs = new URLSearchParams(query).toString();
          const url = route.url.replace(':id', id) + (qs ? `?${qs}` : '');
          const before = await databaseFingerprint(t.deps);
          const headers: Record<string, string> = {
            ...(c.cookie ? { cookie: `khomat_sid=${c.cookie}` } : {}),
            ...(c.csrf ? { 'x-csrf-token': c.csrf } : {}),
          };
          const payload = route.method === 'GET' ? undefined : body.kind === 'json' ? JSON.stringify(body.v) : body.s;
          if (payload !== undefined) headers['content-type'] = body.kind === 'json' ? 'application/json' : body.type;
          const res = await t.app.inject({ method: route.method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
          expect(res.statusCode, `${route.method} ${url} ${payload ?? ''} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
          if (res.statusCode >= 400) {
            const code = res.json().error?.code as string;
            expect(typeof code).toBe('string');
            expect(res.json().error.message).toMatch(/\p{L}/u);
            if (!AUDITED_REFUSALS.has(code)) {
              // A refusal may be audited (every refusal of content, of account administration),
              // and that is then the only change: a refusal event, nothing else.
              const after = await databaseFingerprint(t.deps);
              if (after !== before) {
                const seqBefore = Number(/head=(\d+):/.exec(before)![1]);
                const added = await t.deps.dbh.db.selectFrom('audit_events').select('action').where('seq', '>', seqBefore).execute();
                expect(added.length, `${route.method} ${url} ${code}`).toBeGreaterThan(0);
                for (const a of added) expect(a.action, `${route.method} ${url} ${code}`).toMatch(REFUSAL_ACTION);
                expect(withoutAudit(after), `${route.method} ${url} ${code}`).toBe(withoutAudit(before));
              }
            }
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
      // A random body may have changed the admin's password or TOTP: sign in afresh for the next route.
      if ((await admin.get('/api/auth/session')).json().stage !== 'full') await admin.signIn('admin', ADMIN_PASSWORD).catch(() => undefined);
    }
    void USER_PASSWORD;
  }, 300_000); // every route × runs: grows with each route, slow on a loaded 2-core machine
});
