import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from '../items/items-test-helpers';
import { newCopyVerificationId, produceCopyPdf, type CopyDescription } from './copy-pdf';
import { MAX_TRACE_IMAGE_BYTES } from './verify.usecases';
import { recordCopyVerificationId } from './copying.repository';
import { sampleOriginal } from './sample-original';

// Verifying a copy (issue 13 point 4) through HTTP on both databases: the security officer and the
// agency head learn the item, copy and holder; everyone else gets one answer — the unknown id's —
// for an existing id, an unknown one and a malformed one; every look-up is audited.

const DIALECTS = await dialects();

/** One page as a printer-and-scanner would leave it: 150 dpi, JPEG quality 60 (from memory, via pipes). */
const scanned = (pdf: Uint8Array): Buffer =>
  execFileSync('pdftoppm', ['-r', '150', '-jpeg', '-jpegopt', 'quality=60', '-f', '1', '-l', '1', '-singlefile', '-'], {
    input: pdf,
    maxBuffer: 64 * 1024 * 1024,
  });

/** The answer without its request id (which differs per request by design). */
const bare = (body: string) => {
  const j = JSON.parse(body) as { error: { requestId?: string } };
  delete j.error.requestId;
  return j;
};

/** Everyone the rule refuses: an officer, a clerk of the agency, the administrator, an inspector, a department head. */
const REFUSED: [string, string?][] = [['canboa'], ['vanthu'], ['admin', ADMIN_PASSWORD], ['thanhtra'], ['truongphonga']];

