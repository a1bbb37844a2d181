import crypto from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { collector, piecesOf } from '../../platform/blobstore/blob-test-helpers';
import { DomainError } from '../../platform/errors';
import { MEDIA_TYPES } from './attachments.rules';
import { guardUpload, UploadGuard } from './upload-guard';

const PDF = MEDIA_TYPES.find((m) => m.label === 'PDF')!;
const TXT = MEDIA_TYPES.find((m) => m.label === 'TXT')!;
const pdfBytes = (n: number) => Buffer.concat([Buffer.from('%PDF-1.7\n'), crypto.randomBytes(Math.max(0, n - 9))]).subarray(0, n);

async function run(data: Buffer, pieces: number[], guard: UploadGuard): Promise<{ out: Buffer; error: unknown }> {
  const out: Buffer[] = [];
  try {
    await pipeline(Readable.from(piecesOf(data, pieces)), guard, collector(out));
    return { out: Buffer.concat(out), error: undefined };
  } catch (error) {
    return { out: Buffer.concat(out), error };
  }
}

const codeOf = (e: unknown) => (e instanceof DomainError ? e.code : String(e));

describe('UploadGuard', () => {
  it.each([[[1]], [[3, 5]], [[7]], [[8]], [[9]], [[100_000]]])('passes the bytes through unchanged in pieces of %j', async (pieces) => {
    const data = pdfBytes(pieces[0] === 1 ? 20_000 : 150_000);
    const r = await run(data, pieces, new UploadGuard({ maxBytes: 1 << 20, format: PDF }));
    expect(r.error).toBeUndefined();
    expect(r.out.equals(data)).toBe(true);
  });

  it('refuses one byte over the limit, and accepts exactly the limit', async () => {
    expect((await run(pdfBytes(1000), [64], new UploadGuard({ maxBytes: 1000, format: PDF }))).error).toBeUndefined();
    const over = await run(pdfBytes(1001), [64], new UploadGuard({ maxBytes: 1000, format: PDF }));
    expect(codeOf(over.error)).toBe('attachment.too_large');
    expect(over.out.length).toBeLessThanOrEqual(1000);
  });

  it('refuses an empty upload', async () => {
    expect(codeOf((await run(Buffer.alloc(0), [], new UploadGuard({ maxBytes: 10, format: TXT }))).error)).toBe('attachment.empty');
  });

  it('refuses content that does not start like its format, before passing any of it on', async () => {
    const html = Buffer.from('<html><body>không phải PDF</body></html>');
    const r = await run(html, [3], new UploadGuard({ maxBytes: 1000, format: PDF }));
    expect(codeOf(r.error)).toBe('attachment.content_mismatch');
    expect(r.out.length).toBe(0);
    // Shorter than the longest signature: checked at the end.
    expect(codeOf((await run(Buffer.from('%PD'), [], new UploadGuard({ maxBytes: 1000, format: PDF }))).error)).toBe('attachment.content_mismatch');
    const tiny = await run(Buffer.from('%PDF-'), [], new UploadGuard({ maxBytes: 1000, format: PDF }));
    expect(tiny.error).toBeUndefined();
    expect(tiny.out.toString()).toBe('%PDF-');
    expect((await run(Buffer.from('ab'), [1], new UploadGuard({ maxBytes: 1000, format: TXT }))).out.toString()).toBe('ab');
  });

  it('gives up on a stalled upload', async () => {
    const source = new PassThrough();
    const guard = guardUpload(source, new UploadGuard({ maxBytes: 1000, format: TXT, idleMs: 30 }));
    source.write('bắt đầu rồi dừng');
    const error = await new Promise((resolve) => guard.on('error', resolve).resume());
    expect(codeOf(error)).toBe('attachment.upload_stalled');
  });

  it('a client that goes away fails the upload; a refusal leaves the request stream open for the answer', async () => {
    const source = new PassThrough();
    const guard = guardUpload(source, new UploadGuard({ maxBytes: 1000, format: TXT }));
    const failed = new Promise((resolve) => guard.on('error', resolve).resume());
    source.write('một phần');
    source.destroy();
    expect(codeOf(await failed)).toBe('attachment.upload_aborted');

    const request = new PassThrough();
    const small = guardUpload(request, new UploadGuard({ maxBytes: 4, format: TXT }));
    const refused = new Promise((resolve) => small.on('error', resolve).resume());
    request.write('quá dài');
    expect(codeOf(await refused)).toBe('attachment.too_large');
    expect(request.destroyed).toBe(false);
  });
});
