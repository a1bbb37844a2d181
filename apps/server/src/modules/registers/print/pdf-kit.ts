import fs from 'node:fs';
import fontkit, { type Font as FontkitFont } from '@pdf-lib/fontkit';
import { PDFDocument, PDFName, type PDFFont, type PDFPage } from 'pdf-lib';

// Small drawing layer over pdf-lib for the printed registers and envelope labels.
//
// Why not `page.drawText`: measured here on 600 A4 pages × 300 lines, drawText took 13.5 s and
// 650 MiB (one font layout and a dozen operator objects per call), pdf-lib operator objects
// 2.6 s and 570 MiB, and content streams written as operator text 0.9 s and 160 MiB. A 10,000-row
// register must print in < 10 s within 300 MiB (issue 3), so pages are written as operator text
// here; pdf-lib still owns the file (objects, fonts, subsetting, ToUnicode, compression).

export const MM = 72 / 25.4;
export const A4_LANDSCAPE: [number, number] = [297 * MM, 210 * MM];
export const A4_PORTRAIT: [number, number] = [210 * MM, 297 * MM];

/** The fonts are part of the repository (apps/server/assets/fonts): never read from /usr/share. */
const FONT_DIR = new URL('../../../../assets/fonts/', import.meta.url);
export const FONT_FILES = { regular: 'DejaVuSerifCondensed.ttf', bold: 'DejaVuSerifCondensed-Bold.ttf' } as const;

let fontBytes: { regular: Uint8Array; bold: Uint8Array } | undefined;
export function loadFontBytes(): { regular: Uint8Array; bold: Uint8Array } {
  fontBytes ??= {
    regular: fs.readFileSync(new URL(FONT_FILES.regular, FONT_DIR)),
    bold: fs.readFileSync(new URL(FONT_FILES.bold, FONT_DIR)),
  };
  return fontBytes;
}

// Control characters other than the line break have no place on paper.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F]/g;

/** NFC (precomposed Vietnamese letters: one glyph each), CR LF → LF, control characters → space. */
export function cleanText(s: string): string {
  return s.normalize('NFC').replace(/\r\n?/g, '\n').replace(CONTROL, ' ');
}

/**
 * An embedded font with per-character caches of advance width and glyph code. Text is encoded
 * character by character (after NFC): no ligatures or kerning, which a PDF `Tj` would not apply
 * anyway, and widths measured here are exactly what the viewer draws.
 */
export class FontFace {
  private readonly widths = new Map<number, number>();
  private readonly codes = new Map<number, string>();
  private readonly fallback: string;

  constructor(
    readonly font: PDFFont,
    private readonly metrics: FontkitFont,
    /** Resource name used in content streams, e.g. "R". */
    readonly resourceName: string,
  ) {
    this.fallback = this.metrics.hasGlyphForCodePoint(0x3f) ? '?' : ' ';
  }

  private cp(ch: string): number {
    const cp = ch.codePointAt(0)!;
    return this.metrics.hasGlyphForCodePoint(cp) ? cp : this.fallback.codePointAt(0)!;
  }

  /** Width of one character in text-space units per 1 pt of font size. */
  private charWidth(ch: string): number {
    const cp = ch.codePointAt(0)!;
    let w = this.widths.get(cp);
    if (w === undefined) {
      const g = this.metrics.glyphForCodePoint(this.cp(ch));
      w = g.advanceWidth / this.metrics.unitsPerEm;
      this.widths.set(cp, w);
    }
    return w;
  }

  width(text: string, size: number): number {
    let w = 0;
    for (const ch of text) w += this.charWidth(ch);
    return w * size;
  }

  /** Hex glyph codes for a `<…> Tj` operand; characters the font lacks print as "?". */
  encode(text: string): string {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let code = this.codes.get(cp);
      if (code === undefined) {
        const hex = this.font.encodeText(String.fromCodePoint(this.cp(ch))).toString();
        code = hex.slice(1, -1);
        this.codes.set(cp, code);
      }
      out += code;
    }
    return out;
  }

  /** Breaks text into lines no wider than `maxWidth` pt: at spaces, else inside long words. */
  wrap(text: string, size: number, maxWidth: number): string[] {
    const lines: string[] = [];
    const space = this.width(' ', size);
    for (const para of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of para.split(' ')) {
        if (word === '') continue;
        const w = this.width(word, size);
        if (line !== '' && lineWidth + space + w <= maxWidth) {
          line += ' ' + word;
          lineWidth += space + w;
          continue;
        }
        if (line !== '') lines.push(line);
        if (w <= maxWidth) {
          line = word;
          lineWidth = w;
          continue;
        }
        // A word wider than the cell (a long number and symbol): cut it, preferably after "/" or
        // "-" so that "125/BNG-LS" breaks where a clerk would break it.
        let rest = [...word];
        while (rest.length > 0 && this.width(rest.join(''), size) > maxWidth) {
          let fit = 0;
          let acc = 0;
          while (fit < rest.length && acc + this.charWidth(rest[fit]!) * size <= maxWidth) acc += this.charWidth(rest[fit++]!) * size;
          fit = Math.max(1, fit);
          for (let i = fit - 1; i >= Math.ceil(fit / 2); i--) {
            if (rest[i] === '/' || rest[i] === '-' || rest[i] === ',') {
              fit = i + 1;
              break;
            }
          }
          lines.push(rest.slice(0, fit).join(''));
          rest = rest.slice(fit);
        }
        line = rest.join('');
        lineWidth = this.width(line, size);
      }
      lines.push(line);
    }
    // Trailing empty lines add height and nothing else.
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }
}

