import { formInForce, REGISTER_FIELDS, REGISTER_FORMS, REGISTERS, SUMMARY_HIDDEN_VI, SUMMARY_NONE_VI } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import type { RegisterEntryRow } from '../../../platform/db/schema';
import { entryCells, fieldValue, formatDateVi, formatInstantVi } from './register-cells';
import { exportFilename, fillCoverField, formForPrint } from './register-source';

const entry = (over: Partial<RegisterEntryRow> = {}): RegisterEntryRow => ({
  id: 'e1',
  register: 'incoming',
  year: 2026,
  number: 7,
  volume: 1,
  entry_date: '2026-03-02',
  item_id: 'i1',
  custody_event_id: null,
  unit_id: 'u1',
  number_symbol: '125/BNG-LS',
  document_date: '2026-02-27',
  doc_type: 'Công văn',
  summary: 'Về việc bảo hộ công dân',
  level: 'SECRET',
  signer: 'Lê Văn Giám',
  issuer: 'Bộ Ngoại giao',
  recipient: 'Phòng Lãnh sự',
  quantity: 2,
  copy_labels: 'Bản nhận 1/2, Bản nhận 2/2',
  received_by: 'Nguyễn Văn A',
  received_at: '2026-03-02T18:30:00.000Z',
  received_on: null,
  note: null,
  form_code: 'ND63-PL3-DEN',
  copy_form: null,
  authorised_by: null,
  performed_by: null,
  created_by: 'u',
  created_at: '2026-03-02T01:00:00.000Z',
  cancelled_at: null,
  cancelled_by: null,
  cancel_reason: null,
  ...over,
});
const ctx = { unitNames: new Map([['u1', 'Sở Ngoại vụ']]), anySummary: true };

describe('printed cells', () => {
  it('every field of every register has a printed value', () => {
    for (const register of REGISTERS) {
      for (const field of Object.keys(REGISTER_FIELDS[register])) expect(typeof fieldValue(register, field, entry(), ctx)).toBe('string');
    }
  });

  it('writes dates the Vietnamese way; a receipt at 01:30 on 3 March in Hà Nội is dated 03/03', () => {
    expect(formatDateVi('2026-03-02')).toBe('02/03/2026');
    expect(formatInstantVi('2026-03-02T18:30:00.000Z')).toBe('03/03/2026');
    expect(fieldValue('incoming', 'receipt', entry(), ctx)).toBe('Nguyễn Văn A, 03/03/2026');
    expect(fieldValue('incoming', 'receipt', entry({ received_by: null }), ctx)).toBe('');
    expect(fieldValue('transfer', 'copies', entry(), ctx)).toBe('2 (Bản nhận 1/2, Bản nhận 2/2)');
    expect(fieldValue('outgoing', 'retainedBy', entry(), ctx)).toBe('Sở Ngoại vụ');
    expect(fieldValue('outgoing', 'level', entry({ level: 'TOP_SECRET' }), ctx)).toBe('Tuyệt mật');
  });

  it('prints the copy register’s form, authoriser and performer from the entry (Mẫu 12), in the form’s columns', () => {
    const copy = entry({
      register: 'copy',
      copy_form: 'Sao y',
      authorised_by: 'Lê Hoàng Sơn, Giám đốc Sở',
      performed_by: 'Nguyễn Thị Thu Hà',
      note: '1 bản hỏng đã hủy: Kẹt giấy',
    });
    expect(fieldValue('copy', 'copyForm', copy, ctx)).toBe('Sao y');
    expect(fieldValue('copy', 'authorisedBy', copy, ctx)).toBe('Lê Hoàng Sơn, Giám đốc Sở');
    expect(fieldValue('copy', 'performedBy', copy, ctx)).toBe('Nguyễn Thị Thu Hà');
    const form = formInForce('copy', '2026-03-02')!;
    const cells = entryCells(form, copy, ctx);
    const at = (field: string) => cells[form.columns.findIndex((c) => c.field === field)];
    expect([at('copyForm'), at('authorisedBy'), at('performedBy'), at('note')]).toEqual([
      'Sao y',
      'Lê Hoàng Sơn, Giám đốc Sở',
      'Nguyễn Thị Thu Hà',
      '1 bản hỏng đã hủy: Kẹt giấy',
    ]);
    // A row written before migration 0013 prints them blank.
    expect(fieldValue('copy', 'copyForm', entry({ register: 'copy' }), ctx)).toBe('');
  });

  it('joins kind and summary without repeating the kind', () => {
    expect(fieldValue('incoming', 'summary', entry(), ctx)).toBe('Công văn: Về việc bảo hộ công dân');
    expect(fieldValue('incoming', 'summary', entry({ doc_type: 'Kế hoạch', summary: 'Kế hoạch đón đoàn' }), ctx)).toBe('Kế hoạch đón đoàn');
    expect(fieldValue('incoming', 'summary', entry({ summary: null }), ctx)).toBe('Công văn');
  });

  it('leaves the summary out for Tuyệt mật but keeps the kind, whatever the row holds, and says a hidden summary is withheld', () => {
    for (const form of REGISTER_FORMS) {
      const i = form.columns.findIndex((c) => c.holdsSummary);
      if (i < 0) continue;
      expect(entryCells(form, entry(), ctx)[i]).not.toBe('');
      // Even a row that (against the database constraint) carried a summary prints none; the kind
      // of document (tên loại) stays, as the law leaves out only the trích yếu.
      expect(entryCells(form, entry({ level: 'TOP_SECRET' }), ctx)[i]).toBe('Công văn');
      expect(entryCells(form, entry({ level: 'TOP_SECRET', doc_type: null }), ctx)[i]).toBe('');
      expect(entryCells(form, entry(), ctx, true)[i]).toBe(`Công văn: ${SUMMARY_HIDDEN_VI}`);
      expect(entryCells(form, entry(), ctx, true).join('|')).not.toContain('bảo hộ');
      expect(entryCells(form, entry(), ctx, true).join('|')).not.toContain(SUMMARY_NONE_VI);
    }
  });

  it('a cancelled entry keeps its number and says why in the note column', () => {
    const form = formInForce('incoming', '2026-03-02')!;
    const cells = entryCells(form, entry({ cancelled_at: '2026-03-03T00:00:00Z', cancel_reason: 'Vào sổ nhầm', note: 'Bì rách' }), ctx);
    expect(cells[form.columns.findIndex((c) => c.field === 'arrivalNo')]).toBe('7');
    expect(cells[form.columns.findIndex((c) => c.field === 'note')]).toBe('(Đã huỷ: Vào sổ nhầm)\nBì rách');
  });
});

