import type { PDFDocument, PDFPage } from 'pdf-lib';
import { A4_LANDSCAPE, appendContent, BLACK, cleanText, Content, createDocument, MM, STAMP_RED, type Faces, type FontFace } from './pdf-kit';

// A register printed as the legal form: A4 landscape, a cover page with the form's cover fields,
// then the table with the form's columns (headers repeated on every page, widths from widthMm,
// text wrapped in its cell, a row never split across pages unless taller than a page) and
// "Trang x/y" on every page, counted over the whole file (the cover is page 1). Input is plain data (the spec and rows of printed strings),
// so this runs in a worker thread (register-pdf.worker.ts) as well as in-process.

export interface RegisterPdfColumn {
  headerVi: string;
  widthMm: number;
  align: 'left' | 'center' | 'right';
  groupVi?: string | undefined;
  /** Printed in stamp red: the level mark (TT 24/2020/TT-BCA Đ.3 k.2, red ink). */
  red?: boolean | undefined;
  /**
   * Lines a cell may take before it is cut with "…" (a long note must not make a six-line row);
   * the full text stays in the XLSX/CSV export and on the screen.
   */
  maxLines?: number | undefined;
}

export interface RegisterPdfSpec {
  /** Form title, e.g. "SỔ ĐĂNG KÝ BÍ MẬT NHÀ NƯỚC ĐẾN". */
  title: string;
  legalBasis: string;
  formCode: string;
  year: number;
  columns: RegisterPdfColumn[];
  cover: {
    /** Cơ quan chủ quản cấp trên trực tiếp (may be absent). */
    superiorBody: string | null;
    agencyName: string | null;
    /** The other cover fields, already filled in ("Năm: 2026", "Từ số 1 đến số 120", …). */
    lines: string[];
    /** Small print at the foot of the cover (printing date, form code, blanked columns). */
    footnotes: string[];
  };
  /** Shown in place of rows when the range holds no entry. */
  emptyText: string;
}

const [PAGE_W, PAGE_H] = A4_LANDSCAPE;
const TOP = PAGE_H - 9 * MM;
/** Top of the table, under the running head. */
const TABLE_TOP = TOP - 7 * MM;
const BOTTOM = 13 * MM;
const BODY_SIZE = 9;
const BODY_LEADING = 10.8;
const HEAD_SIZE = 8.5;
const HEAD_LEADING = 10;
const PAD_X = 1.3 * MM;
const PAD_TOP = 2.2;
const PAD_BOTTOM = 3;
const RULE = 0.5;

/** Distance from a line's top to its baseline (DejaVu ascent ≈ 0.93 em, leaving room for the marks above Ê, Ơ, Ư). */
const ascent = (size: number) => size * 0.93;

interface HeaderGeometry {
  content: string;
  height: number;
}

export class RegisterPdfRenderer {
  private readonly tableWidth: number;
  private readonly left: number;
  /** x of each column's left edge, plus the right edge of the table. */
  private readonly xs: number[];
  private readonly header: HeaderGeometry;
  private readonly runningHead: string;
  private readonly tablePages: PDFPage[] = [];
  private page: { page: PDFPage; content: Content; y: number; rowBottoms: number[]; rows: number } | undefined;
  private rowCount = 0;

  private constructor(
    private readonly doc: PDFDocument,
    private readonly faces: Faces,
    private readonly spec: RegisterPdfSpec,
  ) {
    this.tableWidth = spec.columns.reduce((s, c) => s + c.widthMm * MM, 0);
    this.left = (PAGE_W - this.tableWidth) / 2;
    this.xs = [this.left];
    for (const c of spec.columns) this.xs.push(this.xs[this.xs.length - 1]! + c.widthMm * MM);
    this.runningHead = this.buildRunningHead();
    this.header = this.buildHeader(TABLE_TOP);
  }

  static async create(spec: RegisterPdfSpec): Promise<RegisterPdfRenderer> {
    const { doc, faces } = await createDocument({ title: `${spec.title} — Năm ${spec.year}`, subject: spec.legalBasis, keywords: [spec.formCode] });
    const r = new RegisterPdfRenderer(doc, faces, spec);
    r.drawCover();
    return r;
  }

  // ---- cover ---------------------------------------------------------------------------------

