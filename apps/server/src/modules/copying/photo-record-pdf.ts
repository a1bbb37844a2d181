import { LEVEL_TABLE, type IsoDate, type Level } from '@khomat/policy';
import { A4_PORTRAIT, appendContent, cleanText, Content, createDocument, MM, STAMP_RED } from '../registers/print/pdf-kit';

// Mẫu 13 (TT 24/2020/TT-BCA): "Văn bản ghi nhận việc chụp tài liệu, vật chứa bí mật nhà nước",
// printed when a photograph request is carried out (NĐ 26/2020 Đ.3: a photograph needs this
// record). The template's exact wording was not retrievable [NF, legal-basis §3.3]: it records what
// the rules require to trace — when, what, how many, with what equipment, who allowed it, who took
// the photographs, for whom, and the spoiled ones destroyed. Marked with the item's level in red.
// The record carries the document's number and kind, never its summary.

export interface PhotoRecord {
  agencyName: string;
  level: Level;
  date: IsoDate;
  item: { docType: string; numberSymbol: string | null; documentDate: string | null; issuer: string | null };
  quantity: number;
  copyLabels: string[];
  equipment: string;
  recipients: string[];
  authoriser: string;
  performer: string;
  spoiled: number;
  spoiledNote: string | null;
}

const vi = (d: string | null) => {
  if (!d) return '';
  const [y, m, day] = d.slice(0, 10).split('-');
  return `${day}/${m}/${y}`;
};

export async function photoRecordPdf(r: PhotoRecord): Promise<Uint8Array> {
  const { doc, faces } = await createDocument({ title: 'Văn bản ghi nhận việc chụp tài liệu, vật chứa bí mật nhà nước' });
  const [w, h] = A4_PORTRAIT;
  const page = doc.addPage([w, h]);
  const c = new Content();
  const left = 25 * MM;
  const width = w - left - 20 * MM;
  const { regular, bold } = faces;
  let y = h - 20 * MM;

  // Header: the agency (left), the national motto (right); the level stamp under the agency.
  c.alignedText(bold, 11, left, width / 2 - 5 * MM, y, cleanText(r.agencyName).toUpperCase(), 'center');
  c.alignedText(bold, 11, left + width / 2, width / 2, y, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'center');
  y -= 15;
  c.alignedText(bold, 11, left + width / 2, width / 2, y, 'Độc lập - Tự do - Hạnh phúc', 'center');
  const level = LEVEL_TABLE[r.level].labelVi.toUpperCase();
  const stampW = bold.width(level, 12) + 6 * MM;
  const stampX = left + (width / 2 - 5 * MM - stampW) / 2;
  c.strokeColor(STAMP_RED)
    .lineWidth(1.2)
    .rect(stampX, y - 22, stampW, 20);
  c.text(bold, 12, stampX + 3 * MM, y - 16, level, STAMP_RED);
  y -= 45;
  c.alignedText(bold, 13, left, width, y, 'VĂN BẢN GHI NHẬN VIỆC CHỤP', 'center');
  y -= 17;
  c.alignedText(bold, 13, left, width, y, 'TÀI LIỆU, VẬT CHỨA BÍ MẬT NHÀ NƯỚC', 'center');
  y -= 30;

  const what = [
    r.item.docType,
    r.item.numberSymbol ? `số ${r.item.numberSymbol}` : '',
    r.item.documentDate ? `ngày ${vi(r.item.documentDate)}` : '',
    r.item.issuer ? `của ${r.item.issuer}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const rows: [string, string][] = [
    ['Thời gian chụp', vi(r.date)],
    ['Tài liệu, vật được chụp', what],
    ['Độ mật', LEVEL_TABLE[r.level].labelVi],
    ['Số lượng bản chụp', `${r.quantity} (${r.copyLabels.join(', ')})`],
    ['Thiết bị dùng để chụp', r.equipment],
    ['Nơi nhận bản chụp', r.recipients.join('; ')],
    ['Người cho phép chụp', r.authoriser],
    ['Người thực hiện chụp', r.performer],
    ['Bản hỏng đã hủy', r.spoiled === 0 ? 'Không có' : `${r.spoiled}${r.spoiledNote ? ` (${r.spoiledNote})` : ''}`],
  ];
  const size = 12;
  const lh = size * 1.45;
  for (const [label, value] of rows) {
    const lines = regular.wrap(cleanText(`${label}: ${value}`), size, width);
    for (const [i, line] of lines.entries()) {
      if (i === 0) {
        c.text(bold, size, left, y, `${label}:`);
        const rest = line.slice(label.length + 1);
        c.text(regular, size, left + bold.width(`${label}:`, size), y, rest);
      } else c.text(regular, size, left, y, line);
      y -= lh;
    }
    y -= 3;
  }

  y -= 25;
  const col = width / 2;
  for (const [i, [title, name]] of [
    ['NGƯỜI THỰC HIỆN', r.performer],
    ['NGƯỜI CHO PHÉP CHỤP', r.authoriser],
  ].entries()) {
    c.alignedText(bold, 12, left + i * col, col, y, title!, 'center');
    c.alignedText(regular, 10, left + i * col, col, y - 14, '(Ký, ghi rõ họ tên)', 'center');
    c.alignedText(bold, 12, left + i * col, col, y - 80, cleanText(name!), 'center');
  }
  c.text(regular, 8, left, 15 * MM, 'Căn cứ: Nghị định 26/2020/NĐ-CP Điều 3; Thông tư 24/2020/TT-BCA, Mẫu 13.', [0.3, 0.3, 0.3]);
  appendContent(doc, page, faces, c);
  return doc.save();
}
