import { SUMMARY_HIDDEN_VI } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFingerprint, dialects } from '../../test/harness';
import { findUserWithRoles } from '../auth/auth.repository';
import { actorOf } from '../auth/auth.usecases';
import { startAgency, type Agency } from '../items/items-test-helpers';
import { completeSummary } from './addressee-summary.usecases';

const DIALECTS = await dialects();

// Issue 12 point 8: an addressee-only envelope ("Chỉ người có tên mới được bóc bì") is registered
// without a summary. Once its named person has signed for it and opened it, they complete the
// summary, or agree that the văn thư writes it; nobody else can, and not before. The audit names
// who and how, never the text; the register then shows it to whoever rowContentAccess allows.
describe.each(DIALECTS)('the summary of an addressee-only envelope on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());
  const TEXT = 'Về việc chuẩn bị đón đoàn công tác đặc biệt';

  /** Registered by the agency's clerk for officer A by name; returns the item and the pass event. */
  async function received(level: 'SECRET' | 'TOP_SECRET' = 'SECRET') {
    const clerk = await a.as('vanthu');
    const r = await clerk.post('/api/items/incoming', {
      issuer: 'Bộ Ngoại giao',
      numberSymbol: '15/BNG-M',
      documentDate: '2026-02-27',
      docType: 'Công văn',
      kind: 'document',
      level,
      copies: 1,
      addresseeOnly: true,
      envelopeState: 'intact',
      to: { kind: 'user', id: a.ids.officerA },
    });
    expect(r.statusCode, r.body).toBe(200);
    const itemId = r.json().item.id as string;
    const ev = await a.t.deps.dbh.db.selectFrom('custody_events').select('id').where('item_id', '=', itemId).executeTakeFirstOrThrow();
    return { itemId, eventId: ev.id };
  }

  const stored = async (itemId: string) => {
    const db = a.t.deps.dbh.db;
    const item = await db.selectFrom('secret_items').select(['summary', 'summary_agreed_by']).where('id', '=', itemId).executeTakeFirstOrThrow();
    const entries = await db.selectFrom('register_entries').select('summary').where('item_id', '=', itemId).execute();
    return { summary: item.summary, agreedBy: item.summary_agreed_by, entries: entries.map((e) => e.summary) };
  };

  it('before the named person has signed for it, even they are refused; nothing is written', async () => {
    a = await startAgency(dialect);
    const { itemId } = await received();
    const named = await a.as('canboa');
    const before = await databaseFingerprint(a.t.deps);
    const r = await named.post(`/api/items/${itemId}/summary`, { summary: TEXT });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({ code: 'summary.envelope_not_opened', message: 'Người có tên chưa ký nhận và bóc bì; chưa thể bổ sung trích yếu.' });
    expect((await named.post(`/api/items/${itemId}/summary-agreement`)).json().error.code).toBe('summary.envelope_not_opened');
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
    expect(await stored(itemId)).toEqual({ summary: null, agreedBy: null, entries: [null] });
  });

  it('the named person completes it once opened: audited without the text; the register shows it to those entitled', async () => {
    a = await startAgency(dialect);
    const { itemId, eventId } = await received();
    const named = await a.as('canboa');
    expect((await named.get(`/api/items/${itemId}/summary-completion`)).json().complete).toMatchObject({
      allowed: false,
      refusal: 'summary.envelope_not_opened',
    });
    expect((await named.post(`/api/custody/${eventId}/confirm`)).statusCode).toBe(200);
    expect((await named.get(`/api/items/${itemId}/summary-completion`)).json()).toEqual({
      agree: { allowed: true, via: 'named_addressee', refusal: null },
      complete: { allowed: true, via: 'named_addressee', refusal: null },
      agreed: false,
    });
    // Nobody else: not their head, not a colleague, not the security officer, not the clerk without agreement.
    for (const [who, code] of [
      ['truongphonga', 'summary.not_named_addressee'],
      ['dongnghiepa', 'summary.not_named_addressee'],
      ['baomat', 'summary.not_named_addressee'],
      ['vanthub', 'summary.not_named_addressee'],
      ['vanthu', 'summary.no_agreement'],
    ] as const) {
      const c = await a.as(who);
      const before = await databaseFingerprint(a.t.deps);
      const r = await c.post(`/api/items/${itemId}/summary`, { summary: 'Thử ghi' });
      expect(r.statusCode, who).toBe(403);
      expect(r.json().error.code, who).toBe(code);
      expect(await databaseFingerprint(a.t.deps)).toBe(before);
    }
    expect(await stored(itemId)).toEqual({ summary: null, agreedBy: null, entries: [null] });

    const r = await named.post(`/api/items/${itemId}/summary`, { summary: TEXT });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ via: 'named_addressee', registerEntries: 1 });
    expect(await stored(itemId)).toEqual({ summary: TEXT, agreedBy: null, entries: [TEXT] });
    // The audit: ids and the route, never the text.
    const audit = await a.t.deps.dbh.db
      .selectFrom('audit_events')
      .select(['details', 'actor_id', 'subject_id'])
      .where('action', '=', 'item.summary_completed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: a.ids.officerA, subject_id: itemId });
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ via: 'named_addressee', agreedBy: null });
    expect(audit[0]!.details).not.toContain('chuẩn bị');
    // The named person reads it; the register's keeper (the agency's clerk) sees it in the register;
    // the head of the unit and the security officer, not entitled to this envelope, do not.
    expect((await named.get(`/api/items/${itemId}/content`)).json().summary).toBe(TEXT);
    const row = async (who: string) => (await (await a.as(who)).get('/api/registers/incoming?year=2026')).json().items[0];
    expect(await row('vanthu')).toMatchObject({ summary: TEXT, summaryHidden: false });
    expect(await row('truongphonga')).toMatchObject({ summary: null, summaryHidden: true });
    expect(await row('baomat')).toMatchObject({ summary: null, summaryHidden: true });
    expect(await row('thanhtra')).toMatchObject({ summary: null, summaryHidden: true });
    const csv = (await (await a.as('baomat')).get('/api/registers/incoming/export.csv?year=2026')).body;
    expect(csv).toContain(SUMMARY_HIDDEN_VI);
    expect(csv).not.toContain('chuẩn bị');
    // Search finds it by its words for the keeper, and not for a reader it is hidden from.
    expect((await (await a.as('vanthu')).get('/api/search?q=chuan%20bi%20don%20doan')).json().total).toBe(1);
    expect((await (await a.as('baomat')).get('/api/search?q=chuan%20bi%20don%20doan')).json().total).toBe(0);
    // The entry's old index row is gone: found once by its number, not twice.
    expect((await (await a.as('vanthu')).get('/api/search?q=15%2FBNG-M')).json().total).toBe(1);
    // Once is all: a second completion is refused.
    const again = await named.post(`/api/items/${itemId}/summary`, { summary: 'Khác' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('summary.already_completed');
    expect(await stored(itemId)).toEqual({ summary: TEXT, agreedBy: null, entries: [TEXT] });
  });

  it("the clerk completes it with the named person's recorded agreement", async () => {
    a = await startAgency(dialect);
    const { itemId, eventId } = await received();
    const named = await a.as('canboa');
    const clerk = await a.as('vanthu');
    expect((await named.post(`/api/custody/${eventId}/confirm`)).statusCode).toBe(200);
    // Only the named person agrees; the clerk cannot agree for them.
    expect((await clerk.post(`/api/items/${itemId}/summary-agreement`)).json().error.code).toBe('summary.not_named_addressee');
    expect((await named.post(`/api/items/${itemId}/summary-agreement`)).statusCode).toBe(200);
    expect((await named.post(`/api/items/${itemId}/summary-agreement`)).json().error.code).toBe('summary.already_agreed');
    expect((await clerk.get(`/api/items/${itemId}/summary-completion`)).json().complete).toEqual({ allowed: true, via: 'clerk_with_agreement', refusal: null });
    // Another unit's clerk still may not.
    expect((await (await a.as('vanthub')).post(`/api/items/${itemId}/summary`, { summary: TEXT })).json().error.code).toBe('summary.not_named_addressee');
    const r = await clerk.post(`/api/items/${itemId}/summary`, { summary: TEXT });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().via).toBe('clerk_with_agreement');
    expect(await stored(itemId)).toEqual({ summary: TEXT, agreedBy: a.ids.officerA, entries: [TEXT] });
    const details = await a.t.deps.dbh.db
      .selectFrom('audit_events')
      .select(['action', 'details', 'actor_id'])
      .where('action', 'in', ['item.summary_agreed', 'item.summary_completed'])
      .orderBy('seq')
      .execute();
    expect(details.map((d) => [d.action, d.actor_id, JSON.parse(d.details)])).toEqual([
      ['item.summary_agreed', a.ids.officerA, {}],
      ['item.summary_completed', a.ids.clerkR, expect.objectContaining({ via: 'clerk_with_agreement', agreedBy: a.ids.officerA })],
    ]);
  });

  it('use case: a Tuyệt mật envelope never gets a summary; an ordinary item is not completed this way', async () => {
    a = await startAgency(dialect);
    a.ids.officerA = a.ids.officerB; // officer B is cleared Tuyệt mật; so is, here, the agency's clerk
    await a.t.deps.dbh.db.updateTable('users').set({ clearance: 'TOP_SECRET' }).where('id', '=', a.ids.clerkR).execute();
    const { itemId, eventId } = await received('TOP_SECRET');
    const named = await a.as('canbob');
    expect((await named.post(`/api/custody/${eventId}/confirm`)).statusCode).toBe(200);
    const actor = actorOf((await findUserWithRoles(a.t.deps.dbh.db, a.ids.officerB))!);
    const before = await databaseFingerprint(a.t.deps);
    await expect(completeSummary(a.t.deps, actor, itemId, { summary: TEXT })).rejects.toMatchObject({ code: 'summary.top_secret' });
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
    expect(await stored(itemId)).toEqual({ summary: null, agreedBy: null, entries: [null] });
    const issued = await a.issued();
    await expect(completeSummary(a.t.deps, actor, issued, { summary: TEXT })).rejects.toMatchObject({ code: 'summary.not_addressee_only' });
  });

  it('a register year locked since is not rewritten: refused, nothing written', async () => {
    a = await startAgency(dialect);
    const { itemId, eventId } = await received();
    const named = await a.as('canboa');
    expect((await named.post(`/api/custody/${eventId}/confirm`)).statusCode).toBe(200);
    expect((await (await a.as('vanthu')).post('/api/registers/incoming/2026/lock', { reason: 'Khoá sổ' })).statusCode).toBe(200);
    const before = await databaseFingerprint(a.t.deps);
    const r = await named.post(`/api/items/${itemId}/summary`, { summary: TEXT });
    expect(r.json().error.code).toBe('register.year_locked');
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
    expect(await stored(itemId)).toEqual({ summary: null, agreedBy: null, entries: [null] });
  });
});
