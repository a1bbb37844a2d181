import { z } from 'zod';
import { REGISTERS, type RegisterKind } from './registers';
import { compareDates, isCivilDate, type IsoDate } from './civil-date';
import { COPY_REGISTER_FORMS } from './register-forms/copy';
import { INCOMING_REGISTER_FORMS } from './register-forms/incoming';
import { OUTGOING_REGISTER_FORMS } from './register-forms/outgoing';
import { TRANSFER_REGISTER_FORMS } from './register-forms/transfer';

// Re-exported for the modules that import them from here (the list lives in ./registers).
export { REGISTERS, type RegisterKind };

// Register forms are data (shared/domain/README.md "Forms are data"): each decree or circular that
// changes a register's layout adds a definition with its effective date; the code that prints a
// register picks the one in force. The data lives in ./register-forms/, one file per register,
// and is checked by `validateForms()` at start-up.

/** A4 landscape (297 mm) minus 10 mm margins each side. */
export const A4_LANDSCAPE_PRINTABLE_WIDTH_MM = 277;

/**
 * The fields a register entry exposes to printing, per register: the contract between a form's
 * columns and the register views. A column names one of these; a form may leave some out.
 */
export const REGISTER_FIELDS = {
  outgoing: {
    sequenceNo: 'Số thứ tự đăng ký trong năm',
    numberSymbol: 'Số, ký hiệu văn bản',
    documentDate: 'Ngày, tháng, năm văn bản',
    summary: 'Tên loại và trích yếu nội dung (để trống với Tuyệt mật)',
    level: 'Độ mật',
    signer: 'Người ký',
    recipients: 'Nơi nhận, mỗi nơi kèm người ký nhận và ngày ký nhận',
    retainedBy: 'Đơn vị, người lưu bản',
    copyCount: 'Số lượng bản',
    note: 'Ghi chú',
  },
  incoming: {
    sequenceNo: 'Số thứ tự đăng ký trong năm',
    arrivalDate: 'Ngày đến',
    arrivalNo: 'Số đến',
    issuer: 'Cơ quan, tổ chức ban hành',
    numberSymbol: 'Số, ký hiệu văn bản',
    documentDate: 'Ngày, tháng, năm văn bản',
    summary: 'Tên loại và trích yếu nội dung (để trống với Tuyệt mật)',
    level: 'Độ mật',
    receiver: 'Đơn vị hoặc người nhận',
    receipt: 'Ký nhận: người ký, ngày ký',
    note: 'Ghi chú',
  },
  transfer: {
    sequenceNo: 'Số thứ tự đăng ký trong năm',
    transferDate: 'Ngày chuyển',
    itemReference: 'Số, ký hiệu hoặc số đến của tài liệu',
    level: 'Độ mật',
    copies: 'Số lượng và số của các bản chuyển giao',
    receiver: 'Đơn vị hoặc người nhận',
    receipt: 'Ký nhận: người ký, ngày ký',
    note: 'Ghi chú',
  },
  copy: {
    sequenceNo: 'Số thứ tự đăng ký trong năm',
    copyDate: 'Ngày sao, chụp',
    sourceNumberSymbol: 'Số, ký hiệu tài liệu gốc',
    sourceDate: 'Ngày tài liệu gốc',
    sourceIssuer: 'Cơ quan ban hành tài liệu gốc',
    summary: 'Trích yếu tài liệu gốc (để trống với Tuyệt mật)',
    level: 'Độ mật',
    copyForm: 'Hình thức: sao y, sao lục, trích sao, chụp',
    copies: 'Số lượng và số bản sao',
    authorisedBy: 'Người cho phép sao, chụp',
    performedBy: 'Người thực hiện',
    copyRecipients: 'Nơi nhận bản sao',
    note: 'Ghi chú (bản hỏng đã hủy)',
  },
} as const satisfies Record<RegisterKind, Record<string, string>>;

export type RegisterField<R extends RegisterKind = RegisterKind> = keyof (typeof REGISTER_FIELDS)[R] & string;

