import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../test/harness';

const DIALECTS = await dialects();

describe.each(DIALECTS)('API surface on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  it('GET /api/health names the database', async () => {
    t = await createTestApp(dialect);
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: dialect, storage: 'ok' });
  });

  it('serves the OpenAPI description and its UI locally, with no outside host', async () => {
    t = await createTestApp(dialect);
    const spec = await t.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    for (const r of t.app.apiRoutes) expect(paths).toContain(r.url.replace(/:(\w+)/g, '{$1}'));
    // Response schemas are declared, so a stray field (hash, key) cannot leave the server.
    expect(doc.paths['/api/users/{id}'].get.responses['200']).toBeDefined();
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(ui.statusCode).toBe(200);
    const init = await t.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    const code = init.body.replace(/\/\/ .*$/gm, '');
    expect(code).not.toMatch(/https?:\/\//);
    // And the browser may not connect anywhere but this server.
    expect(ui.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(ui.headers['content-security-policy']).not.toMatch(/https?:/);
    expect(ui.body).not.toMatch(/<(script|link)[^>]+https?:\/\//);
  });

  it('declares the session cookie and the CSRF header on every operation that needs them, and none on public ones', async () => {
    t = await createTestApp(dialect);
    const doc = (await t.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(doc.components.securitySchemes).toEqual({
      session: { type: 'apiKey', in: 'cookie', name: 'khomat_sid', description: expect.stringMatching(/phiên/) },
      csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: expect.stringMatching(/csrfToken/) },
    });
    let operations = 0;
    for (const r of t.app.apiRoutes) {
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.url}`).toBeDefined();
      const changes = !['GET', 'HEAD', 'OPTIONS'].includes(r.method);
      const csrf = changes && !r.csrfExempt;
      const session = r.access !== 'public' || csrf;
      const expected = session ? [csrf ? { session: [], csrf: [] } : { session: [] }] : [];
      expect(op.security, `${r.method} ${r.url} (${r.access}${r.csrfExempt ? ', csrfExempt' : ''})`).toEqual(expected);
      operations++;
    }
    // Every operation the document lists is one of those routes.
    const listed = Object.values(doc.paths as Record<string, Record<string, unknown>>).reduce((n, p) => n + Object.keys(p).length, 0);
    expect(listed).toBe(operations);
    // Sanity: the public sign-in needs nothing, a content read the session, a state change both.
    expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/api/items/{id}/content'].get.security).toEqual([{ session: [] }]);
    expect(doc.paths['/api/items'].post.security).toEqual([{ session: [], csrf: [] }]);
  });

  it('answers unknown API paths with a coded 404 and sets security headers', async () => {
    t = await createTestApp(dialect);
    const res = await t.app.inject({ method: 'GET', url: '/api/khong-co' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('common.route_not_found');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
