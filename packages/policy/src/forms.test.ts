import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysInMonth, formatCivilDate } from './civil-date';
import {
  A4_LANDSCAPE_PRINTABLE_WIDTH_MM,
  REGISTERS,
  REGISTER_FIELDS,
  REGISTER_FORMS,
  assertFormsValid,
  formInForce,
  registerFormSchema,
  summaryColumn,
  validateForms,
  type RegisterFormDefinition,
} from './forms';

const byCode = (code: string) => REGISTER_FORMS.find((f) => f.code === code)!;
const clone = (f: RegisterFormDefinition): RegisterFormDefinition => structuredClone(f);
const headers = (f: RegisterFormDefinition | undefined) => f?.columns.map((c) => c.headerVi);

describe('the shipped definitions', () => {
  it('all validate', () => {
    expect(validateForms()).toEqual({ ok: true, forms: REGISTER_FORMS });
    expect(() => assertFormsValid()).not.toThrow();
  });

  it.each(REGISTER_FORMS.map((f) => [f.code, f] as const))('%s fits A4 landscape and names only known fields', (_code, f) => {
    const width = f.columns.reduce((s, c) => s + c.widthMm, 0);
    expect(width).toBeLessThanOrEqual(A4_LANDSCAPE_PRINTABLE_WIDTH_MM);
    const fields = Object.keys(REGISTER_FIELDS[f.register]);
    for (const c of f.columns) expect(fields).toContain(c.field);
    // The entry's number opens the row: "Số thứ tự", or on the incoming register "Số đến" (the same
    // number, printed once), after the arrival date as on Mẫu 15.
    expect(f.columns.filter((c) => c.field === 'sequenceNo' || c.field === 'arrivalNo')).toHaveLength(1);
    expect(f.coverFields.map((c) => c.key)).toEqual(['superiorBody', 'agencyName', 'year', 'dateRange', 'numberRange', 'volume']);
  });

  it('has the expected versions per register', () => {
    expect(REGISTER_FORMS.map((f) => [f.register, f.code, f.effectiveFrom])).toEqual([
      ['outgoing', 'TT24-M14', '2020-07-01'],
      ['outgoing', 'ND63-PL3-DI', '2026-03-01'],
      ['incoming', 'TT24-M15', '2020-07-01'],
      ['incoming', 'ND63-PL3-DEN', '2026-03-01'],
      ['transfer', 'TT24-M16', '2020-07-01'],
      ['transfer', 'ND63-CG', '2026-03-01'],
      ['copy', 'TT24-M12', '2020-07-01'],
      ['copy', 'ND63-SAO', '2026-03-01'],
    ]);
  });

  it('from 01/3/2026 every register prints on a form citing NĐ 63/2026, with the columns of the form before it', () => {
    for (const register of REGISTERS) {
      const before = formInForce(register, '2026-02-28')!;
      const after = formInForce(register, '2026-03-01')!;
      expect(before.legalBasis, register).toContain('26/2020');
      expect(after.legalBasis, register).toContain('Nghị định 63/2026/NĐ-CP');
      expect(after.legalBasis, register).not.toMatch(/26\/2020|24\/2020/);
      expect(after.columns, register).toEqual(before.columns);
    }
  });

  it('unverified columns say so in the data', () => {
    for (const f of REGISTER_FORMS) {
      if (f.verification === 'provisional') expect(f.noteVi?.length).toBeGreaterThan(20);
    }
    expect(byCode('ND63-PL3-DI').noteVi).toContain('TT24');
  });

  it('column headers of the outgoing register (README "Forms are data")', () => {
    expect(headers(byCode('TT24-M14'))).toEqual([
      'Số thứ tự',
      'Số, ký hiệu',
      'Ngày, tháng, năm văn bản',
      'Tên loại và trích yếu nội dung',
      'Độ mật',
      'Người ký',
      'Nơi nhận (ký nhận, ngày)',
      'Đơn vị, người lưu bản',
      'Số lượng bản',
      'Ghi chú',
    ]);
  });

  it('column headers of the incoming, transfer and copy registers', () => {
    expect(headers(byCode('TT24-M15'))).toEqual([
      'Ngày đến',
      'Số đến',
      'Cơ quan, tổ chức ban hành',
      'Số, ký hiệu',
      'Ngày, tháng, năm văn bản',
      'Tên loại và trích yếu nội dung',
      'Độ mật',
      'Đơn vị hoặc người nhận',
      'Ký nhận (người, ngày)',
      'Ghi chú',
    ]);
    expect(headers(byCode('TT24-M16'))).toEqual([
      'Số thứ tự',
      'Ngày chuyển',
      'Số, ký hiệu / số đến',
      'Độ mật',
      'Số lượng (bản số)',
      'Đơn vị hoặc người nhận',
      'Ký nhận (người, ngày)',
      'Ghi chú',
    ]);
    expect(
      byCode('TT24-M12')
        .columns.filter((c) => c.groupVi === 'Tài liệu gốc')
        .map((c) => c.field),
    ).toEqual(['sourceNumberSymbol', 'sourceDate', 'sourceIssuer', 'summary']);
  });

  it('the summary column is marked where a register has one, and only there', () => {
    expect(summaryColumn(byCode('TT24-M14'))?.key).toBe('trichYeu');
    expect(summaryColumn(byCode('ND63-PL3-DI'))?.key).toBe('trichYeu');
    expect(summaryColumn(byCode('TT24-M15'))?.key).toBe('trichYeu');
    expect(summaryColumn(byCode('ND63-PL3-DEN'))?.key).toBe('trichYeu');
    expect(summaryColumn(byCode('TT24-M12'))?.key).toBe('gocTrichYeu');
    expect(summaryColumn(byCode('TT24-M16'))).toBeUndefined();
  });
});