/** The field that holds the summary (trích yếu): printing blanks it for Tuyệt mật. */
export const SUMMARY_FIELD = 'summary';

/** Values the printer supplies for a register volume's cover page (Mẫu 14/15 notes (1)–(6)). */
export const COVER_FIELDS = {
  superiorBody: 'Tên cơ quan, tổ chức chủ quản cấp trên trực tiếp (nếu có)',
  agencyName: 'Tên cơ quan, tổ chức',
  year: 'Năm mở sổ',
  dateRange: 'Ngày đăng ký đầu tiên và cuối cùng trong quyển',
  numberRange: 'Số đăng ký đầu tiên và cuối cùng trong quyển',
  volume: 'Quyển số',
} as const;
export type CoverField = keyof typeof COVER_FIELDS;

export interface FormCoverField {
  key: CoverField;
  labelVi: string;
}

export interface FormColumn {
  key: string;
  headerVi: string;
  /** The register field this column shows (REGISTER_FIELDS[register]). */
  field: string;
  widthMm: number;
  align?: 'left' | 'center' | 'right';
  /** Spanning header above a run of adjacent columns (e.g. "Tài liệu gốc"). */
  groupVi?: string;
  /** This column holds the summary (trích yếu): printed blank for Tuyệt mật entries. */
  holdsSummary?: true;
}

export interface RegisterFormDefinition {
  /** Stable code, e.g. 'TT24-M14'. */
  code: string;
  register: RegisterKind;
  titleVi: string;
  legalBasis: string;
  effectiveFrom: IsoDate;
  /**
   * 'official' once the columns were checked against the published annex; 'provisional' while
   * they are our best reading (see `noteVi`). Provisional forms print the same way.
   */
  verification: 'official' | 'provisional';
  noteVi?: string;
  coverFields: FormCoverField[];
  columns: FormColumn[];
}

const KEY = /^[a-z][a-zA-Z0-9]*$/;
const text = z.string().trim().min(1);

const columnSchema = z.strictObject({
  key: z.string().regex(KEY),
  headerVi: text,
  field: z.string().min(1),
  widthMm: z.number().positive().finite(),
  align: z.enum(['left', 'center', 'right']).optional(),
  groupVi: text.optional(),
  holdsSummary: z.literal(true).optional(),
});

const coverFieldSchema = z.strictObject({
  key: z.enum(Object.keys(COVER_FIELDS) as [CoverField, ...CoverField[]]),
  labelVi: text,
});

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** Zod schema of one definition, with the cross-field checks. */
export const registerFormSchema = z
  .strictObject({
    code: z.string().regex(/^[A-Z0-9][A-Z0-9-]*$/),
    register: z.enum(REGISTERS),
    titleVi: text,
    legalBasis: text,
    effectiveFrom: z.string().refine(isCivilDate, 'effectiveFrom must be a valid YYYY-MM-DD date'),
    verification: z.enum(['official', 'provisional']),
    noteVi: text.optional(),
    coverFields: z.array(coverFieldSchema).min(1),
    columns: z.array(columnSchema).min(1),
  })
  .superRefine((def, ctx) => {
    const fields: Record<string, string> = REGISTER_FIELDS[def.register];
    for (const key of duplicates(def.columns.map((c) => c.key))) ctx.addIssue({ code: 'custom', message: `duplicate column key "${key}"`, path: ['columns'] });
    for (const f of duplicates(def.columns.map((c) => c.field))) ctx.addIssue({ code: 'custom', message: `field "${f}" shown twice`, path: ['columns'] });
    for (const key of duplicates(def.coverFields.map((c) => c.key)))
      ctx.addIssue({ code: 'custom', message: `duplicate cover field "${key}"`, path: ['coverFields'] });
    def.columns.forEach((c, i) => {
      if (!Object.hasOwn(fields, c.field)) {
        ctx.addIssue({ code: 'custom', message: `unknown field "${c.field}" for the ${def.register} register`, path: ['columns', i, 'field'] });
      }
      // The summary column must be marked, and only it, so that printing can blank it for Tuyệt
      // mật (NĐ 63/2026 [I]; shared/domain/README.md rule 4).
      if ((c.field === SUMMARY_FIELD) !== (c.holdsSummary === true)) {
        ctx.addIssue({ code: 'custom', message: `column "${c.key}": holdsSummary must be set exactly on the "${SUMMARY_FIELD}" field`, path: ['columns', i] });
      }
    });
    const width = def.columns.reduce((sum, c) => sum + c.widthMm, 0);
    if (width > A4_LANDSCAPE_PRINTABLE_WIDTH_MM + 1e-9) {
      ctx.addIssue({ code: 'custom', message: `columns are ${width} mm wide, more than ${A4_LANDSCAPE_PRINTABLE_WIDTH_MM} mm`, path: ['columns'] });
    }
    // A spanning header covers one unbroken run of columns.
    const closed = new Set<string>();
    let current: string | undefined;
    def.columns.forEach((c, i) => {
      if (c.groupVi !== current) {
        if (current !== undefined) closed.add(current);
        if (c.groupVi !== undefined && closed.has(c.groupVi)) {
          ctx.addIssue({ code: 'custom', message: `group "${c.groupVi}" is split`, path: ['columns', i, 'groupVi'] });
        }
        current = c.groupVi;
      }
    });
  });

