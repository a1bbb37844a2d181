import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint, dialects, seedUser } from '../../test/harness';
import { startAgency, type Agency } from './items-test-helpers';

// Handling needs clearance and place (issue 11 point 4): the attacks as they were tried, each
// refused with its code and nothing changed; the rightful văn thư still does the same thing.

const DIALECTS = await dialects();

describe.each(DIALECTS)('handling is tied to clearance and unit on %s', (dialect) => {
  let a: Agency;
  let tsCatalogId: string;
  beforeAll(async () => {
    a = await startAgency(dialect);
    await seedUser(a.t.deps, { username: 'vanthubmat', unitId: a.ids.unitB, roles: ['clerk'], clearance: 'CONFIDENTIAL' });
    await seedUser(a.t.deps, { username: 'vanthutm', unitId: a.ids.root, roles: ['clerk'], clearance: 'TOP_SECRET' });
    const so = await a.as('baomat');
    const ts = JSON.stringify([
      {
        decisionNumber: '19/QĐ-TTg',
        decisionDate: '2026-01-06',
        field: 'Ngoại giao',
        article: '1',
        clause: '1',
        description: 'Chủ trương đối ngoại chưa công bố',
        level: 'TOP_SECRET',
      },
    ]);
    expect((await so.post('/api/catalog/import', { format: 'json', content: ts })).statusCode).toBe(200);
    tsCatalogId = ((await so.get('/api/catalog')).json().items as { id: string; level: string }[]).find((c) => c.level === 'TOP_SECRET')!.id;
  });
  afterAll(() => a.t.cleanup());

  async function refused(username: string, method: 'post' | 'get', url: string, body: unknown, code: string) {
    const c = await a.as(username);
    const before = await databaseFingerprint(a.t.deps);
    const r = method === 'post' ? await c.post(url, body) : await c.get(url);
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json().error.code).toBe(code);
    expect(r.json().error.message).toMatch(/[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]/);
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
  }

  /** A classified item of unit A, waiting to be issued. */
  async function classified(over: Record<string, unknown> = {}, drafter = 'canboa') {
    const d = await (await a.as(drafter)).post('/api/items', a.draftBody(over));
    expect(d.statusCode, d.body).toBe(200);
    const id = d.json().id as string;
    expect((await (await a.as(drafter)).post(`/api/items/${id}/propose`)).statusCode).toBe(200);
    expect((await (await a.as('giamdoc')).post(`/api/items/${id}/approve`)).statusCode).toBe(200);
    return id;
  }

  const issueBody = { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' };

  it('issuing: a clerk of another unit cleared for Mật, a clerk of another unit, a clerk cleared below the level — refused; the agency văn thư issues', async () => {
    const id = await classified();
    await refused('vanthubmat', 'post', `/api/items/${id}/issue`, issueBody, 'handling.clearance_below_level');
    await refused('vanthub', 'post', `/api/items/${id}/issue`, issueBody, 'handling.not_your_unit');
    // Tuyệt mật, drafted by an officer cleared for it, numbered by a văn thư cleared for Tối mật only.
    const ts = await classified(
      { level: 'TOP_SECRET', catalogItemIds: [tsCatalogId], recipients: [{ kind: 'unit', unitId: a.ids.unitB, copies: 1 }], copyCount: 1 },
      'canbob',
    );
    await refused('vanthu', 'post', `/api/items/${ts}/issue`, issueBody, 'handling.clearance_below_level');
    expect((await (await a.as('vanthutm')).post(`/api/items/${ts}/issue`, issueBody)).statusCode).toBe(200);
    expect((await (await a.as('vanthua')).post(`/api/items/${id}/issue`, issueBody)).statusCode).toBe(200);
    await refused('vanthub', 'get', `/api/items/${id}/envelopes.pdf`, undefined, 'handling.not_your_unit');
  });

  it("cancelling an entry and locking a register: refused to another unit's văn thư and below the highest level", async () => {
    await a.issued();
    const entries = (await (await a.as('vanthu')).get('/api/registers/outgoing?year=2026')).json().items as { id: string; level: string }[];
    const secretRow = entries.find((e) => e.level === 'SECRET')!;
    await refused('vanthub', 'post', `/api/registers/entries/${secretRow.id}/cancel`, { reason: 'Vào sổ nhầm' }, 'handling.not_your_unit');
    await refused('vanthubmat', 'post', `/api/registers/entries/${secretRow.id}/cancel`, { reason: 'Vào sổ nhầm' }, 'handling.clearance_below_level');
    await refused('vanthubmat', 'post', '/api/registers/outgoing/2026/lock', { reason: 'Khóa sổ cuối năm' }, 'handling.clearance_below_level');
    // An empty register year (nothing to be cleared for): still the agency's, not unit B's.
    await refused('vanthub', 'post', '/api/registers/copy/2026/lock', { reason: 'Khóa sổ cuối năm' }, 'handling.not_your_unit');
    await refused('vanthu', 'post', '/api/registers/outgoing/2026/lock', { reason: 'Khóa sổ cuối năm' }, 'handling.clearance_below_level');
    expect((await (await a.as('vanthua')).post(`/api/registers/entries/${secretRow.id}/cancel`, { reason: 'Vào sổ nhầm' })).statusCode).toBe(200);
    expect((await (await a.as('vanthutm')).post('/api/registers/outgoing/2026/lock', { reason: 'Khóa sổ cuối năm' })).statusCode).toBe(200);
  });

  it("drafting above one's own clearance is refused at once with a clear message", async () => {
    await refused('canboa', 'post', '/api/items', a.draftBody({ level: 'TOP_SECRET', catalogItemIds: [tsCatalogId] }), 'item.level_above_clearance');
    const id = await a.draft();
    const patch = await (await a.as('canboa')).patch(`/api/items/${id}`, a.draftBody({ level: 'TOP_SECRET', catalogItemIds: [tsCatalogId] }));
    expect(patch.statusCode).toBe(403);
    expect(patch.json().error.code).toBe('item.level_above_clearance');
  });
});
