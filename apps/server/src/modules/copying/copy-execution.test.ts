import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { addDays, civilDateInVietnam } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from '../items/items-test-helpers';
import { pdfText } from '../registers/print/document-text';
import { executeCopyRequest, type ExecuteBody } from './copy-execution.usecases';
import { sampleOriginal } from './sample-original';
import { readTraceMark } from './trace-reader';

// Carrying out an approved copy / photograph / extract request through HTTP on both databases: the
// unit's clerk makes exactly the approved copies, each held by its recipient with a verification
// id, the copy register (Mẫu 12) gets one entry with form, authoriser and performer, the request is
// executed; an electronic original yields one marked PDF per copy, the original untouched; every
// refusal is a coded error that writes nothing but its audited refusal; a concurrent second
// execution is a conflict.

const DIALECTS = await dialects();
const EQUIPMENT = 'Máy photocopy Canon iR2525, không kết nối mạng';

type Client = Awaited<ReturnType<Agency['as']>>;

async function fingerprint(a: Agency): Promise<string> {
  const db = a.t.deps.dbh.db;
  const parts: string[] = [];
  for (const table of ['requests', 'copy_executions', 'copies', 'custody_events', 'register_entries', 'secret_items', 'blobs', 'counters'] as const) {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    parts.push(`${table}=${Number(r.n)}`);
  }
  const requests = await db.selectFrom('requests').select(['id', 'status', 'updated_at']).orderBy('id').execute();
  const counters = await db.selectFrom('counters').selectAll().orderBy('name').execute();
  return `${parts.join(' ')} ${JSON.stringify(requests)} ${JSON.stringify(counters)}`;
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

/** An electronic item of unit A with a PDF original, copy allowed, issued; returns its id and the original's bytes. */
async function electronicItem(a: Agency, over: Record<string, unknown> = {}) {
  const id = await a.draft({ kind: 'electronic_document', copyAllowed: true, ...over });
  const original = Buffer.from(await sampleOriginal(['portrait', 'portrait']));
  const officer = await a.as('canboa');
  const up = await a.t.app.inject({
    method: 'POST',
    url: `/api/items/${id}/attachments?name=${encodeURIComponent('ke-hoach.pdf')}`,
    headers: { cookie: `khomat_sid=${officer.cookie}`, 'x-csrf-token': officer.csrf!, 'content-type': 'application/octet-stream' },
    payload: original,
  });
  expect(up.statusCode, up.body).toBe(200);
  expect((await officer.post(`/api/items/${id}/propose`)).statusCode).toBe(200);
  expect((await (await a.as('giamdoc')).post(`/api/items/${id}/approve`)).statusCode).toBe(200);
  const issued = await (await a.as('vanthu')).post(`/api/items/${id}/issue`, { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' });
  expect(issued.statusCode, issued.body).toBe(200);
  return { itemId: id, original, attachmentId: up.json().id as string };
}

/** The officer of A asks for copies for two people; the agency head approves. */
async function approvedRequest(a: Agency, itemId: string, o: { type?: 'copy' | 'photograph' | 'extract'; quantity?: number; deadlineDays?: number } = {}) {
  const type = o.type ?? 'copy';
  const today = civilDateInVietnam(a.t.clock.now());
  const recipients = [
    { kind: 'user', userId: a.ids.officerA },
    { kind: 'user', userId: a.ids.colleagueA },
  ];
  const quantity = o.quantity ?? 2;
  const details =
    type === 'copy'
      ? { form: 'sao_y', quantity, recipients }
      : type === 'photograph'
        ? { quantity, recipients }
        : { part: 'Mục II, điểm 3: lịch làm việc', quantity, recipients };
  const officer = await a.as('canboa');
  const created = await officer.post('/api/requests', { type, itemId, purpose: 'Phục vụ chuẩn bị đón đoàn', details });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await officer.post(`/api/requests/${id}/submit`)).statusCode).toBe(200);
  const approved = await (await a.as('giamdoc')).post(`/api/requests/${id}/approve`, { deadline: addDays(today, o.deadlineDays ?? 5) });
  expect(approved.statusCode, approved.body).toBe(200);
  return id;
}

const body = (over: Record<string, unknown> = {}) => ({ form: 'sao_y', quantity: 2, equipment: EQUIPMENT, spoiled: 0, ...over });

async function download(a: Agency, c: Client, url: string) {
  return a.t.app.inject({ method: 'GET', url, headers: { cookie: `khomat_sid=${c.cookie}` } });
}

describe.each(DIALECTS)('copy execution on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  it('the clerk makes exactly the approved copies of an electronic original: holders, verification ids, custody, Mẫu 12, marked PDFs; the original unchanged', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const { itemId, original, attachmentId } = await electronicItem(a);
    const requestId = await approvedRequest(a, itemId);
    const clerk = await as('vanthua');
    const officer = await as('canboa');
    const colleague = await as('dongnghiepa');

    // The clerk of the unit keeping the original sees the request and may carry it out.
    const before = (await clerk.get(`/api/requests/${requestId}/copy-execution`)).json();
    expect(before).toMatchObject({
      type: 'copy',
      forms: ['sao_y', 'sao_luc'],
      requestedForm: 'sao_y',
      approvedQuantity: 2,
      electronicOriginal: true,
      execution: null,
      can: { execute: true },
    });
    expect((await officer.get(`/api/requests/${requestId}/copy-execution`)).json().can.execute).toBe(false);

    const seq = await lastSeq(a);
    const done = await clerk.post(`/api/requests/${requestId}/copy-execution`, body());
    expect(done.statusCode, done.body).toBe(200);
    const view = done.json();
    expect(view.execution).toMatchObject({
      form: 'sao_y',
      equipment: EQUIPMENT,
      quantity: 2,
      spoiled: 0,
      filesProduced: true,
      photoRecord: false,
      extract: null,
    });
    expect(view.execution.copies.map((c: { label: string; holder: string; hasFile: boolean }) => [c.label, c.holder, c.hasFile])).toEqual([
      ['Bản sao số 1', 'Người dùng canboa', true],
      ['Bản sao số 2', 'Người dùng dongnghiepa', true],
    ]);
    expect((await officer.get(`/api/requests/${requestId}`)).json().status).toBe('executed');
    // The requester (here also a holder) and the other holder are told, without the summary.
    for (const c of [officer, colleague]) {
      const told = ((await c.get('/api/notifications')).json().rows as { kind: string; subjectId: string; message: string }[]).filter(
        (n) => n.kind === 'copy_executed',
      );
      expect(told.map((n) => n.subjectId)).toEqual([requestId]);
      expect(told[0]!.message).toContain('Bản sao số 1, Bản sao số 2');
      expect(told[0]!.message).not.toContain(SUMMARY);
    }

    const db = t.deps.dbh.db;
    const copies = await db.selectFrom('copies').selectAll().where('request_id', '=', requestId).orderBy('seq_no').execute();
    expect(copies.map((c) => [c.item_id, c.origin, c.seq_no, c.total, c.status, c.holder_kind, c.holder_user_id])).toEqual([
      [itemId, 'copy', 1, 2, 'held', 'user', ids.officerA],
      [itemId, 'copy', 2, 2, 'held', 'user', ids.colleagueA],
    ]);
    expect(copies.every((c) => /^[A-Z2-7]{26}$/.test(c.verification_id ?? ''))).toBe(true);
    expect(copies[0]!.verification_id).not.toBe(copies[1]!.verification_id);
    const events = await db
      .selectFrom('custody_events')
      .innerJoin('custody_event_copies', 'custody_event_copies.event_id', 'custody_events.id')
      .select(['custody_events.kind', 'custody_event_copies.copy_id', 'custody_events.to_user_id', 'custody_events.confirmed_by'])
      .where('custody_events.kind', '=', 'copy_made')
      .orderBy('custody_events.to_user_id')
      .execute();
    expect(events.sort((x, y) => x.copy_id.localeCompare(y.copy_id))).toEqual(
      copies
        .map((c) => ({ kind: 'copy_made', copy_id: c.id, to_user_id: c.holder_user_id, confirmed_by: ids.clerkA }))
        .sort((x, y) => x.copy_id.localeCompare(y.copy_id)),
    );
    const entries = await db.selectFrom('register_entries').selectAll().where('register', '=', 'copy').execute();
    expect(entries.map((e) => [e.item_id, e.number, e.quantity, e.copy_labels, e.copy_form, e.authorised_by, e.performed_by, e.recipient, e.note])).toEqual([
      [
        itemId,
        1,
        2,
        'Bản sao số 1, Bản sao số 2',
        'Sao y',
        'Người dùng giamdoc, Giám đốc Sở',
        'Người dùng vanthua',
        'Người dùng canboa; Người dùng dongnghiepa',
        null,
      ],
    ]);
    expect((await auditSince(a, seq)).map((e) => [e.action, e.subjectId, e.details.copies, e.details.files])).toEqual([
      ['copy_execution.executed', requestId, 2, 2],
    ]);

    // Each holder downloads their copy: marked with its number and holder; the two differ in their trace marks.
    const file1 = await download(a, officer, `/api/copies/${copies[0]!.id}/file`);
    expect(file1.statusCode).toBe(200);
    expect(file1.headers['content-type']).toBe('application/pdf');
    const text1 = pdfText(file1.rawPayload);
    expect(text1).toContain('BẢN SAO SỐ 1');
    expect(text1).toContain('Người dùng canboa');
    expect(text1).toContain(copies[0]!.verification_id!);
    expect(text1).toContain('BẢN SAO BÍ MẬT NHÀ NƯỚC');
    // The QR of the trace mark, read back from the first page rasterised at 150 dpi (JPEG q 60), is the copy's id.
    const scan = execFileSync('pdftoppm', ['-r', '150', '-jpeg', '-jpegopt', 'quality=60', '-f', '1', '-l', '1', '-singlefile', '-'], {
      input: file1.rawPayload,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(readTraceMark(scan)).toBe(copies[0]!.verification_id);
    const text2 = pdfText((await download(a, colleague, `/api/copies/${copies[1]!.id}/file`)).rawPayload);
    expect(text2).toContain('BẢN SAO SỐ 2');
    expect(text2).toContain('Người dùng dongnghiepa');
    expect(text2).not.toContain(copies[0]!.verification_id!);
    expect(text2).toContain(copies[1]!.verification_id!);
    // Someone without need-to-know is refused, and the refusal is kept.
    const outsider = await as('canbob');
    const seq2 = await lastSeq(a);
    const refused = await download(a, outsider, `/api/copies/${copies[0]!.id}/file`);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'item.content_forbidden']);
    expect((await auditSince(a, seq2)).map((e) => e.action)).toEqual(['copy.file_refused']);
    expect((await auditSince(a, seq)).filter((e) => e.action === 'copy.file_read').map((e) => e.details.via)).toEqual(['holder', 'holder']);

    // The stored original is unchanged: the same bytes, the same SHA-256.
    const originalNow = await download(a, officer, `/api/items/${itemId}/attachments/${attachmentId}`);
    expect(createHash('sha256').update(originalNow.rawPayload).digest('hex')).toBe(createHash('sha256').update(original).digest('hex'));
    const att = await db.selectFrom('item_attachments').select('sha256').where('id', '=', attachmentId).executeTakeFirstOrThrow();
    expect(att.sha256).toBe(createHash('sha256').update(original).digest('hex'));

    // The copy register prints Mẫu 12 with the form, the authoriser and the performer filled.
    const year = t.clock.now().getUTCFullYear();
    const printed = await download(a, clerk, `/api/registers/copy/print.pdf?year=${year}`);
    expect(printed.statusCode, printed.body.slice(0, 300)).toBe(200);
    const register = pdfText(printed.rawPayload);
    expect(register).toContain('Sao y');
    expect(register).toContain('Người dùng giamdoc');
    expect(register).toContain('Người dùng vanthua');

    // Carried out once: a second execution is a conflict.
    const again = await clerk.post(`/api/requests/${requestId}/copy-execution`, body());
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'request.transition_not_allowed']);
  });

  it('every refusal is coded, in Vietnamese, writes nothing and is audited', async () => {
    a = await startAgency(dialect);
    const { as, t, ids } = a;
    const { itemId } = await electronicItem(a);
    const clerk = await as('vanthua');
    const pending = await (
      await as('canboa')
    ).post('/api/requests', {
      type: 'copy',
      itemId,
      purpose: 'x',
      details: { form: 'sao_y', quantity: 1, recipients: [{ kind: 'user', userId: ids.officerA }] },
    });
    const draftId = pending.json().id as string;
    const requestId = await approvedRequest(a, itemId, { deadlineDays: 1 });
    await as('vanthub'); // signed in before: sign-ins are audited too
    const before = await fingerprint(a);
    const seq = await lastSeq(a);
    const calls: [string, () => Promise<{ statusCode: number; json: () => { error?: { code: string; message: string } } }>, number, string][] = [
      ['a request not approved', () => clerk.post(`/api/requests/${draftId}/copy-execution`, body({ quantity: 1 })), 409, 'request.transition_not_allowed'],
      [
        'more copies than approved',
        () => clerk.post(`/api/requests/${requestId}/copy-execution`, body({ quantity: 3 })),
        422,
        'copy_execution.quantity_mismatch',
      ],
      [
        'fewer copies than approved',
        () => clerk.post(`/api/requests/${requestId}/copy-execution`, body({ quantity: 1 })),
        422,
        'copy_execution.quantity_mismatch',
      ],
      [
        'another form than requested',
        () => clerk.post(`/api/requests/${requestId}/copy-execution`, body({ form: 'sao_luc' })),
        422,
        'copy_execution.form_mismatch',
      ],
      ['no equipment', () => clerk.post(`/api/requests/${requestId}/copy-execution`, body({ equipment: ' ' })), 422, 'copy_execution.equipment_required'],
      [
        'spoiled without a note',
        () => clerk.post(`/api/requests/${requestId}/copy-execution`, body({ spoiled: 1 })),
        422,
        'copy_execution.spoiled_note_required',
      ],
      [
        'the clerk of another unit',
        async () => (await as('vanthub')).post(`/api/requests/${requestId}/copy-execution`, body()),
        403,
        'copy_execution.not_keeper_unit',
      ],
      ['the requester (not a clerk)', async () => (await as('canboa')).post(`/api/requests/${requestId}/copy-execution`, body()), 403, 'auth.forbidden'],
    ];
    for (const [label, call, status, code] of calls) {
      const r = await call();
      expect([label, r.statusCode, r.json().error?.code]).toEqual([label, status, code]);
      expect(r.json().error!.message, label).toMatch(/[àáảãạăâđêôơưệốộừữ]/i);
    }
    // Marked not to be copied after the approval: still refused at execution.
    await t.deps.dbh.db.updateTable('secret_items').set({ copy_allowed: 0 }).where('id', '=', itemId).execute();
    const forbidden = await clerk.post(`/api/requests/${requestId}/copy-execution`, body());
    expect([forbidden.statusCode, forbidden.json().error.code]).toEqual([422, 'copy_execution.copy_forbidden']);
    await t.deps.dbh.db.updateTable('secret_items').set({ copy_allowed: 1 }).where('id', '=', itemId).execute();
    // The approval lapses after its deadline.
    t.clock.advance(3 * 24 * 3600 * 1000);
    await expect(
      executeCopyRequest(t.deps, { userId: ids.clerkA, roles: ['clerk'], clearance: 'SECRET', unitId: ids.unitA }, requestId, body() as ExecuteBody),
    ).rejects.toMatchObject({
      code: 'request.approval_expired',
    });

    expect(await fingerprint(a)).toBe(before);
    const events = await auditSince(a, seq);
    expect(events.map((e) => [e.action, e.details.reason])).toEqual([
      ...calls.map(([, , , code]) => ['copy_execution.execute_refused', code]),
      ['copy_execution.execute_refused', 'copy_execution.copy_forbidden'],
      ['copy_execution.execute_refused', 'request.approval_expired'],
    ]);
    // No file of a refused execution is left behind.
    const blobs = await t.deps.dbh.db
      .selectFrom('blobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(blobs.n)).toBe(1);
  });

  it('two clerks carrying out the same request at once: exactly one succeeds', async () => {
    a = await startAgency(dialect);
    const { itemId } = await electronicItem(a);
    const requestId = await approvedRequest(a, itemId);
    const clerkA = await a.as('vanthua');
    const clerkR = await a.as('vanthu'); // the agency's văn thư may carry it out too
    const results = await Promise.all([
      clerkA.post(`/api/requests/${requestId}/copy-execution`, body()),
      clerkR.post(`/api/requests/${requestId}/copy-execution`, body()),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const db = a.t.deps.dbh.db;
    expect(
      Number(
        (
          await db
            .selectFrom('copies')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('request_id', '=', requestId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(2);
    expect(
      Number(
        (
          await db
            .selectFrom('copy_executions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(1);
    expect(
      Number(
        (
          await db
            .selectFrom('register_entries')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('register', '=', 'copy')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(1);
    // The loser's files were discarded: the original and two copies remain.
    expect(
      Number(
        (
          await db
            .selectFrom('blobs')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBe(3);
  });

  it('a photograph prints its Mẫu 13 record and records spoiled copies as destroyed; an extract becomes a new item linked to its source', async () => {
    a = await startAgency(dialect);
    const { as, t } = a;
    const itemId = await a.issued({ copyAllowed: true });
    const clerk = await as('vanthua');
    const officer = await as('canboa');

    const photoId = await approvedRequest(a, itemId, { type: 'photograph' });
    const photo = await clerk.post(`/api/requests/${photoId}/copy-execution`, body({ form: 'chup', spoiled: 1, spoiledNote: 'Ảnh mờ, đã xóa khỏi máy' }));
    expect(photo.statusCode, photo.body).toBe(200);
    expect(photo.json().execution).toMatchObject({ form: 'chup', photoRecord: true, filesProduced: false, spoiled: 1 });
    const record = await download(a, officer, `/api/requests/${photoId}/photo-record`);
    expect(record.statusCode).toBe(200);
    const text = pdfText(record.rawPayload);
    expect(text).toContain('VĂN BẢN GHI NHẬN VIỆC CHỤP');
    expect(text).toContain(EQUIPMENT);
    expect(text).toContain('Người dùng vanthua');
    expect(text).toContain('Ảnh mờ, đã xóa khỏi máy');
    const photoEntry = await t.deps.dbh.db
      .selectFrom('register_entries')
      .select(['copy_form', 'note'])
      .where('register', '=', 'copy')
      .executeTakeFirstOrThrow();
    expect(photoEntry).toEqual({ copy_form: 'Chụp', note: '1 bản hỏng đã hủy: Ảnh mờ, đã xóa khỏi máy' });
    expect((await t.deps.dbh.db.selectFrom('custody_events').select(['note']).where('kind', '=', 'spoiled_destroyed').execute()).map((e) => e.note)).toEqual([
      '1 bản hỏng đã hủy: Ảnh mờ, đã xóa khỏi máy',
    ]);
    // Someone who does not see the request learns nothing of the record.
    expect((await download(a, await as('canbob'), `/api/requests/${photoId}/photo-record`)).statusCode).toBe(404);

    // A copy of an item without a PDF original: the copies are recorded, no file is produced.
    const plainReq = await approvedRequest(a, itemId);
    expect((await clerk.get(`/api/requests/${plainReq}/copy-execution`)).json().electronicOriginal).toBe(false);
    const plain = await clerk.post(`/api/requests/${plainReq}/copy-execution`, body());
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.json().execution.filesProduced).toBe(false);
    expect(plain.json().execution.copies.map((c: { label: string; hasFile: boolean }) => [c.label, c.hasFile])).toEqual([
      ['Bản sao số 1', false],
      ['Bản sao số 2', false],
    ]);

    const extractReq = await approvedRequest(a, itemId, { type: 'extract', quantity: 2 });
    const above = await clerk.post(`/api/requests/${extractReq}/copy-execution`, body({ form: 'trich_sao', partLevel: 'TOP_SECRET' }));
    expect([above.statusCode, above.json().error.code]).toEqual([422, 'copy_execution.part_level_above_source']);
    const extract = await clerk.post(`/api/requests/${extractReq}/copy-execution`, body({ form: 'trich_sao', partLevel: 'CONFIDENTIAL' }));
    expect(extract.statusCode, extract.body).toBe(200);
    const newItem = extract.json().execution.extract as { id: string; level: string };
    expect(newItem.level).toBe('CONFIDENTIAL');
    const row = await t.deps.dbh.db.selectFrom('secret_items').selectAll().where('id', '=', newItem.id).executeTakeFirstOrThrow();
    expect([row.state, row.origin, row.level, row.source_item_id, row.doc_type]).toEqual(['issued', 'internal', 'CONFIDENTIAL', itemId, 'Văn bản trích sao']);
    const extractCopies = await t.deps.dbh.db
      .selectFrom('copies')
      .select(['item_id', 'origin', 'label'])
      .where('request_id', '=', extractReq)
      .orderBy('seq_no')
      .execute();
    expect(extractCopies).toEqual([
      { item_id: newItem.id, origin: 'extract', label: 'Bản sao số 1' },
      { item_id: newItem.id, origin: 'extract', label: 'Bản sao số 2' },
    ]);
    // Both items' pages show the link.
    expect((await clerk.get(`/api/items/${itemId}/copy-links`)).json()).toMatchObject({ source: null, extracts: [{ id: newItem.id, level: 'CONFIDENTIAL' }] });
    expect((await clerk.get(`/api/items/${newItem.id}/copy-links`)).json()).toMatchObject({ source: { id: itemId }, extracts: [] });
    // The holder of an extract's copy opens the new item's page.
    expect((await officer.get(`/api/items/${newItem.id}`)).statusCode).toBe(200);
    // Copy register numbering continues without a gap.
    const numbers = (await t.deps.dbh.db.selectFrom('register_entries').select('number').where('register', '=', 'copy').orderBy('number').execute()).map((e) =>
      Number(e.number),
    );
    expect(numbers).toEqual([1, 2, 3]);
  });
});
