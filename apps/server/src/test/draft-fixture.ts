import crypto from 'node:crypto';
import { expect } from 'vitest';
import { seedAgency, seedUser, signedInClients, type TestApp } from './harness';

// A drafter (cán bộ, cleared Mật) with a draft electronic document to attach files to, for the
// suites that need a real upload without the attachments module's own set-up.

const CATALOG = JSON.stringify([
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '2',
    description: 'Kế hoạch làm việc với đoàn cấp cao chưa công bố',
    level: 'SECRET',
  },
]);

/** A PDF-looking file of `size` bytes. */
export const pdfBytes = (size: number): Buffer => Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(size)]).subarray(0, size);

/** Seeds the agency unless its root unit is given. */
export async function draftFixture(t: TestApp, summary: string, agencyUnitId?: string) {
  const unitId = agencyUnitId ?? (await seedAgency(t.deps)).unitId;
  const named = await seedUser(t.deps, { username: 'nguoinhan', unitId, roles: ['officer'], clearance: 'SECRET' });
  await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'], clearance: 'SECRET' });
  await seedUser(t.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'TOP_SECRET' });
  const signIn = signedInClients(t);
  const so = await signIn('baomat');
  expect((await so.post('/api/catalog/import', { format: 'json', content: CATALOG })).statusCode).toBe(200);
  const catalogId = (await so.get('/api/catalog')).json().items[0].id as string;
  const officer = await signIn('canbo');
  const res = await officer.post('/api/items', {
    kind: 'electronic_document',
    docType: 'Kế hoạch',
    summary,
    field: 'Ngoại giao',
    level: 'SECRET',
    catalogItemIds: [catalogId],
    recipients: [{ kind: 'user', userId: named, copies: 1 }],
    copyCount: 1,
    copyAllowed: false,
  });
  expect(res.statusCode, res.body).toBe(200);
  const itemId = res.json().id as string;
  /** Uploads `body` as the content file named `name` (in the query string, as the web client sends it). */
  const upload = (name: string, body: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: `/api/items/${itemId}/attachments?name=${encodeURIComponent(name)}`,
      headers: { cookie: `khomat_sid=${officer.cookie}`, 'x-csrf-token': officer.csrf!, 'content-type': 'application/octet-stream' },
      payload: body,
    });
  return { officer, itemId, upload, signIn };
}