  private drawCover(): void {
    const page = this.doc.addPage(A4_LANDSCAPE);
    const { regular, bold } = this.faces;
    const c = new Content();
    // A double frame, as on a bound register's cover.
    const m = 12 * MM;
    c.lineWidth(1.4).rect(m, m, PAGE_W - 2 * m, PAGE_H - 2 * m);
    c.lineWidth(0.5).rect(m + 1.5 * MM, m + 1.5 * MM, PAGE_W - 2 * m - 3 * MM, PAGE_H - 2 * m - 3 * MM);

    // Top left: superior body, agency (bold), a short rule beneath — the heading of every
    // administrative paper (NĐ 30/2020 layout, [I] kept on register covers).
    const blockX = 24 * MM;
    const blockW = 120 * MM;
    let y = PAGE_H - 28 * MM;
    const up = (s: string) => cleanText(s).toLocaleUpperCase('vi');
    for (const line of this.spec.cover.superiorBody ? regular.wrap(up(this.spec.cover.superiorBody), 12.5, blockW) : []) {
      c.alignedText(regular, 12.5, blockX, blockW, y, line, 'center');
      y -= 16;
    }
    let agencyWidth = 0;
    for (const line of this.spec.cover.agencyName ? bold.wrap(up(this.spec.cover.agencyName), 12.5, blockW) : []) {
      c.alignedText(bold, 12.5, blockX, blockW, y, line, 'center');
      agencyWidth = Math.max(agencyWidth, bold.width(line, 12.5));
      y -= 16;
    }
    if (agencyWidth > 0) {
      const rule = Math.min(agencyWidth, blockW) * 0.4;
      c.lineWidth(0.6).line(blockX + (blockW - rule) / 2, y + 10, blockX + (blockW + rule) / 2, y + 10);
    }

    // Top right: the legal basis of the form.
    const basisW = 105 * MM;
    const basisX = PAGE_W - 24 * MM - basisW;
    let by = PAGE_H - 28 * MM;
    for (const line of regular.wrap(cleanText(this.spec.legalBasis), 10, basisW)) {
      c.alignedText(regular, 10, basisX, basisW, by, line, 'right');
      by -= 13;
    }

    // Centre: the title, then the filled-in cover fields.
    const titleW = 220 * MM;
    const titleLines = bold.wrap(cleanText(this.spec.title), 26, titleW);
    let ty = PAGE_H / 2 + 26 * MM + ((titleLines.length - 1) * 32) / 2;
    for (const line of titleLines) {
      c.alignedText(bold, 26, (PAGE_W - titleW) / 2, titleW, ty, line, 'center');
      ty -= 32;
    }
    ty -= 10 * MM;
    for (const field of this.spec.cover.lines) {
      for (const line of regular.wrap(cleanText(field), 15, titleW)) {
        c.alignedText(regular, 15, (PAGE_W - titleW) / 2, titleW, ty, line, 'center');
        ty -= 24;
      }
    }

    let fy = m + 8 * MM;
    for (const note of [...this.spec.cover.footnotes].reverse()) {
      const lines = regular.wrap(cleanText(note), 8.5, PAGE_W - 2 * m - 20 * MM);
      for (let i = lines.length - 1; i >= 0; i--) {
        c.alignedText(regular, 8.5, m + 10 * MM, PAGE_W - 2 * m - 20 * MM, fy, lines[i]!, 'center');
        fy += 11;
      }
    }
    appendContent(this.doc, page, this.faces, c);
  }

  // ---- table header (built once, stamped on every page) ---------------------------------------

  private buildRunningHead(): string {
    const c = new Content();
    const s = cleanText(`${this.spec.title} — NĂM ${this.spec.year}`);
    c.alignedText(this.faces.bold, 9.5, this.left, this.tableWidth, TOP - 4 * MM, s, 'center');
    // The agency at the left, when it fits beside the centred title (it is on the cover anyway).
    const agency = cleanText(this.spec.cover.agencyName ?? '');
    const room = (this.tableWidth - this.faces.bold.width(s, 9.5)) / 2 - 4 * MM;
    if (agency && this.faces.regular.width(agency, 8) <= room) c.text(this.faces.regular, 8, this.left, TOP - 4 * MM, agency);
    return c.toString();
  }

