import { degrees } from 'pdf-lib';
import { A4_LANDSCAPE, A4_PORTRAIT, appendContent, Content, createDocument, MM } from '../registers/print/pdf-kit';

// Made-up originals for the copy tests and the copy-stamp bench: text pages like an administrative
// document (A4, Vietnamese, ~40 lines a page), written with pdf-lib. Not used by the server.

export type SamplePage = 'portrait' | 'landscape' | 'rotated';

const LINE =
  'Thực hiện kế hoạch phối hợp bảo đảm an ninh, trật tự cho đoàn đại biểu cấp cao, các đơn vị khẩn trương rà soát lực lượng, phương tiện và báo cáo kết quả';

/**
 * A PDF whose pages follow `pages`: 'landscape' is an A4 landscape media box, 'rotated' an A4
 * portrait media box shown in landscape through /Rotate 90 (as scanners often write).
 */
export async function sampleOriginal(pages: SamplePage[], opts: { linesPerPage?: number } = {}): Promise<Uint8Array> {
  const { doc, faces } = await createDocument({ title: 'Tài liệu thử nghiệm' });
  const lines = opts.linesPerPage ?? 40;
  pages.forEach((kind, i) => {
    const [w, h] = kind === 'landscape' ? A4_LANDSCAPE : A4_PORTRAIT;
    const page = doc.addPage([w, h]);
    if (kind === 'rotated') page.setRotation(degrees(90));
    const c = new Content();
    c.alignedText(faces.bold, 13, 0, w, h - 25 * MM, `KẾ HOẠCH SỐ ${i + 1}/KH-BMNN`, 'center');
    // Body within the usual margins (ND 30/2020: top 20–25 mm, bottom 20–25 mm, left 30–35 mm).
    const rows = Math.min(lines, Math.floor((h - 60 * MM) / 14));
    for (let r = 0; r < rows; r++) {
      c.text(faces.regular, 11, 30 * MM, h - 35 * MM - r * 14, `${r + 1}. ${LINE}`.slice(0, kind === 'portrait' || kind === 'rotated' ? 95 : 140));
    }
    appendContent(doc, page, faces, c);
  });
  return doc.save();
}
