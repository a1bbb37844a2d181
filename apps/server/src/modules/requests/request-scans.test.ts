import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { addDays, civilDateInVietnam } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { blobDirFor } from '../../platform/data-paths';
import { dialects } from '../../test/harness';
import { startAgency, type Agency } from '../items/items-test-helpers';

// The scans kept with a request, through HTTP on both databases: the requesting body's written
// request of a provision (uploaded by the requester while a draft or submitted), the higher
// authority's written decision (uploaded by whoever records it, before or right after recording);
// both stored encrypted, replaced in place, downloaded by whoever sees the request (audited);
// every refusal a coded error that writes nothing but its audited refusal.

const DIALECTS = await dialects();
type Client = Awaited<ReturnType<Agency['as']>>;

const MARKER = 'VAN-BAN-DE-NGHI-5c1e Đại sứ quán';
/** A PDF-looking file with a known plaintext marker inside. */
function pdfFile(size: number, marker = MARKER): Buffer {
  const buf = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(size)]).subarray(0, size);
  Buffer.from(marker).copy(buf, Math.floor(size / 2));
  return buf;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

const mau17 = {
  requestingBody: 'Sở Tư pháp',
  representative: 'Nguyễn Thị Hạnh',
  representativePosition: 'Phó Giám đốc',
  idDocument: 'CCCD 001180000123',
  whatAsked: 'Kế hoạch phối hợp',
  commitment: true,
};
const mau17Foreign = {
  requestingBody: 'Đại sứ quán nước X',
  representative: 'John Smith',
  representativePosition: 'Tham tán',
  nationality: 'X',
  idDocument: 'Hộ chiếu P1234567',
  whatAsked: 'Lịch trình làm việc',
  commitment: true,
};

