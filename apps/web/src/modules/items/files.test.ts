import { describe, expect, it } from 'vitest';
import { fileSizeText, fileTypeLabel, RECEIPT_SCAN_ACCEPT, receiptScanOffer, UPLOAD_ACCEPT } from './files';

describe('attached file helpers', () => {
  it('names the type from the media type, else from the extension', () => {
    expect(fileTypeLabel('application/pdf', 'bao-cao.pdf')).toBe('PDF');
    expect(fileTypeLabel('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'x.docx')).toBe('Word');
    expect(fileTypeLabel('IMAGE/PNG; charset=binary', 'scan')).toBe('PNG');
    expect(fileTypeLabel('application/octet-stream', 'phụ lục.xyz')).toBe('XYZ');
    expect(fileTypeLabel('application/octet-stream', 'không đuôi')).toBe('application/octet-stream');
  });

  it('writes sizes with the decimal mark of the language', () => {
    expect(fileSizeText(0, 'vi')).toBe('0 B');
    expect(fileSizeText(1023, 'vi')).toBe('1.023 B');
    expect(fileSizeText(1536, 'vi')).toBe('1,5 KB');
    expect(fileSizeText(1536, 'en')).toBe('1.5 KB');
    expect(fileSizeText(300 * 1024, 'vi')).toBe('300 KB');
    expect(fileSizeText(5 * 1024 * 1024 + 512 * 1024, 'vi')).toBe('5,5 MB');
  });

  it('accepts the document, spreadsheet, image and text types the server takes', () => {
    for (const ext of ['.pdf', '.docx', '.odt', '.xlsx', '.ods', '.jpg', '.png', '.tiff', '.txt']) expect(UPLOAD_ACCEPT.split(',')).toContain(ext);
    expect(UPLOAD_ACCEPT).not.toContain('.exe');
  });

  it('offers the receipt scan to the signer, and its download to register readers', () => {
    const me = { id: 'u1' };
    const signed = { confirmedAt: '2026-03-02T01:00:00Z', confirmedBy: 'u1', receiptScan: null };
    const scan = { id: 'f1', fileName: 'phiếu.pdf', size: 10 };
    expect(receiptScanOffer({ confirmedAt: null, confirmedBy: null, receiptScan: null }, me, true)).toBeNull();
    expect(receiptScanOffer(signed, me, false)).toBe('upload');
    expect(receiptScanOffer({ ...signed, confirmedBy: 'u2' }, me, true)).toBe('none');
    expect(receiptScanOffer({ ...signed, receiptScan: scan }, me, false)).toBe('download');
    expect(receiptScanOffer({ ...signed, confirmedBy: 'u2', receiptScan: scan }, me, true)).toBe('download');
    expect(receiptScanOffer({ ...signed, confirmedBy: 'u2', receiptScan: scan }, me, false)).toBe('listed');
    expect(RECEIPT_SCAN_ACCEPT).toBe('.pdf,.jpg,.jpeg,.png,.tif,.tiff');
  });
});
