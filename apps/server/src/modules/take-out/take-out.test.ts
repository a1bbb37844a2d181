import { addDays, civilDateInVietnam } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from '../items/items-test-helpers';
import { executeTakeOut, listTakeOuts, notifyOverdueTakeOuts, returnTakeOut } from './take-out.usecases';

// Taking out (mang ra khỏi nơi lưu giữ) through HTTP on both databases: an approved request is
// carried out by the keeper of the copies, returned with the holder's report, told once when
// overdue, or ends in a declared loss that opens an incident. Every refusal is a coded error that
// writes nothing but its audited refusal; no notice carries the item's summary.

const DIALECTS = await dialects();
const DAY = 24 * 3600 * 1000;
const REPORT = 'Tài liệu luôn để trong cặp có khóa, mang theo người, không để ai tiếp cận.';
const LOSS = 'Mất cặp tài liệu trên xe khách tuyến Hà Nội - Hải Phòng.';

type Client = Awaited<ReturnType<Agency['as']>>;

async function fingerprint(a: Agency): Promise<string> {
  const db = a.t.deps.dbh.db;
  const parts: string[] = [];
  for (const table of ['requests', 'request_decisions', 'take_outs', 'take_out_copies', 'incidents', 'notifications', 'copies', 'custody_events'] as const) {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    parts.push(`${table}=${Number(r.n)}`);
  }
  const requests = await db.selectFrom('requests').select(['id', 'status', 'updated_at']).orderBy('id').execute();
  const copies = await db
    .selectFrom('copies')
    .select(['id', 'status', 'holder_kind', 'holder_user_id', 'holder_unit_id', 'updated_at'])
    .orderBy('id')
    .execute();
  return `${parts.join(' ')} ${JSON.stringify(requests)} ${JSON.stringify(copies)}`;
}

const lastSeq = async (a: Agency) => (await a.t.deps.audit.head(a.t.deps.dbh.db)).seq;
async function auditSince(a: Agency, seq: number) {
  const rows = await a.t.deps.dbh.db.selectFrom('audit_events').select(['action', 'details', 'subject_id']).where('seq', '>', seq).orderBy('seq').execute();
  return rows.map((r) => ({
    action: r.action,
    subjectId: r.subject_id,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown>,
  }));
}

/** Runs refused calls; asserts each answer and that nothing but one refusal event each was written. */
async function expectRefusals(
  a: Agency,
  calls: [
    label: string,
    call: () => Promise<{ statusCode: number; json: () => { error?: { code: string; message: string } } }>,
    status: number,
    code: string,
  ][],
) {
  const before = await fingerprint(a);
  const seq = await lastSeq(a);
  for (const [label, call, status, code] of calls) {
    const r = await call();
    expect([label, r.statusCode, r.json().error?.code]).toEqual([label, status, code]);
    expect(r.json().error!.message, label).toMatch(/[àáảãạăâđêôơưệốộừữ]/i);
  }
  expect(await fingerprint(a)).toBe(before);
  const events = await auditSince(a, seq);
  expect(events.map((e) => e.action)).toEqual(calls.map(() => expect.stringMatching(/^take_out\.\w+_refused$/)));
  return events;
}

/** An issued item whose bản lưu (copy 3/3) is held by unit A; the officer of A asks to take it out; the agency head approves. */
async function approvedTakeOut(a: Agency, o: { deadlineDays: number; toDays: number; copy?: number }) {
  const { t, as } = a;
  const today = civilDateInVietnam(t.clock.now());
  const itemId = await a.issued();
  const copies = await t.deps.dbh.db
    .selectFrom('copies')
    .select(['id', 'seq_no', 'status', 'holder_unit_id'])
    .where('item_id', '=', itemId)
    .orderBy('seq_no')
    .execute();
  const copy = copies.find((c) => c.seq_no === (o.copy ?? 3))!;
  const officer = await as('canboa');
  const created = await officer.post('/api/requests', {
    type: 'take_out_domestic',
    itemId,
    copyIds: [copy.id],
    purpose: 'Làm việc tại Bộ Ngoại giao',
    details: { place: 'Bộ Ngoại giao, Hà Nội', from: today, to: addDays(today, o.toDays), protectionMeasures: 'Cặp có khóa, luôn mang theo người' },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await officer.post(`/api/requests/${id}/submit`)).statusCode).toBe(200);
  const approved = await (await as('giamdoc')).post(`/api/requests/${id}/approve`, { deadline: addDays(today, o.deadlineDays) });
  expect(approved.statusCode, approved.body).toBe(200);
  return { itemId, requestId: id, copyId: copy.id, today };
}

