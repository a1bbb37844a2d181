import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { startAgency, type Agency } from '../items/items-test-helpers';

const DIALECTS = await dialects();

// NĐ 26/2020 Đ.4 k.2: a damaged or opened envelope is reported at once to those who answer for
// it — the heads of the receiving unit and of the agency, and the security officers; not to the
// heads of unrelated units (the notice names the document and its issuer).
describe.each(DIALECTS)('a damaged envelope on receipt on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  const received = (to: { kind: 'unit' | 'user'; id: string }, envelopeState: 'damaged' | 'opened' | 'intact') => ({
    issuer: 'Bộ Ngoại giao',
    numberSymbol: '9/BNG-LS',
    documentDate: '2026-02-27',
    docType: 'Công văn',
    kind: 'document',
    level: 'SECRET',
    copies: 1,
    addresseeOnly: false,
    envelopeState,
    to,
    summary: 'Về việc bảo hộ công dân',
  });

  it.each([
    ['a unit', (ids: Agency['ids']) => ({ kind: 'unit' as const, id: ids.unitA })],
    ['a person of that unit', (ids: Agency['ids']) => ({ kind: 'user' as const, id: ids.officerA })],
  ])('sent to %s: its head, the agency head and the security officer are told; other heads are not', async (_label, to) => {
    a = await startAgency(dialect);
    const clerk = await a.as('vanthu');
    const r = await clerk.post('/api/items/incoming', received(to(a.ids), 'opened'));
    expect(r.statusCode, r.body).toBe(200);
    const told = await a.t.deps.dbh.db.selectFrom('notifications').select(['user_id', 'kind', 'subject_id']).execute();
    expect(told.map((n) => n.user_id).sort()).toEqual([a.ids.headR, a.ids.headA, a.ids.so].sort());
    expect(new Set(told.map((n) => `${n.kind}:${n.subject_id}`))).toEqual(new Set([`envelope_damaged:${r.json().item.id}`]));
    const audit = await a.t.deps.dbh.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'incident.envelope_reported')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toEqual({ envelope: 'opened', notified: 3 });
    // The head of the other unit sees nothing; the told head sees it in their list.
    expect((await (await a.as('truongphongb')).get('/api/notifications')).json().total).toBe(0);
    expect((await (await a.as('truongphonga')).get('/api/notifications')).json().rows[0]).toMatchObject({
      kind: 'envelope_damaged',
      subjectId: r.json().item.id,
    });
  });

  it('an intact envelope tells nobody', async () => {
    a = await startAgency(dialect);
    expect((await (await a.as('vanthu')).post('/api/items/incoming', received({ kind: 'unit', id: a.ids.unitA }, 'intact'))).statusCode).toBe(200);
    expect(await a.t.deps.dbh.db.selectFrom('notifications').selectAll().execute()).toEqual([]);
  });
});
