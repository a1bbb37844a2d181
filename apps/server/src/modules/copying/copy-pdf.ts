import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { isCivilDate, LEVEL_TABLE, type IsoDate, type Level } from '@khomat/policy';
import { ParseSpeeds, PDFDocument, PDFName, type PDFPage, type PDFRef } from 'pdf-lib';
import QRCode from 'qrcode';
import { cleanText, Content, FontFace, loadFontBytes, MM, STAMP_RED, type Rgb } from '../registers/print/pdf-kit';
import { isDomainError } from '../../platform/errors';
import { copyingErrors } from './copying.errors';

// The PDF of one numbered copy (bản sao) of an electronic secret document, produced from the stored
// original (decrypted in memory by the caller; nothing here touches the disk). The original's bytes
// are only read: pdf-lib parses them into a new document model, which is marked and saved as a new
// file, so the stored original (and its SHA-256) never changes.
//
// What a copy carries (NĐ 26/2020 Đ.3; TT 24/2020/TT-BCA Mẫu 02, 09, 11; practice: CV 4114 and
// TT 104/2021 — legal-basis.md §3.4):
// - first page, top margin: the level stamp (Mẫu 02) and "BẢN SAO SỐ k" (Mẫu 11), in red;
// - every page, bottom margin: the trace mark — a footer naming the copy number and its holder,
//   the page number and the verification id, and a QR code holding only that random id;
// - an appended last page with the copy stamp block (Mẫu 09, "BẢN SAO BÍ MẬT NHÀ NƯỚC"): form of
//   copy, date, quantity, recipients, the authorising person. Appended rather than drawn on the
//   original's last page: the block is ~70 mm tall with a recipient list of any length, and a PDF
//   does not tell where a page has blank space without rendering it; stamping over text would make
//   both unreadable. A clerk does the same on paper when the last page is full. The appended page
//   carries the trace mark like every other page.
// All stamps are red (TT 24/2020 Đ.3 k.2: every secrecy stamp in red ink), like the envelopes.
//
// Drawing: operators are written as text into one content stream per page (pdf-kit.ts explains
// why), the two faces are embedded once per copy and subset, and the QR is one vector form XObject
// per copy drawn on every page (exact at any print or scan resolution, and cheap).

export type CopyForm = 'SAO_Y' | 'SAO_LUC' | 'TRICH_SAO';

/** The forms of copy (NĐ 26/2020 Đ.3 k.1), as written in the copy stamp. */
export const COPY_FORM_LABEL_VI: Record<CopyForm, string> = {
  SAO_Y: 'Sao y bản chính',
  SAO_LUC: 'Sao lục',
  TRICH_SAO: 'Trích sao',
};

