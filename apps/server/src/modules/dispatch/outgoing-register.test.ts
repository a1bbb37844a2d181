import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { formInForce } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, createTestApp, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../../test/harness';
import { pdfText } from '../registers/print/document-text';

// The outgoing register (Mẫu 14 / NĐ 63/2026): one line per document sent to a recipient, with the
// number of copies and their numbers, derived from the custody ledger (one movement per sending);
// the printed and exported registers keep the copy numbers the screen shows; a recipient's copies
// go in one envelope unless the clerk splits them. On both databases.

const DIALECTS = await dialects();

const CATALOG = JSON.stringify([
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '2',
    description: 'Kế hoạch làm việc với đoàn cấp cao nước ngoài chưa công bố',
    level: 'SECRET',
  },
]);

describe.each(DIALECTS)('outgoing register lines on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function issueToTwoRecipients() {
    t = await createTestApp(dialect);
    const { unitId, headId } = await seedAgency(t.deps, { headUsername: 'giamdoc' });
    await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'], clearance: 'SECRET' });
    await seedUser(t.deps, { username: 'vanthu', unitId, roles: ['clerk'], clearance: 'SECRET' });
    await seedUser(t.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'TOP_SECRET' });
    expect(headId).toBeTruthy();
    const as = async (username: string) => {
      const c = new Client(t.app, t.clock);
      await c.signIn(username, USER_PASSWORD);
      return c;
    };
    const so = await as('baomat');
    expect((await so.post('/api/catalog/import', { format: 'json', content: CATALOG })).statusCode).toBe(200);
    const catalogId = (await so.get('/api/catalog')).json().items[0].id as string;
    const officer = await as('canbo');
    const draft = await officer.post('/api/items', {
      kind: 'document',
      docType: 'Kế hoạch',
      summary: 'Kế hoạch đón đoàn đại biểu cấp cao năm 2027',
      field: 'Ngoại giao',
      level: 'SECRET',
      catalogItemIds: [catalogId],
      recipients: [
        { kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 },
        { kind: 'unit', unitId, copies: 2 },
      ],
      copyCount: 4,
      copyAllowed: false,
    });
    expect(draft.statusCode, draft.body).toBe(200);
    const itemId = draft.json().id as string;
    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    expect((await (await as('giamdoc')).post(`/api/items/${itemId}/approve`)).statusCode).toBe(200);
    const clerk = await as('vanthu');
    const issued = await clerk.post(`/api/items/${itemId}/issue`, { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' });
    expect(issued.statusCode, issued.body).toBe(200);
    return { itemId, clerk, issued: issued.json() };
  }

  it('one line per recipient with the quantity and copy numbers, one custody movement each, gapless numbers', async () => {
    const { itemId, clerk, issued } = await issueToTwoRecipients();
    expect(issued.copies.map((c: { label: string; registerNumber: number | null }) => [c.label, c.registerNumber])).toEqual([
      ['Bản số 1/4', 1],
      ['Bản số 2/4', 2],
      ['Bản số 3/4', 2],
      ['Bản số 4/4', null],
    ]);
    const register = (await clerk.get('/api/registers/outgoing?year=2026')).json();
    expect(
      register.items.map((e: { number: number; recipient: string; quantity: number; copyLabels: string }) => [e.number, e.recipient, e.quantity, e.copyLabels]),
    ).toEqual([
      [1, 'Bộ Ngoại giao', 1, 'Bản số 1/4'],
      [2, 'Sở Ngoại vụ tỉnh Thử nghiệm', 2, 'Bản số 2, 3/4'],
    ]);
    expect(register.total).toBe(2);

    // Derived from the ledger: each line is one movement, carrying exactly its copies.
    const db = t.deps.dbh.db;
    const entries = await db
      .selectFrom('register_entries')
      .select(['number', 'custody_event_id'])
      .where('register', '=', 'outgoing')
      .orderBy('number')
      .execute();
    const carried = async (eventId: string | null) =>
      (
        await db
          .selectFrom('custody_event_copies')
          .innerJoin('copies', 'copies.id', 'custody_event_copies.copy_id')
          .select('copies.label')
          .where('custody_event_copies.event_id', '=', eventId!)
          .orderBy('copies.seq_no')
          .execute()
      ).map((r) => r.label);
    expect(await carried(entries[0]!.custody_event_id)).toEqual(['Bản số 1/4']);
    expect(await carried(entries[1]!.custody_event_id)).toEqual(['Bản số 2/4', 'Bản số 3/4']);
    expect(await db.selectFrom('custody_events').select('kind').where('item_id', '=', itemId).orderBy('kind').execute()).toEqual([
      { kind: 'dispatch' },
      { kind: 'issue_internal' },
    ]);

    // The unit's clerk signs once for the two copies: the line's "ký nhận" is filled, both copies held.
    expect((await clerk.post(`/api/custody/${entries[1]!.custody_event_id}/confirm`)).statusCode).toBe(200);
    const after = (await clerk.get('/api/registers/outgoing?year=2026')).json().items;
    expect(after[1].receivedBy).toBeTruthy();
    const copies = await db.selectFrom('copies').select(['label', 'status', 'holder_kind']).where('item_id', '=', itemId).orderBy('seq_no').execute();
    expect(copies.slice(1, 3)).toEqual([
      { label: 'Bản số 2/4', status: 'held', holder_kind: 'unit' },
      { label: 'Bản số 3/4', status: 'held', holder_kind: 'unit' },
    ]);
  });

  it('the printed and exported registers show the copy numbers the screen shows', async () => {
    const { clerk } = await issueToTwoRecipients();
    const form = formInForce('outgoing', '2026-03-02')!;
    const count = form.columns.findIndex((c) => c.field === 'copyCount');
    const pdf = pdfText((await clerk.get('/api/registers/outgoing/print.pdf?year=2026')).rawPayload);
    expect(pdf).toContain('2 (Bản số 2, 3/4)');
    expect(pdf).toContain('1 (Bản số 1/4)');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await clerk.get('/api/registers/outgoing/export.xlsx?year=2026')).rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Sổ')!;
    expect(sheet.rowCount).toBe(3);
    expect(sheet.getRow(3).getCell(count + 1).value).toBe('2 (Bản số 2, 3/4)');
    const csv = parse((await clerk.get('/api/registers/outgoing/export.csv?year=2026')).rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(csv.map((r) => r[count])).toEqual([form.columns[count]!.headerVi, '1 (Bản số 1/4)', '2 (Bản số 2, 3/4)']);
  });

  it("a recipient's copies go in one envelope unless the clerk splits them", async () => {
    const { itemId, clerk } = await issueToTwoRecipients();
    const labels = (query: string) => clerk.get(`/api/items/${itemId}/envelopes.pdf${query}`);
    const together = pdfText((await labels('')).rawPayload);
    expect(together.match(/Bì 1\/1 — /g)).toHaveLength(2);
    const split = await labels('?perCopy=1');
    expect(split.statusCode).toBe(200);
    expect(pdfText(split.rawPayload).match(/Bì 1\/1 — Sở Ngoại vụ/g)).toHaveLength(2);
    expect((await labels('?perCopy=yes')).statusCode).toBe(400);
  });
});
