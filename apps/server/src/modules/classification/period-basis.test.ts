import { afterEach, describe, expect, it } from 'vitest';
import { Client, createTestApp, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../../test/harness';

// The protection period comes from its basis (Luật 117/2025 Đ.19; legal-basis §1.3): an item
// classified under a catalogue row that sets "3 năm" ends 3 years after classification, not after
// the level's 10; the shortest applicable period wins; the item page says why. On both databases.

const DIALECTS = await dialects();

const CATALOG = JSON.stringify([
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '2',
    point: 'a',
    description: 'Kế hoạch đón đoàn chưa công bố',
    level: 'CONFIDENTIAL',
    shorterPeriodYears: 3,
  },
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '3',
    description: 'Hồ sơ bảo hộ công dân',
    level: 'CONFIDENTIAL',
  },
]);

describe.each(DIALECTS)('protection period from its basis on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function start() {
    t = await createTestApp(dialect);
    const { unitId } = await seedAgency(t.deps, { headUsername: 'giamdoc' });
    await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'], clearance: 'SECRET' });
    await seedUser(t.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'TOP_SECRET' });
    const as = async (username: string) => {
      const c = new Client(t.app, t.clock);
      await c.signIn(username, USER_PASSWORD);
      return c;
    };
    const so = await as('baomat');
    expect((await so.post('/api/catalog/import', { format: 'json', content: CATALOG })).statusCode).toBe(200);
    const rows = (await so.get('/api/catalog')).json().items as { id: string; clause: string }[];
    const rowOf = (clause: string) => rows.find((r) => r.clause === clause)!.id;
    const officer = await as('canbo');
    const head = await as('giamdoc');
    /** Drafted under one catalogue row, proposed, approved: the classified item's page. */
    const classify = async (catalogId: string, shorterPeriod?: { years: number }) => {
      const draft = await officer.post('/api/items', {
        kind: 'document',
        docType: 'Kế hoạch',
        summary: 'Kế hoạch đón đoàn',
        field: 'Ngoại giao',
        level: 'CONFIDENTIAL',
        catalogItemIds: [catalogId],
        recipients: [{ kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 }],
        copyCount: 1,
        copyAllowed: false,
        ...(shorterPeriod ? { shorterPeriod } : {}),
      });
      expect(draft.statusCode, draft.body).toBe(200);
      const id = draft.json().id as string;
      expect((await officer.post(`/api/items/${id}/propose`)).statusCode).toBe(200);
      const approved = await head.post(`/api/items/${id}/approve`);
      expect(approved.statusCode, approved.body).toBe(200);
      return (await head.get(`/api/items/${id}`)).json();
    };
    return { rowOf, classify };
  }

  it("a catalogue row's shorter period is applied and the page says why; the level's default otherwise", async () => {
    const { rowOf, classify } = await start();
    const byCatalog = await classify(rowOf('2'));
    expect(byCatalog.item).toMatchObject({ level: 'CONFIDENTIAL', classifiedOn: '2026-03-02', protectionEnd: '2029-03-02' });
    expect(byCatalog.periodReason).toBe('Thời hạn 3 năm theo danh mục bí mật nhà nước: Điều 1, khoản 2, điểm a — 19/QĐ-TTg.');
    const byLevel = await classify(rowOf('3'));
    expect(byLevel.item.protectionEnd).toBe('2036-03-02');
    expect(byLevel.periodReason).toBe('Thời hạn mặc định của độ Mật: 10 năm (Luật Bảo vệ bí mật nhà nước, Điều 19).');
  });

  it('the shortest applicable period wins: a decided 2 years under a 3-year row, the row over a decided 5', async () => {
    const { rowOf, classify } = await start();
    const decided = await classify(rowOf('2'), { years: 2 });
    expect(decided.item.protectionEnd).toBe('2028-03-02');
    expect(decided.periodReason).toBe('Thời hạn 2 năm do người có thẩm quyền xác định độ mật quyết định khi xác định độ mật.');
    const longer = await classify(rowOf('2'), { years: 5 });
    expect(longer.item.protectionEnd).toBe('2029-03-02');
    expect(longer.periodReason).toContain('Thời hạn 3 năm theo danh mục');
  });
});