/** All register form definitions, every version. */
export const REGISTER_FORMS: readonly RegisterFormDefinition[] = [
  ...OUTGOING_REGISTER_FORMS,
  ...INCOMING_REGISTER_FORMS,
  ...TRANSFER_REGISTER_FORMS,
  ...COPY_REGISTER_FORMS,
];

export type FormsValidation = { ok: true; forms: readonly RegisterFormDefinition[] } | { ok: false; issues: string[] };

/** Check every definition and the set as a whole. The server calls this at start-up. */
export function validateForms(forms: readonly unknown[] = REGISTER_FORMS): FormsValidation {
  const issues: string[] = [];
  const valid: RegisterFormDefinition[] = [];
  forms.forEach((f, i) => {
    const r = registerFormSchema.safeParse(f);
    const name = (f as { code?: unknown } | null)?.code ?? `#${i}`;
    if (r.success) valid.push(r.data as RegisterFormDefinition);
    else for (const issue of r.error.issues) issues.push(`${String(name)} ${issue.path.join('.')}: ${issue.message}`.replace(' :', ':'));
  });
  for (const code of duplicates(valid.map((f) => f.code))) issues.push(`duplicate form code "${code}"`);
  for (const k of duplicates(valid.map((f) => `${f.register} ${f.effectiveFrom}`))) issues.push(`two forms of one register take effect on the same day: ${k}`);
  for (const register of REGISTERS) {
    if (!valid.some((f) => f.register === register)) issues.push(`no form for the ${register} register`);
  }
  return issues.length === 0 ? { ok: true, forms: valid } : { ok: false, issues };
}

/** As `validateForms`, throwing one error listing every problem (start-up fails fast). */
export function assertFormsValid(forms: readonly unknown[] = REGISTER_FORMS): void {
  const r = validateForms(forms);
  if (!r.ok) throw new Error(`Invalid register form definitions:\n- ${r.issues.join('\n- ')}`);
}

/** The definition in force on `onDate`: the latest whose effectiveFrom ≤ onDate; undefined before any. */
export function formInForce(
  register: RegisterKind,
  onDate: IsoDate,
  forms: readonly RegisterFormDefinition[] = REGISTER_FORMS,
): RegisterFormDefinition | undefined {
  let best: RegisterFormDefinition | undefined;
  for (const f of forms) {
    if (f.register !== register || compareDates(f.effectiveFrom, onDate) > 0) continue;
    if (!best || compareDates(f.effectiveFrom, best.effectiveFrom) > 0) best = f;
  }
  return best;
}

/** The column holding the summary (trích yếu), if the form has one. */
export function summaryColumn(form: RegisterFormDefinition): FormColumn | undefined {
  return form.columns.find((c) => c.holdsSummary === true);
}
