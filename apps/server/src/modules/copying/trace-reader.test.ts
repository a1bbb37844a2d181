import { execFileSync } from 'node:child_process';
import jpeg from 'jpeg-js';
import QRCode from 'qrcode';
import { beforeAll, describe, expect, it } from 'vitest';
import { newCopyVerificationId, produceCopyPdf, type CopyDescription } from './copy-pdf';
import { decodeImage, readTraceMark } from './trace-reader';
import { sampleOriginal } from './sample-original';

// The verify page's reader: the id back from a scan or photo of a printed copy page, whichever way
// up, at a scanner's or a camera's resolution, as JPEG or PNG; a clear error otherwise.

function raster(pdf: Uint8Array, page: number, args: string[]): Uint8Array {
  return execFileSync('pdftoppm', [...args, '-f', String(page), '-l', String(page), '-singlefile', '-'], { input: pdf, maxBuffer: 128 * 1024 * 1024 });
}

const id = newCopyVerificationId();
let copy: Uint8Array;
let original: Uint8Array;
const description: CopyDescription = {
  level: 'CONFIDENTIAL',
  copyNumber: 1,
  total: 1,
  form: 'SAO_LUC',
  date: '2026-12-05',
  quantity: 1,
  recipients: ['Phòng Tổ chức cán bộ'],
  authoriser: { name: 'Đỗ Minh Đức', position: 'Phó Giám đốc' },
  holder: { name: 'Vũ Thị Hồng Nhung', unit: 'Văn phòng' },
  verificationId: id,
};

beforeAll(async () => {
  original = await sampleOriginal(['portrait', 'landscape']);
  copy = await produceCopyPdf(original, description);
});

describe('readTraceMark', () => {
  it('reads a 150 dpi PNG scan', () => {
    expect(readTraceMark(raster(copy, 1, ['-r', '150', '-png']))).toBe(id);
  });

  it('reads a 300 dpi JPEG (a large image, searched at a reduced size first)', () => {
    expect(readTraceMark(raster(copy, 2, ['-r', '300', '-jpeg', '-jpegopt', 'quality=60']))).toBe(id);
  });

  it('reads a 56 dpi JPEG (under two pixels per module: corners enlarged before the search)', async () => {
    // A fixed id: whether jsQR reads a symbol this coarse without help depends on its pattern;
    // this one it does not read unless enlarged (checked when this test was written).
    const fixed = 'LOWRES2SCAN3TEST4ID5ABCDEF';
    const pdf = await produceCopyPdf(original, { ...description, verificationId: fixed });
    for (const page of [1, 2]) expect(readTraceMark(raster(pdf, page, ['-r', '56', '-jpeg', '-jpegopt', 'quality=60']))).toBe(fixed);
  });

  it('reads a page scanned upside down (the QR in the top-left corner)', () => {
    const img = decodeImage(raster(copy, 1, ['-r', '150', '-jpeg', '-jpegopt', 'quality=80']));
    const turned = Buffer.alloc(img.data.length);
    const px = img.width * img.height;
    for (let i = 0; i < px; i++) img.data.subarray(i * 4, i * 4 + 4).forEach((v, k) => (turned[(px - 1 - i) * 4 + k] = v));
    const encoded = jpeg.encode({ data: turned, width: img.width, height: img.height }, 60).data;
    expect(readTraceMark(encoded)).toBe(id);
  });

  it('says "not found" for a page without a trace mark (the original)', () => {
    expect(() => readTraceMark(raster(original, 1, ['-r', '150', '-jpeg']))).toThrow(
      expect.objectContaining({ code: 'copy.trace_not_found', message: expect.stringMatching(/Không tìm thấy mã QR/) }),
    );
  });

  it('ignores a QR code that does not hold a verification id', async () => {
    const foreign = await QRCode.toBuffer('https://example.org/tai-lieu', { type: 'png', scale: 8 });
    expect(() => readTraceMark(foreign)).toThrow(expect.objectContaining({ code: 'copy.trace_not_found' }));
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['text', new TextEncoder().encode('không phải ảnh')],
    ['a JPEG header and garbage', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, ...new Array<number>(200).fill(7)])],
    ['a PNG header and garbage', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array<number>(200).fill(7)])],
  ])('refuses %s as unreadable', (_name, bytes) => {
    expect(() => readTraceMark(bytes)).toThrow(
      expect.objectContaining({ code: 'copy.trace_image_unreadable', message: expect.stringMatching(/JPEG hoặc PNG/) }),
    );
  });
});
