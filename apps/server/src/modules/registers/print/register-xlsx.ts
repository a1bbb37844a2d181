import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { COVER_FIELDS, neutraliseSpreadsheetCell } from '@khomat/policy';
import { NUMERIC_FIELDS } from './register-cells';
import { coverValues, printNotes, type PrintPlan } from './register-source';

// A register as an XLSX workbook: sheet "Sổ" with the form's columns (same headers, same cells as
// the PDF), sheet "Thông tin" with the cover fields. Written with exceljs's streaming writer, so
// memory holds the compressed output, not a model of every cell.

const MM_PER_CHAR = 1.9; // Excel column width unit ≈ one character of the default 11 pt font

/** Spreadsheet text, neutralised against formula injection (= + - @ tab CR at the start). */
const textCell = (s: string): string => neutraliseSpreadsheetCell(s);

export async function buildRegisterXlsx(plan: PrintPlan, pages: AsyncIterable<string[][]>): Promise<{ bytes: Uint8Array; rows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'KhoMật';
  wb.title = `${plan.form.titleVi} — Năm ${plan.scope.year}`;
  wb.created = new Date(`${plan.printedOn}T00:00:00Z`);

  const cols = plan.form.columns;
  const sheet = wb.addWorksheet('Sổ', { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = cols.map((c) => ({ key: c.key, width: Math.max(6, Math.round(c.widthMm / MM_PER_CHAR)) }));
  const head = sheet.addRow(cols.map((c) => textCell(c.groupVi ? `${c.groupVi}: ${c.headerVi}` : c.headerVi)));
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  head.commit();

  let rows = 0;
  for await (const page of pages) {
    for (const cells of page) {
      const values = cells.map((v, j) => (NUMERIC_FIELDS.has(cols[j]!.field) && /^\d+$/.test(v) ? Number(v) : textCell(v)));
      const row = sheet.addRow(values);
      row.alignment = { wrapText: true, vertical: 'top' };
      row.commit();
      rows++;
    }
  }
  sheet.commit();

  const info = wb.addWorksheet('Thông tin');
  info.columns = [{ width: 48 }, { width: 80 }];
  const values = coverValues(plan);
  const lines: [string, string][] = [
    ['Mẫu', `${plan.form.code} — ${plan.form.titleVi}`],
    ['Căn cứ', plan.form.legalBasis],
    ...plan.form.coverFields.map((f): [string, string] => [COVER_FIELDS[f.key], (values[f.key] ?? []).join(' – ')]),
    ['Số mục', String(rows)],
    ...printNotes(plan).map((n): [string, string] => ['Ghi chú', n]),
  ];
  for (const [k, v] of lines) info.addRow([textCell(k), textCell(v)]).commit();
  info.commit();

  await wb.commit();
  await ended;
  return { bytes: Buffer.concat(chunks), rows };
}