describe.each(DIALECTS)('verifying a copy on %s', (dialect) => {
  let a: Agency | undefined;
  afterEach(async () => a?.t.cleanup());

  /** An issued item whose copy held by unit A carries a verification id (set here: execution comes later). */
  async function tracedCopy(agency: Agency) {
    const itemId = await agency.issued();
    const db = agency.t.deps.dbh.db;
    const copy = await db.selectFrom('copies').selectAll().where('item_id', '=', itemId).orderBy('seq_no').executeTakeFirstOrThrow();
    const verificationId = newCopyVerificationId();
    await recordCopyVerificationId(db, copy.id, verificationId);
    const item = await db.selectFrom('secret_items').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
    return { itemId, copy, item, verificationId };
  }

  const lookUps = (agency: Agency) =>
    agency.t.deps.dbh.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'subject_id', 'details'])
      .where('action', 'in', ['copy.verification_looked_up', 'copy.verification_refused'])
      .orderBy('seq')
      .execute()
      .then((rows) =>
        rows.map((r) => ({ action: r.action, actorId: r.actor_id, subjectId: r.subject_id, details: JSON.parse(r.details) as Record<string, unknown> })),
      );

  it('the security officer and the agency head learn the item, the copy and its holder; each look-up audited', async () => {
    a = await startAgency(dialect);
    const { copy, item, verificationId } = await tracedCopy(a);
    for (const who of ['baomat', 'giamdoc']) {
      const c = await a.as(who);
      const res = await c.get(`/api/copies/verify/${verificationId}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json();
      expect(body.verificationId).toBe(verificationId);
      expect(body.item).toMatchObject({ id: item.id, numberSymbol: item.number_symbol, documentDate: '2026-03-02', level: 'SECRET', docType: 'Kế hoạch' });
      // The summary follows the one content decision (row-access): neither has need-to-know here.
      expect([body.item.summary, body.item.summaryHidden]).toEqual([null, true]);
      expect(body.copy).toEqual({ id: copy.id, number: copy.seq_no, total: copy.total, label: copy.label, status: copy.status });
      // The first copy is still with the agency's văn thư (it has not been dispatched).
      expect(body.holder).toEqual({ kind: 'user', name: 'Người dùng vanthu', unitName: 'Sở Ngoại vụ tỉnh Thử nghiệm' });
      // Typed by hand: lower case, grouped with spaces and hyphens.
      const typed = verificationId.toLowerCase().replace(/(.{4})/g, '$1-');
      expect((await c.get(`/api/copies/verify/${encodeURIComponent(typed)}`)).json().copy.id).toBe(copy.id);
    }
    // With need-to-know (assigned to the item), the security officer reads the summary too.
    await a.t.deps.dbh.db
      .insertInto('item_assignments')
      .values({ item_id: item.id, user_id: a.ids.so, assigned_by: a.ids.headA, assigned_at: a.t.clock.now().toISOString() })
      .execute();
    expect((await (await a.as('baomat')).get(`/api/copies/verify/${verificationId}`)).json().item).toMatchObject({ summary: SUMMARY, summaryHidden: false });
    expect((await (await a.as('giamdoc')).get(`/api/copies/verify/${verificationId}`)).json().item).toMatchObject({ summary: null, summaryHidden: true });
    // An unknown id: the same answer everyone gets.
    expect((await (await a.as('baomat')).get(`/api/copies/verify/${newCopyVerificationId()}`)).statusCode).toBe(404);
    const events = await lookUps(a);
    expect(events).toHaveLength(7);
    expect(events[0]).toMatchObject({
      action: 'copy.verification_looked_up',
      actorId: a.ids.so,
      subjectId: copy.id,
      details: { readFrom: 'id', verificationId, wellFormed: true, refused: false, found: true },
    });
    expect(events[2]).toMatchObject({ actorId: a.ids.headR, subjectId: copy.id, details: { verificationId, refused: false, found: true } });
    expect(events[6]).toMatchObject({ actorId: a.ids.so, subjectId: null, details: { refused: false, found: false } });
  });

  it('everyone else gets the unknown id’s answer for an existing, an unknown and a malformed id; the refusals audited', async () => {
    a = await startAgency(dialect);
    const { verificationId } = await tracedCopy(a);
    const unknown = await (await a.as('baomat')).get(`/api/copies/verify/${newCopyVerificationId()}`);
    expect(unknown.statusCode).toBe(404);
    const answer = bare(unknown.body);
    expect(answer.error).toEqual({ code: 'copy.verification_not_found', message: 'Không tìm thấy bản sao có mã kiểm tra này.' });
    expect(bare((await (await a.as('baomat')).get('/api/copies/verify/khong-phai-ma')).body)).toEqual(answer);
    const before = (await lookUps(a)).length;
    for (const [who, password] of REFUSED) {
      const c = await a.as(who, password);
      for (const id of [verificationId, newCopyVerificationId(), 'khong-phai-ma']) {
        const res = await c.get(`/api/copies/verify/${id}`);
        expect(res.statusCode, `${who} ${id}`).toBe(404);
        expect(bare(res.body), `${who} ${id}`).toEqual(answer);
        expect(res.headers['content-type']).toBe(unknown.headers['content-type']);
      }
    }
    const refusals = (await lookUps(a)).slice(before);
    expect(refusals).toHaveLength(REFUSED.length * 3);
    for (const r of refusals) {
      expect(r.action).toBe('copy.verification_refused');
      expect(r.details.refused).toBe(true);
      // Whether the id exists is not written for them: the inspector reads the audit log.
      expect(r.details).not.toHaveProperty('found');
      expect(r.subjectId).toBeNull();
    }
    expect(refusals[0]!.details).toMatchObject({ verificationId, wellFormed: true });
    expect(refusals[2]!.details).toMatchObject({ verificationId: 'khong-phai-ma', wellFormed: false });
  });

  it('from a scan of a printed copy (150 dpi, JPEG q=60): the copy for those allowed, the unknown id’s answer for the rest', async () => {
    a = await startAgency(dialect);
    const { copy, verificationId } = await tracedCopy(a);
    const original = await sampleOriginal(['portrait']);
    const d: CopyDescription = {
      level: 'SECRET',
      copyNumber: 1,
      total: 1,
      form: 'SAO_Y',
      date: '2026-03-02',
      quantity: 1,
      recipients: ['Phòng Hợp tác quốc tế'],
      authoriser: { name: 'Người dùng giamdoc', position: 'Giám đốc Sở' },
      holder: { name: 'Phòng Hợp tác quốc tế', unit: 'Sở Ngoại vụ' },
      verificationId,
    };
    const page = scanned(await produceCopyPdf(original, d));
    const noMark = scanned(original);
    const post = async (who: string, body: Buffer, type = 'image/jpeg', password?: string) => {
      const c = await a!.as(who, password);
      return a!.t.app.inject({
        method: 'POST',
        url: '/api/copies/verify',
        headers: { cookie: `khomat_sid=${c.cookie}`, 'x-csrf-token': c.csrf!, 'content-type': type },
        payload: body,
      });
    };
    const ok = await post('baomat', page);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().copy.id).toBe(copy.id);
    expect(ok.json().verificationId).toBe(verificationId);

    // Allowed: a page without a mark, bytes that are no image, an image too large — each said plainly.
    const none = await post('giamdoc', noMark);
    expect([none.statusCode, none.json().error.code]).toEqual([422, 'copy.trace_not_found']);
    const text = await post('baomat', Buffer.from('không phải ảnh'), 'text/plain');
    expect([text.statusCode, text.json().error.code]).toEqual([422, 'copy.trace_image_unreadable']);
    const json = await post('baomat', Buffer.from('{"khong": '), 'application/json');
    expect([json.statusCode, json.json().error.code]).toEqual([422, 'copy.trace_image_unreadable']);
    const huge = await post('baomat', Buffer.alloc(MAX_TRACE_IMAGE_BYTES + 1, 0xff));
    expect([huge.statusCode, huge.json().error.code]).toEqual([413, 'copy.trace_image_too_large']);

    // Refused: every image gets the unknown id's answer, whether it held a mark or not.
    const answer = bare((await (await a.as('baomat')).get(`/api/copies/verify/${newCopyVerificationId()}`)).body);
    for (const [who, password] of REFUSED.slice(0, 2)) {
      for (const [body, type] of [
        [page, 'image/jpeg'],
        [noMark, 'image/jpeg'],
        [Buffer.from('không phải ảnh'), 'text/plain'],
        // Even a body the JSON parser would refuse reaches the use case: no parser error first.
        [Buffer.from('{"khong": '), 'application/json'],
      ] as const) {
        const res = await post(who, body, type, password);
        expect(res.statusCode, who).toBe(404);
        expect(bare(res.body)).toEqual(answer);
      }
    }
    const events = await lookUps(a);
    expect(events[0]).toMatchObject({ actorId: a.ids.so, subjectId: copy.id, details: { readFrom: 'image', verificationId, found: true, refused: false } });
    expect(events[1]).toMatchObject({ actorId: a.ids.headR, details: { readFrom: 'image', verificationId: null, imageProblem: 'no_mark', refused: false } });
    const refused = events.filter((e) => e.details.refused === true && e.details.readFrom === 'image');
    expect(refused).toHaveLength(8);
    expect(refused[0]!.details).toMatchObject({ verificationId, refused: true });
    expect(refused[1]!.details).toMatchObject({ imageProblem: 'no_mark', refused: true });
  });

  it('a verification id names one copy: recording it twice, or on a second copy, is refused', async () => {
    a = await startAgency(dialect);
    const { itemId, copy, verificationId } = await tracedCopy(a);
    const db = a.t.deps.dbh.db;
    const other = await db.selectFrom('copies').select('id').where('item_id', '=', itemId).where('id', '!=', copy.id).executeTakeFirstOrThrow();
    await expect(recordCopyVerificationId(db, other.id, verificationId)).rejects.toMatchObject({ code: 'copy.verification_id_not_recorded' });
    await expect(recordCopyVerificationId(db, copy.id, newCopyVerificationId())).rejects.toMatchObject({ code: 'copy.verification_id_not_recorded' });
    const rows = await db.selectFrom('copies').select(['id', 'verification_id']).where('item_id', '=', itemId).execute();
    expect(rows.filter((r) => r.verification_id !== null)).toEqual([{ id: copy.id, verification_id: verificationId }]);
  });
});
