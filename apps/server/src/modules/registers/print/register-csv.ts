import { stringify } from 'csv-stringify/sync';
import { neutraliseSpreadsheetCell } from '@khomat/policy';
import type { PrintPlan } from './register-source';

// A register as CSV: UTF-8 with a byte-order mark (so Excel reads Vietnamese correctly), CR LF,
// the form's headers, every text cell neutralised against formula injection.

export async function buildRegisterCsv(plan: PrintPlan, pages: AsyncIterable<string[][]>): Promise<{ bytes: Uint8Array; rows: number }> {
  const header = plan.form.columns.map((c) => neutraliseSpreadsheetCell(c.groupVi ? `${c.groupVi}: ${c.headerVi}` : c.headerVi));
  const parts: string[] = [stringify([header], { bom: true, record_delimiter: 'windows' })];
  let rows = 0;
  for await (const page of pages) {
    parts.push(
      stringify(
        page.map((cells) => cells.map(neutraliseSpreadsheetCell)),
        { record_delimiter: 'windows' },
      ),
    );
    rows += page.length;
  }
  return { bytes: Buffer.from(parts.join(''), 'utf8'), rows };
}
