import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envelopeFor } from '@khomat/policy';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { colouredText, isRed } from './document-text';
import { renderEnvelopeLabels } from './envelope-pdf';

function withFile<T>(bytes: Uint8Array, f: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-env-'));
  try {
    const file = path.join(dir, 'x.pdf');
    fs.writeFileSync(file, bytes);
    return f(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Text of the labels in drawing order, one label after another. */
const textOf = (bytes: Uint8Array) =>
  withFile(bytes, (file) => execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']).toString('utf8').replace(/\s+/g, ' '));

/** Pixels of page 1 that are stamp red (pdftoppm renders a PPM). */
function redPixels(bytes: Uint8Array): number {
  const ppm = withFile(bytes, (file) => execFileSync('pdftoppm', ['-r', '30', '-f', '1', '-l', '1', file]));
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 50).toString('latin1'))!;
  const data = ppm.subarray(header[0].length);
  let red = 0;
  for (let i = 0; i + 2 < data.length; i += 3) if (data[i]! > 150 && data[i + 1]! < 90 && data[i + 2]! < 90) red++;
  return red;
}

describe('envelope labels', () => {
  it('prints one label per envelope with its marks: Tuyệt mật outer without number, inner with stamps', async () => {
    const bytes = await renderEnvelopeLabels(
      [
        {
          recipient: 'Bộ Ngoại giao',
          envelopes: envelopeFor({
            level: 'TOP_SECRET',
            addresseeOnly: true,
            recallRequired: true,
            recipientName: 'Nguyễn Văn Ánh',
            numberSymbol: '12/KH-SNV',
          }),
        },
        {
          recipient: 'Phòng Lãnh sự',
          envelopes: envelopeFor({ level: 'SECRET', addresseeOnly: false, recallRequired: false, recipientName: 'Phòng Lãnh sự', numberSymbol: '12/KH-SNV' }),
        },
        { recipient: 'Sở Tư pháp', envelopes: envelopeFor({ level: 'CONFIDENTIAL', addresseeOnly: false, recallRequired: false, numberSymbol: '13/CV-SNV' }) },
      ],
      { sender: 'Sở Ngoại vụ tỉnh Thử nghiệm' },
    );
    const text = textOf(bytes);
    const outer = text.slice(text.indexOf('Bì ngoài'), text.indexOf('Bì trong'));
    const inner = text.slice(text.indexOf('Bì trong'), text.indexOf('Bì 2/2'));
    // Outer Tuyệt mật envelope: like an ordinary letter plus "A"; no number, no level words.
    expect(outer).toContain(' A ');
    expect(outer).toContain('Nơi gửi: Sở Ngoại vụ tỉnh Thử nghiệm');
    expect(outer).toContain('Kính gửi: Bộ Ngoại giao');
    expect(outer).not.toContain('12/KH-SNV');
    expect(outer).not.toContain('TUYỆT MẬT');
    // Inner: sealed, level stamp, number, the named person, handling stamps.
    expect(inner).toContain('niêm phong');
    expect(inner).toContain('TUYỆT MẬT');
    expect(inner).toContain('Số, ký hiệu: 12/KH-SNV');
    expect(inner).toContain('Người nhận: Nguyễn Văn Ánh');
    expect(inner).toContain('Chỉ người có tên mới được bóc bì');
    expect(inner).toContain('Tài liệu thu hồi');
    // One envelope each for Tối mật "B" and Mật "C", with the number.
    const secret = text.slice(text.indexOf('Bì 2/2'));
    expect(secret).toMatch(/ B .*Số, ký hiệu: 12\/KH-SNV.*Kính gửi: Phòng Lãnh sự/);
    expect(secret).toMatch(/ C .*Số, ký hiệu: 13\/CV-SNV.*Kính gửi: Sở Tư pháp/);
    expect(text.match(/Bì \d\/\d — /g)).toHaveLength(4);
    // The level stamps are red.
    expect(redPixels(bytes)).toBeGreaterThan(50);
  });

  it('prints every stamp in red ink (TT 24/2020 Đ.3 k.2): A/B/C, TUYỆT MẬT, Chỉ người có tên…, Tài liệu thu hồi; the address in black', async () => {
    const bytes = await renderEnvelopeLabels([
      {
        recipient: 'Bộ Ngoại giao',
        envelopes: envelopeFor({ level: 'TOP_SECRET', addresseeOnly: true, recallRequired: true, recipientName: 'Nguyễn Văn Ánh', numberSymbol: '12/KH-SNV' }),
      },
      { recipient: 'Sở Tư pháp', envelopes: envelopeFor({ level: 'SECRET', addresseeOnly: false, recallRequired: true, numberSymbol: '13/CV-SNV' }) },
    ]);
    const drawn = await colouredText(bytes);
    const colourOf = (text: string) => {
      const hits = drawn.filter((d) => d.text === text);
      expect(hits.length, text).toBeGreaterThan(0);
      return hits.map((h) => isRed(h.rgb));
    };
    for (const stamp of ['A', 'B', 'TUYỆT MẬT', 'Chỉ người có tên mới được bóc bì', 'Tài liệu thu hồi']) expect(colourOf(stamp), stamp).not.toContain(false);
    expect(colourOf('Kính gửi: Bộ Ngoại giao')).toEqual([false, false]);
  });

  it('fills an A4 sheet with 8 labels and continues on the next; an empty list is still a valid PDF', async () => {
    const nine = Array.from({ length: 9 }, (_, i) => ({
      recipient: `Đơn vị ${i + 1}`,
      envelopes: envelopeFor({ level: 'CONFIDENTIAL', addresseeOnly: false, recallRequired: false, numberSymbol: `${i + 1}/CV` }),
    }));
    const doc = await PDFDocument.load(await renderEnvelopeLabels(nine));
    expect(doc.getPageCount()).toBe(2);
    const [w, h] = [doc.getPage(0).getWidth(), doc.getPage(0).getHeight()];
    expect([Math.round(w), Math.round(h)]).toEqual([595, 842]);
    const empty = await renderEnvelopeLabels([{ recipient: 'Phòng', envelopes: [] }]);
    expect((await PDFDocument.load(empty)).getPageCount()).toBe(1);
    expect(textOf(empty)).toContain('Không có bì nào cần in.');
  });
});