describe.each(DIALECTS)('request scans on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  function upload(c: Client, id: string, kind: string, body: Buffer | undefined, name = 'van-ban.pdf') {
    return a.t.app.inject({
      method: 'POST',
      url: `/api/requests/${id}/scans/${kind}?name=${encodeURIComponent(name)}`,
      headers: { cookie: `khomat_sid=${c.cookie}`, 'x-csrf-token': c.csrf!, ...(body !== undefined ? { 'content-type': 'application/octet-stream' } : {}) },
      ...(body !== undefined ? { payload: body } : {}),
    });
  }
  const download = (c: Client, id: string, kind: string) =>
    a.t.app.inject({ method: 'GET', url: `/api/requests/${id}/scans/${kind}`, headers: { cookie: `khomat_sid=${c.cookie}` } });
  const blobFiles = () => filesUnder(blobDirFor(a.t.deps.config));
  const lastSeq = async () => (await a.t.deps.audit.head(a.t.deps.dbh.db)).seq;
  const auditSince = async (seq: number) => {
    const rows = await a.t.deps.dbh.db.selectFrom('audit_events').select(['action', 'details']).where('seq', '>', seq).orderBy('seq').execute();
    return rows.map((r) => ({ action: r.action, details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown> }));
  };
  /** Everything an upload could write, beside the audit trail. */
  const state = async () => {
    const db = a.t.deps.dbh.db;
    const scans = await db.selectFrom('request_scans').selectAll().orderBy('id').execute();
    const blobs = await db.selectFrom('blobs').select('id').orderBy('id').execute();
    const requests = await db.selectFrom('requests').select(['id', 'status', 'updated_at']).orderBy('id').execute();
    return JSON.stringify({ scans, blobs, requests, files: blobFiles().sort() });
  };

  /** Refused calls: each answer's status and code, a Vietnamese message, nothing written but refusal events. */
  async function expectRefusals(calls: [label: string, call: () => ReturnType<Client['get']>, status: number, code: string][]) {
    const before = await state();
    const seq = await lastSeq();
    for (const [label, call, status, code] of calls) {
      const r = await call();
      expect([label, r.statusCode, r.json().error?.code]).toEqual([label, status, code]);
      expect(r.json().error.message, label).toMatch(/[àáảãạăâđêôơưệốộừữ]/i);
    }
    expect(await state()).toBe(before);
    const events = await auditSince(seq);
    expect(
      events.every((e) => /_refused$/.test(e.action)),
      JSON.stringify(events),
    ).toBe(true);
    return events;
  }

  it('the written request of a provision: the requester uploads it while a draft or submitted, replaces it, it is stored encrypted; whoever sees the request downloads it', async () => {
    a = await startAgency(dialect);
    const itemId = await a.issued();
    const officer = await a.as('canboa');
    const colleague = await a.as('dongnghiepa');
    const head = await a.as('giamdoc');
    const so = await a.as('baomat');
    const created = await officer.post('/api/requests', { type: 'provide_domestic', itemId, purpose: 'Phối hợp thanh tra', details: mau17 });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ scans: [], can: { uploadScans: ['written_request'] } });

    const first = pdfFile(40_000);
    const up = await upload(officer, id, 'written_request', first, 'Công văn đề nghị số 12.pdf');
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ kind: 'written_request', fileName: 'Công văn đề nghị số 12.pdf', size: first.length });
    const row = await a.t.deps.dbh.db.selectFrom('request_scans').selectAll().where('request_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'written_request', content_type: 'application/pdf', uploaded_by: a.ids.officerA });
    // Stored encrypted: no file of the blob store holds the plaintext.
    const stored = fs.readFileSync(a.t.deps.blobs.pathFor(row.blob_id));
    expect(stored.includes(Buffer.from(MARKER))).toBe(false);
    for (const f of blobFiles()) expect(fs.readFileSync(f).includes(Buffer.from(MARKER)), f).toBe(false);
    // The upload is audited without the file name.
    const uploaded = (
      await a.t.deps.dbh.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'request.scan_uploaded').execute()
    )[0]!;
    expect(JSON.stringify(uploaded.details)).not.toContain('Công văn');

    // The page lists it (never the lists).
    const page = (await officer.get(`/api/requests/${id}`)).json();
    expect(page.scans).toEqual([{ kind: 'written_request', fileName: 'Công văn đề nghị số 12.pdf', size: first.length, uploadedAt: expect.any(String) }]);
    expect(JSON.stringify((await officer.get('/api/requests')).json())).not.toContain('Công văn');

    // Downloaded by the requester and by whoever oversees, each read audited.
    for (const c of [officer, so]) {
      const seq = await lastSeq();
      const got = await download(c, id, 'written_request');
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(first)).toBe(true);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect((await auditSince(seq)).map((e) => [e.action, e.details.kind])).toEqual([['request.scan_read', 'written_request']]);
    }

    const other = await a.issued();
    const agencyRouted = (
      await officer.post('/api/requests', {
        type: 'copy',
        itemId: other,
        purpose: 'Họp',
        details: { form: 'sao_y', quantity: 1, recipients: [{ kind: 'outside', name: 'Bộ Ngoại giao' }] },
      })
    ).json().id as string;
    a.t.deps.config.maxUploadMb = 1;
    const refused = await expectRefusals([
      ['a colleague downloads', () => download(colleague, id, 'written_request'), 404, 'request.not_found'],
      ['a colleague uploads', () => upload(colleague, id, 'written_request', pdfFile(1000)), 403, 'request.not_requester'],
      ['the outside decision of a request the agency decides', () => upload(so, id, 'outside_decision', pdfFile(1000)), 422, 'request.scan_kind_not_allowed'],
      ['a written request of a copying request', () => upload(officer, agencyRouted, 'written_request', pdfFile(1000)), 422, 'request.scan_kind_not_allowed'],
      ['a kind that does not exist', () => upload(officer, id, 'other', pdfFile(1000)), 404, 'request.scan_kind_unknown'],
      ['an unknown request', () => upload(officer, 'khong-co', 'written_request', pdfFile(1000)), 404, 'request.not_found'],
      [
        'a Word file',
        () => upload(officer, id, 'written_request', Buffer.from('PK\x03\x04abcdef', 'latin1'), 'de-nghi.docx'),
        422,
        'request.scan_media_type_not_allowed',
      ],
      ['too large', () => upload(officer, id, 'written_request', pdfFile(1024 * 1024 + 10)), 413, 'attachment.too_large'],
      ['not a PDF inside', () => upload(officer, id, 'written_request', Buffer.from('hello world, not a pdf')), 422, 'attachment.content_mismatch'],
      ['an officer downloads the outside decision of nothing', () => download(officer, id, 'outside_decision'), 404, 'request.scan_not_found'],
    ]);
    a.t.deps.config.maxUploadMb = 200;
    expect(refused.map((e) => [e.action, e.details.reason])).toEqual([
      ['request.scan_read_refused', 'request.not_visible'],
      ['request.scan_upload_refused', 'request.not_requester'],
      ['request.scan_upload_refused', 'request.scan_kind_not_allowed'],
      ['request.scan_upload_refused', 'request.scan_kind_not_allowed'],
      ['request.scan_upload_refused', 'request.scan_media_type_not_allowed'],
    ]);

    // Submitted, the requester replaces it: the row keeps its id, the old file and its key go.
    expect((await officer.post(`/api/requests/${id}/submit`)).statusCode).toBe(200);
    const second = pdfFile(5_000, 'BAN-THAY-THE');
    const filesBefore = blobFiles().length;
    const replaced = await upload(officer, id, 'written_request', second, 'ban-moi.pdf');
    expect(replaced.statusCode, replaced.body).toBe(200);
    const row2 = await a.t.deps.dbh.db.selectFrom('request_scans').selectAll().where('request_id', '=', id).execute();
    expect(row2.map((r) => [r.id, r.file_name])).toEqual([[row.id, 'ban-moi.pdf']]);
    expect(await a.t.deps.dbh.db.selectFrom('blobs').select('id').where('id', '=', row.blob_id).executeTakeFirst()).toBeUndefined();
    expect(fs.existsSync(a.t.deps.blobs.pathFor(row.blob_id))).toBe(false);
    expect(blobFiles().length).toBe(filesBefore);
    expect((await download(head, id, 'written_request')).rawPayload.equals(second)).toBe(true);

    // Decided, what the decider saw stays as it was.
    const today = civilDateInVietnam(a.t.clock.now());
    const approved = await head.post(`/api/requests/${id}/approve`, { deadline: addDays(today, 5) });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().can.uploadScans).toEqual([]);
    await expectRefusals([['uploaded after the decision', () => upload(officer, id, 'written_request', pdfFile(1000)), 409, 'request.scan_closed']]);
  });

  it('the outside decision of a request routed to a higher authority: whoever records it uploads it before or right after recording', async () => {
    a = await startAgency(dialect);
    const itemId = await a.issued();
    const officer = await a.as('canboa');
    const head = await a.as('giamdoc');
    const so = await a.as('baomat');
    const unitHead = await a.as('truongphonga');
    const id = (await officer.post('/api/requests', { type: 'provide_foreign', itemId, purpose: 'Phối hợp đón đoàn', details: mau17Foreign })).json()
      .id as string;
    // A draft goes nowhere yet: no outside decision.
    await expectRefusals([['an outside decision of a draft', () => upload(so, id, 'outside_decision', pdfFile(1000)), 422, 'request.scan_kind_not_allowed']]);
    expect((await officer.post(`/api/requests/${id}/submit`)).json()).toMatchObject({ route: 'higher_authority', can: { uploadScans: ['written_request'] } });
    expect((await so.get(`/api/requests/${id}`)).json().can.uploadScans).toEqual(['outside_decision']);

    expect((await upload(officer, id, 'written_request', pdfFile(2000))).statusCode).toBe(200);
    await expectRefusals([
      ['a unit head', () => upload(unitHead, id, 'outside_decision', pdfFile(1000)), 403, 'request.not_recorder'],
      ['the requester', () => upload(officer, id, 'outside_decision', pdfFile(1000)), 403, 'auth.forbidden'],
    ]);
    const decision = pdfFile(30_000, 'QUYET-DINH-125');
    const before = await upload(so, id, 'outside_decision', decision, 'QĐ 125.pdf');
    expect(before.statusCode, before.body).toBe(200);

    const today = civilDateInVietnam(a.t.clock.now());
    const recorded = await so.post(`/api/requests/${id}/outside-decision`, {
      outcome: 'approved',
      authority: 'Bộ trưởng Bộ Công an',
      number: '125/QĐ-BCA',
      date: today,
      signer: 'Nguyễn Văn C',
      deadline: addDays(today, 10),
      quantity: 1,
    });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json().scans.map((s: { kind: string }) => s.kind)).toEqual(['outside_decision', 'written_request']);
    // Right after recording, the agency head (who may record it too) replaces it with the signed copy.
    const signed = pdfFile(20_000, 'QUYET-DINH-125-BAN-KY');
    const after = await upload(head, id, 'outside_decision', signed, 'QĐ 125 bản ký.pdf');
    expect(after.statusCode, after.body).toBe(200);
    const seq = await lastSeq();
    const got = await download(officer, id, 'outside_decision');
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(signed)).toBe(true);
    expect((await auditSince(seq)).map((e) => e.action)).toEqual(['request.scan_read']);
    const uploads = await a.t.deps.dbh.db
      .selectFrom('audit_events')
      .select(['actor_id', 'details'])
      .where('action', '=', 'request.scan_uploaded')
      .orderBy('seq')
      .execute();
    expect(uploads.map((u) => [u.actor_id, (typeof u.details === 'string' ? JSON.parse(u.details) : u.details).replaced])).toEqual([
      [a.ids.officerA, false],
      [a.ids.so, false],
      [a.ids.headR, true],
    ]);
    // The requester's written request is closed once decided; the recorder's decision scan is not yet.
    await expectRefusals([['the written request after the decision', () => upload(officer, id, 'written_request', pdfFile(1000)), 409, 'request.scan_closed']]);
  });
});
