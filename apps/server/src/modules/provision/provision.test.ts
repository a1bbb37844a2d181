import { addDays, civilDateInVietnam } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from '../items/items-test-helpers';
import { pdfText } from '../registers/print/document-text';
import { findSigner } from './provision.repository';
import { executeProvision } from './provision.usecases';

// Providing / transferring a secret (cung cấp, chuyển giao) through HTTP on both databases: an
// approved request — in the agency, or by the higher authority whose decision the agency recorded
// — is carried out by the văn thư who keeps the copies through the dispatch flow (copies in
// transit to the requesting body, a line in the outgoing register, envelope marks); the body's
// receipt closes it; the answer letter prints as a PDF. Every refusal is a coded error that
// writes nothing but its audited refusal.

const DIALECTS = await dialects();
const DAY = 24 * 3600 * 1000;
const BODY = 'Sở Tư pháp tỉnh Thử nghiệm';
const FOREIGN_BODY = 'Đại sứ quán nước X tại Hà Nội';
const PURPOSE = 'Phối hợp chuẩn bị chuyến thăm của đoàn';
const REASON = 'Tài liệu chưa cần thiết cho nhiệm vụ được giao; đề nghị làm việc trực tiếp tại Sở.';

type Reply = { statusCode: number; body: string; json: () => { error?: { code: string; message: string } } & Record<string, unknown> };

async function fingerprint(a: Agency): Promise<string> {
  const db = a.t.deps.dbh.db;
  const parts: string[] = [];
  for (const table of [
    'requests',
    'request_decisions',
    'provisions',
    'request_letters',
    'notifications',
    'copies',
    'custody_events',
    'register_entries',
    'counters',
  ] as const) {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    parts.push(`${table}=${Number(r.n)}`);
  }
  const requests = await db.selectFrom('requests').select(['id', 'status', 'updated_at']).orderBy('id').execute();
  const copies = await db
    .selectFrom('copies')
    .select(['id', 'status', 'holder_kind', 'holder_user_id', 'holder_unit_id', 'pending_outside', 'updated_at'])
    .orderBy('id')
    .execute();
  const counters = await db.selectFrom('counters').selectAll().orderBy('name').execute();
  return `${parts.join(' ')} ${JSON.stringify(requests)} ${JSON.stringify(copies)} ${JSON.stringify(counters)}`;
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
async function expectRefusals(a: Agency, calls: [label: string, call: () => Promise<Reply>, status: number, code: string][]) {
  const before = await fingerprint(a);
  const seq = await lastSeq(a);
  for (const [label, call, status, code] of calls) {
    const r = await call();
    expect([label, r.statusCode, r.json().error?.code]).toEqual([label, status, code]);
    expect(r.json().error!.message, label).toMatch(/[àáảãạăâđêôơưệốộừữ]/i);
  }
  expect(await fingerprint(a)).toBe(before);
  const events = await auditSince(a, seq);
  expect(events.map((e) => [e.action, e.details.reason])).toEqual(calls.map((c) => ['provision.execute_refused', c[3]]));
}

const copiesOf = async (a: Agency, itemId: string) =>
  a.t.deps.dbh.db.selectFrom('copies').select(['id', 'seq_no', 'status', 'holder_unit_id', 'label']).where('item_id', '=', itemId).orderBy('seq_no').execute();

/**
 * An issued item (copy 1/3 in transit to unit A, 2/3 to Bộ Ngoại giao, 3/3 kept by unit A); the
 * officer of A asks to provide the chosen copy to a body; submitted, not yet decided.
 */
async function submittedProvision(a: Agency, o: { type: 'provide_domestic' | 'provide_foreign'; copy?: number }) {
  const itemId = await a.issued();
  const copy = (await copiesOf(a, itemId)).find((c) => c.seq_no === (o.copy ?? 3))!;
  const officer = await a.as('canboa');
  const details =
    o.type === 'provide_domestic'
      ? {
          requestingBody: BODY,
          representative: 'Nguyễn Thị Hạnh',
          representativePosition: 'Phó Giám đốc',
          idDocument: 'CCCD 001180000123',
          whatAsked: 'Kế hoạch phối hợp',
          commitment: true,
        }
      : {
          requestingBody: FOREIGN_BODY,
          representative: 'John Smith',
          representativePosition: 'Tham tán',
          nationality: 'X',
          idDocument: 'P1234567',
          whatAsked: 'Lịch trình làm việc',
          commitment: true,
        };
  const created = await officer.post('/api/requests', { type: o.type, itemId, copyIds: [copy.id], purpose: PURPOSE, details });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await officer.post(`/api/requests/${id}/submit`)).statusCode).toBe(200);
  return { itemId, requestId: id, copyId: copy.id, today: civilDateInVietnam(a.t.clock.now()) };
}

