import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { blobDirFor, sqliteFileFor } from '../../platform/data-paths';
import type { AuditLog, AuditWriter } from '../../platform/audit/audit-log';
import type { Config } from '../../platform/config';
import {
  ADMIN_PASSWORD,
  Client,
  createTestApp,
  databaseFingerprint,
  dialects,
  seedAgency,
  seedUser,
  signedInClients,
  type TestApp,
  USER_PASSWORD,
} from '../../test/harness';
import { findUserWithRoles } from '../auth/auth.repository';
import { actorOf } from '../auth/auth.usecases';
import { createBackup, restoreBackup } from '../backup/backup';
import { addContentFile, addReceiptScan } from './attachments.usecases';

const DIALECTS = await dialects();
const KiB = 1024;
const MiB = 1024 * KiB;

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

const MARKER = 'NOI-DUNG-MAT-7f3a9c Kế hoạch bảo vệ đoàn';
/** A PDF-looking file of `size` bytes: the signature, random bytes, and a known plaintext marker inside. */
function pdfFile(size: number, marker = MARKER): Buffer {
  const buf = Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(size)]).subarray(0, size);
  const m = Buffer.from(marker);
  m.copy(buf, Math.floor(size / 2));
  return buf;
}
const JPEG = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), crypto.randomBytes(size - 4)]);
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

/** `filename*` of a Content-Disposition, decoded. */
function utf8Name(disposition: string): string {
  const m = /filename\*=UTF-8''([^;]+)/.exec(disposition);
  return m ? decodeURIComponent(m[1]!) : '';
}