describe('formInForce', () => {
  it.each([
    ['outgoing', '2020-06-30', undefined],
    ['outgoing', '2020-07-01', 'TT24-M14'],
    ['outgoing', '2026-02-28', 'TT24-M14'],
    ['outgoing', '2026-03-01', 'ND63-PL3-DI'],
    ['outgoing', '2030-01-01', 'ND63-PL3-DI'],
    ['incoming', '2026-02-28', 'TT24-M15'],
    ['incoming', '2026-03-01', 'ND63-PL3-DEN'],
    ['transfer', '2026-02-28', 'TT24-M16'],
    ['transfer', '2026-03-01', 'ND63-CG'],
    ['copy', '2026-02-28', 'TT24-M12'],
    ['copy', '2026-03-01', 'ND63-SAO'],
    ['copy', '2019-12-31', undefined],
  ] as const)('%s on %s → %s', (register, on, code) => {
    expect(formInForce(register, on)?.code).toBe(code);
  });

  it('picks the latest effectiveFrom ≤ date whatever the order of the list (property)', () => {
    const start = '2020-01-01';
    const formsArb = fc
      .uniqueArray(fc.integer({ min: 0, max: 4000 }), { minLength: 1, maxLength: 6 })
      .chain((offsets) => fc.shuffledSubarray(offsets, { minLength: offsets.length, maxLength: offsets.length }));
    fc.assert(
      fc.property(formsArb, fc.integer({ min: -100, max: 4100 }), (offsets, at) => {
        const forms = offsets.map((o) => ({ ...clone(byCode('TT24-M14')), code: `F${o}`, effectiveFrom: addDays(start, o) }));
        const inForce = offsets.filter((o) => o <= at);
        const expected = inForce.length ? `F${Math.max(...inForce)}` : undefined;
        expect(formInForce('outgoing', addDays(start, at), forms)?.code).toBe(expected);
        expect(formInForce('incoming', addDays(start, at), forms)).toBeUndefined();
      }),
    );
  });

  it('every register has a form for every day since 2020-07-01 (property)', () => {
    const dateArb = fc
      .record({ year: fc.integer({ min: 2020, max: 2100 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
      .map((d) => formatCivilDate({ ...d, day: Math.min(d.day, daysInMonth(d.year, d.month)) }))
      .filter((d) => d >= '2020-07-01');
    fc.assert(fc.property(fc.constantFrom(...REGISTERS), dateArb, (r, d) => formInForce(r, d)?.register === r));
  });
});

describe('schema and validateForms refuse bad definitions', () => {
  const base = () => clone(byCode('TT24-M14'));
  const issuesOf = (f: unknown) => {
    const r = validateForms([...REGISTER_FORMS.filter((x) => x.code !== 'TT24-M14'), f]);
    return r.ok ? [] : r.issues;
  };

  it.each<[string, (f: RegisterFormDefinition) => void, RegExp]>([
    ['duplicate column key', (f) => (f.columns[1]!.key = 'stt'), /duplicate column key "stt"/],
    ['same field twice', (f) => (f.columns[1]!.field = 'sequenceNo'), /field "sequenceNo" shown twice/],
    ['unknown field', (f) => (f.columns[1]!.field = 'arrivalNo'), /unknown field "arrivalNo" for the outgoing register/],
    ['too wide', (f) => (f.columns[0]!.widthMm = 13), /278 mm wide, more than 277 mm/],
    ['empty header', (f) => (f.columns[2]!.headerVi = '   '), /columns\.2\.headerVi/],
    ['zero width', (f) => (f.columns[2]!.widthMm = 0), /columns\.2\.widthMm/],
    ['bad column key', (f) => (f.columns[2]!.key = 'Ngày'), /columns\.2\.key/],
    ['summary not marked', (f) => delete f.columns[3]!.holdsSummary, /holdsSummary must be set exactly on the "summary" field/],
    ['wrong column marked as summary', (f) => (f.columns[4]!.holdsSummary = true), /column "doMat": holdsSummary/],
    ['bad effective date', (f) => (f.effectiveFrom = '2020-02-30'), /effectiveFrom/],
    ['unknown register', (f) => ((f as { register: string }).register = 'archive'), /register/],
    ['no columns', (f) => (f.columns = []), /columns/],
    ['duplicate cover field', (f) => (f.coverFields = [...f.coverFields, { key: 'year', labelVi: 'Năm' }]), /duplicate cover field "year"/],
    ['unknown cover field', (f) => ((f.coverFields[0] as { key: string }).key = 'mayor'), /coverFields\.0\.key/],
    ['extra property (typo)', (f) => ((f.columns[0] as unknown as Record<string, unknown>).widthMM = 3), /widthMM|Unrecognized/],
    [
      'split group',
      (f) => {
        f.columns[1]!.groupVi = 'Văn bản';
        f.columns[2]!.groupVi = 'Văn bản';
        f.columns[5]!.groupVi = 'Văn bản';
      },
      /group "Văn bản" is split/,
    ],
  ])('%s', (_name, mutate, message) => {
    const f = base();
    mutate(f);
    expect(registerFormSchema.safeParse(f).success).toBe(false);
    expect(issuesOf(f).join('\n')).toMatch(message);
  });

  it('a contiguous group is fine', () => {
    const f = base();
    f.columns[1]!.groupVi = 'Văn bản';
    f.columns[2]!.groupVi = 'Văn bản';
    expect(registerFormSchema.safeParse(f).success).toBe(true);
  });

  it('checks the set: unique codes, one version per day, every register covered', () => {
    const dup = { ...base(), effectiveFrom: '2024-01-01' };
    expect(validateForms([...REGISTER_FORMS, dup])).toEqual({ ok: false, issues: ['duplicate form code "TT24-M14"'] });
    const sameDay = { ...base(), code: 'X-1' };
    expect(validateForms([...REGISTER_FORMS, sameDay])).toEqual({
      ok: false,
      issues: ['two forms of one register take effect on the same day: outgoing 2020-07-01'],
    });
    const r = validateForms(REGISTER_FORMS.filter((f) => f.register !== 'copy'));
    expect(r).toEqual({ ok: false, issues: ['no form for the copy register'] });
    expect(validateForms([null, 'x']).ok).toBe(false);
  });

  it('assertFormsValid lists every problem', () => {
    const f = base();
    f.columns[0]!.widthMm = 100;
    f.columns[1]!.headerVi = '';
    expect(() => assertFormsValid([...REGISTER_FORMS.filter((x) => x.code !== 'TT24-M14'), f])).toThrow(/mm wide[\s\S]*headerVi|headerVi[\s\S]*mm wide/);
  });
});