  private buildHeader(top: number): HeaderGeometry {
    const { bold, regular } = this.faces;
    const cols = this.spec.columns;
    const wrapHead = (s: string, width: number) => bold.wrap(cleanText(s), HEAD_SIZE, width - 2 * PAD_X);
    const boxH = (lines: number) => lines * HEAD_LEADING + 2 * 3;
    const heads = cols.map((col, i) => wrapHead(col.headerVi, this.xs[i + 1]! - this.xs[i]!));

    // Runs of columns under one spanning header.
    const groups: { label: string; from: number; to: number; lines: string[] }[] = [];
    cols.forEach((col, i) => {
      if (!col.groupVi) return;
      const last = groups[groups.length - 1];
      if (last && last.label === col.groupVi && last.to === i - 1) last.to = i;
      else groups.push({ label: col.groupVi, from: i, to: i, lines: [] });
    });
    for (const g of groups) g.lines = wrapHead(g.label, this.xs[g.to + 1]! - this.xs[g.from]!);
    const groupH = groups.length ? Math.max(...groups.map((g) => boxH(g.lines.length))) : 0;
    const grouped = (i: number) => cols[i]!.groupVi !== undefined;
    let subH = 0;
    heads.forEach((h, i) => {
      subH = Math.max(subH, grouped(i) ? boxH(h.length) : boxH(h.length) - groupH);
    });
    const numH = 11;
    const headBottom = top - groupH - subH;
    const bottom = headBottom - numH;

    const c = new Content();
    c.rect(this.left, bottom, this.tableWidth, top - bottom, 'fill', 0.93);
    c.lineWidth(RULE).strokeColor([0, 0, 0]);
    c.line(this.left, top, this.left + this.tableWidth, top);
    c.line(this.left, headBottom, this.left + this.tableWidth, headBottom);
    c.line(this.left, bottom, this.left + this.tableWidth, bottom);
    for (let i = 0; i <= cols.length; i++) {
      const inside = i > 0 && i < cols.length && grouped(i - 1) && cols[i - 1]!.groupVi === cols[i]?.groupVi;
      c.line(this.xs[i]!, inside ? top - groupH : top, this.xs[i]!, bottom);
    }
    const centred = (lines: string[], x: number, w: number, boxTop: number, boxBottom: number) => {
      const textH = lines.length * HEAD_LEADING;
      let y = boxTop - (boxTop - boxBottom - textH) / 2 - ascent(HEAD_SIZE) + 1;
      for (const line of lines) {
        c.alignedText(bold, HEAD_SIZE, x, w, y, line, 'center');
        y -= HEAD_LEADING;
      }
    };
    for (const g of groups) {
      c.line(this.xs[g.from]!, top - groupH, this.xs[g.to + 1]!, top - groupH);
      centred(g.lines, this.xs[g.from]!, this.xs[g.to + 1]! - this.xs[g.from]!, top, top - groupH);
    }
    heads.forEach((lines, i) => centred(lines, this.xs[i]!, this.xs[i + 1]! - this.xs[i]!, grouped(i) ? top - groupH : top, headBottom));
    // The row of column numbers "(1) (2) …" that the official forms carry under the headings.
    cols.forEach((_, i) => c.alignedText(regular, 7.5, this.xs[i]!, this.xs[i + 1]! - this.xs[i]!, bottom + 3.3, `(${i + 1})`, 'center'));
    return { content: c.toString(), height: top - bottom };
  }

  // ---- rows --------------------------------------------------------------------------------

  private newPage(): void {
    this.closePage();
    const page = this.doc.addPage(A4_LANDSCAPE);
    this.tablePages.push(page);
    const content = new Content().raw(this.runningHead).raw(this.header.content).lineWidth(RULE);
    this.page = { page, content, y: TABLE_TOP - this.header.height, rowBottoms: [], rows: 0 };
  }

  /** Draws the grid of the page: vertical rules down to the last row, one rule under each row. */
  private closePage(): void {
    const p = this.page;
    if (!p) return;
    const headBottom = TABLE_TOP - this.header.height;
    if (p.y < headBottom) {
      for (const x of this.xs) p.content.line(x, headBottom, x, p.y);
      for (const y of p.rowBottoms) p.content.line(this.left, y, this.left + this.tableWidth, y);
    }
    appendContent(this.doc, p.page, this.faces, p.content);
    this.page = undefined;
  }

  private get bodyHeight(): number {
    return TABLE_TOP - this.header.height - BOTTOM;
  }

  /** Lays out and draws rows, in order. `rows[i][j]` is the text of column j. */
  addRows(rows: readonly (readonly string[])[]): void {
    const cols = this.spec.columns;
    for (const row of rows) {
      this.rowCount++;
      const cells = cols.map((col, j) => this.layoutCell(cleanText(row[j] ?? ''), col.widthMm * MM - 2 * PAD_X, col.maxLines));
      const lineCount = Math.max(1, ...cells.map((c) => c.lines.length));
      const height = lineCount * BODY_LEADING + PAD_TOP + PAD_BOTTOM;
      if (!this.page) this.newPage();
      if (this.page!.y - height < BOTTOM) {
        // A row that fits on a page starts on a new one; a row taller than a page starts here
        // (unless only a few lines are left) and continues on the next, line by line.
        const linesLeft = Math.floor((this.page!.y - BOTTOM - PAD_TOP - PAD_BOTTOM) / BODY_LEADING);
        if (height <= this.bodyHeight || linesLeft < 3) this.newPage();
      }
      let from = 0;
      while (from < lineCount) {
        const p = this.page!;
        const fit = Math.max(1, Math.floor((p.y - BOTTOM - PAD_TOP - PAD_BOTTOM) / BODY_LEADING));
        const to = Math.min(lineCount, from + fit);
        this.drawRowPart(cells, from, to);
        from = to;
        if (from < lineCount) this.newPage();
      }
    }
  }

