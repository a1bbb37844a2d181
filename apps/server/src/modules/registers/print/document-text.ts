import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';

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
