import { SUMMARY_HIDDEN_VI, SUMMARY_NONE_VI } from '@khomat/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, seedUser } from '../../test/harness';
import { SUMMARY, startAgency, type Agency } from '../items/items-test-helpers';
import { pdfText, xlsxText } from './print/document-text';

// Register lists and search ask the one content decision per row (issue 11 point 3): the summary
// only with clearance ≥ the row's level and the right to the row (its keeper, or need-to-know on
// the item); a search never matches a hidden summary and never counts a row found only through
// one; every page read is audited once.

const DIALECTS = await dialects();

describe.each(DIALECTS)('register rows and search hits per viewer on %s', (dialect) => {
  let a: Agency;
  beforeAll(async () => {
    a = await startAgency(dialect);
    // A clerk of unit A cleared only for Mật: keeper of A's rows, but not above Mật.
    await seedUser(a.t.deps, { username: 'vanthumat', unitId: a.ids.unitA, roles: ['clerk'], clearance: 'CONFIDENTIAL' });
    await a.issued(); // a Mật item of unit A: copies to unit A and an outside body, one kept by A
  });
  afterAll(() => a.t.cleanup());

  const outgoing = async (username: string) => {
    const r = await (await a.as(username)).get('/api/registers/outgoing?year=2026');
    expect(r.statusCode, r.body).toBe(200);
    return r;
  };

  it.each([
    ['vanthu', 'the agency clerk (keeps the agency registers)', true],
    ['vanthua', 'the clerk of unit A (keeps its rows)', true],
    ['truongphonga', 'the head of unit A (its unit holds a copy)', true],
    ['vanthumat', 'a clerk of unit A cleared only for Mật', false],
    ['vanthub', 'the clerk of unit B', false],
    ['truongphongb', 'the head of unit B', false],
    ['baomat', 'the security officer without need-to-know', false],
    ['thanhtra', 'the inspector', false],
  ])('%s — %s — sees the summary: %s', async (username, _who, shown) => {
    const r = await outgoing(username);
    const rows = r.json().items as { summary: string | null; summaryHidden: boolean }[];
    expect(rows.length).toBe(2);
    for (const row of rows) expect(row).toMatchObject(shown ? { summary: SUMMARY, summaryHidden: false } : { summary: null, summaryHidden: true });
    if (!shown) expect(r.body).not.toContain('đón đoàn');
    const search = await (await a.as(username)).get(`/api/search?q=${encodeURIComponent('đại biểu cấp cao')}`);
    expect(search.statusCode).toBe(200);
    // Found through the summary only when it may be seen; never counted otherwise.
    expect(search.json().total).toBe(shown ? 2 : 0);
    if (!shown) expect(search.body).not.toContain('đón đoàn');
    const byNumber = await (await a.as(username)).get('/api/search?q=KH-SNV');
    expect(byNumber.json().total).toBe(2);
    for (const h of byNumber.json().items) expect(h.summaryHidden).toBe(!shown);
  });

  it('audits one event per page read: register.listed and search.performed, never the words searched', async () => {
    const db = a.t.deps.dbh.db;
    const before = await db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    await outgoing('vanthub');
    await (await a.as('vanthub')).get(`/api/search?q=${encodeURIComponent('đại biểu')}&register=outgoing`);
    const events = await db
      .selectFrom('audit_events')
      .select(['action', 'details', 'actor_id'])
      .where('seq', '>', before?.seq ?? 0)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['register.listed', 'search.performed']);
    expect(JSON.parse(events[0]!.details)).toMatchObject({ register: 'outgoing', year: 2026, page: 1, rows: 2, summariesHidden: 2 });
    expect(JSON.parse(events[1]!.details)).toMatchObject({ register: 'outgoing', queryLength: 'đại biểu'.length, queryTerms: 2, rows: 0, total: 0 });
    expect(events[1]!.details).not.toMatch(/đại|dai|bieu/);
  });

  it.each([
    ['vanthu', true],
    ['vanthub', false],
    ['thanhtra', false],
  ])('printed and exported registers (PDF, XLSX, CSV) of %s show the summary: %s', async (username, shown) => {
    const c = await a.as(username);
    const pdf = await c.get('/api/registers/outgoing/print.pdf?year=2026');
    const xlsx = await c.get('/api/registers/outgoing/export.xlsx?year=2026');
    const csv = await c.get('/api/registers/outgoing/export.csv?year=2026');
    for (const r of [pdf, xlsx, csv]) expect(r.statusCode, r.body).toBe(200);
    const texts = [pdfText(pdf.rawPayload), await xlsxText(xlsx.rawPayload), csv.rawPayload.toString('utf8').replace(/\s+/g, ' ')];
    for (const text of texts) {
      expect(text).toContain('KH-SNV');
      if (shown) expect(text).toContain(SUMMARY);
      else {
        expect(text).not.toContain('đón đoàn');
        expect(text).toContain(SUMMARY_HIDDEN_VI);
      }
      expect(text).not.toContain(SUMMARY_NONE_VI);
    }
  });
});
