import jpeg from 'jpeg-js';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { copyingErrors } from './copying.errors';
import { VERIFICATION_ID_PATTERN } from './copy-pdf';

// Reads the copy-verification id back from a photo or scan of a printed copy page (JPEG or PNG),
// for the verify page (issue 13 §2.4). Pure JavaScript: jpeg-js / pngjs decode, jsQR finds and
// decodes the symbol. The image never leaves memory.
//
// jsQR looks for finder patterns over the whole image; on a full A4 scan the small symbol in the
// bottom-right corner (copy-pdf.ts) competes with the text, and on a 12-megapixel phone photo the
// search is slow. So the image is tried as a whole at a bounded size first, then the four corners
// (the QR sits in one of them whichever way the page was scanned or turned) at full resolution,
// then the whole image at full resolution, and for a small image (a scan below ~100 dpi) the
// corners enlarged twice; the first symbol that holds a well-formed id wins.

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Images above this many pixels are refused: a 40-megapixel RGBA image is 160 MiB. */
const MAX_PIXELS = 40_000_000;
/** Long side of the first, whole-image attempt. */
const OVERVIEW_SIDE = 1800;

function isPng(b: Uint8Array): boolean {
  return b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
}
function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** JPEG or PNG bytes → RGBA pixels. Throws copy.trace_image_unreadable for anything else. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  try {
    if (isJpeg(bytes)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
    }
    if (isPng(bytes)) {
      // Size from the IHDR chunk before decoding: a small file can declare a huge image.
      if (
        bytes.length < 24 ||
        new DataView(bytes.buffer, bytes.byteOffset).getUint32(16) * new DataView(bytes.buffer, bytes.byteOffset).getUint32(20) > MAX_PIXELS
      )
        throw new Error('too large');
      const img = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      if (img.width * img.height > MAX_PIXELS) throw new Error('too large');
      return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
    }
  } catch {
    throw copyingErrors.imageUnreadable();
  }
  throw copyingErrors.imageUnreadable();
}

/** A region of the image, box-averaged by an integer factor (1 = copied as is). */
function region(img: RgbaImage, x0: number, y0: number, w: number, h: number, factor: number): RgbaImage {
  const ow = Math.floor(w / factor);
  const oh = Math.floor(h / factor);
  const out = new Uint8ClampedArray(ow * oh * 4);
  const area = factor * factor;
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < factor; dy++) {
        let i = ((y0 + oy * factor + dy) * img.width + x0 + ox * factor) * 4;
        for (let dx = 0; dx < factor; dx++, i += 4) {
          r += img.data[i]!;
          g += img.data[i + 1]!;
          b += img.data[i + 2]!;
        }
      }
      const o = (oy * ow + ox) * 4;
      out[o] = r / area;
      out[o + 1] = g / area;
      out[o + 2] = b / area;
      out[o + 3] = 255;
    }
  }
  return { width: ow, height: oh, data: out };
}

/** A region enlarged twice, bilinear: a low-resolution scan's modules become wide enough for jsQR. */
function enlarged(img: RgbaImage, x0: number, y0: number, w: number, h: number): RgbaImage {
  const ow = w * 2;
  const oh = h * 2;
  const out = new Uint8ClampedArray(ow * oh * 4);
  const at = (x: number, y: number, k: number) => img.data[((y0 + y) * img.width + x0 + x) * 4 + k]!;
  for (let y = 0; y < oh; y++) {
    const sy = Math.min(h - 1.001, Math.max(0, (y + 0.5) / 2 - 0.5));
    const iy = Math.floor(sy);
    const fy = sy - iy;
    for (let x = 0; x < ow; x++) {
      const sx = Math.min(w - 1.001, Math.max(0, (x + 0.5) / 2 - 0.5));
      const ix = Math.floor(sx);
      const fx = sx - ix;
      const o = (y * ow + x) * 4;
      for (let k = 0; k < 3; k++) {
        out[o + k] =
          at(ix, iy, k) * (1 - fx) * (1 - fy) + at(ix + 1, iy, k) * fx * (1 - fy) + at(ix, iy + 1, k) * (1 - fx) * fy + at(ix + 1, iy + 1, k) * fx * fy;
      }
      out[o + 3] = 255;
    }
  }
  return { width: ow, height: oh, data: out };
}

function attempts(img: RgbaImage): (() => RgbaImage)[] {
  const { width: w, height: h } = img;
  const list: (() => RgbaImage)[] = [];
  const factor = Math.ceil(Math.max(w, h) / OVERVIEW_SIDE);
  list.push(() => (factor > 1 ? region(img, 0, 0, w, h, factor) : img));
  // Corners, bottom-right first (where copy-pdf.ts puts the symbol), each 45 % of each side.
  const cw = Math.floor(w * 0.45);
  const ch = Math.floor(h * 0.45);
  const cf = Math.max(1, Math.ceil(Math.max(cw, ch) / OVERVIEW_SIDE));
  const corners = [
    [w - cw, h - ch],
    [0, h - ch],
    [w - cw, 0],
    [0, 0],
  ] as const;
  for (const [x, y] of corners) list.push(() => region(img, x, y, cw, ch, cf));
  if (factor > 1) list.push(() => img);
  // A scan below ~100 dpi leaves about two pixels per module, too few for jsQR: enlarged corners.
  if (Math.max(cw, ch) <= OVERVIEW_SIDE / 2) for (const [x, y] of corners) list.push(() => enlarged(img, x, y, cw, ch));
  return list;
}

/** The verification id in an RGBA image, or null when no KhoMật trace QR code is found. */
export function findVerificationId(img: RgbaImage): string | null {
  for (const make of attempts(img)) {
    const part = make();
    const found = jsQR(part.data, part.width, part.height, { inversionAttempts: 'attemptBoth' });
    // Some other QR code (a URL on the original, a product label) is not ours: keep looking.
    const text = found?.data.trim();
    if (text && VERIFICATION_ID_PATTERN.test(text)) return text;
  }
  return null;
}

/**
 * The copy-verification id on a photographed or scanned page. Throws copy.trace_image_unreadable
 * for bytes that are not a JPEG or PNG image, copy.trace_not_found when no trace QR is readable.
 */
export function readTraceMark(image: Uint8Array): string {
  if (image.byteLength === 0) throw copyingErrors.imageUnreadable();
  const id = findVerificationId(decodeImage(image));
  if (!id) throw copyingErrors.traceNotFound();
  return id;
}