export interface Faces {
  regular: FontFace;
  bold: FontFace;
}

/** A new document with the two faces embedded (subset: only the glyphs used are written). */
export async function createDocument(meta: { title: string; subject?: string; keywords?: string[] }): Promise<{ doc: PDFDocument; faces: Faces }> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const bytes = loadFontBytes();
  const regular = await doc.embedFont(bytes.regular, { subset: true });
  const bold = await doc.embedFont(bytes.bold, { subset: true });
  doc.setTitle(meta.title);
  if (meta.subject) doc.setSubject(meta.subject);
  if (meta.keywords) doc.setKeywords(meta.keywords);
  doc.setCreator('KhoMật');
  doc.setProducer('KhoMật (pdf-lib)');
  doc.setLanguage('vi-VN');
  return {
    doc,
    faces: {
      regular: new FontFace(regular, fontkit.create(bytes.regular), 'R'),
      bold: new FontFace(bold, fontkit.create(bytes.bold), 'B'),
    },
  };
}

export type Rgb = readonly [number, number, number];
export const BLACK: Rgb = [0, 0, 0];
/** Stamp red (TT 24/2020/TT-BCA: level stamps in red ink). */
export const STAMP_RED: Rgb = [0.8, 0.05, 0.05];

const n = (v: number): string => (Math.round(v * 100) / 100).toString();

/** Operators of one content stream, as text (PDF 32000-1 §8–9). */
export class Content {
  private readonly parts: string[] = [];

  text(face: FontFace, size: number, x: number, y: number, s: string, color: Rgb = BLACK): this {
    if (s === '') return this;
    const fill = color === BLACK ? '0 g' : `${n(color[0])} ${n(color[1])} ${n(color[2])} rg`;
    this.parts.push(`BT ${fill} /${face.resourceName} ${n(size)} Tf 1 0 0 1 ${n(x)} ${n(y)} Tm <${face.encode(s)}> Tj ET`);
    return this;
  }

  /** Text placed in a box [x, x + width] by its alignment. */
  alignedText(face: FontFace, size: number, x: number, width: number, y: number, s: string, align: 'left' | 'center' | 'right', color: Rgb = BLACK): this {
    const w = face.width(s, size);
    const dx = align === 'center' ? (width - w) / 2 : align === 'right' ? width - w : 0;
    return this.text(face, size, x + dx, y, s, color);
  }

  lineWidth(w: number): this {
    this.parts.push(`${n(w)} w`);
    return this;
  }

  strokeColor(c: Rgb): this {
    this.parts.push(`${n(c[0])} ${n(c[1])} ${n(c[2])} RG`);
    return this;
  }

  line(x1: number, y1: number, x2: number, y2: number): this {
    this.parts.push(`${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l S`);
    return this;
  }

  rect(x: number, y: number, w: number, h: number, mode: 'stroke' | 'fill' = 'stroke', fillGray = 0.9): this {
    this.parts.push(mode === 'fill' ? `q ${n(fillGray)} g ${n(x)} ${n(y)} ${n(w)} ${n(h)} re f Q` : `${n(x)} ${n(y)} ${n(w)} ${n(h)} re S`);
    return this;
  }

  /** A circle of radius r centred on (cx, cy), stroked (four Bézier quarters). */
  circle(cx: number, cy: number, r: number): this {
    const k = 0.5523 * r;
    this.parts.push(
      `${n(cx + r)} ${n(cy)} m ${n(cx + r)} ${n(cy + k)} ${n(cx + k)} ${n(cy + r)} ${n(cx)} ${n(cy + r)} c ` +
        `${n(cx - k)} ${n(cy + r)} ${n(cx - r)} ${n(cy + k)} ${n(cx - r)} ${n(cy)} c ` +
        `${n(cx - r)} ${n(cy - k)} ${n(cx - k)} ${n(cy - r)} ${n(cx)} ${n(cy - r)} c ` +
        `${n(cx + k)} ${n(cy - r)} ${n(cx + r)} ${n(cy - k)} ${n(cx + r)} ${n(cy)} c S`,
    );
    return this;
  }

  raw(s: string): this {
    this.parts.push(s);
    return this;
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  toString(): string {
    return this.parts.join('\n');
  }
}

/** Appends a compressed content stream to a page and makes the faces available to it. */
export function appendContent(doc: PDFDocument, page: PDFPage, faces: Faces, content: Content | string): void {
  const text = typeof content === 'string' ? content : content.toString();
  if (text === '') return;
  for (const face of [faces.regular, faces.bold]) page.node.setFontDictionary(PDFName.of(face.resourceName), face.font.ref);
  // Each stream starts from a clean graphics state, whatever the previous one left.
  const ref = doc.context.register(doc.context.flateStream(`q\n${text}\nQ`));
  page.node.addContentStream(ref);
}