export interface CopyDescription {
  level: Level;
  /** k in "Bản sao số k", 1-based. */
  copyNumber: number;
  /** How many copies this copying made (k ≤ total). */
  total: number;
  form: CopyForm;
  /** Date of copying (thời gian sao), YYYY-MM-DD. */
  date: IsoDate;
  /** Quantity written in the copy stamp (số lượng bản sao). */
  quantity: number;
  /** Where the copies go (nơi nhận). */
  recipients: string[];
  /** The person who authorised the copying (người cho phép sao). */
  authoriser: { name: string; position: string };
  /** Who holds this copy: printed in the footer of every page. */
  holder: { name: string; unit: string };
  /** Random id carried by the QR code (newCopyVerificationId). */
  verificationId: string;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 26 base32 characters: the format of a copy-verification id. */
export const VERIFICATION_ID_PATTERN = /^[A-Z2-7]{26}$/;

/**
 * A copy-verification id: 128 random bits (node:crypto) in RFC 4648 base32 without padding.
 * Base32's upper-case letters and digits are all in the QR code's alphanumeric mode, so the 26
 * characters fit a version-2 symbol (25 × 25 modules) at error correction Q: bigger modules at the
 * same printed size than base64url in byte mode would need, which is what survives a poor scan.
 */
export function newCopyVerificationId(): string {
  const bytes = randomBytes(16);
  let out = '';
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The original's pages, parsed. Throws the copying errors for empty, non-PDF and encrypted input. */
export async function loadOriginal(original: Uint8Array): Promise<PDFDocument> {
  if (original.byteLength === 0) throw copyingErrors.originalEmpty();
  let doc: PDFDocument;
  try {
    // Fastest: no yielding to the event loop while parsing (this runs in a worker thread).
    // Encryption is checked on the loaded document rather than by catching pdf-lib's
    // EncryptedPDFError: under tsx the class may come from pdf-lib's other build (cjs/es), and
    // `instanceof` would then miss it.
    doc = await PDFDocument.load(original, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest, ignoreEncryption: true });
    if (doc.isEncrypted) throw copyingErrors.originalEncrypted();
    // A file with a header and garbage parses to a document without a page tree.
    if (doc.getPageCount() === 0) throw copyingErrors.originalNotPdf();
  } catch (e) {
    if (isDomainError(e)) throw e;
    throw copyingErrors.originalNotPdf();
  }
  return doc;
}

function checkDescription(d: CopyDescription): void {
  const ok =
    Number.isInteger(d.copyNumber) &&
    Number.isInteger(d.total) &&
    Number.isInteger(d.quantity) &&
    d.copyNumber >= 1 &&
    d.copyNumber <= d.total &&
    d.quantity >= 1 &&
    d.level in LEVEL_TABLE &&
    d.form in COPY_FORM_LABEL_VI &&
    isCivilDate(d.date) &&
    VERIFICATION_ID_PATTERN.test(d.verificationId) &&
    d.holder.name.trim() !== '';
  if (!ok) throw copyingErrors.descriptionInvalid();
}

// Resource names chosen not to collide with the original's own (/F1, /Im0, /X1 …).
const R_REGULAR = 'KMcpR';
const R_BOLD = 'KMcpB';
const R_QR = 'KMcpQR';

const FOOTER_GRAY: Rgb = [0.2, 0.2, 0.2];
/** Printed size of the QR code, quiet zone included. */
const QR_SIZE = 18 * MM;
/** Quiet zone around the symbol, in modules (the standard asks 4; the white box adds to it). */
const QR_MARGIN = 2;
const EDGE = 5 * MM;

const n = (v: number): string => (Math.round(v * 100) / 100).toString();

function formatDateVi(d: IsoDate): string {
  const [y, m, day] = d.split('-');
  return `${day}/${m}/${y}`;
}

/**
 * A compressed stream, deflated by Node's zlib: pdf-lib's own flateStream (pako) sets up a fresh
 * deflate state per stream, which cost more than everything else together for a hundred small
 * page streams (profiled: ≈ 40 % of a copy's time).
 */
function flateStream(doc: PDFDocument, text: string, dict: Record<string, unknown> = {}) {
  return doc.context.stream(deflateSync(Buffer.from(text, 'latin1')), { ...dict, Filter: 'FlateDecode' } as Parameters<PDFDocument['context']['stream']>[1]);
}

/** The QR symbol of the id as a form XObject of unit size: white square, dark modules as runs. */
function qrFormXObject(doc: PDFDocument, id: string): PDFRef {
  const qr = QRCode.create(id, { errorCorrectionLevel: 'Q' });
  const { size, data } = qr.modules;
  const full = size + 2 * QR_MARGIN;
  const ops: string[] = [`1 g 0 0 ${full} ${full} re f`, '0 g'];
  for (let r = 0; r < size; r++) {
    const y = full - QR_MARGIN - r - 1;
    let c = 0;
    while (c < size) {
      if (!data[r * size + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < size && data[r * size + c]) c++;
      ops.push(`${start + QR_MARGIN} ${y} ${c - start} 1 re`);
    }
  }
  ops.push('f');
  const stream = flateStream(doc, ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, full, full],
    // Unit square: the page scales it to QR_SIZE.
    Matrix: [1 / full, 0, 0, 1 / full, 0, 0],
  });
  return doc.context.register(stream);
}

interface Faces {
  regular: FontFace;
  bold: FontFace;
}

async function embedFaces(doc: PDFDocument): Promise<Faces> {
  doc.registerFontkit(fontkit);
  const bytes = loadFontBytes();
  const regular = await doc.embedFont(bytes.regular, { subset: true });
  const bold = await doc.embedFont(bytes.bold, { subset: true });
  return { regular: new FontFace(regular, metrics('regular', bytes.regular), R_REGULAR), bold: new FontFace(bold, metrics('bold', bytes.bold), R_BOLD) };
}

// Parsed font metrics are read-only: one parse per thread, not per copy.
const metricsCache = new Map<string, ReturnType<typeof fontkit.create>>();
function metrics(key: string, bytes: Uint8Array): ReturnType<typeof fontkit.create> {
  let m = metricsCache.get(key);
  if (!m) metricsCache.set(key, (m = fontkit.create(bytes)));
  return m;
}

/**
 * The page as the reader sees it: visible box and rotation. Marks are drawn in these visual
 * coordinates (origin at the visible bottom-left, x to the right, y up) through one `cm`.
 */
