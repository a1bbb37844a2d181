import { A4_PORTRAIT, appendContent, cleanText, Content, createDocument, MM, type Faces, type FontFace } from '../registers/print/pdf-kit';
import type { Letter } from './provision.rules';

// The agency's answer to a provision request as an administrative letter (công văn) on A4
// portrait, laid out as NĐ 30/2020 Phụ lục I has it: the agency and the letter's number at the top
// left, the national motto at the top right, the place and date, "Kính gửi", the body, then the
// signature block on the right and "Nơi nhận" on the left. Text comes from provision.rules
// letterOf; this file only places it. The fonts are the registers' embedded fonts (pdf-kit).

const [PAGE_W, PAGE_H] = A4_PORTRAIT;
const LEFT = 30 * MM;
const RIGHT = PAGE_W - 15 * MM;
const TOP = PAGE_H - 20 * MM;
const BOTTOM = 20 * MM;
const BODY = 13;
const LEAD = BODY * 1.35;
const HEAD_COL = 80 * MM;

class Pages {
  private content = new Content();
  y = TOP;
  private readonly pages: Content[] = [];

  constructor(readonly faces: Faces) {
    this.pages.push(this.content);
  }

  get c(): Content {
    return this.content;
  }

  /** Room for `h` points below y, else a new page. */
  need(h: number): void {
    if (this.y - h >= BOTTOM) return;
    this.content = new Content();
    this.pages.push(this.content);
    this.y = TOP;
  }

  centered(face: FontFace, size: number, x: number, width: number, s: string): void {
    for (const line of face.wrap(cleanText(s), size, width)) {
      this.need(size * 1.3);
      this.content.alignedText(face, size, x, width, this.y - size, line, 'center');
      this.y -= size * 1.3;
    }
  }

  all(): Content[] {
    return this.pages;
  }
}

export async function renderLetter(letter: Letter): Promise<Uint8Array> {
  const { doc, faces } = await createDocument({ title: letter.subject, subject: 'Văn bản trả lời đề nghị cung cấp, chuyển giao bí mật nhà nước' });
  const { regular, bold } = faces;
  const p = new Pages(faces);
  const c = () => p.c;

  // Top left: the body above, the agency (bold), a short rule; the number; the subject (V/v).
  const leftX = 15 * MM;
  let yLeft = TOP;
  letter.agencyLines.forEach((line, i) => {
    const face = i === letter.agencyLines.length - 1 ? bold : regular;
    for (const l of face.wrap(cleanText(line), 12, HEAD_COL)) {
      c().alignedText(face, 12, leftX, HEAD_COL, yLeft - 12, l, 'center');
      yLeft -= 12 * 1.3;
    }
  });
  c()
    .lineWidth(0.6)
    .line(leftX + HEAD_COL / 2 - 15 * MM, yLeft - 2, leftX + HEAD_COL / 2 + 15 * MM, yLeft - 2);
  yLeft -= 8;
  c().alignedText(regular, 13, leftX, HEAD_COL, yLeft - 13, cleanText(letter.numberLine), 'center');
  yLeft -= 13 * 1.5;
  for (const l of regular.wrap(cleanText(letter.subject), 12, HEAD_COL)) {
    c().alignedText(regular, 12, leftX, HEAD_COL, yLeft - 12, l, 'center');
    yLeft -= 12 * 1.3;
  }

  // Top right: the motto, underlined; the date line.
  const rightX = leftX + HEAD_COL + 5 * MM;
  const rightW = RIGHT - rightX;
  let yRight = TOP;
  c().alignedText(bold, 12, rightX, rightW, yRight - 12, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'center');
  yRight -= 12 * 1.3;
  const motto = 'Độc lập - Tự do - Hạnh phúc';
  c().alignedText(bold, 13, rightX, rightW, yRight - 13, motto, 'center');
  const mw = bold.width(motto, 13);
  c().line(rightX + (rightW - mw) / 2, yRight - 13 - 3, rightX + (rightW + mw) / 2, yRight - 13 - 3);
  yRight -= 13 * 1.3 + 10;
  c().alignedText(regular, 13, rightX, rightW, yRight - 13, cleanText(`…………, ${letter.placeDate}`), 'center');
  yRight -= 13 * 1.5;

  p.y = Math.min(yLeft, yRight) - 18;

  // Kính gửi.
  const toX = LEFT + 25 * MM;
  const toLabel = 'Kính gửi: ';
  const toW = regular.width(toLabel, BODY);
  const toLines = letter.to.flatMap((line) => regular.wrap(cleanText(line), BODY, RIGHT - toX - toW));
  toLines.forEach((l, i) => {
    p.need(LEAD);
    if (i === 0) c().text(regular, BODY, toX, p.y - BODY, toLabel);
    c().text(regular, BODY, toX + toW, p.y - BODY, l);
    p.y -= LEAD;
  });
  p.y -= 8;

  // Body: paragraphs with a first-line indent.
  const width = RIGHT - LEFT;
  const indent = 10 * MM;
  for (const para of letter.paragraphs) {
    const text = cleanText(para);
    const first = regular.wrap(text, BODY, width - indent)[0] ?? '';
    const rest = text.slice(first.length).trim();
    const lines = [first, ...(rest ? regular.wrap(rest, BODY, width) : [])];
    lines.forEach((l, i) => {
      p.need(LEAD);
      c().text(regular, BODY, LEFT + (i === 0 ? indent : 0), p.y - BODY, l);
      p.y -= LEAD;
    });
    p.y -= 4;
  }

  // Signature block (right) and Nơi nhận (left), side by side.
  p.need(60 * MM);
  p.y -= 10;
  const sigX = LEFT + width / 2;
  const sigW = width / 2;
  const top = p.y;
  for (const line of letter.signer.lines) p.centered(bold, 13, sigX, sigW, line);
  p.y -= 28 * MM;
  p.centered(bold, 13, sigX, sigW, letter.signer.name);
  let yRecv = top;
  c().text(bold, 12, LEFT, yRecv - 12, 'Nơi nhận:');
  yRecv -= 12 * 1.3;
  for (const r of letter.recipients) {
    c().text(regular, 11, LEFT, yRecv - 11, `- ${cleanText(r)}`);
    yRecv -= 11 * 1.3;
  }

  for (const content of p.all()) {
    const page = doc.addPage(A4_PORTRAIT);
    appendContent(doc, page, faces, content);
  }
  return doc.save();
}
