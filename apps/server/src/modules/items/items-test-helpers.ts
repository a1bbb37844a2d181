import { expect } from 'vitest';
import { createTestApp, seedAgency, seedUser, signedInClients, type TestApp } from '../../test/harness';
import type { Dialect } from '../../platform/db/database';
import { insertUnit } from '../org/org.repository';

// A small agency for the item tests: the agency (root) with two divisions, A and B, each with
// its head, clerk and officers; an item drafted in A, approved and issued. Declared seed: units
// and users are inserted directly (no audit), everything else goes through HTTP.

export const CATALOG = JSON.stringify([
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '2',
    description: 'Kế hoạch làm việc với đoàn cấp cao nước ngoài chưa công bố',
    level: 'SECRET',
  },
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '3',
    description: 'Phương án đàm phán chưa công bố',
    level: 'CONFIDENTIAL',
  },
]);

export const SUMMARY = 'Kế hoạch đón đoàn đại biểu cấp cao năm 2027';

export async function startAgency(dialect: Dialect) {
  const t: TestApp = await createTestApp(dialect);
  // The set-up's agency head is this agency's head ('giamdoc').
  const { unitId: root, userId: admin, headId } = await seedAgency(t.deps, { headUsername: 'giamdoc' });
  const now = t.clock.now().toISOString();
  const unit = async (name: string, code: string) => {
    const id = t.deps.ids();
    await insertUnit(t.deps.dbh.db, { id, parent_id: root, name, code, parent_body: null, closed_at: null, closed_reason: null, created_at: now });
    return id;
  };
  const unitA = await unit('Phòng Hợp tác quốc tế', 'HTQT');
  const unitB = await unit('Phòng Lãnh sự', 'LS');
  const ids = {
    root,
    unitA,
    unitB,
    admin,
    headR: headId,
    clerkR: await seedUser(t.deps, { username: 'vanthu', unitId: root, roles: ['clerk'], clearance: 'SECRET' }),
    so: await seedUser(t.deps, { username: 'baomat', unitId: root, roles: ['security_officer'], clearance: 'TOP_SECRET' }),
    inspector: await seedUser(t.deps, { username: 'thanhtra', unitId: root, roles: ['inspector'] }),
    headA: await seedUser(t.deps, { username: 'truongphonga', unitId: unitA, roles: ['head'], clearance: 'TOP_SECRET' }),
    clerkA: await seedUser(t.deps, { username: 'vanthua', unitId: unitA, roles: ['clerk'], clearance: 'SECRET' }),
    officerA: await seedUser(t.deps, { username: 'canboa', unitId: unitA, roles: ['officer'], clearance: 'SECRET' }),
    colleagueA: await seedUser(t.deps, { username: 'dongnghiepa', unitId: unitA, roles: ['officer'], clearance: 'SECRET' }),
    lowA: await seedUser(t.deps, { username: 'thapa', unitId: unitA, roles: ['officer'], clearance: 'CONFIDENTIAL' }),
    headB: await seedUser(t.deps, { username: 'truongphongb', unitId: unitB, roles: ['head'], clearance: 'TOP_SECRET' }),
    clerkB: await seedUser(t.deps, { username: 'vanthub', unitId: unitB, roles: ['clerk'], clearance: 'SECRET' }),
    officerB: await seedUser(t.deps, { username: 'canbob', unitId: unitB, roles: ['officer'], clearance: 'TOP_SECRET' }),
  };
  const as = signedInClients(t);
  const so = await as('baomat');
  expect((await so.post('/api/catalog/import', { format: 'json', content: CATALOG })).statusCode).toBe(200);
  const catalog = (await so.get('/api/catalog')).json().items as { id: string; level: string }[];
  const catalogId = catalog.find((c) => c.level === 'SECRET')!.id;
  const confidentialCatalogId = catalog.find((c) => c.level === 'CONFIDENTIAL')!.id;

  /** The officer of A's draft: one copy to unit A, one to an outside body, one kept (bản lưu). */
  const draftBody = (over: Record<string, unknown> = {}) => ({
    kind: 'document',
    docType: 'Kế hoạch',
    summary: SUMMARY,
    field: 'Ngoại giao',
    level: 'SECRET',
    catalogItemIds: [catalogId],
    recipients: [
      { kind: 'unit', unitId: unitA, copies: 1 },
      { kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 },
    ],
    copyCount: 3,
    copyAllowed: false,
    ...over,
  });

  async function draft(over: Record<string, unknown> = {}): Promise<string> {
    const r = await (await as('canboa')).post('/api/items', draftBody(over));
    expect(r.statusCode, r.body).toBe(200);
    return r.json().id as string;
  }

  /** Drafted by the officer of A, approved by the agency's head, issued by the agency's clerk. */
  async function issued(over: Record<string, unknown> = {}): Promise<string> {
    const id = await draft(over);
    expect((await (await as('canboa')).post(`/api/items/${id}/propose`)).statusCode).toBe(200);
    expect((await (await as('giamdoc')).post(`/api/items/${id}/approve`)).statusCode).toBe(200);
    const r = await (await as('vanthu')).post(`/api/items/${id}/issue`, { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' });
    expect(r.statusCode, r.body).toBe(200);
    return id;
  }

  return { t, ids, as, catalogId, confidentialCatalogId, draftBody, draft, issued };
}

export type Agency = Awaited<ReturnType<typeof startAgency>>;
