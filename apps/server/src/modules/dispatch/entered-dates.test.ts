import { afterEach, describe, expect, it } from 'vitest';
import { databaseFingerprint, dialects } from '../../test/harness';
import { findUserWithRoles } from '../auth/auth.repository';
import { actorOf } from '../auth/auth.usecases';
import { startAgency, type Agency } from '../items/items-test-helpers';
import { recordOutsideReceipt, registerIncoming, type IncomingInput } from './dispatch.usecases';

const DIALECTS = await dialects();

// Issue 12 point 7: the clerk enters the day a paper arrived (registered later) and the day an
// outside body signed for a copy. Not after today in Việt Nam, not before the document's date;
// a bad date is refused with its code and changes nothing; the audit keeps the date entered and
// the moment it was recorded; the incoming register shows and prints the arrival date.
describe.each(DIALECTS)('dates the clerk enters on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  const incoming = (over: Partial<IncomingInput> & Record<string, unknown> = {}) => ({
    issuer: 'Bộ Ngoại giao',
    numberSymbol: '9/BNG-LS',
    documentDate: '2026-02-20',
    docType: 'Công văn',
    kind: 'document' as const,
    level: 'SECRET' as const,
    copies: 1,
    addresseeOnly: false,
    envelopeState: 'intact' as const,
    to: { kind: 'unit' as const, id: a.ids.unitA },
    summary: 'Về việc bảo hộ công dân',
    ...over,
  });

  const auditDetails = async (action: string) => {
    const rows = await a.t.deps.dbh.db.selectFrom('audit_events').select('details').where('action', '=', action).execute();
    return rows.map((r) => JSON.parse(r.details) as Record<string, unknown>);
  };

  it('a paper received earlier is registered with its arrival date: register, print and audit', async () => {
    a = await startAgency(dialect);
    const clerk = await a.as('vanthu');
    const r = await clerk.post('/api/items/incoming', incoming({ arrivalDate: '2026-02-25' }));
    expect(r.statusCode, r.body).toBe(200);
    const entry = await a.t.deps.dbh.db.selectFrom('register_entries').selectAll().where('item_id', '=', r.json().item.id).executeTakeFirstOrThrow();
    expect(entry.entry_date).toBe('2026-02-25');
    expect(entry.created_at).toBe(a.t.clock.now().toISOString());
    // The register screen and the printed register show the day it arrived, not the day it was typed in.
    const list = (await clerk.get('/api/registers/incoming?year=2026')).json();
    expect(list.items.map((e: { entryDate: string }) => e.entryDate)).toEqual(['2026-02-25']);
    const csv = (await clerk.get('/api/registers/incoming/export.csv?year=2026')).body;
    expect(csv).toContain('25/02/2026');
    expect(csv).not.toContain('02/03/2026');
    expect(await auditDetails('item.received')).toEqual([expect.objectContaining({ arrivalDate: '2026-02-25', recordedAt: a.t.clock.now().toISOString() })]);
    // The item's history shows both.
    const events = (await clerk.get(`/api/items/${r.json().item.id}`)).json().events as { action: string; details: Record<string, unknown> }[];
    expect(events.find((e) => e.action === 'item.received')?.details).toMatchObject({ arrivalDate: '2026-02-25', recordedAt: a.t.clock.now().toISOString() });
  });

  it('without an arrival date the paper arrived today (Việt Nam), also when the UTC date is still yesterday', async () => {
    a = await startAgency(dialect);
    a.t.clock.current = new Date('2026-03-02T18:30:00.000Z'); // 01:30 on 3 March in Hà Nội
    const clerk = await a.as('vanthu');
    expect((await clerk.post('/api/items/incoming', incoming())).statusCode).toBe(200);
    // 3 March is today in Việt Nam: accepted although it is 2 March in UTC.
    expect((await clerk.post('/api/items/incoming', incoming({ numberSymbol: '10/BNG-LS', arrivalDate: '2026-03-03' }))).statusCode).toBe(200);
    const dates = await a.t.deps.dbh.db.selectFrom('register_entries').select('entry_date').orderBy('number').execute();
    expect(dates.map((d) => d.entry_date)).toEqual(['2026-03-03', '2026-03-03']);
  });

  it.each([
    ['tomorrow in Việt Nam', { arrivalDate: '2026-03-03' }, 'date.after_today', 'Ngày nhập không được sau ngày hôm nay.'],
    ['before the document date', { arrivalDate: '2026-02-19' }, 'date.before_document_date', 'Ngày nhập không được trước ngày của văn bản.'],
  ])('an arrival date %s is refused, nothing written', async (_label, over, code, message) => {
    a = await startAgency(dialect);
    const clerk = await a.as('vanthu');
    const before = await databaseFingerprint(a.t.deps);
    const r = await clerk.post('/api/items/incoming', incoming(over));
    expect(r.statusCode).toBe(422);
    expect(r.json().error).toMatchObject({ code, message });
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
  });

  it('a malformed arrival date is a validation error', async () => {
    a = await startAgency(dialect);
    const r = await (await a.as('vanthu')).post('/api/items/incoming', incoming({ arrivalDate: '2026-02-30' }));
    expect(r.statusCode).toBe(400);
  });

  it('use case: the same rules without HTTP', async () => {
    a = await startAgency(dialect);
    const actor = actorOf((await findUserWithRoles(a.t.deps.dbh.db, a.ids.clerkR))!);
    const before = await databaseFingerprint(a.t.deps);
    await expect(registerIncoming(a.t.deps, actor, incoming({ arrivalDate: '2026-03-03' }))).rejects.toMatchObject({ code: 'date.after_today' });
    await expect(registerIncoming(a.t.deps, actor, incoming({ arrivalDate: '2026-01-31' }))).rejects.toMatchObject({ code: 'date.before_document_date' });
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
    const ok = await registerIncoming(a.t.deps, actor, incoming({ arrivalDate: '2026-02-20' }));
    expect(ok.entry.entry_date).toBe('2026-02-20');
  });

  it('an arrival date in a locked register year is refused with the lock, nothing written', async () => {
    a = await startAgency(dialect);
    const clerk = await a.as('vanthu');
    expect((await clerk.post('/api/registers/incoming/2025/lock', { reason: 'Khoá sổ cuối năm' })).statusCode).toBe(200);
    const before = await databaseFingerprint(a.t.deps);
    const r = await clerk.post('/api/items/incoming', incoming({ documentDate: '2025-12-29', arrivalDate: '2025-12-31' }));
    expect(r.json().error?.code).toBe('register.year_locked');
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
  });

  // ---- an outside body's signed receipt ----

  /**
   * An item issued and its copy dispatched to Bộ Ngoại giao, moved back in time (declared seed):
   * the document dated 25 February, the copy sent on 26 February; today is 2 March.
   */
  async function dispatched() {
    const id = await a.issued();
    const db = a.t.deps.dbh.db;
    const ev = await db.selectFrom('custody_events').select('id').where('item_id', '=', id).where('kind', '=', 'dispatch').executeTakeFirstOrThrow();
    await db.updateTable('secret_items').set({ document_date: '2026-02-25' }).where('id', '=', id).execute();
    await db.updateTable('custody_events').set({ occurred_at: '2026-02-26T02:00:00.000Z' }).where('id', '=', ev.id).execute();
    return { id, eventId: ev.id, clerk: await a.as('vanthu') };
  }

  it('the day an outside body signed is recorded, shown and printed; the audit keeps it with the recording time', async () => {
    a = await startAgency(dialect);
    const { eventId, clerk } = await dispatched();
    const r = await clerk.post(`/api/custody/${eventId}/outside-receipt`, { receivedBy: 'Nguyễn Văn B', receivedOn: '2026-02-28' });
    expect(r.statusCode, r.body).toBe(200);
    const row = (await clerk.get('/api/registers/outgoing?year=2026')).json().items.find((e: { receivedBy: string | null }) => e.receivedBy);
    expect(row).toMatchObject({ receivedBy: 'Nguyễn Văn B', receivedOn: '2026-02-28', receivedAt: a.t.clock.now().toISOString() });
    const csv = (await clerk.get('/api/registers/outgoing/export.csv?year=2026')).body;
    expect(csv).toContain('Nguyễn Văn B, 28/02/2026');
    expect(await auditDetails('custody.outside_receipt_recorded')).toEqual([{ eventId, receivedOn: '2026-02-28', recordedAt: a.t.clock.now().toISOString() }]);
  });

  it('without a day, the receipt is dated today', async () => {
    a = await startAgency(dialect);
    const { eventId, clerk } = await dispatched();
    expect((await clerk.post(`/api/custody/${eventId}/outside-receipt`, { receivedBy: 'Nguyễn Văn B' })).statusCode).toBe(200);
    expect(await auditDetails('custody.outside_receipt_recorded')).toEqual([expect.objectContaining({ receivedOn: '2026-03-02' })]);
  });

  it.each([
    ['after today', '2026-03-03', 'date.after_today'],
    ['before the document date', '2026-02-24', 'date.before_document_date'],
    ['before the copy was sent', '2026-02-25', 'date.before_sent'],
  ])('a receipt day %s is refused, nothing written (HTTP and use case)', async (_label, receivedOn, code) => {
    a = await startAgency(dialect);
    const { id, eventId, clerk } = await dispatched();
    const before = await databaseFingerprint(a.t.deps);
    const r = await clerk.post(`/api/custody/${eventId}/outside-receipt`, { receivedBy: 'Nguyễn Văn B', receivedOn });
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe(code);
    const actor = actorOf((await findUserWithRoles(a.t.deps.dbh.db, a.ids.clerkR))!);
    await expect(recordOutsideReceipt(a.t.deps, actor, eventId, { receivedBy: 'Nguyễn Văn B', receivedOn })).rejects.toMatchObject({ code });
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
    const ev = await a.t.deps.dbh.db.selectFrom('custody_events').select('confirmed_at').where('id', '=', eventId).executeTakeFirstOrThrow();
    expect(ev.confirmed_at).toBeNull();
    const entries = await a.t.deps.dbh.db.selectFrom('register_entries').select(['received_by', 'received_on']).where('item_id', '=', id).execute();
    expect(entries.every((e) => e.received_by === null && e.received_on === null)).toBe(true);
  });
  // Issue 11 point 4: recording the receipt writes into the register row of the item's unit, so
  // it needs clearance for the item and its place, and an open register year.
  it('a receipt is recorded only by a văn thư of the item, cleared for it, into an open year', async () => {
    a = await startAgency(dialect);
    const { id, eventId, clerk } = await dispatched();
    const before = await databaseFingerprint(a.t.deps);
    const other = await (await a.as('vanthub')).post(`/api/custody/${eventId}/outside-receipt`, { receivedBy: 'Nguyễn Văn B' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('handling.not_your_unit');
    await a.t.deps.dbh.db.updateTable('secret_items').set({ level: 'TOP_SECRET' }).where('id', '=', id).execute();
    const above = await clerk.post(`/api/custody/${eventId}/outside-receipt`, { receivedBy: 'Nguyễn Văn B' });
    expect(above.json().error?.code).toBe('handling.clearance_below_level');
    await a.t.deps.dbh.db.updateTable('secret_items').set({ level: 'CONFIDENTIAL' }).where('id', '=', id).execute();
    expect((await clerk.post('/api/registers/outgoing/2026/lock', { reason: 'Khoá sổ kiểm tra' })).statusCode).toBe(200);
    const locked = await clerk.post(`/api/custody/${eventId}/outside-receipt`, { receivedBy: 'Nguyễn Văn B' });
    expect(locked.json().error?.code).toBe('register.year_locked');
    const ev = await a.t.deps.dbh.db.selectFrom('custody_events').select('confirmed_at').where('id', '=', eventId).executeTakeFirstOrThrow();
    expect(ev.confirmed_at).toBeNull();
    expect(before).not.toBe(''); // the refusals wrote nothing but their own audit of the lock
  });
});