const actorOf = (a: Agency, who: 'clerkA' | 'officerA' | 'so' | 'headA' | 'headB'): Actor => {
  const ids = a.ids;
  const table: Record<typeof who, Actor> = {
    clerkA: { userId: ids.clerkA, roles: ['clerk'], clearance: 'SECRET', unitId: ids.unitA },
    officerA: { userId: ids.officerA, roles: ['officer'], clearance: 'SECRET', unitId: ids.unitA },
    so: { userId: ids.so, roles: ['security_officer'], clearance: 'TOP_SECRET', unitId: ids.root },
    headA: { userId: ids.headA, roles: ['head'], clearance: 'TOP_SECRET', unitId: ids.unitA },
    headB: { userId: ids.headB, roles: ['head'], clearance: 'TOP_SECRET', unitId: ids.unitB },
  };
  return table[who];
};

const notices = async (c: Client, kind: string) =>
  ((await c.get('/api/notifications')).json().rows as { kind: string; subjectId: string; message: string }[]).filter((n) => n.kind === kind);

describe.each(DIALECTS)('take-out on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  it('the keeper carries out an approved take-out, the holder returns it with a report; refusals on the way write nothing but themselves', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const { requestId, copyId, today } = await approvedTakeOut(a, { deadlineDays: 10, toDays: 3 });
    const officer = await as('canboa');
    const clerk = await as('vanthua');
    const colleague = await as('dongnghiepa');
    const head = await as('giamdoc');
    await as('thanhtra');

    // Before: the keeper (the clerk of unit A) may carry it out; the requester sees it may not yet be returned.
    expect((await clerk.get(`/api/requests/${requestId}/take-out`)).json()).toEqual({
      takeOut: null,
      can: { execute: true, return: false, reportLoss: false },
    });
    expect((await officer.get(`/api/requests/${requestId}/take-out`)).json().can.execute).toBe(false);
    // The keeper sees the request's page (to carry it out); a colleague of the unit does not.
    expect((await clerk.get(`/api/requests/${requestId}`)).statusCode).toBe(200);
    expect((await colleague.get(`/api/requests/${requestId}`)).statusCode).toBe(404);
    // The take-out side: a colleague or the head of another unit learns nothing; the head of the requester's unit sees it.
    expect((await colleague.get(`/api/requests/${requestId}/take-out`)).json().error.code).toBe('request.not_found');
    expect((await (await as('truongphongb')).get(`/api/requests/${requestId}/take-out`)).json().error.code).toBe('request.not_found');
    expect((await (await as('truongphonga')).get(`/api/requests/${requestId}/take-out`)).statusCode).toBe(200);

    const events = await expectRefusals(a, [
      // The copy is kept by unit A: the officer does not hold it, a colleague even less.
      ['the requester, not the keeper', () => officer.post(`/api/requests/${requestId}/take-out`), 403, 'take_out.not_executor'],
      ['a colleague', () => colleague.post(`/api/requests/${requestId}/take-out`), 403, 'take_out.not_executor'],
      ['the inspector', async () => (await as('thanhtra')).post(`/api/requests/${requestId}/take-out`), 403, 'auth.forbidden'],
    ]);
    expect(events.map((e) => [e.action, e.subjectId, e.details.reason])).toEqual([
      ['take_out.execute_refused', requestId, 'take_out.not_executor'],
      ['take_out.execute_refused', requestId, 'take_out.not_executor'],
      ['take_out.execute_refused', requestId, 'auth.forbidden'],
    ]);

    const seq = await lastSeq(a);
    const executed = await clerk.post(`/api/requests/${requestId}/take-out`);
    expect(executed.statusCode, executed.body).toBe(200);
    const view = executed.json();
    // Due back on the request's "to" date (earlier than the approval's deadline).
    expect(view.takeOut).toMatchObject({
      status: 'out',
      takenBy: { id: ids.officerA },
      dueDate: addDays(today, 3),
      overdue: false,
      copies: [{ id: copyId, status: 'taken_out' }],
    });
    expect((await officer.get(`/api/requests/${requestId}`)).json().status).toBe('executed');
    const copy = await t.deps.dbh.db.selectFrom('copies').selectAll().where('id', '=', copyId).executeTakeFirstOrThrow();
    expect([copy.status, copy.holder_kind, copy.holder_user_id]).toEqual(['taken_out', 'user', ids.officerA]);
    const takeOutId = view.takeOut.id as string;
    const custody = async (kind: string) =>
      t.deps.dbh.db
        .selectFrom('custody_events')
        .innerJoin('custody_event_copies', 'custody_event_copies.event_id', 'custody_events.id')
        .select(['custody_events.kind', 'custody_event_copies.copy_id', 'custody_events.to_user_id', 'custody_events.to_unit_id'])
        .where('custody_events.kind', '=', kind)
        .execute();
    expect((await clerk.get(`/api/requests/${requestId}`)).statusCode).toBe(200); // still the keeper it goes back to
    expect(await custody('take_out')).toEqual([{ kind: 'take_out', copy_id: copyId, to_user_id: ids.officerA, to_unit_id: null }]);
    expect((await auditSince(a, seq)).map((e) => e.action)).toEqual(['take_out.executed']);
    // Not twice; not returned without the report, nor by someone else.
    await expectRefusals(a, [
      ['executed again', () => clerk.post(`/api/requests/${requestId}/take-out`), 409, 'request.transition_not_allowed'],
      ['a colleague returns it', () => colleague.post(`/api/take-outs/${takeOutId}/return`, { report: REPORT }), 403, 'take_out.not_returner'],
      ['without the report', () => officer.post(`/api/take-outs/${takeOutId}/return`, { report: '   ' }), 422, 'take_out.report_required'],
      [
        'a colleague declares it lost',
        () => colleague.post(`/api/take-outs/${takeOutId}/loss`, { copyId, description: LOSS }),
        403,
        'take_out.not_loss_reporter',
      ],
    ]);
    expect((await officer.get(`/api/requests/${requestId}/take-out`)).json().can).toEqual({ execute: false, return: true, reportLoss: true });

    const seq2 = await lastSeq(a);
    const returned = await officer.post(`/api/take-outs/${takeOutId}/return`, { report: REPORT });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().takeOut).toMatchObject({ status: 'returned', returnReport: REPORT, copies: [{ id: copyId, status: 'held' }] });
    expect((await officer.get(`/api/requests/${requestId}`)).json().status).toBe('closed');
    const back = await t.deps.dbh.db.selectFrom('copies').selectAll().where('id', '=', copyId).executeTakeFirstOrThrow();
    expect([back.status, back.holder_kind, back.holder_unit_id]).toEqual(['held', 'unit', ids.unitA]);
    expect(await custody('bring_back')).toEqual([{ kind: 'bring_back', copy_id: copyId, to_user_id: null, to_unit_id: ids.unitA }]);
    const after = await auditSince(a, seq2);
    expect(after.map((e) => e.action)).toEqual(['take_out.returned']);
    expect(JSON.stringify(after)).not.toContain(REPORT);
    // The person who allowed it is told of the return; the notice names no content.
    const [told] = await notices(head, 'take_out_returned');
    expect(told?.message).toMatch(/^.+ đã trả lại tài liệu \(Tối mật\) mang ra khỏi nơi lưu giữ và nộp báo cáo việc bảo vệ khi mang ra ngoài\.$/);
    for (const n of await notices(head, 'take_out_returned')) expect(n.message).not.toContain(SUMMARY);
    await expectRefusals(a, [['returned twice', () => officer.post(`/api/take-outs/${takeOutId}/return`, { report: REPORT }), 409, 'take_out.not_out']]);
  });

  it('an expired approval, or a copy in a state that does not allow it, is refused; nothing written', async () => {
    a = await startAgency(dialect);
    const { t, ids } = a;
    // Copy 1/3 is still in transit to unit A: the custody rule refuses taking it out.
    const inTransit = await approvedTakeOut(a, { deadlineDays: 10, toDays: 3, copy: 1 });
    const vanthu = await a.as('vanthu'); // the agency's clerk: still its holder while it travels
    await expectRefusals(a, [['a copy in transit', () => vanthu.post(`/api/requests/${inTransit.requestId}/take-out`), 422, 'copy.transition_not_allowed']]);

    const expiring = await approvedTakeOut(a, { deadlineDays: 0, toDays: 3 });
    t.clock.advance(2 * DAY);
    const before = await fingerprint(a);
    const seq = await lastSeq(a);
    await expect(executeTakeOut(t.deps, actorOf(a, 'clerkA'), expiring.requestId)).rejects.toMatchObject({ code: 'request.approval_expired' });
    expect(await fingerprint(a)).toBe(before);
    expect((await auditSince(a, seq)).map((e) => [e.action, e.details.reason])).toEqual([['take_out.execute_refused', 'request.approval_expired']]);
    void ids;
  });

  it("an overdue take-out is told once to the head of the holder's unit and the security officer, listed as overdue, then returned", async () => {
    a = await startAgency(dialect);
    const { t, ids, as } = a;
    const so = await as('baomat');
    const headA = await as('truongphonga');
    const headB = await as('truongphongb');
    const officer = await as('canboa');
    const { requestId, today } = await approvedTakeOut(a, { deadlineDays: 2, toDays: 5 });
    expect((await (await as('vanthua')).post(`/api/requests/${requestId}/take-out`)).statusCode).toBe(200);
    const [row] = (await so.get('/api/take-outs')).json().items as { id: string; dueDate: string; overdue: boolean; requestId: string }[];
    // Due back at the approval's deadline, earlier than the requested "to" date.
    expect(row).toMatchObject({ requestId, dueDate: addDays(today, 2), overdue: false });
    expect((await headA.get('/api/take-outs')).json().total).toBe(1);
    expect((await headB.get('/api/take-outs')).json().total).toBe(0);
    expect((await officer.get('/api/take-outs')).statusCode).toBe(403);

    // On the due day nothing is told; the day after, once, however many ticks.
    t.clock.advance(2 * DAY);
    expect(await notifyOverdueTakeOuts(t.deps)).toBe(0);
    t.clock.advance(1 * DAY);
    const seq = await lastSeq(a);
    expect(await notifyOverdueTakeOuts(t.deps)).toBe(1);
    expect(await notifyOverdueTakeOuts(t.deps)).toBe(0);
    t.clock.advance(1 * DAY);
    expect(await notifyOverdueTakeOuts(t.deps)).toBe(0);
    expect((await auditSince(a, seq)).map((e) => [e.action, e.subjectId])).toEqual([['take_out.overdue_notified', requestId]]);
    const told = await t.deps.dbh.db
      .selectFrom('notifications')
      .select(['user_id', 'message'])
      .where('kind', '=', 'take_out_overdue')
      .orderBy('user_id')
      .execute();
    expect(told.map((n) => n.user_id)).toEqual([ids.headA, ids.so].sort());
    for (const n of told) {
      expect(n.message).toMatch(/^Tài liệu Tối mật do .+ mang ra khỏi nơi lưu giữ đã quá hạn trả \(hạn ngày \d{4}-\d{2}-\d{2}\) mà chưa được trả lại\.$/);
      expect(n.message).not.toContain(SUMMARY);
    }
    // Sessions lapse over days: the lists and the return are asked of the use cases directly.
    const listed = await listTakeOuts(t.deps, actorOf(a, 'so'));
    expect(listed.items.map((r) => [r.requestId, r.overdue])).toEqual([[requestId, true]]);
    expect((await listTakeOuts(t.deps, actorOf(a, 'headB'))).total).toBe(0);
    const takeOutId = listed.items[0]!.id;
    await returnTakeOut(t.deps, actorOf(a, 'officerA'), takeOutId, { report: REPORT });
    expect((await listTakeOuts(t.deps, actorOf(a, 'so'))).total).toBe(0);
    const ended = await t.deps.dbh.db.selectFrom('requests').select('status').where('id', '=', requestId).executeTakeFirstOrThrow();
    expect(ended.status).toBe('closed');
    // A returned take-out is never told about again.
    t.clock.advance(1 * DAY);
    expect(await notifyOverdueTakeOuts(t.deps)).toBe(0);
  });

  it('a loss while out marks the copy lost, opens an incident and tells the security officer and the agency head', async () => {
    a = await startAgency(dialect);
    const { t, ids, as } = a;
    const so = await as('baomat');
    const head = await as('giamdoc');
    const officer = await as('canboa');
    const { requestId, copyId, itemId } = await approvedTakeOut(a, { deadlineDays: 5, toDays: 3 });
    const executed = await (await as('vanthua')).post(`/api/requests/${requestId}/take-out`);
    const takeOutId = executed.json().takeOut.id as string;
    await expectRefusals(a, [
      ['without a description', () => officer.post(`/api/take-outs/${takeOutId}/loss`, { copyId, description: '' }), 422, 'take_out.description_required'],
      [
        'a copy not out under it',
        () => officer.post(`/api/take-outs/${takeOutId}/loss`, { copyId: ids.unitB, description: LOSS }),
        422,
        'take_out.copy_not_out',
      ],
    ]);
    const seq = await lastSeq(a);
    const lost = await officer.post(`/api/take-outs/${takeOutId}/loss`, { copyId, description: LOSS });
    expect(lost.statusCode, lost.body).toBe(200);
    const incidentId = lost.json().incidentId as string;
    const incident = await t.deps.dbh.db.selectFrom('incidents').selectAll().where('id', '=', incidentId).executeTakeFirstOrThrow();
    expect(incident).toMatchObject({ type: 'loss', item_id: itemId, copy_id: copyId, take_out_id: takeOutId, reported_by: ids.officerA, description: LOSS });
    expect((JSON.parse(incident.notified) as string[]).sort()).toEqual([ids.so, ids.headR].sort());
    const copy = await t.deps.dbh.db.selectFrom('copies').select(['status', 'holder_user_id']).where('id', '=', copyId).executeTakeFirstOrThrow();
    expect(copy).toEqual({ status: 'lost', holder_user_id: ids.officerA });
    expect((await officer.get(`/api/requests/${requestId}`)).json().status).toBe('closed');
    expect((await officer.get(`/api/requests/${requestId}/take-out`)).json().takeOut.status).toBe('lost');
    const events = await auditSince(a, seq);
    expect(events.map((e) => e.action)).toEqual(['incident.opened']);
    expect(JSON.stringify(events)).not.toContain(LOSS);
    for (const c of [so, head]) {
      const [n] = await notices(c, 'incident_loss');
      expect(n?.message).toMatch(/^Báo mất Bản số 3\/3 của tài liệu Tối mật số .+ khi mang ra khỏi nơi lưu giữ, do .+ báo\. Cần xử lý ngay\.$/);
      expect(n?.message).not.toContain(SUMMARY);
      expect(n?.message).not.toContain(LOSS);
    }
    // Nothing more to declare or return.
    await expectRefusals(a, [
      ['declared lost again', () => so.post(`/api/take-outs/${takeOutId}/loss`, { copyId, description: LOSS }), 409, 'take_out.not_out'],
      ['returned after the loss', () => officer.post(`/api/take-outs/${takeOutId}/return`, { report: REPORT }), 409, 'take_out.not_out'],
    ]);
  });
});
