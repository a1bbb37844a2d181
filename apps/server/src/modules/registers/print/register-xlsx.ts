import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { COVER_FIELDS } from '@khomat/policy';
import { DATE_FIELDS, NUMERIC_FIELDS } from './register-cells';
import { coverValues, printNotes, type PrintPlan } from './register-source';

// A register as an XLSX workbook: sheet "Sổ" with the form's columns (same headers, same cells as
// the PDF), sheet "Thông tin" with the cover fields. Written with exceljs's streaming writer, so
// memory holds the compressed output, not a model of every cell.
//
// Cells hold the register's values, not altered text: a text cell is written as a typed string
// (never a formula: exceljs writes a formula only for a { formula } value), so "=cmd…" or
// "-2+3" stays exactly what the clerk typed, without the apostrophe that CSV needs (a CSV cell has
// no type; register-csv.ts keeps the neutralisation). Numbers are numbers; dates are Excel dates
// shown dd/mm/yyyy.

const MM_PER_CHAR = 1.9; // Excel column width unit ≈ one character of the default 11 pt font
export const XLSX_DATE_FORMAT = 'dd/mm/yyyy';

/** 'dd/mm/yyyy' (the printed form) → the date at UTC midnight, or null when the cell is not one date. */
function printedDate(s: string): Date | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s);
  return m ? new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1]))) : null;
}

/** A printed cell as the typed value of its column: number, date or text. */
function typedValue(field: string, v: string): string | number | Date {
  if (NUMERIC_FIELDS.has(field) && /^\d+$/.test(v)) return Number(v);
  if (DATE_FIELDS.has(field)) return printedDate(v) ?? v;
  return v;
}

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
  const sheet = wb.addWorksheet('Sổ', {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  sheet.columns = cols.map((c) => ({ key: c.key, width: Math.max(6, Math.round(c.widthMm / MM_PER_CHAR)) }));
  const head = sheet.addRow(cols.map((c) => (c.groupVi ? `${c.groupVi}: ${c.headerVi}` : c.headerVi)));
  head.font = { bold: true };
  head.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  head.commit();

  let rows = 0;
  for await (const page of pages) {
    for (const cells of page) {
      const row = sheet.addRow(cells.map((v, j) => typedValue(cols[j]!.field, v)));
      row.alignment = { wrapText: true, vertical: 'top' };
      cells.forEach((_, j) => {
        const cell = row.getCell(j + 1);
        if (cell.value instanceof Date) cell.numFmt = XLSX_DATE_FORMAT;
      });
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
  for (const [k, v] of lines) info.addRow([k, v]).commit();
  info.commit();

  await wb.commit();
  await ended;
  return { bytes: Buffer.concat(chunks), rows };
}
