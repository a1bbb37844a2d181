import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import QRCode from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { newCopyVerificationId, produceCopyPdf, VERIFICATION_ID_PATTERN, type CopyDescription } from './copy-pdf';
import { readTraceMark } from './trace-reader';
import { sampleOriginal } from './sample-original';

// Issue 13 non-negotiables on copy PDFs: pdftotext (poppler) shows the copy number, the stamps and
// the holder; the QR decodes to the verification id; two copies differ in their trace marks; the
// original's bytes are unchanged; the trace mark survives rasterising at 150 dpi, JPEG q=60.

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function pdfText(pdf: Uint8Array, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', ...range, '-', '-'], { input: pdf })
    .toString('utf8')
    .replace(/\s+/g, ' ');
}

/** One page as a printer-and-scanner would leave it: 150 dpi, JPEG quality 60 (from memory, via pipes). */
function rasterJpeg(pdf: Uint8Array, page: number): Uint8Array {
  return execFileSync('pdftoppm', ['-r', '150', '-jpeg', '-jpegopt', 'quality=60', '-f', String(page), '-l', String(page), '-singlefile', '-'], {
    input: pdf,
    maxBuffer: 64 * 1024 * 1024,
  });
}

function describeCopy(over: Partial<CopyDescription> = {}): CopyDescription {
  return {
    level: 'SECRET',
    copyNumber: 1,
    total: 2,
    form: 'SAO_Y',
    date: '2026-12-05',
    quantity: 2,
    recipients: ['Phòng Tham mưu tổng hợp', 'Đồng chí Nguyễn Văn Hùng, Phó Giám đốc'],
    authoriser: { name: 'Trần Thị Thu Hà', position: 'Giám đốc' },
    holder: { name: 'Lê Quốc Việt', unit: 'Phòng Hành chính – Tổng hợp' },
    verificationId: newCopyVerificationId(),
    ...over,
  };
}

let original: Uint8Array;
let originalSha: string;
let first: { d: CopyDescription; pdf: Uint8Array };
let second: { d: CopyDescription; pdf: Uint8Array };

beforeAll(async () => {
  // Four pages: portrait, A4 landscape, portrait shown landscape through /Rotate 90, portrait.
  original = await sampleOriginal(['portrait', 'landscape', 'rotated', 'portrait']);
  originalSha = sha256(original);
  const d1 = describeCopy({ copyNumber: 1 });
  const d2 = describeCopy({ copyNumber: 2, holder: { name: 'Phạm Thị Ngọc Ánh', unit: 'Phòng Tham mưu tổng hợp' } });
  first = { d: d1, pdf: await produceCopyPdf(original, d1) };
  second = { d: d2, pdf: await produceCopyPdf(original, d2) };
});

describe('newCopyVerificationId', () => {
  it('is 128 random bits in 26 base32 characters, never repeated', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newCopyVerificationId()));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(VERIFICATION_ID_PATTERN);
    // QR alphanumeric mode keeps the symbol at version 2 (25 × 25 modules).
    expect(QRCode.create([...ids][0]!, { errorCorrectionLevel: 'Q' }).version).toBe(2);
  });
});