function visualFrame(page: PDFPage): { width: number; height: number; cm: string } {
  const box = page.getCropBox();
  const rot = ((page.getRotation().angle % 360) + 360) % 360;
  const { x, y, width: w, height: h } = box;
  switch (rot) {
    case 90:
      return { width: h, height: w, cm: `0 1 -1 0 ${n(x + w)} ${n(y)} cm` };
    case 180:
      return { width: w, height: h, cm: `-1 0 0 -1 ${n(x + w)} ${n(y + h)} cm` };
    case 270:
      return { width: h, height: w, cm: `0 -1 1 0 ${n(x)} ${n(y + h)} cm` };
    default:
      return { width: w, height: h, cm: `1 0 0 1 ${n(x)} ${n(y)} cm` };
  }
}

/** A red framed stamp, its right edge at `right`; returns its left edge. */
function stampRight(c: Content, face: FontFace, size: number, right: number, top: number, text: string): number {
  const pad = 2 * MM;
  const w = face.width(text, size) + 2 * pad;
  const h = size * 1.6;
  const x = right - w;
  c.strokeColor(STAMP_RED)
    .lineWidth(1.1)
    .rect(x, top - h, w, h);
  c.text(face, size, x + pad, top - h + (h - size * 0.72) / 2, text, STAMP_RED);
  return x;
}

function traceMark(c: Content, faces: Faces, d: CopyDescription, width: number, pageNo: number, pageCount: number): void {
  // White box under the symbol: the quiet zone a scanner needs, whatever the original has there.
  const qx = width - EDGE - QR_SIZE;
  const qy = EDGE - 1 * MM;
  c.raw(`q ${n(QR_SIZE)} 0 0 ${n(QR_SIZE)} ${n(qx)} ${n(qy)} cm /${R_QR} Do Q`);
  const size = 7.5;
  const maxW = qx - EDGE - 3 * MM;
  const holder = faces.regular.wrap(cleanText(`Người giữ: ${d.holder.name} — ${d.holder.unit}`), size, maxW).slice(0, 2);
  const lines = [
    { face: faces.bold, text: `BẢN SAO SỐ ${d.copyNumber}/${d.total} — ${LEVEL_TABLE[d.level].labelVi.toUpperCase()}` },
    ...holder.map((text) => ({ face: faces.regular, text })),
    { face: faces.regular, text: `Mã kiểm tra bản sao: ${d.verificationId} — Trang ${pageNo}/${pageCount}` },
  ];
  let y = EDGE + (lines.length - 1) * size * 1.25;
  for (const l of lines) {
    c.text(l.face, size, EDGE, y, l.text, FOOTER_GRAY);
    y -= size * 1.25;
  }
}

/**
 * Mẫu 09 on the appended page: the copy stamp block, filled in. Recipients one per line, as in the
 * "Nơi nhận" of an administrative document; a long list is set smaller (down to 8 pt) so the block
 * stays above the trace mark, and past that the rest is named by count (the copy register, Mẫu 12,
 * lists them all).
 */
function copyStampBlock(c: Content, faces: Faces, d: CopyDescription, width: number, height: number): void {
  const left = 25 * MM;
  const boxW = width - 45 * MM;
  const inner = boxW - 10 * MM;
  const top = height - 50 * MM;
  const bottomLimit = 30 * MM;
  const layout = (size: number) => {
    const wrap = (s: string) => faces.regular.wrap(cleanText(s), size, inner);
    const rows = [
      ...wrap(`Hình thức sao: ${COPY_FORM_LABEL_VI[d.form]}`),
      ...wrap(`Thời gian sao: ${formatDateVi(d.date)}`),
      ...wrap(`Số lượng bản sao: ${d.quantity} bản`),
      ...(d.recipients.length === 0
        ? ['Nơi nhận: —']
        : ['Nơi nhận:', ...d.recipients.flatMap((r, i) => wrap(`- ${r}${i === d.recipients.length - 1 ? '.' : ';'}`))]),
    ];
    const lh = size * 1.45;
    const fixed = 14 * MM + 8 * MM + 5 * lh + 6 * MM;
    return { size, lh, rows, fits: Math.floor((top - bottomLimit - fixed) / lh) };
  };
  let l = layout(11);
  for (const size of [10, 9, 8]) {
    if (l.rows.length <= l.fits) break;
    l = layout(size);
  }
  const { size, lh } = l;
  let rows = l.rows;
  if (rows.length > l.fits) rows = [...rows.slice(0, l.fits - 1), `… và ${rows.length - l.fits + 1} dòng nữa (ghi đủ trong Sổ quản lý sao, chụp).`];
  const sign = [cleanText(d.authoriser.position).toUpperCase(), '(Người cho phép sao — ký, ghi rõ họ tên, đóng dấu)', '', '', cleanText(d.authoriser.name)];
  const boxH = 14 * MM + rows.length * lh + 8 * MM + sign.length * lh + 6 * MM;
  c.strokeColor(STAMP_RED)
    .lineWidth(1.4)
    .rect(left, top - boxH, boxW, boxH);
  let y = top - 10 * MM;
  c.alignedText(faces.bold, 14, left, boxW, y, 'BẢN SAO BÍ MẬT NHÀ NƯỚC', 'center', STAMP_RED);
  y -= 10 * MM;
  for (const r of rows) {
    c.text(faces.regular, size, left + 5 * MM, y, r, STAMP_RED);
    y -= lh;
  }
  y -= 6 * MM;
  const signX = left + boxW / 2;
  const signW = boxW / 2 - 5 * MM;
  sign.forEach((s, i) => {
    c.alignedText(i === 0 || i === sign.length - 1 ? faces.bold : faces.regular, i === 1 ? Math.min(9, size) : size, signX, signW, y, s, 'center', STAMP_RED);
    y -= lh;
  });
}