const clerkOfA = (a: Agency): Actor => ({ userId: a.ids.clerkA, roles: ['clerk'], clearance: 'SECRET', unitId: a.ids.unitA });

describe.each(DIALECTS)('provision on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  it("domestic: the văn thư keeping the copy sends it through dispatch, the body's receipt closes the request; the letter of approval prints", async () => {
    a = await startAgency(dialect);
    const { t, ids, as } = a;
    const { requestId, copyId, itemId, today } = await submittedProvision(a, { type: 'provide_domestic' });
    const officer = await as('canboa');
    const clerk = await as('vanthua');
    const head = await as('giamdoc');
    const unitHead = await as('truongphonga');
    const clerkB = await as('vanthub');
    const agencyClerk = await as('vanthu');
    const inspector = await as('thanhtra');
    const colleague = await as('dongnghiepa');

    // Not yet approved: nothing is sent.
    await expectRefusals(a, [['not approved yet', () => clerk.post(`/api/requests/${requestId}/provision`), 409, 'request.transition_not_allowed']]);
    expect((await head.post(`/api/requests/${requestId}/approve`, { deadline: addDays(today, 10) })).statusCode).toBe(200);

    // Who may send: the văn thư of unit A, which keeps the bản lưu.
    expect((await clerk.get(`/api/requests/${requestId}/provision`)).json()).toEqual({
      provision: null,
      can: { execute: true, printLetter: true, recordReceipt: false, printEnvelopes: false },
    });
    expect((await officer.get(`/api/requests/${requestId}/provision`)).json().can.execute).toBe(false);
    await expectRefusals(a, [
      ['the requester, not a văn thư', () => officer.post(`/api/requests/${requestId}/provision`), 403, 'provision.not_clerk'],
      ['the head of the keeping unit, not a văn thư', () => unitHead.post(`/api/requests/${requestId}/provision`), 403, 'provision.not_clerk'],
      ['the văn thư of another unit', () => clerkB.post(`/api/requests/${requestId}/provision`), 403, 'provision.not_keeper'],
      ["the agency's văn thư, who does not keep it", () => agencyClerk.post(`/api/requests/${requestId}/provision`), 403, 'provision.not_keeper'],
      ['the inspector', () => inspector.post(`/api/requests/${requestId}/provision`), 403, 'auth.forbidden'],
    ]);

    const seq = await lastSeq(a);
    const sent = await clerk.post(`/api/requests/${requestId}/provision`);
    expect(sent.statusCode, sent.body).toBe(200);
    const view = sent.json() as unknown as {
      provision: { custodyEventId: string; recipient: string; registerNumber: number; closedAt: string | null };
      envelopes: { marks: { text: string }[] }[];
    };
    expect(view.provision).toMatchObject({ recipient: BODY, closedAt: null });
    // One envelope marked "C"? No — a Tối mật item: one envelope marked "B" (NĐ 26/2020 Đ.4).
    expect(view.envelopes.map((e) => e.marks.map((m) => m.text))).toEqual([expect.arrayContaining(['B'])]);
    expect((await officer.get(`/api/requests/${requestId}`)).json().status).toBe('executed');
    const db = t.deps.dbh.db;
    const copy = await db.selectFrom('copies').selectAll().where('id', '=', copyId).executeTakeFirstOrThrow();
    expect([copy.status, copy.pending_kind, copy.pending_outside]).toEqual(['in_transit', 'outside', BODY]);
    const event = await db.selectFrom('custody_events').selectAll().where('id', '=', view.provision.custodyEventId).executeTakeFirstOrThrow();
    expect([event.kind, event.to_label, event.confirmed_at]).toEqual(['dispatch', BODY, null]);
    const entry = await db.selectFrom('register_entries').selectAll().where('custody_event_id', '=', event.id).executeTakeFirstOrThrow();
    expect([entry.register, entry.recipient, entry.quantity, entry.copy_labels, entry.number]).toEqual([
      'outgoing',
      BODY,
      1,
      'Bản số 3/3',
      view.provision.registerNumber,
    ]);
    expect(entry.note).toMatch(/^Cung cấp, chuyển giao theo phê duyệt ngày \d{4}-\d{2}-\d{2}$/);
    const events = await auditSince(a, seq);
    expect(events.map((e) => e.action)).toEqual(['provision.executed']);
    expect(JSON.stringify(events)).not.toContain(PURPOSE);
    expect(JSON.stringify(events)).not.toContain(SUMMARY);
    const told = await db.selectFrom('notifications').select(['user_id', 'message']).where('kind', '=', 'provision_sent').execute();
    expect(told.map((n) => n.user_id)).toEqual([ids.officerA]);
    expect(told[0]!.message).not.toContain(SUMMARY);

    // The envelope labels of the sending, for the văn thư; addressed to the body, marked "B".
    const labels = await clerk.get(`/api/requests/${requestId}/provision/envelopes.pdf`);
    expect(labels.statusCode, labels.body.slice(0, 200)).toBe(200);
    const labelText = pdfText(labels.rawPayload);
    expect(labelText).toContain(BODY);
    expect(labelText).toContain('B');
    expect((await officer.get(`/api/requests/${requestId}/provision/envelopes.pdf`)).json().error.code).toBe('provision.not_clerk');

    // Not twice.
    await expectRefusals(a, [['sent again', () => clerk.post(`/api/requests/${requestId}/provision`), 409, 'provision.already_executed']]);

    // The letter of approval: agency, number, the body and its representative, what is provided, the signer.
    const letter = await officer.get(`/api/requests/${requestId}/letter.pdf`);
    expect(letter.statusCode, letter.body.slice(0, 200)).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    const text = pdfText(letter.rawPayload);
    const signer = (await findSigner(db, ids.headR))!;
    for (const s of [
      'SỞ NGOẠI VỤ TỈNH THỬ NGHIỆM',
      'Số: 1/SNV-BM',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      `Kính gửi: ${BODY}`,
      'Nguyễn Thị Hạnh',
      'Sở Ngoại vụ tỉnh Thử nghiệm đồng ý cung cấp, chuyển giao cho Sở Tư pháp tỉnh Thử nghiệm',
      'độ Tối mật (Bản số 3/3)',
      `Mục đích sử dụng: ${PURPOSE}.`,
      'cam kết bảo vệ bí mật nhà nước',
      signer.position.toUpperCase(),
      signer.name,
    ])
      expect(text).toContain(s);
    expect(text).not.toContain(SUMMARY);
    // The number is kept: a second print carries the same one; each print is audited.
    const seq2 = await lastSeq(a);
    expect(pdfText((await head.get(`/api/requests/${requestId}/letter.pdf`)).rawPayload)).toContain('Số: 1/SNV-BM');
    expect((await auditSince(a, seq2)).map((e) => [e.action, e.details.letterNumber, e.details.numbered])).toEqual([
      ['provision.letter_printed', '1/SNV-BM', false],
    ]);
    // Someone who may not see the request learns nothing, not even that it exists.
    expect((await colleague.get(`/api/requests/${requestId}/letter.pdf`)).json().error.code).toBe('request.not_found');

    // The body's signed receipt, recorded through dispatch, closes the request.
    const seq3 = await lastSeq(a);
    const receipt = await clerk.post(`/api/custody/${event.id}/outside-receipt`, { receivedBy: 'Nguyễn Thị Hạnh' });
    expect(receipt.statusCode, receipt.body).toBe(200);
    expect((await officer.get(`/api/requests/${requestId}`)).json().status).toBe('closed');
    const after = (await clerk.get(`/api/requests/${requestId}/provision`)).json() as unknown as { provision: { receivedAt: string; closedAt: string } };
    expect(after.provision.closedAt).not.toBeNull();
    expect(after.provision.receivedAt).not.toBeNull();
    expect((await auditSince(a, seq3)).map((e) => e.action)).toEqual(['custody.outside_receipt_recorded', 'provision.closed']);
    const held = await db.selectFrom('copies').select(['status', 'holder_kind', 'holder_outside']).where('id', '=', copyId).executeTakeFirstOrThrow();
    expect(held).toEqual({ status: 'held', holder_kind: 'outside', holder_outside: BODY });
    void itemId;
  });

  it("foreign: approved by the recorded outside decision, sent by the văn thư; the letter carries that decision's number, date and signer", async () => {
    a = await startAgency(dialect);
    const { t, as } = a;
    const { requestId, today } = await submittedProvision(a, { type: 'provide_foreign' });
    const head = await as('giamdoc');
    const outside = {
      outcome: 'approved',
      authority: 'Chủ tịch Ủy ban nhân dân tỉnh Thử nghiệm',
      number: '125/QĐ-UBND',
      date: today,
      signer: 'Nguyễn Văn Chính',
      deadline: addDays(today, 30),
    };
    const recorded = await head.post(`/api/requests/${requestId}/outside-decision`, outside);
    expect(recorded.statusCode, recorded.body).toBe(200);
    const sent = await (await as('vanthua')).post(`/api/requests/${requestId}/provision`);
    expect(sent.statusCode, sent.body).toBe(200);
    const entry = await t.deps.dbh.db
      .selectFrom('register_entries')
      .selectAll()
      .where('custody_event_id', '=', (sent.json() as unknown as { provision: { custodyEventId: string } }).provision.custodyEventId)
      .executeTakeFirstOrThrow();
    expect([entry.recipient, entry.note]).toEqual([
      FOREIGN_BODY,
      `Cung cấp, chuyển giao theo văn bản số 125/QĐ-UBND ngày ${today} của Chủ tịch Ủy ban nhân dân tỉnh Thử nghiệm`,
    ]);

    const counters = await t.deps.dbh.db.selectFrom('counters').select('name').where('name', '=', 'letter:provision').execute();
    const text = pdfText((await (await as('canboa')).get(`/api/requests/${requestId}/letter.pdf`)).rawPayload);
    const dmy = today.split('-').reverse().join('/');
    for (const s of [
      `Số: 125/QĐ-UBND`,
      `Kính gửi: ${FOREIGN_BODY}`,
      'John Smith',
      'quốc tịch: X',
      'hộ chiếu: P1234567',
      `Theo quyết định của Chủ tịch Ủy ban nhân dân tỉnh Thử nghiệm (văn bản số 125/QĐ-UBND ngày ${dmy})`,
      'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM',
      'Nguyễn Văn Chính',
    ])
      expect(text).toContain(s);
    // An outside decision's letter takes its number from that decision: the agency's letter numbers are untouched.
    expect(await t.deps.dbh.db.selectFrom('counters').select('name').where('name', '=', 'letter:provision').execute()).toEqual(counters);
  });

  it('a refused request prints the reasoned refusal and cannot be carried out; an expired approval or a copy no longer at rest is refused; nothing written', async () => {
    a = await startAgency(dialect);
    const { t, as } = a;
    const head = await as('giamdoc');
    const clerk = await as('vanthua');
    const officer = await as('canboa');
    const agencyClerk = await as('vanthu');

    const refused = await submittedProvision(a, { type: 'provide_domestic' });
    expect((await head.post(`/api/requests/${refused.requestId}/refuse`, { reason: REASON })).statusCode).toBe(200);
    expect((await officer.get(`/api/requests/${refused.requestId}/provision`)).json().can).toEqual({
      execute: false,
      printLetter: true,
      recordReceipt: false,
      printEnvelopes: false,
    });
    const text = pdfText((await (await as('canboa')).get(`/api/requests/${refused.requestId}/letter.pdf`)).rawPayload);
    expect(text).toContain('V/v trả lời đề nghị cung cấp, chuyển giao bí mật nhà nước');
    expect(text).toContain('Sở Ngoại vụ tỉnh Thử nghiệm không đồng ý cung cấp, chuyển giao');
    expect(text).toContain(`Lý do: ${REASON}`);
    expect(text).not.toContain('đồng ý cung cấp, chuyển giao cho');

    // Copy 1/3 is still in transit to unit A: not at rest, not sent.
    const inTransit = await submittedProvision(a, { type: 'provide_domestic', copy: 1 });
    expect((await head.post(`/api/requests/${inTransit.requestId}/approve`, { deadline: addDays(inTransit.today, 5) })).statusCode).toBe(200);
    await expectRefusals(a, [
      ['a refused request', () => clerk.post(`/api/requests/${refused.requestId}/provision`), 409, 'request.transition_not_allowed'],
      ['a copy in transit', () => agencyClerk.post(`/api/requests/${inTransit.requestId}/provision`), 409, 'provision.copy_unavailable'],
    ]);
    // A letter before any decision: nothing to answer yet (and nothing numbered).
    const undecided = await submittedProvision(a, { type: 'provide_domestic' });
    const before = await fingerprint(a);
    expect((await (await as('canboa')).get(`/api/requests/${undecided.requestId}/letter.pdf`)).json().error.code).toBe('provision.not_decided');
    expect(await fingerprint(a)).toBe(before);

    // An approval past its deadline (sessions lapse over days: the use case is asked directly).
    const expiring = await submittedProvision(a, { type: 'provide_domestic' });
    expect((await head.post(`/api/requests/${expiring.requestId}/approve`, { deadline: expiring.today })).statusCode).toBe(200);
    t.clock.advance(2 * DAY);
    const before2 = await fingerprint(a);
    const seq = await lastSeq(a);
    await expect(executeProvision(t.deps, clerkOfA(a), expiring.requestId)).rejects.toMatchObject({ code: 'request.approval_expired' });
    expect(await fingerprint(a)).toBe(before2);
    expect((await auditSince(a, seq)).map((e) => [e.action, e.details.reason])).toEqual([['provision.execute_refused', 'request.approval_expired']]);
  });

  it('a copy taken out meanwhile is not sent; two văn thư sending at once: exactly one dispatch', async () => {
    a = await startAgency(dialect);
    const { t, as, ids } = a;
    const head = await as('giamdoc');
    const clerkA = await as('vanthua');
    const p = await submittedProvision(a, { type: 'provide_domestic' });
    expect((await head.post(`/api/requests/${p.requestId}/approve`, { deadline: addDays(p.today, 5) })).statusCode).toBe(200);
    // The same copy goes out with the officer first (a take-out approved and carried out).
    const takeOut = await (
      await as('canboa')
    ).post('/api/requests', {
      type: 'take_out_domestic',
      itemId: p.itemId,
      copyIds: [p.copyId],
      purpose: 'Làm việc tại Bộ Ngoại giao',
      details: { place: 'Hà Nội', from: p.today, to: addDays(p.today, 2), protectionMeasures: 'Cặp có khóa' },
    });
    await (await as('canboa')).post(`/api/requests/${takeOut.json().id}/submit`);
    expect((await head.post(`/api/requests/${takeOut.json().id}/approve`, { deadline: addDays(p.today, 5) })).statusCode).toBe(200);
    expect((await (await as('vanthua')).post(`/api/requests/${takeOut.json().id}/take-out`)).statusCode).toBe(200);
    await expectRefusals(a, [['a copy taken out', () => clerkA.post(`/api/requests/${p.requestId}/provision`), 409, 'provision.copy_unavailable']]);

    // A second request, raced by two executions of the same văn thư: one sends, the other is refused.
    const q = await submittedProvision(a, { type: 'provide_domestic' });
    expect((await head.post(`/api/requests/${q.requestId}/approve`, { deadline: addDays(q.today, 5) })).statusCode).toBe(200);
    const clerk: Actor = { userId: ids.clerkA, roles: ['clerk'], clearance: 'SECRET', unitId: ids.unitA };
    const results = await Promise.allSettled([executeProvision(t.deps, clerk, q.requestId), executeProvision(t.deps, clerk, q.requestId)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['provision.already_executed', 'request.transition_not_allowed']).toContain((failed.reason as { code: string }).code);
    const db = t.deps.dbh.db;
    expect(await db.selectFrom('provisions').select('id').where('request_id', '=', q.requestId).execute()).toHaveLength(1);
    const copy = await db.selectFrom('copies').select('status').where('id', '=', q.copyId).executeTakeFirstOrThrow();
    expect(copy.status).toBe('in_transit');
    const dispatches = await db
      .selectFrom('custody_event_copies')
      .innerJoin('custody_events', 'custody_events.id', 'custody_event_copies.event_id')
      .select('custody_events.id')
      .where('custody_event_copies.copy_id', '=', q.copyId)
      .where('custody_events.kind', '=', 'dispatch')
      .execute();
    expect(dispatches).toHaveLength(1);
    expect(await db.selectFrom('register_entries').select('id').where('custody_event_id', '=', dispatches[0]!.id).execute()).toHaveLength(1);
  });
});
