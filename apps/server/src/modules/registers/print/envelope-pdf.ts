import type { Envelope, EnvelopeMark } from '@khomat/policy';
import { A4_PORTRAIT, appendContent, BLACK, cleanText, Content, createDocument, MM, STAMP_RED, type Faces } from './pdf-kit';

// Envelope labels (nhãn bì) for the copies of an issued item: one label per envelope, printed on
// an A4 sheet of 8 labels (2 × 4, 99.1 × 67.7 mm — the common 8-up label stock; on plain paper the
// faint frame is the cutting line). A Tuyệt mật copy has two labels, outer then inner. Each label
// shows the stamps the policy computed (envelopeFor, packages/policy/src/envelopes.ts), the number
// and symbol when it may appear, and the recipient.
//
// Colours: every stamp is printed red, as stamped in red ink (TT 24/2020/TT-BCA Đ.3 k.2: all the
// secrecy stamps use red ink) — the level stamps ("A"/"B"/"C" and "TUYỆT MẬT", Mẫu 02, 03) and the
// handling stamps ("Chỉ người có tên mới được bóc bì", "Tài liệu thu hồi", Mẫu 07). Shapes follow
// the templates as far as they are known: the level letter in a circle, the others in a rectangle.

export interface EnvelopeLabelGroup {
  /** Who the copy goes to (an outside body, a unit or a person), as written on the envelope. */
  recipient: string;
  /** The envelopes of that copy, outermost first (envelopeFor). */
  envelopes: Envelope[];
}

export interface EnvelopeLabelOptions {
  /** Sending agency, printed on envelopes addressed like an ordinary letter. */
  sender?: string | null;
}

const [PAGE_W, PAGE_H] = A4_PORTRAIT;
const LABEL_W = 99.1 * MM;
const LABEL_H = 67.7 * MM;
const COLS = 2;
const ROWS = 4;
const GAP_X = 2.5 * MM;
const MARGIN_X = (PAGE_W - COLS * LABEL_W - (COLS - 1) * GAP_X) / 2;
const MARGIN_Y = (PAGE_H - ROWS * LABEL_H) / 2;
const PAD = 5 * MM;

const isLevelMark = (m: EnvelopeMark) => m.code === 'level_letter' || m.code === 'level_stamp';

interface LabelInput {
  recipient: string;
  envelope: Envelope;
  /** "Bì ngoài", "Bì trong" or "Bì" (one envelope). */
  layerVi: string;
  /** Set of one copy: "1/2" for the outer of two. */
  position: string;
  /** The number and symbol must not appear here (Tuyệt mật outer envelope). */
  hideNumber: boolean;
}