function drawOn(doc: PDFDocument, page: PDFPage, faces: Faces, qr: PDFRef, draw: (c: Content, width: number, height: number) => void): void {
  const frame = visualFrame(page);
  const c = new Content();
  draw(c, frame.width, frame.height);
  page.node.setFontDictionary(PDFName.of(R_REGULAR), faces.regular.font.ref);
  page.node.setFontDictionary(PDFName.of(R_BOLD), faces.bold.font.ref);
  page.node.setXObject(PDFName.of(R_QR), qr);
  // Loaded pages are normalised by pdf-lib: the original content is wrapped in q … Q, so whatever
  // graphics state it leaves, these marks start from the default one.
  page.node.addContentStream(doc.context.register(flateStream(doc, `q\n${frame.cm}\n${c.toString()}\nQ`)));
}

/**
 * The marks of one copy drawn into `doc`, a freshly loaded original that becomes the copy. Pages
 * are marked in place; the Mẫu 09 page is appended.
 */
async function markCopy(doc: PDFDocument, d: CopyDescription): Promise<void> {
  const faces = await embedFaces(doc);
  const qr = qrFormXObject(doc, d.verificationId);
  const originalPages = doc.getPages();
  const stampPage = doc.addPage([210 * MM, 297 * MM]);
  const pageCount = originalPages.length + 1;
  const level = LEVEL_TABLE[d.level].labelVi.toUpperCase();

  originalPages.forEach((page, i) => {
    drawOn(doc, page, faces, qr, (c, width, height) => {
      if (i === 0) {
        // Mẫu 11 at the top right, the level stamp (Mẫu 02) to its left, inside the top margin.
        const left = stampRight(c, faces.bold, 11, width - EDGE, height - EDGE, `BẢN SAO SỐ ${d.copyNumber}`);
        stampRight(c, faces.bold, 11, left - 3 * MM, height - EDGE, level);
      }
      traceMark(c, faces, d, width, i + 1, pageCount);
    });
  });
  drawOn(doc, stampPage, faces, qr, (c, width, height) => {
    const left = stampRight(c, faces.bold, 11, width - 20 * MM, height - 15 * MM, `BẢN SAO SỐ ${d.copyNumber}`);
    stampRight(c, faces.bold, 11, left - 3 * MM, height - 15 * MM, level);
    c.text(faces.regular, 10, 25 * MM, height - 35 * MM, 'Trang đóng dấu bản sao, kèm theo và là một phần của bản sao này.', FOOTER_GRAY);
    copyStampBlock(c, faces, d, width, height);
    traceMark(c, faces, d, width, pageCount, pageCount);
  });
}

/**
 * The PDF of one copy. `original` is read, never written. Throws copyingErrors.original* for input
 * that is not a usable PDF and copyingErrors.descriptionInvalid for a bad description.
 */
export async function produceCopyPdf(original: Uint8Array, d: CopyDescription): Promise<Uint8Array> {
  checkDescription(d);
  // Each copy is its own document parsed from the original bytes: nothing is shared between
  // copies, so one copy's marks can never end up in another's file.
  const doc = await loadOriginal(original);
  await markCopy(doc, d);
  // Without object streams: pdf-lib writes plain objects much faster, and poppler, browsers and
  // printers read either.
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
