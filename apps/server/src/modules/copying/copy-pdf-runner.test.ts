import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors';
import { newCopyVerificationId, type CopyDescription } from './copy-pdf';
import { produceCopies, readTraceMarkInWorker } from './copy-pdf-runner';
import { sampleOriginal } from './sample-original';

// Copies are made in a worker thread (loaded through copy-pdf.worker.mjs, as in the server): in
// order, each its own file, the caller's original untouched, domain errors coming back as such.

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const text = (pdf: Uint8Array) =>
  execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', '1', '-l', '1', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

const describeCopy = (k: number, total: number): CopyDescription => ({
  level: 'SECRET',
  copyNumber: k,
  total,
  form: 'SAO_Y',
  date: '2026-12-05',
  quantity: total,
  recipients: ['Phòng Tham mưu'],
  authoriser: { name: 'Trần Thị Thu Hà', position: 'Giám đốc' },
  holder: { name: `Người giữ thứ ${k}`, unit: 'Phòng Hành chính' },
  verificationId: newCopyVerificationId(),
});

let original: Uint8Array;
beforeAll(async () => {
  original = await sampleOriginal(['portrait', 'portrait', 'landscape']);
});

describe('produceCopies', () => {
  it('returns the numbered copies in order, made in the worker thread, and leaves the original as it was', async () => {
    const before = sha256(original);
    const ds = [1, 2, 3].map((k) => describeCopy(k, 3));
    const copies = await produceCopies(original, ds);
    expect(copies).toHaveLength(3);
    copies.forEach((pdf, i) => {
      const t = text(pdf);
      expect(t).toContain(`BẢN SAO SỐ ${i + 1}/3 — TỐI MẬT`);
      expect(t).toContain(`Người giữ: Người giữ thứ ${i + 1} — Phòng Hành chính`);
      expect(t).toContain(`Mã kiểm tra bản sao: ${ds[i]!.verificationId}`);
    });
    // Still attached (a transfer would have detached it) and unchanged.
    expect(original.byteLength).toBeGreaterThan(0);
    expect(sha256(original)).toBe(before);
  });

  it('brings a bad original back as the domain error, and the next job still runs', async () => {
    const bad = new TextEncoder().encode('không phải PDF');
    const err = await produceCopies(bad, [describeCopy(1, 1)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'copy.original_not_pdf', kind: 'unprocessable' });
    const [again] = await produceCopies(original, [describeCopy(1, 1)]);
    expect(text(again!)).toContain('BẢN SAO SỐ 1/1');
  });

  it('reads the trace mark of a scanned page in the worker, and says "not found" as the domain error', async () => {
    const d = describeCopy(1, 1);
    const [pdf] = await produceCopies(original, [d]);
    const scan = execFileSync('pdftoppm', ['-r', '150', '-jpeg', '-jpegopt', 'quality=60', '-f', '3', '-l', '3', '-singlefile', '-'], {
      input: pdf,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(await readTraceMarkInWorker(scan)).toBe(d.verificationId);
    const blank = execFileSync('pdftoppm', ['-r', '150', '-jpeg', '-f', '1', '-l', '1', '-singlefile', '-'], { input: original, maxBuffer: 64 * 1024 * 1024 });
    await expect(readTraceMarkInWorker(blank)).rejects.toMatchObject({ code: 'copy.trace_not_found' });
  });

  it('makes nothing for no descriptions', async () => {
    expect(await produceCopies(original, [])).toEqual([]);
  });
});
