import crypto from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, dialects, seedAgency, type TestApp } from '../test/harness';
import { startAgency, type Agency } from '../modules/items/items-test-helpers';

// Headers every reply of the server carries: no /api reply may be kept by a browser or a proxy
// cache (secret content, register rows, search hits, exported files), and HSTS once the server
// runs behind HTTPS (secure cookies on).

const DIALECTS = await dialects();

function expectNoStore(res: LightMyRequestResponse, what: string) {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(200);
  expect(res.headers['cache-control'], what).toBe('no-store');
  expect(res.headers.pragma, what).toBe('no-cache');
}

describe.each(DIALECTS)('reply headers on %s', (dialect) => {
  let t: TestApp;
  let agency: Agency | undefined;
  afterEach(async () => {
    await (agency?.t ?? t)?.cleanup();
    agency = undefined;
  });

  it('no /api reply may be stored: content, register list, search, register print and exports, attached file, errors', async () => {
    agency = await startAgency(dialect);
    t = agency.t;
    const { as, issued, draft } = agency;
    const itemId = await issued();
    const officer = await as('canboa');
    const fileItem = await draft({ kind: 'electronic_document' });
    expectNoStore(await officer.get(`/api/items/${fileItem}/content`), 'item content');
    expectNoStore(await officer.get(`/api/items/${fileItem}`), 'item page');

    const clerk = await as('vanthu');
    expectNoStore(await clerk.get('/api/registers/outgoing?year=2026'), 'register list');
    expectNoStore(await clerk.get('/api/search?q=k%E1%BA%BF%20ho%E1%BA%A1ch'), 'search');
    expectNoStore(await clerk.get('/api/registers/outgoing/print.pdf?year=2026'), 'register PDF');
    expectNoStore(await clerk.get('/api/registers/outgoing/export.xlsx?year=2026'), 'register XLSX');
    expectNoStore(await clerk.get('/api/registers/outgoing/export.csv?year=2026'), 'register CSV');

    const data = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(2048)]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/items/${fileItem}/attachments?name=ke-hoach.pdf`,
      headers: { cookie: `khomat_sid=${officer.cookie}`, 'x-csrf-token': officer.csrf!, 'content-type': 'application/octet-stream' },
      payload: data,
    });
    expectNoStore(up, 'upload');
    expectNoStore(await officer.get(`/api/items/${fileItem}/attachments/${up.json().id}`), 'attached file');

    // Refusals and unknown paths too: an error body names what was asked for.
    const refused = await (await as('thanhtra')).get(`/api/items/${itemId}/content`);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['cache-control']).toBe('no-store');
    expect((await t.app.inject({ method: 'GET', url: '/api/khong-co' })).headers['cache-control']).toBe('no-store');
    expect((await t.app.inject({ method: 'GET', url: '/api/units' })).headers['cache-control']).toBe('no-store');
  });

  it('HSTS only when the server runs behind HTTPS (secure cookies on)', async () => {
    t = await createTestApp(dialect, { config: { secureCookie: true } });
    await seedAgency(t.deps);
    for (const url of ['/api/health', '/api/auth/session', '/api/units', '/']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['strict-transport-security'], url).toBe('max-age=31536000');
    }
    await t.cleanup();
    t = await createTestApp(dialect);
    for (const url of ['/api/health', '/api/units', '/']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });
});
