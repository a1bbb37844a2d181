import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';

// Tests read printed and exported registers as text, the way a reader would: the PDF through
// poppler's pdftotext, the XLSX through exceljs.

/** Text of a PDF (poppler's pdftotext), whitespace folded so wrapped cells read as one line. */
export function pdfText(bytes: Buffer): string {
  return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], { input: bytes }).toString('utf8').replace(/\s+/g, ' ');
}

/** Every cell of every sheet of an XLSX, one string. */
export async function xlsxText(bytes: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => out.push(String(c.text ?? '')))));
  return out.join(' | ').replace(/\s+/g, ' ');
}

/** One text-showing operation of a page and the fill colour it is drawn with. */
export interface ColouredText {
  page: number;
  text: string;
  /** Fill colour as RGB 0..1 ("0 g" is black). */
  rgb: [number, number, number];
}

/**
 * Every piece of text a KhoMật PDF draws, with its fill colour, read from the pages' content
 * streams: `BT <colour> /F size Tf … <glyphs> Tj ET` (pdf-kit.ts Content.text), the glyph codes
 * mapped back to characters through each font's ToUnicode CMap.
 */
export async function colouredText(bytes: Uint8Array): Promise<ColouredText[]> {
  const doc = await PDFDocument.load(bytes);
  const out: ColouredText[] = [];
  const cmaps = new Map<string, Map<string, string>>();
  doc.getPages().forEach((page, index) => {
    const fonts = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
    const cmapOf = (name: string): Map<string, string> => {
      const font = fonts.lookup(PDFName.of(name), PDFDict);
      const key = font.get(PDFName.of('ToUnicode'))!.toString();
      let m = cmaps.get(key);
      if (!m) {
        const stream = font.lookup(PDFName.of('ToUnicode')) as PDFRawStream;
        const text = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
        m = new Map(
          [...text.matchAll(/<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>/g)].map((x) => [
            x[1]!.toLowerCase(),
            String.fromCodePoint(...x[2]!.match(/.{4}/g)!.map((h) => parseInt(h, 16))),
          ]),
        );
        cmaps.set(key, m);
      }
      return m;
    };
    const contents = page.node.Contents();
    const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
    for (const s of streams) {
      const ops = Buffer.from(decodePDFRawStream(s as PDFRawStream).decode()).toString('latin1');
      for (const m of ops.matchAll(/BT (0 g|([\d.]+) ([\d.]+) ([\d.]+) rg) \/(\w+) [\d.]+ Tf [^<]*<([0-9A-Fa-f]*)> Tj ET/g)) {
        const cmap = cmapOf(m[5]!);
        const text = (m[6]!.toLowerCase().match(/.{4}/g) ?? []).map((g) => cmap.get(g) ?? '?').join('');
        const rgb: [number, number, number] = m[1] === '0 g' ? [0, 0, 0] : [Number(m[2]), Number(m[3]), Number(m[4])];
        out.push({ page: index + 1, text, rgb });
      }
    }
  });
  return out;
}

/** Stamp red as drawn (pdf-kit STAMP_RED): a strong red, little green and blue. */
export const isRed = (rgb: readonly number[]): boolean => rgb[0]! >= 0.6 && rgb[1]! <= 0.2 && rgb[2]! <= 0.2;