describe.each(DIALECTS)('attached files on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function start(config: Partial<Config> = {}) {
    t = await createTestApp(dialect, { config });
    const { unitId: root } = await seedAgency(t.deps);
    // One client per person: a second sign-in would need the TOTP secret the first one enrolled.
    const as = signedInClients(t);
    const admin = await as('admin', ADMIN_PASSWORD);
    const otherUnit = (await admin.post('/api/units', { name: 'Phòng Lãnh sự', code: 'PLS', parentId: root })).json().id as string;
    const ids = {
      root,
      otherUnit,
      officer: await seedUser(t.deps, { username: 'canbo', unitId: root, roles: ['officer'], clearance: 'SECRET' }),
      head: await seedUser(t.deps, { username: 'giamdoc', unitId: root, roles: ['head'], clearance: 'TOP_SECRET' }),
      clerk: await seedUser(t.deps, { username: 'vanthu', unitId: root, roles: ['clerk'], clearance: 'SECRET' }),
      so: await seedUser(t.deps, { username: 'baomat', unitId: root, roles: ['security_officer'], clearance: 'TOP_SECRET' }),
      named: await seedUser(t.deps, { username: 'nguoinhan', unitId: root, roles: ['officer'], clearance: 'SECRET' }),
      colleague: await seedUser(t.deps, { username: 'dongnghiep', unitId: root, roles: ['officer'], clearance: 'TOP_SECRET' }),
      inspector: await seedUser(t.deps, { username: 'thanhtra', unitId: root, roles: ['inspector'] }),
      otherClerk: await seedUser(t.deps, { username: 'vanthu2', unitId: otherUnit, roles: ['clerk'], clearance: 'SECRET' }),
    };
    const so = await as('baomat');
    expect((await so.post('/api/catalog/import', { format: 'json', content: CATALOG })).statusCode).toBe(200);
    const catalogId = (await so.get('/api/catalog')).json().items[0].id as string;
    const draft = async (c: Client, over: Record<string, unknown> = {}) => {
      const res = await c.post('/api/items', {
        kind: 'electronic_document',
        docType: 'Kế hoạch',
        summary: 'Kế hoạch đón đoàn đại biểu cấp cao năm 2027',
        field: 'Ngoại giao',
        level: 'SECRET',
        catalogItemIds: [catalogId],
        recipients: [{ kind: 'user', userId: ids.named, copies: 1 }],
        copyCount: 2,
        copyAllowed: false,
        ...over,
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().id as string;
    };
    return { ids, as, admin, so, draft };
  }

  /** The raw file as the request body, name and type in the query (as the web client sends it). */
  function upload(
    c: Client,
    url: string,
    body: Buffer | Readable | undefined,
    query: { name?: string; type?: string } = {},
    headers: Record<string, string> = {},
  ) {
    const qs = Object.entries(query)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
    return t.app.inject({
      method: 'POST',
      url: qs ? `${url}?${qs}` : url,
      headers: {
        cookie: `khomat_sid=${c.cookie}`,
        'x-csrf-token': c.csrf!,
        ...(body !== undefined ? { 'content-type': 'application/octet-stream' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: body } : {}),
    });
  }

  const blobFiles = () => filesUnder(blobDirFor(t.deps.config));
  const auditRows = () => t.deps.dbh.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();

  /** Draft → propose → approve → issue (to the named person and, when asked, an outside body). */
  async function issue(s: Awaited<ReturnType<typeof start>>, itemId: string) {
    const officer = await s.as('canbo');
    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    const head = await s.as('giamdoc');
    expect((await head.post(`/api/items/${itemId}/approve`)).statusCode).toBe(200);
    const clerk = await s.as('vanthu');
    const issued = await clerk.post(`/api/items/${itemId}/issue`, { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' });
    expect(issued.statusCode, issued.body).toBe(200);
    return { officer, head, clerk };
  }

  /** GET over a real socket: what a browser sees, including a transfer cut short. */
  async function httpGet(c: Client, url: string) {
    const address = t.app.server.listening
      ? `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`
      : await t.app.listen({ port: 0, host: '127.0.0.1' });
    return new Promise<{ status: number; headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: Buffer; complete: boolean; error: string | undefined }>(
      (resolve) => {
        const parts: Buffer[] = [];
        const req = http.get(`${address}${url}`, { headers: { cookie: `khomat_sid=${c.cookie}` } }, (res) => {
          let error: string | undefined;
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('error', (e) => (error = e.message));
          res.on('close', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              rawHeaders: res.rawHeaders,
              body: Buffer.concat(parts),
              complete: res.complete,
              error,
            }),
          );
        });
        req.on('error', (e) => resolve({ status: 0, headers: {}, rawHeaders: [], body: Buffer.concat(parts), complete: false, error: e.message }));
      },
    );
  }

  it('round-trips a multi-chunk file byte for byte; only ciphertext on disk; Vietnamese name in Content-Disposition; audit without the name', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const data = pdfFile(300 * KiB);
    const name = 'Kế hoạch đón đoàn — bản cuối (số 2).pdf';
    const res = await upload(officer, `/api/items/${itemId}/attachments`, data, { name });
    expect(res.statusCode, res.body).toBe(200);
    const file = res.json();
    expect(file).toMatchObject({
      fileName: name,
      mediaType: 'application/pdf',
      size: data.length,
      sha256: sha256(data),
      uploadedBy: { id: s.ids.officer, name: 'Người dùng canbo' },
    });

    const list = (await officer.get(`/api/items/${itemId}/attachments`)).json();
    expect(list).toEqual({ files: [file], count: 1 });

    const got = await officer.get(`/api/items/${itemId}/attachments/${file.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(data)).toBe(true);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['content-length']).toBe(String(data.length));
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    const disposition = String(got.headers['content-disposition']);
    expect(disposition.startsWith('attachment; filename="Ke hoach don doan _ ban cuoi (so 2).pdf"')).toBe(true);
    expect(utf8Name(disposition)).toBe(name);

    // Only ciphertext on disk: neither the marker nor the name in any blob file, nor in the database files.
    const row = await t.deps.dbh.db.selectFrom('item_attachments').selectAll().where('id', '=', file.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ item_id: itemId, purpose: 'content', custody_event_id: null, size: data.length, sha256: sha256(data), removed_at: null });
    const blob = fs.readFileSync(t.deps.blobs.pathFor(row.blob_id!));
    expect(blob.length).toBeGreaterThan(data.length);
    for (const f of blobFiles()) {
      const bytes = fs.readFileSync(f);
      expect(bytes.includes(Buffer.from('NOI-DUNG-MAT-7f3a9c')), f).toBe(false);
      expect(bytes.includes(Buffer.from('%PDF-1.7')), f).toBe(false);
      expect(bytes.includes(Buffer.from('đón đoàn')), f).toBe(false);
    }
    if (dialect === 'sqlite') {
      t.deps.dbh.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
      const dbFile = sqliteFileFor(t.deps.config);
      for (const f of [dbFile, `${dbFile}-wal`].filter((p) => fs.existsSync(p))) {
        const bytes = fs.readFileSync(f);
        expect(bytes.includes(Buffer.from('NOI-DUNG-MAT-7f3a9c')), f).toBe(false);
        expect(bytes.includes(Buffer.from('bản cuối (số 2)')), f).toBe(false);
      }
    }

    const audit = await auditRows();
    const added = audit.find((a) => a.action === 'item.attachment_added')!;
    expect(JSON.parse(added.details)).toEqual({ attachmentId: file.id, size: data.length, mediaType: 'application/pdf', via: 'drafter' });
    expect(added).toMatchObject({ actor_id: s.ids.officer, subject_type: 'item', subject_id: itemId });
    expect(audit.find((a) => a.action === 'item.attachment_read')).toMatchObject({ actor_id: s.ids.officer, subject_id: itemId });
    const trail = JSON.stringify(audit);
    expect(trail).not.toContain('bản cuối');
    expect(trail).not.toContain('NOI-DUNG-MAT');
  });

  it('need-to-know: the named recipient downloads; a cleared colleague without need-to-know, the admin and the inspector are refused; metadata readers see only the count', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const data = pdfFile(200 * KiB);
    const file = (await upload(officer, `/api/items/${itemId}/attachments`, data, { name: 'Phụ lục.pdf' })).json();
    const { clerk } = await issue(s, itemId);
    // Issued: the drafter no longer changes the files.
    const late = await upload(officer, `/api/items/${itemId}/attachments`, pdfFile(10 * KiB), { name: 'muộn.pdf' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('attachment.item_not_editable');

    const named = await s.as('nguoinhan');
    expect((await named.get(`/api/items/${itemId}/attachments`)).json()).toMatchObject({ count: 1, files: [{ id: file.id, fileName: 'Phụ lục.pdf' }] });
    const mine = await named.get(`/api/items/${itemId}/attachments/${file.id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.rawPayload.equals(data)).toBe(true);

    const colleague = await s.as('dongnghiep');
    const before = (await auditRows()).length;
    const refused = await colleague.get(`/api/items/${itemId}/attachments/${file.id}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'item.content_forbidden', details: { reason: 'no_need_to_know' } });
    expect(refused.headers['content-disposition']).toBeUndefined();
    const after = await auditRows();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ action: 'item.attachment_refused', actor_id: s.ids.colleague, subject_id: itemId });
    expect(JSON.parse(after.at(-1)!.details)).toEqual({ attachmentId: file.id, reason: 'no_need_to_know' });
    // Without need-to-know nor metadata rights, not even the count.
    expect((await colleague.get(`/api/items/${itemId}/attachments`)).statusCode).toBe(403);

    for (const who of [await s.as('thanhtra'), s.admin]) {
      const r = await who.get(`/api/items/${itemId}/attachments/${file.id}`);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('auth.forbidden');
    }
    // Register keepers and inspectors see that there is a file, never its name.
    for (const who of [await s.as('thanhtra'), await s.as('baomat')]) {
      expect((await who.get(`/api/items/${itemId}/attachments`)).json()).toEqual({ files: [], count: 1 });
    }
    expect((await s.admin.get(`/api/items/${itemId}/attachments`)).json().error.code).toBe('auth.forbidden');
    // The clerk holds the named copy until the receiver signs: need-to-know by holding.
    expect((await clerk.get(`/api/items/${itemId}/attachments/${file.id}`)).statusCode).toBe(200);
    // An id of another item, or garbage, is not found.
    const otherItem = await s.draft(officer);
    expect((await officer.get(`/api/items/${otherItem}/attachments/${file.id}`)).json().error.code).toBe('attachment.not_found');
    expect((await named.get(`/api/items/${itemId}/attachments/${encodeURIComponent('..%00')}`)).json().error.code).toBe('attachment.not_found');
    expect(JSON.stringify(await auditRows())).not.toContain('Phụ lục');
  });

  it('refuses the wrong kind, state, person, name, format and body, and writes nothing', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const paperId = await s.draft(officer, { kind: 'document' });
    const proposedId = await s.draft(officer);
    expect((await officer.post(`/api/items/${proposedId}/propose`)).statusCode).toBe(200);
    const colleague = await s.as('dongnghiep');
    const clerk = await s.as('vanthu');
    const inspector = await s.as('thanhtra');
    const pdf = pdfFile(100 * KiB);
    const url = `/api/items/${itemId}/attachments`;

    const cases: [string, () => ReturnType<typeof upload>, number, string][] = [
      ['paper document', () => upload(officer, `/api/items/${paperId}/attachments`, pdf, { name: 'a.pdf' }), 422, 'attachment.kind_not_electronic'],
      ['proposed', () => upload(officer, `/api/items/${proposedId}/attachments`, pdf, { name: 'a.pdf' }), 409, 'attachment.item_not_editable'],
      ['not the drafter', () => upload(colleague, url, pdf, { name: 'a.pdf' }), 403, 'attachment.not_drafter'],
      ['a clerk on an internal draft', () => upload(clerk, url, pdf, { name: 'a.pdf' }), 403, 'attachment.not_drafter'],
      ['the inspector', () => upload(inspector, url, pdf, { name: 'a.pdf' }), 403, 'auth.forbidden'],
      ['the admin', () => upload(s.admin, url, pdf, { name: 'a.pdf' }), 403, 'auth.forbidden'],
      ['unknown item', () => upload(officer, '/api/items/khong-co/attachments', pdf, { name: 'a.pdf' }), 404, 'item.not_found'],
      ['no name', () => upload(officer, url, pdf), 422, 'attachment.name_required'],
      ['a name of only dots', () => upload(officer, url, pdf, { name: '..' }), 422, 'attachment.name_required'],
      ['an executable', () => upload(officer, url, pdf, { name: 'setup.exe' }), 422, 'attachment.media_type_not_allowed'],
      ['a declared HTML type', () => upload(officer, url, pdf, { name: 'a.pdf', type: 'text/html' }), 422, 'attachment.media_type_not_allowed'],
      [
        'HTML named .pdf',
        () => upload(officer, url, Buffer.from('<html><script>alert(1)</script></html>'), { name: 'a.pdf' }),
        422,
        'attachment.content_mismatch',
      ],
      ['an empty file', () => upload(officer, url, Buffer.alloc(0), { name: 'a.pdf' }), 422, 'attachment.empty'],
      ['an empty streamed file', () => upload(officer, url, Readable.from([]), { name: 'a.txt' }), 422, 'attachment.empty'],
      ['no body at all', () => upload(officer, url, undefined, { name: 'a.pdf' }), 422, 'attachment.empty'],
      ['a JSON body', () => officer.request('POST', `${url}?name=a.pdf`, { file: 'x' }), 400, 'attachment.octet_stream_required'],
    ];
    const blobsBefore = blobFiles().length;
    for (const [label, send, status, code] of cases) {
      const before = await databaseFingerprint(t.deps);
      const res = await send();
      expect(res.statusCode, `${label}: ${res.body}`).toBe(status);
      expect(res.json().error.code, label).toBe(code);
      expect(res.json().error.message, label).toMatch(/\p{L}/u);
      expect(await databaseFingerprint(t.deps), label).toBe(before);
      expect(blobFiles().length, label).toBe(blobsBefore);
    }
    // The raw-body parser belongs to these routes only: elsewhere octet-stream is refused as before.
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/api/items',
      headers: { cookie: `khomat_sid=${officer.cookie}`, 'x-csrf-token': officer.csrf!, 'content-type': 'application/octet-stream' },
      payload: pdf,
    });
    expect(elsewhere.statusCode).toBe(415);
    expect(elsewhere.json().error.code).toBe('common.unsupported_media_type');
    // A clerk is told what is accepted.
    const exe = await upload(officer, url, pdf, { name: 'setup.exe' });
    expect(exe.json().error.message).toContain('PDF, DOC, DOCX, ODT, XLS, XLSX, ODS, JPEG, PNG, TIFF, TXT');
    // What passes: every accepted format, by extension or by declared type.
    expect((await upload(officer, url, Buffer.from('Ghi chú: họp lúc 8 giờ'), { name: 'ghi chú.txt' })).statusCode).toBe(200);
    const docx = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), crypto.randomBytes(2000)]);
    expect(
      (await upload(officer, url, docx, { name: 'to-trinh', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).statusCode,
    ).toBe(200);
    expect((await officer.get(url)).json().count).toBe(2);
  });

  it('a slow upload holds no transaction: other changes commit while its body is still arriving', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const file = pdfFile(300 * KiB);
    const body = new Readable({ read() {} });
    body.push(file.subarray(0, 100 * KiB));
    const pending = upload(officer, `/api/items/${itemId}/attachments`, body, { name: 'ke-hoach.pdf' });
    await new Promise((r) => setTimeout(r, 100));
    // The upload is half way; a colleague's unrelated change must not wait for it.
    const other = await Promise.race([s.draft(await s.as('giamdoc')), new Promise((r) => setTimeout(() => r('blocked'), 5000))]);
    expect(other).not.toBe('blocked');
    body.push(file.subarray(100 * KiB));
    body.push(null);
    const res = await pending;
    expect(res.statusCode, res.body).toBe(200);
    const got = await officer.get(`/api/items/${itemId}/attachments/${res.json().id}`);
    expect(sha256(got.rawPayload)).toBe(sha256(file));
  });

  it('a HEAD request on a download is not served, so it cannot log a read that delivered nothing', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const res = await upload(officer, `/api/items/${itemId}/attachments`, pdfFile(2 * KiB), { name: 'a.pdf' });
    expect(res.statusCode, res.body).toBe(200);
    const before = (await auditRows()).length;
    for (const url of [`/api/items/${itemId}/attachments/${res.json().id}`, `/api/items/${itemId}/content`]) {
      const head = await t.app.inject({ method: 'HEAD', url, headers: { cookie: `khomat_sid=${officer.cookie}` } });
      expect(head.statusCode, url).toBe(404);
    }
    expect((await auditRows()).length).toBe(before);
  });

  it('over the size limit → 413, with or without a declared length, leaving no blob row and no file', async () => {
    const s = await start({ maxUploadMb: 1 });
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const url = `/api/items/${itemId}/attachments`;
    const before = await databaseFingerprint(t.deps);
    const big = pdfFile(MiB + 1);
    const declared = await upload(officer, url, big, { name: 'lớn.pdf' });
    expect(declared.statusCode).toBe(413);
    expect(declared.json().error).toMatchObject({ code: 'attachment.too_large', message: 'Tệp vượt quá dung lượng cho phép (tối đa 1 MB).' });
    // Streamed without Content-Length: the limit is enforced while the bytes arrive.
    const streamed = await upload(officer, url, Readable.from([big.subarray(0, 600 * KiB), big.subarray(600 * KiB)]), { name: 'lớn.pdf' });
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().error.code).toBe('attachment.too_large');
    expect(await databaseFingerprint(t.deps)).toBe(before);
    expect(blobFiles()).toEqual([]);
    // Exactly the limit is fine.
    const exact = await upload(officer, url, Readable.from([pdfFile(MiB)]), { name: 'vừa.pdf' });
    expect(exact.statusCode, exact.body).toBe(200);
    expect(exact.json().size).toBe(MiB);
  });

  it('a file name made to inject a header is stored sanitised and cannot add a header', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const res = await upload(officer, `/api/items/${itemId}/attachments`, pdfFile(5 * KiB), { name: 'a\r\nX-Evil: 1.pdf' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().fileName).toBe('aX-Evil_ 1.pdf');
    const got = await httpGet(officer, `/api/items/${itemId}/attachments/${res.json().id}`);
    expect(got.status).toBe(200);
    expect(got.complete).toBe(true);
    expect(got.headers['x-evil']).toBeUndefined();
    expect(got.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === 'x-evil')).toEqual([]);
    expect(got.headers['content-disposition']).toMatch(/^[\x20-\x7e]+$/);
    expect(utf8Name(String(got.headers['content-disposition']))).toBe('aX-Evil_ 1.pdf');
  });

  it('a tampered stored file never yields a complete successful download', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    // Seventeen chunks of the store's 1 MiB: more than decryption can run ahead of the reply
    // (bounded by backpressure), so a damaged last chunk is met only once the file is being sent.
    const data = pdfFile(16 * MiB + 300 * KiB);
    const file = (await upload(officer, `/api/items/${itemId}/attachments`, data, { name: 'bị sửa.pdf' })).json();
    const row = await t.deps.dbh.db.selectFrom('item_attachments').select('blob_id').where('id', '=', file.id).executeTakeFirstOrThrow();
    const stored = t.deps.blobs.pathFor(row.blob_id!);
    const good = fs.readFileSync(stored);
    const url = `/api/items/${itemId}/attachments/${file.id}`;
    expect((await httpGet(officer, url)).body.equals(data)).toBe(true);

    // One flipped byte in the last chunk: headers and earlier chunks are out, then the socket is cut.
    const bad = Buffer.from(good);
    bad[16 * MiB + 200 * KiB] = bad[16 * MiB + 200 * KiB]! ^ 0x01;
    fs.writeFileSync(stored, bad);
    const cut = await httpGet(officer, url);
    expect(cut.status).toBe(200);
    expect(cut.headers['content-length']).toBe(String(data.length));
    expect(cut.complete).toBe(false);
    expect(cut.body.length).toBeLessThan(data.length);
    expect(data.subarray(0, cut.body.length).equals(cut.body)).toBe(true);

    // A flipped byte in the first chunk: nothing was sent yet, so a clean error, not a file.
    const first = Buffer.from(good);
    first[100] = first[100]! ^ 0x01;
    fs.writeFileSync(stored, first);
    const refused = await httpGet(officer, url);
    expect(refused.status, refused.body.toString()).toBe(422);
    expect(JSON.parse(refused.body.toString()).error.code).toBe('blob.integrity_failed');
    expect(refused.headers['content-disposition']).toBeUndefined();

    // A missing file is refused the same way.
    fs.rmSync(stored);
    expect((await officer.get(url)).json().error).toMatchObject({ code: 'blob.integrity_failed', details: { reason: 'file_missing' } });
  });

  it('the drafter removes a file: row kept as removed, blob row, key and file gone; audited; nobody else, and not after proposing', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const url = `/api/items/${itemId}/attachments`;
    const keep = (await upload(officer, url, pdfFile(70 * KiB), { name: 'giữ.pdf' })).json();
    const drop = (await upload(officer, url, pdfFile(70 * KiB), { name: 'bỏ.pdf' })).json();
    const dropRow = await t.deps.dbh.db.selectFrom('item_attachments').selectAll().where('id', '=', drop.id).executeTakeFirstOrThrow();
    const dropFile = t.deps.blobs.pathFor(dropRow.blob_id!);
    expect(fs.existsSync(dropFile)).toBe(true);

    const colleague = await s.as('dongnghiep');
    const before = await databaseFingerprint(t.deps);
    const notYours = await colleague.request('DELETE', `${url}/${drop.id}`);
    expect(notYours.statusCode).toBe(403);
    expect(notYours.json().error.code).toBe('attachment.not_drafter');
    expect((await s.admin.request('DELETE', `${url}/${drop.id}`)).json().error.code).toBe('auth.forbidden');
    expect((await officer.request('DELETE', `${url}/khong-co`)).statusCode).toBe(404);
    expect(await databaseFingerprint(t.deps)).toBe(before);

    const removed = await officer.request('DELETE', `${url}/${drop.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ id: drop.id, removedAt: t.clock.now().toISOString() });
    const row = await t.deps.dbh.db.selectFrom('item_attachments').selectAll().where('id', '=', drop.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ blob_id: null, removed_by: s.ids.officer, removed_at: removed.json().removedAt, sha256: drop.sha256, size: drop.size });
    expect(await t.deps.dbh.db.selectFrom('blobs').select('id').where('id', '=', dropRow.blob_id!).executeTakeFirst()).toBeUndefined();
    expect(fs.existsSync(dropFile)).toBe(false);
    expect((await officer.get(url)).json().files.map((f: { id: string }) => f.id)).toEqual([keep.id]);
    expect((await officer.get(`${url}/${drop.id}`)).json().error.code).toBe('attachment.not_found');
    expect((await officer.request('DELETE', `${url}/${drop.id}`)).json().error.code).toBe('attachment.not_found');
    const audit = (await auditRows()).find((a) => a.action === 'item.attachment_removed')!;
    expect(JSON.parse(audit.details)).toEqual({ attachmentId: drop.id, size: drop.size, mediaType: 'application/pdf', via: 'drafter' });

    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    const frozen = await databaseFingerprint(t.deps);
    const tooLate = await officer.request('DELETE', `${url}/${keep.id}`);
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().error.code).toBe('attachment.item_not_editable');
    expect(await databaseFingerprint(t.deps)).toBe(frozen);
    // Returned for revision: editable again.
    const head = await s.as('giamdoc');
    expect((await head.post(`/api/items/${itemId}/return`, { reason: 'Bổ sung phụ lục' })).statusCode).toBe(200);
    expect((await officer.request('DELETE', `${url}/${keep.id}`)).statusCode).toBe(200);
    expect((await upload(officer, url, pdfFile(KiB), { name: 'phụ lục bổ sung.pdf' })).statusCode).toBe(200);
  });

  it('a received electronic document: its unit clerk attaches files until someone else signs for it', async () => {
    const s = await start();
    const clerk = await s.as('vanthu');
    const incoming = (over: Record<string, unknown> = {}) =>
      clerk.post('/api/items/incoming', {
        issuer: 'Bộ Ngoại giao',
        numberSymbol: '125/BNG-LS',
        documentDate: '2026-02-27',
        docType: 'Công văn',
        kind: 'electronic_document',
        level: 'SECRET',
        copies: 1,
        addresseeOnly: false,
        envelopeState: 'intact',
        to: { kind: 'user', id: s.ids.officer },
        summary: 'Về việc bảo hộ công dân',
        ...over,
      });
    const received = (await incoming()).json();
    const itemId = received.item.id as string;
    const url = `/api/items/${itemId}/attachments`;
    const data = pdfFile(90 * KiB);
    const added = await upload(clerk, url, data, { name: 'Công văn 125.pdf' });
    expect(added.statusCode, added.body).toBe(200);
    expect(JSON.parse((await auditRows()).find((a) => a.action === 'item.attachment_added')!.details).via).toBe('registering_clerk');

    const otherClerk = await s.as('vanthu2');
    const officer = await s.as('canbo');
    const before = await databaseFingerprint(t.deps);
    expect((await upload(otherClerk, url, data, { name: 'x.pdf' })).json().error.code).toBe('attachment.not_registering_clerk');
    expect((await upload(officer, url, data, { name: 'x.pdf' })).json().error.code).toBe('attachment.not_registering_clerk');
    expect(await databaseFingerprint(t.deps)).toBe(before);

    // The officer signs: the clerk's part is over; the officer now reads what the clerk attached.
    const eventId = (await officer.get('/api/my/copies')).json().pending[0].eventId as string;
    expect((await officer.post(`/api/custody/${eventId}/confirm`)).statusCode).toBe(200);
    const late = await upload(clerk, url, data, { name: 'muộn.pdf' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('attachment.copies_moved_on');
    expect((await clerk.request('DELETE', `${url}/${added.json().id}`)).json().error.code).toBe('attachment.copies_moved_on');
    expect((await officer.get(`${url}/${added.json().id}`)).rawPayload.equals(data)).toBe(true);

    // A sealed addressee-only envelope is not the clerk's to fill; a paper document has no files.
    const sealed = (await incoming({ addresseeOnly: true, summary: undefined, numberSymbol: '7/BQP' })).json().item.id;
    expect((await upload(clerk, `/api/items/${sealed}/attachments`, data, { name: 'x.pdf' })).json().error.code).toBe('attachment.addressee_only');
    const paper = (await incoming({ kind: 'document', numberSymbol: '8/BQP' })).json().item.id;
    expect((await upload(clerk, `/api/items/${paper}/attachments`, data, { name: 'x.pdf' })).json().error.code).toBe('attachment.kind_not_electronic');
  });

  it('receipt scans: the signer (or the clerk who recorded an outside receipt) attaches one scan; register readers and the signer read it', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer, {
      recipients: [
        { kind: 'user', userId: s.ids.named, copies: 1 },
        { kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 },
      ],
      copyCount: 3,
    });
    const { clerk, head } = await issue(s, itemId);
    const named = await s.as('nguoinhan');
    const internalEvent = (await named.get('/api/my/copies')).json().pending[0].eventId as string;
    const history = (await clerk.get(`/api/items/${itemId}`)).json().history as { id: string; kind: string }[];
    const outsideEvent = history.find((h) => h.kind === 'dispatch')!.id;
    const scan = pdfFile(120 * KiB, 'PHIEU-KY-NHAN-MARKER');

    // Not signed yet: no scan, for anybody.
    const early = await upload(named, `/api/custody/${internalEvent}/receipt-scan`, scan, { name: 'phiếu.pdf' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('receipt_scan.not_confirmed');
    expect((await named.post(`/api/custody/${internalEvent}/confirm`)).statusCode).toBe(200);

    const colleague = await s.as('dongnghiep');
    const before = await databaseFingerprint(t.deps);
    expect((await upload(colleague, `/api/custody/${internalEvent}/receipt-scan`, scan, { name: 'phiếu.pdf' })).json().error.code).toBe(
      'receipt_scan.not_signer',
    );
    expect((await upload(clerk, `/api/custody/${internalEvent}/receipt-scan`, scan, { name: 'phiếu.pdf' })).json().error.code).toBe('receipt_scan.not_signer');
    const word = await upload(
      named,
      `/api/custody/${internalEvent}/receipt-scan`,
      Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), crypto.randomBytes(100)]),
      { name: 'phiếu.docx' },
    );
    expect(word.statusCode).toBe(422);
    expect(word.json().error).toMatchObject({ code: 'receipt_scan.media_type_not_allowed', message: 'Bản chụp phiếu ký nhận chỉ nhận: PDF, JPEG, PNG, TIFF.' });
    expect((await upload(s.admin, `/api/custody/${internalEvent}/receipt-scan`, scan, { name: 'phiếu.pdf' })).json().error.code).toBe('auth.forbidden');
    expect((await upload(named, '/api/custody/khong-co/receipt-scan', scan, { name: 'phiếu.pdf' })).json().error.code).toBe('custody.not_found');
    expect(await databaseFingerprint(t.deps)).toBe(before);

    const added = await upload(named, `/api/custody/${internalEvent}/receipt-scan`, scan, { name: 'Phiếu ký nhận số 1.pdf' });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({
      fileName: 'Phiếu ký nhận số 1.pdf',
      mediaType: 'application/pdf',
      size: scan.length,
      uploadedBy: { id: s.ids.named },
    });
    const row = await t.deps.dbh.db.selectFrom('item_attachments').selectAll().where('id', '=', added.json().id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ purpose: 'receipt_scan', custody_event_id: internalEvent, item_id: itemId });
    const again = await upload(named, `/api/custody/${internalEvent}/receipt-scan`, scan, { name: 'lần hai.pdf' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('receipt_scan.exists');
    // The item page says which receipt has a scan, and who signed it.
    const rows = (await clerk.get(`/api/items/${itemId}`)).json().history as { id: string; confirmedBy: string | null; receiptScan: unknown }[];
    expect(rows.find((h) => h.id === internalEvent)).toMatchObject({
      confirmedBy: s.ids.named,
      receiptScan: { id: added.json().id, fileName: 'Phiếu ký nhận số 1.pdf', size: scan.length },
    });
    expect(rows.find((h) => h.id === outsideEvent)).toMatchObject({ confirmedBy: null, receiptScan: null });
    // A scan is not one of the item's content files.
    expect((await named.get(`/api/items/${itemId}/attachments`)).json().count).toBe(0);
    expect((await named.get(`/api/items/${itemId}/attachments/${added.json().id}`)).json().error.code).toBe('attachment.not_found');

    // Outside body: the clerk records the signed receipt, then attaches its scan (a JPEG).
    expect((await clerk.post(`/api/custody/${outsideEvent}/outside-receipt`, { receivedBy: 'Nguyễn Văn B' })).statusCode).toBe(200);
    const photo = JPEG(40 * KiB);
    expect((await upload(officer, `/api/custody/${outsideEvent}/receipt-scan`, photo, { name: 'anh.jpg' })).json().error.code).toBe('receipt_scan.not_signer');
    // Two at once (a double click): exactly one scan is kept, the other is told it exists.
    const clerkActor = actorOf((await findUserWithRoles(t.deps.dbh.db, s.ids.clerk))!);
    const both = await Promise.allSettled(
      [1, 2].map((n) =>
        addReceiptScan(t.deps, clerkActor, outsideEvent, {
          name: `Ảnh phiếu BNG ${n}.jpg`,
          body: { kind: 'stream', stream: Readable.from([photo]), declaredLength: undefined },
        }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'receipt_scan.exists' });
    expect(await t.deps.dbh.db.selectFrom('item_attachments').select('id').where('custody_event_id', '=', outsideEvent).execute()).toHaveLength(1);

    // Reading: cleared register readers and the signer; nobody else — not the inspector, whose role
    // sees metadata only, for the scan may show what was written on the paper page (issue 11).
    const inspector = await s.as('thanhtra');
    expect((await inspector.get(`/api/custody/${internalEvent}/receipt-scan`)).json().error.code).toBe('receipt_scan.read_forbidden');
    for (const reader of [named, clerk, head, await s.as('baomat')]) {
      const got = await reader.get(`/api/custody/${internalEvent}/receipt-scan`);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.equals(scan)).toBe(true);
      expect(utf8Name(String(got.headers['content-disposition']))).toBe('Phiếu ký nhận số 1.pdf');
      expect(got.headers['cache-control']).toBe('no-store');
    }
    expect((await clerk.get(`/api/custody/${outsideEvent}/receipt-scan`)).rawPayload.equals(photo)).toBe(true);
    expect((await colleague.get(`/api/custody/${internalEvent}/receipt-scan`)).json().error.code).toBe('receipt_scan.read_forbidden');
    expect((await s.admin.get(`/api/custody/${internalEvent}/receipt-scan`)).json().error.code).toBe('auth.forbidden');
    // The named person signed only the internal event: the outside one is not theirs.
    expect((await named.get(`/api/custody/${outsideEvent}/receipt-scan`)).json().error.code).toBe('receipt_scan.read_forbidden');

    const audit = await auditRows();
    const reads = audit.filter((a) => a.action === 'custody.receipt_scan_read');
    expect(reads.map((r) => JSON.parse(r.details).via)).toEqual(['signer', 'register_keeper', 'register_keeper', 'register_keeper', 'register_keeper']);
    // Each refusal is audited (the inspector, the colleague, the named person on the outside event).
    expect(audit.filter((a) => a.action === 'custody.receipt_scan_refused')).toHaveLength(3);
    expect(JSON.parse(audit.find((a) => a.action === 'custody.receipt_scan_added')!.details)).toEqual({
      eventId: internalEvent,
      attachmentId: added.json().id,
      size: scan.length,
      mediaType: 'application/pdf',
    });
    expect(JSON.stringify(audit)).not.toContain('Phiếu ký nhận số 1');
    for (const f of blobFiles()) expect(fs.readFileSync(f).includes(Buffer.from('PHIEU-KY-NHAN-MARKER'))).toBe(false);
  });

  it('a backup carries the files: restored elsewhere, a kept file downloads byte for byte and a removed one stays removed', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const url = `/api/items/${itemId}/attachments`;
    const data = pdfFile(150 * KiB);
    const kept = (await upload(officer, url, data, { name: 'Kế hoạch.pdf' })).json();
    const dropped = (await upload(officer, url, pdfFile(KiB), { name: 'nháp.pdf' })).json();
    expect((await officer.request('DELETE', `${url}/${dropped.id}`)).statusCode).toBe(200);
    const file = path.join(t.dir, 'khomat.backup');
    const summary = await createBackup(t.deps, file);
    expect(summary.tables['item_attachments']).toBe(2);
    expect(summary.blobs).toBe(1);
    expect(fs.readFileSync(file).includes(Buffer.from('NOI-DUNG-MAT-7f3a9c'))).toBe(false);

    const dst = await createTestApp(dialect, { config: { keyDir: t.deps.config.keyDir } });
    try {
      await restoreBackup(dst.deps, file);
      const again = new Client(dst.app, dst.clock);
      await again.signIn('canbo', USER_PASSWORD);
      expect((await again.get(url)).json()).toEqual({ files: [kept], count: 1 });
      expect((await again.get(`${url}/${kept.id}`)).rawPayload.equals(data)).toBe(true);
      expect((await again.get(`${url}/${dropped.id}`)).json().error.code).toBe('attachment.not_found');
    } finally {
      await dst.cleanup();
    }
  });

  it('a failed audit write leaves no attachment, no blob row and no file', async () => {
    const s = await start();
    const officer = await s.as('canbo');
    const itemId = await s.draft(officer);
    const actor = actorOf((await findUserWithRoles(t.deps.dbh.db, s.ids.officer))!);
    const failing: AuditWriter = {
      append: async (tx, e) => {
        await t.deps.audit.append(tx, e);
        throw new Error('audit insert failed');
      },
    };
    const before = await databaseFingerprint(t.deps);
    const body = { kind: 'stream' as const, stream: Readable.from([pdfFile(150 * KiB)]), declaredLength: undefined };
    await expect(addContentFile({ ...t.deps, audit: failing as unknown as AuditLog }, actor, itemId, { name: 'a.pdf', body })).rejects.toThrow(
      'audit insert failed',
    );
    expect(await databaseFingerprint(t.deps)).toBe(before);
    expect(blobFiles()).toEqual([]);
  });
});