describe('what a print covers', () => {
  it('uses the form in force at the last entry printed, else at year end but never after today', () => {
    expect(formForPrint('incoming', 2026, '2026-02-10', '2026-12-01')?.code).toBe('TT24-M15');
    expect(formForPrint('incoming', 2026, '2026-03-02', '2026-12-01')?.code).toBe('ND63-PL3-DEN');
    expect(formForPrint('incoming', 2026, null, '2026-02-15')?.code).toBe('TT24-M15');
    expect(formForPrint('incoming', 2025, null, '2026-03-02')?.code).toBe('TT24-M15');
    expect(formForPrint('incoming', 2027, null, '2026-03-02')?.code).toBe('ND63-PL3-DEN');
    expect(formForPrint('incoming', 2019, null, '2026-03-02')).toBeUndefined();
  });

  it('fills the blanks of cover labels', () => {
    expect(fillCoverField('Từ ngày … đến ngày …', ['02/03/2026', '30/12/2026'])).toBe('Từ ngày 02/03/2026 đến ngày 30/12/2026');
    expect(fillCoverField('Năm', ['2026'])).toBe('Năm: 2026');
    expect(fillCoverField('Quyển số', null)).toBe('Quyển số');
    expect(fillCoverField('Từ số … đến số …', null)).toBe('Từ số … đến số …');
  });

  it('names files after the register and year', () => {
    expect(exportFilename({ register: 'incoming', year: 2026 }, 'pdf')).toBe('so-den-2026.pdf');
    expect(exportFilename({ register: 'outgoing', year: 2026 }, 'xlsx')).toBe('so-di-2026.xlsx');
    expect(exportFilename({ register: 'transfer', year: 2026, fromNumber: 10, toNumber: 20 }, 'csv')).toBe('so-chuyen-giao-2026-so-10-20.csv');
  });
});
