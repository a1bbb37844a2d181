import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { PDFDocument } from 'pdf-lib';
import { formInForce, REGISTERS, type RegisterKind } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import type { RegisterEntryRow } from '../../../platform/db/schema';
import { colouredText, isRed } from './document-text';
import { PRINT_NOTE_MAX_LINES } from './register-source';
import { Client, createTestApp, dialects, seedAgency, seedUser, signedInClients, type TestApp, USER_PASSWORD } from '../../../test/harness';

// Printing and exporting the four registers through HTTP, on both databases: the PDF's text
// (pdftotext, Debian poppler-utils) against the form definition, the XLSX read back with exceljs,
// the CSV parsed back; who may do it; the audit events.

const DIALECTS = await dialects();

const CATALOG = JSON.stringify([
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '2',
    description: 'Kế hoạch làm việc với đoàn cấp cao nước ngoài chưa công bố',
    level: 'SECRET',
  },
]);

const OUT_SUMMARY = 'Kế hoạch đón đoàn đại biểu cấp cao năm 2027';
const INJECTED = "=cmd|' /C calc'!A0";
/** A Tuyệt mật entry's kind of document: printed and exported (tên loại), while its summary never is. */
const TOP_SECRET_KIND = 'Chỉ thị đặc biệt Quyết tâm';
const CONF_SUMMARY = 'Về việc bảo hộ công dân tại nước ngoài';