function drawLabel(c: Content, faces: Faces, x: number, y: number, l: LabelInput, sender: string | null): void {
  const { regular, bold } = faces;
  const top = y + LABEL_H;
  const inner = LABEL_W - 2 * PAD;
  // Cutting frame.
  c.strokeColor([0.75, 0.75, 0.75]).lineWidth(0.3).rect(x, y, LABEL_W, LABEL_H).strokeColor(BLACK);

  // Heading: which envelope this is.
  const heading = `${l.layerVi}${l.envelope.sealed ? ' · niêm phong' : ''}`;
  c.text(regular, 8, x + PAD, top - PAD - 6, cleanText(heading), [0.35, 0.35, 0.35]);

  // Level stamps at the top right: the letter in a circle, "TUYỆT MẬT" in a frame.
  let stampRight = x + LABEL_W - PAD;
  const levelMarks = l.envelope.marks.filter(isLevelMark);
  for (const m of [...levelMarks].reverse()) {
    if (m.code === 'level_letter') {
      const r = 5.5 * MM;
      const cx = stampRight - r;
      const cy = top - PAD - r;
      c.strokeColor(STAMP_RED).lineWidth(1.4).circle(cx, cy, r).strokeColor(BLACK);
      const size = 20;
      c.text(bold, size, cx - bold.width(m.text, size) / 2, cy - size * 0.36, cleanText(m.text), STAMP_RED);
      stampRight = cx - r - 3 * MM;
    } else {
      const size = 12;
      const text = cleanText(m.text);
      const w = bold.width(text, size) + 4 * MM;
      const h = 8 * MM;
      const bx = stampRight - w;
      const by = top - PAD - h;
      c.strokeColor(STAMP_RED).lineWidth(1.2).rect(bx, by, w, h).strokeColor(BLACK);
      c.text(bold, size, bx + 2 * MM, by + (h - size * 0.72) / 2, text, STAMP_RED);
      stampRight = bx - 3 * MM;
    }
  }

  // Address block.
  let ty = top - PAD - 17 * MM;
  const line = (label: string, value: string | null, size = 10.5) => {
    const lines = regular.wrap(cleanText(`${label}${value ?? '……………………………'}`), size, inner);
    for (const s of lines.slice(0, 2)) {
      c.text(regular, size, x + PAD, ty, s);
      ty -= size * 1.3;
    }
  };
  if (l.envelope.ordinaryAddress && sender) line('Nơi gửi: ', sender, 9.5);
  if (!l.hideNumber) line('Số, ký hiệu: ', l.envelope.numberSymbol);
  line('Kính gửi: ', l.recipient);
  if (l.envelope.recipientName && l.envelope.recipientName !== l.recipient) line('Người nhận: ', l.envelope.recipientName);

  // Handling stamps, framed, from the bottom left.
  let sx = x + PAD;
  const sy = y + PAD + 4 * MM;
  for (const m of l.envelope.marks.filter((mk) => !isLevelMark(mk))) {
    const size = 9;
    const text = cleanText(m.text);
    const w = Math.min(bold.width(text, size) + 3 * MM, inner);
    if (sx + w > x + LABEL_W - PAD) break;
    c.strokeColor(STAMP_RED)
      .lineWidth(0.9)
      .rect(sx, sy, w, 6 * MM)
      .strokeColor(BLACK);
    c.text(bold, size, sx + 1.5 * MM, sy + (6 * MM - size * 0.72) / 2, text, STAMP_RED);
    sx += w + 2 * MM;
  }

  // Which envelope of which copy, to pack the right label on the right envelope.
  c.text(regular, 7, x + PAD, y + 2.5 * MM, cleanText(`Bì ${l.position} — ${l.recipient}`), [0.45, 0.45, 0.45]);
}

/**
 * One label per envelope of each copy, in order (outer before inner). Returns the PDF bytes.
 * An empty list gives one page that says so, never an invalid file.
 */
export async function renderEnvelopeLabels(groups: EnvelopeLabelGroup[], opts: EnvelopeLabelOptions = {}): Promise<Uint8Array> {
  const { doc, faces } = await createDocument({ title: 'Nhãn bì tài liệu bí mật nhà nước' });
  const labels: LabelInput[] = [];
  for (const g of groups) {
    const n = g.envelopes.length;
    g.envelopes.forEach((envelope, i) => {
      labels.push({
        recipient: g.recipient,
        envelope,
        layerVi: n === 1 ? 'Bì' : envelope.layer === 'outer' ? 'Bì ngoài' : 'Bì trong',
        position: `${i + 1}/${n}`,
        // envelopeFor leaves the number off the Tuyệt mật outer envelope on purpose (NĐ 26/2020
        // Đ.4 k.1: written like an ordinary letter); elsewhere a missing number is a blank to fill.
        hideNumber: envelope.layer === 'outer' && n > 1 && envelope.numberSymbol === null,
      });
    });
  }
  const perPage = COLS * ROWS;
  if (labels.length === 0) {
    const page = doc.addPage(A4_PORTRAIT);
    appendContent(doc, page, faces, new Content().alignedText(faces.regular, 12, 0, PAGE_W, PAGE_H / 2, 'Không có bì nào cần in.', 'center'));
  }
  for (let p = 0; p * perPage < labels.length; p++) {
    const page = doc.addPage(A4_PORTRAIT);
    const c = new Content();
    labels.slice(p * perPage, (p + 1) * perPage).forEach((l, i) => {
      const col = i % COLS;
      const row = Math.floor(i / COLS);
      drawLabel(c, faces, MARGIN_X + col * (LABEL_W + GAP_X), PAGE_H - MARGIN_Y - (row + 1) * LABEL_H, l, opts.sender ?? null);
    });
    appendContent(doc, page, faces, c);
  }
  return doc.save();
}