describe('produceCopyPdf', () => {
  it('leaves the original bytes unchanged and keeps every page, with the Mẫu 09 page appended', async () => {
    expect(sha256(original)).toBe(originalSha);
    const copy = await PDFDocument.load(first.pdf);
    expect(copy.getPageCount()).toBe(5);
    // The original's pages keep their size and rotation.
    const src = await PDFDocument.load(original);
    src.getPages().forEach((p, i) => {
      expect(copy.getPage(i).getSize()).toEqual(p.getSize());
      expect(copy.getPage(i).getRotation().angle).toBe(p.getRotation().angle);
    });
  });

  it('prints the level, "BẢN SAO SỐ k" and the trace footer with the holder on every page (pdftotext)', () => {
    const { d, pdf } = second;
    for (let page = 1; page <= 5; page++) {
      const text = pdfText(pdf, page);
      expect(text).toContain('BẢN SAO SỐ 2/2 — TỐI MẬT');
      expect(text).toContain('Người giữ: Phạm Thị Ngọc Ánh — Phòng Tham mưu tổng hợp');
      expect(text).toContain(`Mã kiểm tra bản sao: ${d.verificationId} — Trang ${page}/5`);
    }
    // Mẫu 11 and the level stamp on the first page; the original's text is still there.
    const p1 = pdfText(pdf, 1);
    expect(p1).toMatch(/BẢN SAO SỐ 2 TỐI MẬT BẢN SAO SỐ 2\/2/);
    expect(pdfText(pdf, 2)).not.toMatch(/BẢN SAO SỐ 2 TỐI MẬT/);
    expect(p1).toContain('KẾ HOẠCH SỐ 1/KH-BMNN');
  });

  it('prints the copy stamp block of Mẫu 09 on the last page: form, date, quantity, recipients, authoriser', () => {
    const text = pdfText(first.pdf, 5);
    for (const s of [
      'BẢN SAO BÍ MẬT NHÀ NƯỚC',
      'Hình thức sao: Sao y bản chính',
      'Thời gian sao: 05/12/2026',
      'Số lượng bản sao: 2 bản',
      'Nơi nhận: - Phòng Tham mưu tổng hợp; - Đồng chí Nguyễn Văn Hùng, Phó Giám đốc.',
      'GIÁM ĐỐC',
      'Trần Thị Thu Hà',
      'BẢN SAO SỐ 1',
    ]) {
      expect(text).toContain(s);
    }
    expect(pdfText(first.pdf, 4)).not.toContain('BẢN SAO BÍ MẬT NHÀ NƯỚC');
  });

  it('keeps a long recipient list inside the stamp page, above the trace mark', async () => {
    const recipients = Array.from({ length: 120 }, (_, i) => `Phòng nghiệp vụ số ${i + 1} thuộc Sở Ngoại vụ tỉnh Thử nghiệm`);
    const d = describeCopy({ recipients });
    const pdf = await produceCopyPdf(original, d);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(5);
    const text = pdfText(pdf, 5);
    expect(text).toContain('- Phòng nghiệp vụ số 1 thuộc Sở Ngoại vụ tỉnh Thử nghiệm;');
    expect(text).toMatch(/… và \d+ dòng nữa \(ghi đủ trong Sổ quản lý sao, chụp\)\./);
    expect(text).toContain('Trần Thị Thu Hà');
    expect(readTraceMark(rasterJpeg(pdf, 5))).toBe(d.verificationId);
  });

  it('writes the other forms of copy by name', async () => {
    const pdf = await produceCopyPdf(original, describeCopy({ form: 'TRICH_SAO', level: 'TOP_SECRET' }));
    expect(pdfText(pdf, 5)).toContain('Hình thức sao: Trích sao');
    expect(pdfText(pdf, 1)).toContain('BẢN SAO SỐ 1/2 — TUYỆT MẬT');
  });

  it('the trace mark survives rasterising every page at 150 dpi, JPEG q=60 (portrait, landscape, rotated, stamp page)', () => {
    for (let page = 1; page <= 5; page++) {
      expect(readTraceMark(rasterJpeg(first.pdf, page)), `page ${page}`).toBe(first.d.verificationId);
    }
  });

  it('draws from a clean graphics state whatever the original leaves (a clip, a scale, a white fill)', async () => {
    const doc = await PDFDocument.load(await sampleOriginal(['portrait']));
    const page = doc.getPage(0);
    // Unbalanced on purpose: no q … Q around a tiny clip, a 1/10 scale and a white fill colour.
    page.node.addContentStream(doc.context.register(doc.context.stream('0 0 40 40 re W n 0.1 0 0 0.1 0 0 cm 1 g 1 G')));
    const messy = await doc.save();
    const d = describeCopy();
    const pdf = await produceCopyPdf(messy, d);
    expect(readTraceMark(rasterJpeg(pdf, 1))).toBe(d.verificationId);
    expect(pdfText(pdf, 1)).toContain(`Mã kiểm tra bản sao: ${d.verificationId} — Trang 1/2`);
  });

  it('two copies differ in their trace marks', () => {
    expect(first.d.verificationId).not.toBe(second.d.verificationId);
    expect(readTraceMark(rasterJpeg(second.pdf, 3))).toBe(second.d.verificationId);
    expect(readTraceMark(rasterJpeg(first.pdf, 3))).toBe(first.d.verificationId);
    expect(pdfText(first.pdf, 2)).toContain('BẢN SAO SỐ 1/2');
    expect(pdfText(first.pdf, 2)).toContain('Lê Quốc Việt');
    expect(pdfText(first.pdf, 2)).not.toContain('Phạm Thị Ngọc Ánh');
    expect(sha256(first.pdf)).not.toBe(sha256(second.pdf));
  });
});

describe('produceCopyPdf refuses input it cannot copy, with a stable code and a Vietnamese message', () => {
  async function encryptedPdf(): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    doc.addPage();
    // A standard security handler entry in the trailer is what marks a PDF as encrypted.
    doc.context.trailerInfo.Encrypt = doc.context.register(doc.context.obj({ Filter: 'Standard', V: 1, R: 2, P: -44, O: 'x'.repeat(32), U: 'y'.repeat(32) }));
    return doc.save({ useObjectStreams: false });
  }

  it.each([
    ['empty', () => Promise.resolve(new Uint8Array(0)), 'copy.original_empty', /rỗng/],
    ['not a PDF', () => Promise.resolve(new TextEncoder().encode('Đây không phải là PDF')), 'copy.original_not_pdf', /không phải là tệp PDF/],
    [
      'a PDF header and garbage',
      () => Promise.resolve(new TextEncoder().encode('%PDF-1.7\n' + 'rác '.repeat(200))),
      'copy.original_not_pdf',
      /không phải là tệp PDF/,
    ],
    ['encrypted', encryptedPdf, 'copy.original_encrypted', /mật khẩu/],
  ])('%s', async (_name, make, code, message) => {
    const bytes = await make();
    const before = sha256(bytes);
    await expect(produceCopyPdf(bytes, describeCopy())).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(sha256(bytes)).toBe(before);
  });

  it.each([
    ['copy number above the total', { copyNumber: 3, total: 2 }],
    ['copy number 0', { copyNumber: 0 }],
    ['a verification id that is not random base32', { verificationId: 'copy-1' }],
    ['no holder', { holder: { name: ' ', unit: 'Phòng A' } }],
    ['a date that does not exist', { date: '2026-02-30' }],
  ])('a description with %s', async (_name, over) => {
    await expect(produceCopyPdf(original, describeCopy(over as Partial<CopyDescription>))).rejects.toMatchObject({ code: 'copy.description_invalid' });
  });
});