function pdfText(bytes: Buffer, pages?: { first: number; last: number }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-pdf-'));
  try {
    const file = path.join(dir, 'x.pdf');
    fs.writeFileSync(file, bytes);
    const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
    // -raw: content-stream order, so a wrapped cell's lines come out one after another.
    return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', ...range, file, '-'])
      .toString('utf8')
      .replace(/\s+/g, ' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const pageCount = (text: string): number => Number(/Trang 1\/(\d+)/.exec(text)?.[1] ?? 0);

describe.each(DIALECTS)('register printing and export on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function start() {
    t = await createTestApp(dialect);
    const { unitId, userId: adminId } = await seedAgency(t.deps);
    const ids = {
      root: unitId,
      admin: adminId,
      officer: await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'], clearance: 'SECRET' }),
      head: await seedUser(t.deps, { username: 'giamdoc', unitId, roles: ['head'], clearance: 'TOP_SECRET' }),
      clerk: await seedUser(t.deps, { username: 'vanthu', unitId, roles: ['clerk'], clearance: 'TOP_SECRET' }),
      so: await seedUser(t.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'TOP_SECRET' }),
      inspector: await seedUser(t.deps, { username: 'thanhtra', unitId, roles: ['inspector'] }),
    };
    // One signed-in client per person: a second sign-in would need their TOTP secret.
    const as = signedInClients(t);
    return { ids, as };
  }

  /** Rows written straight into a register (the copy register has no use case yet; bulk data). */
  function rawEntry(
    over: Partial<RegisterEntryRow> & Pick<RegisterEntryRow, 'id' | 'register' | 'year' | 'number' | 'item_id' | 'created_by'>,
  ): RegisterEntryRow {
    const now = t.clock.now().toISOString();
    return {
      volume: 1,
      entry_date: '2026-03-02',
      custody_event_id: null,
      unit_id: null,
      number_symbol: null,
      document_date: null,
      doc_type: null,
      summary: null,
      level: 'CONFIDENTIAL',
      signer: null,
      issuer: null,
      recipient: null,
      quantity: 1,
      copy_labels: null,
      received_by: null,
      received_at: null,
      received_on: null,
      note: null,
      form_code: 'test',
      copy_form: null,
      authorised_by: null,
      performed_by: null,
      created_at: now,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
      ...over,
    };
  }

  /** One entry or more in each of the four registers, through the real use cases where they exist. */
  async function fillRegisters() {
    const { ids, as } = await start();
    const so = await as('baomat');
    expect((await so.post('/api/catalog/import', { format: 'json', content: CATALOG })).statusCode).toBe(200);
    const catalogId = (await so.get('/api/catalog')).json().items[0].id as string;
    // Outgoing: officer drafts, head approves, clerk issues 3 copies to two recipients → entries 1, 2.
    const officer = await as('canbo');
    const draft = await officer.post('/api/items', {
      kind: 'document',
      docType: 'Kế hoạch',
      summary: OUT_SUMMARY,
      field: 'Ngoại giao',
      level: 'SECRET',
      catalogItemIds: [catalogId],
      recipients: [
        { kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 },
        { kind: 'unit', unitId: ids.root, copies: 2 },
      ],
      copyCount: 3,
      copyAllowed: false,
    });
    expect(draft.statusCode, draft.body).toBe(200);
    const itemId = draft.json().id as string;
    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    expect((await (await as('giamdoc')).post(`/api/items/${itemId}/approve`)).statusCode).toBe(200);
    const clerk = await as('vanthu');
    const issued = await clerk.post(`/api/items/${itemId}/issue`, { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' });
    expect(issued.statusCode, issued.body).toBe(200);

    // Incoming: a Mật item whose issuer, kind and note try formula injection; a Tuyệt mật item; a third, cancelled.
    const base = {
      numberSymbol: '125/BNG-LS',
      documentDate: '2026-02-27',
      kind: 'document',
      copies: 2,
      addresseeOnly: false,
      envelopeState: 'intact',
      to: { kind: 'unit', id: ids.root },
    };
    const first = await clerk.post('/api/items/incoming', {
      ...base,
      issuer: INJECTED,
      docType: '-2+3',
      summary: CONF_SUMMARY,
      level: 'CONFIDENTIAL',
      note: '@SUM(A1)',
    });
    expect(first.statusCode, first.body).toBe(200);
    const ts = await clerk.post('/api/items/incoming', {
      ...base,
      issuer: 'Bộ Quốc phòng',
      numberSymbol: '7/BQP-TM',
      docType: TOP_SECRET_KIND,
      level: 'TOP_SECRET',
    });
    expect(ts.statusCode, ts.body).toBe(200);
    const third = await clerk.post('/api/items/incoming', {
      ...base,
      issuer: 'UBND tỉnh',
      numberSymbol: '9/UBND',
      docType: 'Quyết định',
      summary: 'Về việc khen thưởng',
      level: 'CONFIDENTIAL',
    });
    const thirdEntry = (await clerk.get('/api/registers/incoming?year=2026')).json().items[2].id as string;
    expect(third.json().registerNumber).toBe(3);
    expect((await clerk.post(`/api/registers/entries/${thirdEntry}/cancel`, { reason: 'Vào sổ nhầm' })).statusCode).toBe(200);

    // Transfer: the clerk signs for the unit, then hands a copy to the officer, who signs.
    const firstItem = first.json().item.id as string;
    const eventId = (await t.deps.dbh.db.selectFrom('custody_events').select('id').where('item_id', '=', firstItem).executeTakeFirstOrThrow()).id;
    expect((await clerk.post(`/api/custody/${eventId}/confirm`)).statusCode).toBe(200);
    const handed = await clerk.post('/api/custody/hand-over', {
      copyIds: [first.json().copies[0].id],
      to: { kind: 'user', id: ids.officer },
      note: 'Giao để xử lý',
    });
    expect(handed.statusCode, handed.body).toBe(200);
    expect((await officer.post(`/api/custody/${handed.json().eventId}/confirm`)).statusCode).toBe(200);

    // Copy: no use case yet (next issue); one row as that use case would write it.
    await t.deps.dbh.db
      .insertInto('register_entries')
      .values(
        rawEntry({
          id: 'copy1',
          register: 'copy',
          year: 2026,
          number: 1,
          item_id: firstItem,
          created_by: ids.clerk,
          number_symbol: '125/BNG-LS',
          document_date: '2026-02-27',
          issuer: 'Bộ Ngoại giao',
          doc_type: 'Công văn',
          summary: 'Về việc sao tài liệu',
          quantity: 2,
          copy_labels: 'Bản sao số 1, Bản sao số 2',
          recipient: 'Phòng Lãnh sự',
        }),
      )
      .execute();
    return { ids, as, clerk, officer, so };
  }

  const NUMBERS: Record<RegisterKind, string[]> = {
    outgoing: ['1/KH-SNV'],
    incoming: ['125/BNG-LS', '7/BQP-TM', '9/UBND'],
    transfer: ['125/BNG-LS'],
    copy: ['125/BNG-LS'],
  };
  const COUNTS: Record<RegisterKind, number> = { outgoing: 2, incoming: 3, transfer: 1, copy: 1 };
  const FILES: Record<RegisterKind, string> = { outgoing: 'so-di-2026', incoming: 'so-den-2026', transfer: 'so-chuyen-giao-2026', copy: 'so-sao-chup-2026' };

  it('prints each register as its form: headers, cover, entries, page numbers, no Tuyệt mật summary; exports XLSX and CSV; audits', async () => {
    const { clerk } = await fillRegisters();
    for (const register of REGISTERS) {
      // Every entry here is dated 2026-03-02: the form in force that day prints the register.
      const form = formInForce(register, '2026-03-02')!;
      const res = await clerk.get(`/api/registers/${register}/print.pdf?year=2026`);
      expect(res.statusCode, `${register}: ${res.body.slice(0, 300)}`).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${FILES[register]}.pdf"`);
      expect(res.headers['cache-control']).toBe('no-store');
      // To look at the pages: KHOMAT_TEST_PDF_DIR=/tmp/pdfs npx vitest run <this file>.
      if (process.env.KHOMAT_TEST_PDF_DIR) fs.writeFileSync(path.join(process.env.KHOMAT_TEST_PDF_DIR, `${dialect}-${FILES[register]}.pdf`), res.rawPayload);
      const cover = pdfText(res.rawPayload, { first: 1, last: 1 });
      // Cover: superior body and agency (upper case, as headed on the paper), title, basis, fields.
      expect(cover).toContain('UBND TỈNH THỬ NGHIỆM');
      expect(cover).toContain('SỞ NGOẠI VỤ TỈNH THỬ NGHIỆM');
      expect(cover).toContain(form.titleVi);
      expect(cover).toContain(form.legalBasis);
      expect(cover).toContain('Năm: 2026');
      expect(cover).toContain('Từ ngày 02/03/2026 đến ngày 02/03/2026');
      expect(cover).toMatch(/Từ số 1 đến số \d+/);
      expect(cover).toContain('Quyển số: 1');
      // Table: every column header of the definition, and the spanning group headers.
      const table = pdfText(res.rawPayload, { first: 2, last: 100_000 });
      for (const c of form.columns) expect(table, `${register} header ${c.headerVi}`).toContain(c.headerVi);
      for (const g of new Set(form.columns.map((c) => c.groupVi).filter(Boolean))) expect(table).toContain(g);
      for (const ns of NUMBERS[register]) expect(table, `${register} ${ns}`).toContain(ns);
      // Pages are counted over the whole file: the cover is page 1, the table starts on page 2.
      expect(table).toContain('Trang 2/');
      if (register === 'incoming') expect(table).toContain(TOP_SECRET_KIND);
    }

    const outgoing = pdfText((await clerk.get('/api/registers/outgoing/print.pdf?year=2026')).rawPayload);
    expect(outgoing).toContain(OUT_SUMMARY);
    expect(outgoing).toContain('Bộ Ngoại giao');
    const incoming = pdfText((await clerk.get('/api/registers/incoming/print.pdf?year=2026')).rawPayload);
    expect(incoming).toContain(CONF_SUMMARY);
    expect(incoming).toContain('(Đã huỷ: Vào sổ nhầm)');
    const transfer = pdfText((await clerk.get('/api/registers/transfer/print.pdf?year=2026')).rawPayload);
    expect(transfer).toContain('Người dùng canbo, 02/03/2026');
    expect(transfer).toContain('1 (Bản nhận 1/2)');

    // A number range prints only those entries and says so on the cover.
    const range = await clerk.get('/api/registers/incoming/print.pdf?year=2026&fromNumber=2&toNumber=2');
    expect(range.headers['content-disposition']).toBe('attachment; filename="so-den-2026-so-2-2.pdf"');
    const rangeText = pdfText(range.rawPayload);
    expect(rangeText).toContain('Từ số 2 đến số 2');
    expect(rangeText).toContain('7/BQP-TM');
    expect(rangeText).not.toContain('125/BNG-LS');
    expect((await clerk.get('/api/registers/incoming/print.pdf?year=2026&fromNumber=3&toNumber=2')).json().error.code).toBe('register.print_range_invalid');
    // An empty year prints the cover and an empty table.
    const empty = pdfText((await clerk.get('/api/registers/incoming/print.pdf?year=2025')).rawPayload);
    expect(empty).toContain('Không có mục nào trong phạm vi in.');
    expect(empty).toContain('Trang 2/2');

    // XLSX: the form's headers, cells neutralised, the Tuyệt mật summary column blank.
    const form = formInForce('incoming', '2026-03-02')!;
    const xres = await clerk.get('/api/registers/incoming/export.xlsx?year=2026');
    expect(xres.statusCode).toBe(200);
    expect(xres.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xres.headers['content-disposition']).toBe('attachment; filename="so-den-2026.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xres.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Sổ')!;
    const row = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(form.columns.map((c) => c.headerVi));
    const col = (key: string) => form.columns.findIndex((c) => c.key === key);
    const r1 = row(2);
    expect(r1[col('soDen')]).toBe(1);
    // Typed text, exactly as written (never a formula, never an added apostrophe).
    expect(r1[col('coQuanBanHanh')]).toBe(INJECTED);
    expect(r1[col('trichYeu')]).toBe(`-2+3: ${CONF_SUMMARY}`);
    expect(r1[col('ghiChu')]).toBe('@SUM(A1)');
    expect(row(3)[col('trichYeu')]).toBe(TOP_SECRET_KIND);
    expect(row(4)[col('ghiChu')]).toBe('(Đã huỷ: Vào sổ nhầm)');
    expect(sheet.rowCount).toBe(1 + COUNTS.incoming);
    expect(wb.getWorksheet('Thông tin')).toBeDefined();

    // CSV: UTF-8 with BOM, the same headers and cells.
    const cres = await clerk.get('/api/registers/incoming/export.csv?year=2026');
    expect(cres.statusCode).toBe(200);
    expect(cres.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(cres.headers['content-disposition']).toBe('attachment; filename="so-den-2026.csv"');
    expect([...cres.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(cres.rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(records[0]).toEqual(form.columns.map((c) => c.headerVi));
    expect(records).toHaveLength(1 + COUNTS.incoming);
    expect(records[1]![col('coQuanBanHanh')]).toBe(`'${INJECTED}`);
    expect(records[1]![col('ghiChu')]).toBe("'@SUM(A1)");
    expect(records[2]![col('trichYeu')]).toBe(TOP_SECRET_KIND);
    // The copy register's spanning headers stay with their columns in a flat file.
    const copyCsv = parse((await clerk.get('/api/registers/copy/export.csv?year=2026')).rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(copyCsv[0]).toContain('Tài liệu gốc: Số, ký hiệu');

    // Audited: who took which register out, in what form and how many rows; never content.
    const audit = await t.deps.dbh.db
      .selectFrom('audit_events')
      .select(['action', 'subject_id', 'details'])
      .where('action', 'in', ['register.printed', 'register.exported'])
      .orderBy('seq')
      .execute();
    const details = audit.map((a) => ({ action: a.action, subject: a.subject_id, ...(JSON.parse(a.details) as Record<string, unknown>) }));
    expect(details.slice(0, 4)).toEqual(
      REGISTERS.map((register) =>
        expect.objectContaining({ action: 'register.printed', subject: `${register}-2026`, register, year: 2026, format: 'pdf', rows: COUNTS[register] }),
      ),
    );
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'register.exported', format: 'xlsx', rows: 3 }),
        expect.objectContaining({ action: 'register.exported', format: 'csv', rows: 3 }),
      ]),
    );
    expect(details).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'register.printed', fromNumber: 2, toNumber: 2, rows: 1 })]));
    expect(JSON.stringify(audit)).not.toContain(CONF_SUMMARY);
    expect(JSON.stringify(audit)).not.toContain(OUT_SUMMARY);
  });

  it('prints on the NĐ 63/2026 forms from 01/3/2026, counts pages over the file, keeps Tuyệt mật kinds, prints level marks red on one line', async () => {
    const { clerk } = await fillRegisters();
    for (const register of REGISTERS) {
      const bytes = (await clerk.get(`/api/registers/${register}/print.pdf?year=2026`)).rawPayload;
      const cover = pdfText(bytes, { first: 1, last: 1 });
      // Every register, the transfer and copy registers included, cites the decree in force.
      expect(cover, register).toContain('Nghị định 63/2026/NĐ-CP');
      expect(cover, register).not.toContain('26/2020');
      const pages = (await PDFDocument.load(bytes)).getPageCount();
      expect(pdfText(bytes, { first: pages, last: pages }), register).toContain(`Trang ${pages}/${pages}`);
      expect(pdfText(bytes, { first: 2, last: 2 }), register).toContain(`Trang 2/${pages}`);
      // The level column: red (the level mark in red ink), each value drawn as one line.
      const drawn = await colouredText(bytes);
      const levels = drawn.filter((d) => d.page > 1 && ['Mật', 'Tối mật', 'Tuyệt mật'].includes(d.text));
      expect(levels.length, register).toBeGreaterThan(0);
      expect(
        levels.every((d) => isRed(d.rgb)),
        register,
      ).toBe(true);
      expect(drawn.filter((d) => d.text === 'Tuyệt' || d.text === 'mật')).toEqual([]);
    }
    const incoming = await clerk.get('/api/registers/incoming/print.pdf?year=2026');
    const table = pdfText(incoming.rawPayload, { first: 2, last: 100 });
    // The Tuyệt mật row keeps its kind of document; "Số đến" is printed once, with no "Số thứ tự" beside it.
    expect(table).toContain(`7/BQP-TM 27/02/2026 ${TOP_SECRET_KIND} Tuyệt mật`);
    expect(table).not.toContain('Số thứ tự');
    expect(table).toMatch(/Ngày đến \(?.*Số đến/);
    expect((await colouredText(incoming.rawPayload)).some((d) => d.text === 'Tuyệt mật' && isRed(d.rgb))).toBe(true);
  });

  it('cuts a long note on paper and keeps it whole in the export; XLSX dates are dates', async () => {
    const { ids, as } = await start();
    const clerk = await as('vanthu');
    const long = `Bì nhận lúc 16 giờ 30. ${'Đã đối chiếu số lượng tờ, số bản, dấu niêm phong và chữ ký của người giao. '.repeat(5)}HẾT-GHI-CHÚ`;
    const res = await clerk.post('/api/items/incoming', {
      issuer: 'Bộ Ngoại giao',
      numberSymbol: '125/BNG-LS',
      documentDate: '2026-02-27',
      docType: 'Công văn',
      summary: CONF_SUMMARY,
      kind: 'document',
      level: 'CONFIDENTIAL',
      copies: 1,
      addresseeOnly: false,
      envelopeState: 'intact',
      to: { kind: 'unit', id: ids.root },
      note: long,
    });
    expect(res.statusCode, res.body).toBe(200);
    const pdf = (await clerk.get('/api/registers/incoming/print.pdf?year=2026')).rawPayload;
    const drawn = await colouredText(pdf);
    const form = formInForce('incoming', '2026-03-02')!;
    expect(pdfText(pdf)).not.toContain('HẾT-GHI-CHÚ');
    expect(pdfText(pdf)).toContain('…');
    // The note's lines on the table page: at most PRINT_NOTE_MAX_LINES, the last one cut with "…".
    const noteLines = drawn.filter(
      (d) =>
        d.page === 2 && long.replace(/\s+/g, ' ').includes(d.text.replace(/…$/, '')) && d.text.length > 5 && !form.columns.some((c) => c.headerVi === d.text),
    );
    expect(noteLines.length, JSON.stringify(noteLines)).toBeLessThanOrEqual(PRINT_NOTE_MAX_LINES);
    expect(noteLines.at(-1)?.text.endsWith('…')).toBe(true);
    expect(pdfText(pdf, { first: 1, last: 1 })).toContain('toàn văn có trong bản xuất Excel/CSV');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await clerk.get('/api/registers/incoming/export.xlsx?year=2026')).rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Sổ')!;
    const cell = (key: string) => sheet.getRow(2).getCell(form.columns.findIndex((c) => c.key === key) + 1);
    expect(cell('ghiChu').value).toBe(long);
    for (const [key, day] of [
      ['ngayDen', '2026-03-02'],
      ['ngayVanBan', '2026-02-27'],
    ] as const) {
      expect(cell(key).value, key).toBeInstanceOf(Date);
      expect((cell(key).value as Date).toISOString().slice(0, 10), key).toBe(day);
      expect(cell(key).numFmt, key).toBe('dd/mm/yyyy');
    }
    expect(cell('coQuanBanHanh').type).toBe(ExcelJS.ValueType.String);
    const csv = parse((await clerk.get('/api/registers/incoming/export.csv?year=2026')).rawPayload.toString('utf8'), { bom: true }) as string[][];
    expect(csv[1]![form.columns.findIndex((c) => c.key === 'ghiChu')]).toBe(long);
    expect(csv[1]![form.columns.findIndex((c) => c.key === 'ngayDen')]).toBe('02/03/2026');
  });

  it('prints no summaries for an inspector; refuses officer, head and admin', async () => {
    const { as } = await fillRegisters();
    const inspector = await as('thanhtra');
    const res = await inspector.get('/api/registers/outgoing/print.pdf?year=2026');
    expect(res.statusCode).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('1/KH-SNV');
    expect(text).not.toContain(OUT_SUMMARY);
    expect(text).toContain('người in không được xem nội dung tài liệu bí mật nhà nước');
    const csv = (await inspector.get('/api/registers/incoming/export.csv?year=2026')).rawPayload.toString('utf8');
    expect(csv).toContain('125/BNG-LS');
    expect(csv).not.toContain(CONF_SUMMARY);

    const before = await t.deps.dbh.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('action', 'in', ['register.printed', 'register.exported'])
      .executeTakeFirstOrThrow();
    for (const username of ['canbo', 'giamdoc']) {
      const c = await as(username);
      for (const url of [
        '/api/registers/outgoing/print.pdf?year=2026',
        '/api/registers/incoming/export.xlsx?year=2026',
        '/api/registers/transfer/export.csv?year=2026',
      ]) {
        const r = await c.get(url);
        expect(r.statusCode, `${username} ${url}`).toBe(403);
        expect(r.json().error.code).toBe('auth.forbidden');
      }
    }
    const admin = new Client(t.app, t.clock);
    await admin.signIn('admin', 'Quantri2026x');
    expect((await admin.get('/api/registers/outgoing/print.pdf?year=2026')).statusCode).toBe(403);
    expect((await admin.get('/api/registers/outgoing/export.csv?year=2026')).statusCode).toBe(403);
    expect((await new Client(t.app, t.clock).get('/api/registers/outgoing/print.pdf?year=2026')).statusCode).toBe(401);
    const after = await t.deps.dbh.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('action', 'in', ['register.printed', 'register.exported'])
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('prints a 2,000-row register (keyset pages, worker thread)', async () => {
    const { ids } = await start();
    const db = t.deps.dbh.db;
    const now = t.clock.now().toISOString();
    await db
      .insertInto('secret_items')
      .values({
        id: 'bulk',
        origin: 'incoming',
        kind: 'document',
        state: 'received',
        doc_type: 'Công văn',
        summary: null,
        field: null,
        proposed_level: null,
        level: 'CONFIDENTIAL',
        catalog_item_id: null,
        shorter_period: null,
        classified_on: null,
        protection_end: null,
        copies_planned: 1,
        copy_allowed: 0,
        addressee_only: 0,
        named_addressee_id: null,
        recall_required: 0,
        number: null,
        symbol: null,
        number_symbol: '1/BNG',
        document_date: '2025-01-02',
        signer_name: null,
        issuer: 'Bộ Ngoại giao',
        unit_id: ids.root,
        drafter_id: null,
        approver_id: null,
        return_reason: null,
        search_text: '',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const N = 2000;
    for (let from = 1; from <= N; from += 400) {
      const rows: RegisterEntryRow[] = [];
      for (let n = from; n < from + 400 && n <= N; n++) {
        rows.push(
          rawEntry({
            id: `bulk${n}`,
            register: 'incoming',
            year: 2025,
            number: n,
            item_id: 'bulk',
            created_by: ids.clerk,
            entry_date: `2025-${String(1 + Math.floor((n - 1) / 170)).padStart(2, '0')}-15`,
            number_symbol: `${n}/BNG-LS`,
            document_date: '2025-01-02',
            doc_type: 'Công văn',
            summary: n % 7 === 0 ? null : `Về việc trao đổi đoàn công tác số ${n} và các biện pháp bảo đảm an ninh, an toàn trong thời gian làm việc`,
            level: n % 7 === 0 ? 'TOP_SECRET' : n % 3 === 0 ? 'SECRET' : 'CONFIDENTIAL',
            issuer: 'Bộ Ngoại giao',
            recipient: 'Phòng Lãnh sự',
          }),
        );
      }
      await db.insertInto('register_entries').values(rows).execute();
    }
    const clerk = new Client(t.app, t.clock);
    await clerk.signIn('vanthu', USER_PASSWORD);
    const t0 = performance.now();
    const res = await clerk.get('/api/registers/incoming/print.pdf?year=2025');
    const ms = performance.now() - t0;
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Từ số 1 đến số 2000');
    expect(text).toContain('Từ ngày 15/01/2025 đến ngày 15/12/2025');
    expect(text).toContain('2000/BNG-LS');
    const pages = pageCount(text);
    expect(pages).toBeGreaterThan(50);
    expect(text).toContain(`Trang ${pages}/${pages}`);
    // Figures for the record, never asserted (CONVENTIONS: no timing assertions in tests).
    console.log(
      `[print] ${dialect}: 2,000 rows → ${pages} pages, ${(res.rawPayload.length / 1024).toFixed(0)} KiB in ${ms.toFixed(0)} ms (HTTP; the print worker may already be running)`,
    );
  });
});
