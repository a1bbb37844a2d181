import {
  civilDateInVietnam,
  LEVEL_TABLE,
  LEVELS,
  SUMMARY_HIDDEN_VI,
  type FormColumn,
  type Level,
  type RegisterField,
  type RegisterFormDefinition,
  type RegisterKind,
} from '@khomat/policy';
import type { RegisterEntryRow } from '../../../platform/db/schema';

// What each printed column shows: the contract between a form's columns (REGISTER_FIELDS in
// packages/policy) and a register entry row. Pure: PDF, XLSX and CSV all print these strings, so
// the three formats always agree, and the blanking rules below are tested once.

export interface CellContext {
  /** Unit id → name, for "Đơn vị, người lưu bản". */
  unitNames: ReadonlyMap<string, string>;
  /** The reader may see some summaries at all (role and clearance); for the printed notes. */
  anySummary: boolean;
}

/** 'YYYY-MM-DD' → 'dd/mm/yyyy', the way dates are written on Vietnamese administrative papers. */
export function formatDateVi(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** An ISO-8601 instant → its civil date in Vietnam (UTC+7), 'dd/mm/yyyy'. */
export function formatInstantVi(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : formatDateVi(civilDateInVietnam(d));
}

const levelLabel = (level: string): string => ((LEVELS as readonly string[]).includes(level) ? LEVEL_TABLE[level as Level].labelVi : level);

/** "Ký nhận": who signed and the day (an outside body's: as its returned receipt says), blank until signed. */
const receipt = (e: RegisterEntryRow): string =>
  e.received_by ? [e.received_by, e.received_on ? formatDateVi(e.received_on) : formatInstantVi(e.received_at)].filter(Boolean).join(', ') : '';

/** Quantity with the copy numbers: "2 (Bản số 2, 3/4)", "2 (Bản nhận 1/2, Bản nhận 2/2)". */
const copies = (e: RegisterEntryRow): string => (e.copy_labels ? `${Number(e.quantity)} (${e.copy_labels})` : String(Number(e.quantity)));

/**
 * "Tên loại và trích yếu": the kind of document and its summary, without repeating the kind when
 * the summary already starts with it ("Kế hoạch đón đoàn…" rather than "Kế hoạch: Kế hoạch đón…").
 */
function kindAndSummary(e: RegisterEntryRow): string {
  const kind = e.doc_type?.trim() ?? '';
  const summary = e.summary?.trim() ?? '';
  if (!summary) return kind;
  if (!kind || summary.toLocaleLowerCase('vi').startsWith(kind.toLocaleLowerCase('vi'))) return summary;
  return `${kind}: ${summary}`;
}

type FieldValue = (e: RegisterEntryRow, ctx: CellContext) => string;

const str = (v: string | null): string => v ?? '';
const num = (e: RegisterEntryRow): string => String(Number(e.number));

/**
 * Every field of every register, checked by the compiler against REGISTER_FIELDS: a field added
 * there without a value here does not build.
 */
const FIELD_VALUES: { [R in RegisterKind]: Record<RegisterField<R>, FieldValue> } = {
  outgoing: {
    sequenceNo: num,
    numberSymbol: (e) => str(e.number_symbol),
    documentDate: (e) => formatDateVi(e.document_date),
    summary: kindAndSummary,
    level: (e) => levelLabel(e.level),
    signer: (e) => str(e.signer),
    // One outgoing entry per sending to a recipient: the recipient, then who signed and when.
    recipients: (e) => [str(e.recipient), e.received_by ? `Ký nhận: ${receipt(e)}` : ''].filter(Boolean).join('\n'),
    // [I] The unit that issued the item keeps the file copy (bản lưu).
    retainedBy: (e, ctx) => (e.unit_id ? (ctx.unitNames.get(e.unit_id) ?? '') : ''),
    // The quantity with the copy numbers, as the screen shows them: "2 (Bản số 2, 3/4)".
    copyCount: copies,
    note: (e) => str(e.note),
  },
  incoming: {
    sequenceNo: num,
    arrivalDate: (e) => formatDateVi(e.entry_date),
    // The incoming register's number is the "số đến" (dispatch.usecases registerIncoming).
    arrivalNo: num,
    issuer: (e) => str(e.issuer),
    numberSymbol: (e) => str(e.number_symbol),
    documentDate: (e) => formatDateVi(e.document_date),
    summary: kindAndSummary,
    level: (e) => levelLabel(e.level),
    receiver: (e) => str(e.recipient),
    receipt,
    note: (e) => str(e.note),
  },
  transfer: {
    sequenceNo: num,
    transferDate: (e) => formatDateVi(e.entry_date),
    itemReference: (e) => str(e.number_symbol),
    level: (e) => levelLabel(e.level),
    copies,
    receiver: (e) => str(e.recipient),
    receipt,
    note: (e) => str(e.note),
  },
  copy: {
    sequenceNo: num,
    copyDate: (e) => formatDateVi(e.entry_date),
    sourceNumberSymbol: (e) => str(e.number_symbol),
    sourceDate: (e) => formatDateVi(e.document_date),
    sourceIssuer: (e) => str(e.issuer),
    summary: kindAndSummary,
    level: (e) => levelLabel(e.level),
    // Written by the copy execution (modules/copying/copy-execution.usecases.ts, migration 0013).
    copyForm: (e) => str(e.copy_form),
    copies,
    authorisedBy: (e) => str(e.authorised_by),
    performedBy: (e) => str(e.performed_by),
    copyRecipients: (e) => str(e.recipient),
    note: (e) => str(e.note),
  },
};

/** The value of one register field for an entry ('' for a field the register does not have). */
export function fieldValue(register: RegisterKind, field: string, e: RegisterEntryRow, ctx: CellContext): string {
  const values: Record<string, FieldValue> = FIELD_VALUES[register];
  const f = Object.hasOwn(values, field) ? values[field] : undefined;
  return f ? f(e, ctx) : '';
}

/** The column that receives the cancellation remark: the note column, else the last one. */
function noteColumnIndex(form: RegisterFormDefinition): number {
  const i = form.columns.findIndex((c) => c.field === 'note');
  return i >= 0 ? i : form.columns.length - 1;
}

/**
 * The printed cells of one entry, in the form's column order.
 * - The summary column of a Tuyệt mật entry shows the kind of document (tên loại) only: the law
 *   leaves out the summary (trích yếu), not the kind (NĐ 63/2026 [I]; legal-basis §5.4), whatever
 *   the row holds; for a row whose summary the reader may not see (rowContentAccess), the kind of
 *   document and SUMMARY_HIDDEN_VI.
 * - A cancelled entry keeps its number and says so in the note column: "(Đã huỷ: <lý do>)".
 */
export function entryCells(form: RegisterFormDefinition, e: RegisterEntryRow, ctx: CellContext, summaryHidden = false): string[] {
  const noteAt = noteColumnIndex(form);
  return form.columns.map((c: FormColumn, i) => {
    if (c.holdsSummary && e.level === 'TOP_SECRET') return e.doc_type?.trim() ?? '';
    // The one content decision refused this row's summary: the kind of document, and the words
    // that say a summary is withheld from this reader (never the "none written" words).
    if (c.holdsSummary && summaryHidden) return [e.doc_type?.trim(), SUMMARY_HIDDEN_VI].filter(Boolean).join(': ');
    let v = fieldValue(form.register, c.field, e, ctx);
    if (i === noteAt && e.cancelled_at) v = [`(Đã huỷ: ${e.cancel_reason ?? ''})`, v].filter(Boolean).join('\n');
    return v;
  });
}

/** Fields written as numbers in a spreadsheet (everything else is text). */
export const NUMERIC_FIELDS: ReadonlySet<string> = new Set(['sequenceNo', 'arrivalNo', 'copyCount']);

/** Fields holding one calendar date, written as dates in a spreadsheet. */
export const DATE_FIELDS: ReadonlySet<string> = new Set(['arrivalDate', 'documentDate', 'transferDate', 'copyDate', 'sourceDate']);