  /**
   * Lines of one cell. A single word a little wider than its cell (a date in a narrow date column:
   * the widths are Times New Roman widths, the font here is wider) is set slightly smaller rather
   * than broken: "02/03/2026" must not read "02/03/" + "2026".
   */
  private layoutCell(text: string, width: number, maxLines?: number): { lines: string[]; size: number } {
    const { regular } = this.faces;
    if (text !== '' && !/\s/.test(text)) {
      const w = regular.width(text, BODY_SIZE);
      if (w > width && w <= width * 1.25) return { lines: [text], size: (BODY_SIZE * width) / w };
    }
    const lines = regular.wrap(text, BODY_SIZE, width);
    return { lines: maxLines && lines.length > maxLines ? truncateLines(regular, lines, maxLines, width) : lines, size: BODY_SIZE };
  }

  private drawRowPart(cells: { lines: string[]; size: number }[], from: number, to: number): void {
    const p = this.page!;
    const { regular } = this.faces;
    const top = p.y;
    cells.forEach(({ lines, size }, j) => {
      const col = this.spec.columns[j]!;
      const x = this.xs[j]! + PAD_X;
      const w = this.xs[j + 1]! - this.xs[j]! - 2 * PAD_X;
      let y = top - PAD_TOP - ascent(BODY_SIZE);
      // On the continuation of a row, the first column (the entry's number) is repeated.
      if (j === 0 && from > 0 && from >= lines.length && lines.length > 0)
        p.content.alignedText(regular, size, x, w, y, lines[0]!, col.align, col.red ? STAMP_RED : BLACK);
      for (let k = from; k < Math.min(to, lines.length); k++) {
        p.content.alignedText(regular, size, x, w, y, lines[k]!, col.align, col.red ? STAMP_RED : BLACK);
        y -= BODY_LEADING;
      }
    });
    p.y = top - (to - from) * BODY_LEADING - PAD_TOP - PAD_BOTTOM;
    p.rowBottoms.push(p.y);
    p.rows++;
  }

  /** One full-width line in place of rows (an empty range): no column rules through it. */
  private drawEmptyNotice(): void {
    this.newPage();
    const p = this.page!;
    const h = BODY_LEADING + 2 * (PAD_TOP + PAD_BOTTOM);
    p.content.alignedText(this.faces.regular, BODY_SIZE, this.left, this.tableWidth, p.y - h / 2 - BODY_SIZE * 0.35, cleanText(this.spec.emptyText), 'center');
    for (const x of [this.left, this.left + this.tableWidth]) p.content.line(x, p.y, x, p.y - h);
    p.content.line(this.left, p.y - h, this.left + this.tableWidth, p.y - h);
    appendContent(this.doc, p.page, this.faces, p.content);
    this.page = undefined;
  }

  /** Page numbers over the whole file (cover included: "Trang 2/5" is the file's second page), then the file. */
  async finish(): Promise<Uint8Array> {
    if (this.rowCount === 0) this.drawEmptyNotice();
    this.closePage();
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const c = new Content().alignedText(this.faces.regular, 9, 0, PAGE_W, 7 * MM, `Trang ${i + 1}/${pages.length}`, 'center');
      appendContent(this.doc, page, this.faces, c);
    });
    return this.doc.save();
  }

  get pageCount(): number {
    return this.tablePages.length;
  }
}

/** The first `max` lines of a cell, the last one ending in "…" within the cell's width. */
export function truncateLines(face: FontFace, lines: readonly string[], max: number, width: number): string[] {
  const kept = lines.slice(0, max);
  let last = kept[max - 1] ?? '';
  while (last !== '' && face.width(`${last}…`, BODY_SIZE) > width) last = last.slice(0, -1).trimEnd();
  kept[max - 1] = `${last}…`;
  return kept;
}

/** In-process rendering (tests, benchmarks, small documents); the server uses the worker. */
export async function renderRegisterPdf(
  spec: RegisterPdfSpec,
  pages: Iterable<readonly (readonly string[])[]> | AsyncIterable<readonly (readonly string[])[]>,
): Promise<Uint8Array> {
  const r = await RegisterPdfRenderer.create(spec);
  for await (const rows of pages) r.addRows(rows);
  return r.finish();
}
