import { civilDateInVietnam, formInForce, minDate, summaryColumn, type CoverField, type RegisterFormDefinition, type RegisterKind } from '@khomat/policy';
import type { Kysely } from 'kysely';
import type { Actor } from '../../../kernel/actor';
import { readsAnySummary } from '../../items/items.rules';
import { rowAccessFor, rowViewerOf } from '../../items/row-access';
import type { Database, RegisterEntryRow } from '../../../platform/db/schema';
import { findEntries } from '../registers.repository';
import { printErrors } from './print.errors';
import { entryCells, formatDateVi, type CellContext } from './register-cells';
import type { RegisterPdfSpec } from './register-pdf';

// What a print or export of a register covers and how it reads the entries: one aggregate query
// fixes the range (so entries added while printing do not slip in), then keyset pages on the
// (register, year, number) index, a page at a time.

type Db = Kysely<Database>;

export interface PrintScope {
  register: RegisterKind;
  year: number;
  fromNumber?: number | undefined;
  toNumber?: number | undefined;
}

export interface PrintPlan {
  scope: PrintScope;
  form: RegisterFormDefinition;
  /** Entries printed; 0 prints the cover and an empty table. */
  count: number;
  firstNumber: number | null;
  lastNumber: number | null;
  firstDate: string | null;
  lastDate: string | null;
  volumes: [number, number] | null;
  agency: { name: string | null; superiorBody: string | null };
  cells: CellContext;
  /** Civil date of printing in Vietnam, YYYY-MM-DD. */
  printedOn: string;
  /** The one content decision for a page of rows: true where the summary is hidden from the reader. */
  hiddenSummaries: (rows: readonly RegisterEntryRow[]) => Promise<boolean[]>;
}

/** Rows per database page while printing. */
export const PRINT_PAGE_SIZE = 500;

const SLUG: Record<RegisterKind, string> = { outgoing: 'so-di', incoming: 'so-den', transfer: 'so-chuyen-giao', copy: 'so-sao-chup' };

/** "so-den-2026.pdf", or "so-den-2026-so-1-100.pdf" for a number range. */
export function exportFilename(scope: PrintScope, ext: 'pdf' | 'xlsx' | 'csv'): string {
  const range = scope.fromNumber || scope.toNumber ? `-so-${scope.fromNumber ?? 1}-${scope.toNumber ?? 'het'}` : '';
  return `${SLUG[scope.register]}-${scope.year}${range}.${ext}`;
}

/**
 * Which form definition prints a register: the one in force on the date of the last entry
 * printed (the register as it stands, in the newest layout that applied to it), or — when the
 * range is empty — on the last day of the year, not later than today. Never a form that was
 * not yet in force for anything printed. Every form of a register shows the same entry fields
 * (REGISTER_FIELDS), so entries made under an older form print correctly in the newer one.
 */
export function formForPrint(register: RegisterKind, year: number, lastEntryDate: string | null, today: string): RegisterFormDefinition | undefined {
  return formInForce(register, lastEntryDate ?? minDate(`${year}-12-31`, today < `${year}-01-01` ? `${year}-12-31` : today));
}

interface UnitInfo {
  id: string;
  parent_id: string | null;
  name: string;
  parent_body: string | null;
}

/** The agency (root unit) of a unit: its name and its superior body, for the cover. */
function agencyOf(units: readonly UnitInfo[], unitId: string): UnitInfo | undefined {
  const byId = new Map(units.map((u) => [u.id, u]));
  let u = byId.get(unitId);
  for (let guard = 0; u?.parent_id && guard < 100; guard++) u = byId.get(u.parent_id);
  return u ?? units.find((x) => x.parent_id === null);
}

export async function planPrint(db: Db, actor: Actor, scope: PrintScope, now: Date, maxRows: number): Promise<PrintPlan> {
  if (scope.fromNumber !== undefined && scope.toNumber !== undefined && scope.fromNumber > scope.toNumber)
    throw printErrors.rangeInvalid({ fromNumber: scope.fromNumber, toNumber: scope.toNumber });
  let q = db.selectFrom('register_entries').where('register', '=', scope.register).where('year', '=', scope.year);
  if (scope.fromNumber !== undefined) q = q.where('number', '>=', scope.fromNumber);
  if (scope.toNumber !== undefined) q = q.where('number', '<=', scope.toNumber);
  const [agg, units] = await Promise.all([
    q
      .select((eb) => [
        eb.fn.countAll().as('n'),
        eb.fn.min('number').as('first'),
        eb.fn.max('number').as('last'),
        eb.fn.min('entry_date').as('firstDate'),
        eb.fn.max('entry_date').as('lastDate'),
        eb.fn.min('volume').as('v1'),
        eb.fn.max('volume').as('v2'),
      ])
      .executeTakeFirstOrThrow(),
    db.selectFrom('units').select(['id', 'parent_id', 'name', 'parent_body']).execute(),
  ]);
  const count = Number(agg.n);
  if (count > maxRows) throw printErrors.tooLarge({ rows: count, max: maxRows });
  const printedOn = civilDateInVietnam(now);
  const lastDate = count ? String(agg.lastDate) : null;
  const form = formForPrint(scope.register, scope.year, lastDate, printedOn);
  if (!form) throw printErrors.noForm({ register: scope.register, year: scope.year });
  const agency = agencyOf(units, actor.unitId);
  const viewer = await rowViewerOf(db, actor);
  const clock = { now: () => now };
  const hiddenSummaries = async (rows: readonly RegisterEntryRow[]) =>
    (
      await rowAccessFor(
        db,
        { clock },
        actor,
        rows.map((r) => ({ itemId: r.item_id, level: r.level, keeperUnitId: r.unit_id })),
        viewer,
      )
    ).map((a) => !a.allowed);
  return {
    // The upper bound is fixed now: an entry registered while the PDF is drawn is not half-printed.
    scope: { ...scope, ...(count ? { toNumber: Number(agg.last) } : {}) },
    form,
    count,
    firstNumber: count ? Number(agg.first) : null,
    lastNumber: count ? Number(agg.last) : null,
    firstDate: count ? String(agg.firstDate) : null,
    lastDate,
    volumes: count ? [Number(agg.v1), Number(agg.v2)] : null,
    agency: { name: agency?.name ?? null, superiorBody: agency?.parent_body ?? null },
    cells: { unitNames: new Map(units.map((u) => [u.id, u.name])), anySummary: readsAnySummary(viewer) },
    printedOn,
    hiddenSummaries,
  };
}

/** The entries of the plan in number order, a database page at a time. */
export async function* entryPages(db: Db, plan: PrintPlan, pageSize = PRINT_PAGE_SIZE): AsyncGenerator<RegisterEntryRow[]> {
  if (plan.count === 0) return;
  const { register, year, fromNumber, toNumber } = plan.scope;
  let next = fromNumber ?? 1;
  for (;;) {
    const rows = await findEntries(db, { register, year, fromNumber: next }, pageSize);
    const inRange = rows.filter((r) => toNumber === undefined || Number(r.number) <= toNumber);
    if (inRange.length) yield inRange;
    if (rows.length < pageSize || inRange.length < rows.length) return;
    next = Number(rows[rows.length - 1]!.number) + 1;
  }
}

/** Printed cells of the plan's entries, page by page (the same strings in PDF, XLSX and CSV). */
export async function* cellPages(db: Db, plan: PrintPlan, pageSize = PRINT_PAGE_SIZE): AsyncGenerator<string[][]> {
  for await (const rows of entryPages(db, plan, pageSize)) {
    // One batch of need-to-know facts per database page, never a query per row.
    const hidden = await plan.hiddenSummaries(rows);
    yield rows.map((e, i) => entryCells(plan.form, e, plan.cells, hidden[i]));
  }
}

/**
 * A cover field's text: the label with its "…" blanks filled in order ("Từ ngày … đến ngày …"
 * → "Từ ngày 02/03/2026 đến ngày 30/12/2026"), or "label: value" when the label has no blanks;
 * the label alone, blanks kept, when there is nothing to fill in (an empty range).
 */
export function fillCoverField(label: string, values: readonly string[] | null): string {
  if (!values || values.length === 0) return label;
  const blanks = label.split(/…|\.\.\./);
  if (blanks.length - 1 === values.length) return blanks.reduce((out, part, i) => out + part + (i < values.length ? values[i] : ''), '');
  return `${label}: ${values.join(' – ')}`;
}

export function coverValues(plan: PrintPlan): Record<CoverField, string[] | null> {
  const v = plan.volumes;
  return {
    superiorBody: plan.agency.superiorBody ? [plan.agency.superiorBody] : null,
    agencyName: plan.agency.name ? [plan.agency.name] : null,
    year: [String(plan.scope.year)],
    dateRange: plan.firstDate && plan.lastDate ? [formatDateVi(plan.firstDate), formatDateVi(plan.lastDate)] : null,
    numberRange: plan.firstNumber !== null && plan.lastNumber !== null ? [String(plan.firstNumber), String(plan.lastNumber)] : null,
    volume: v ? [v[0] === v[1] ? String(v[0]) : `${v[0]}–${v[1]}`] : null,
  };
}

/** Small print that explains a printed register: when and from which form, and what is blank on purpose. */
export function printNotes(plan: PrintPlan): string[] {
  const notes = [
    `In ngày ${formatDateVi(plan.printedOn)} từ KhoMật theo mẫu ${plan.form.code}${plan.form.verification === 'provisional' ? ' (mẫu tạm dùng, chưa đối chiếu bản chính thức)' : ''}.`,
  ];
  const summary = summaryColumn(plan.form);
  if (summary) {
    notes.push(
      plan.cells.anySummary
        ? `Cột “${summary.headerVi}” để trống với tài liệu Tuyệt mật (Nghị định 63/2026/NĐ-CP); trích yếu chỉ hiện với người in có mức tiếp cận và quyền với dòng đó.`
        : `Cột “${summary.headerVi}” không hiện trích yếu: người in không được xem nội dung tài liệu bí mật nhà nước.`,
    );
  }
  return notes;
}

/** A note longer than this prints cut with "…"; the export and the screen keep it whole. */
export const PRINT_NOTE_MAX_LINES = 3;
const PRINT_NOTE_CUT_VI = `Ghi chú dài hơn ${PRINT_NOTE_MAX_LINES} dòng được rút gọn (…) trên bản in; toàn văn có trong bản xuất Excel/CSV và trên màn hình.`;

/** Everything the PDF renderer needs, as plain data (it crosses into a worker thread). */
export function pdfSpec(plan: PrintPlan): RegisterPdfSpec {
  const values = coverValues(plan);
  const fields = plan.form.coverFields.map((f) => f.key);
  return {
    title: plan.form.titleVi,
    legalBasis: plan.form.legalBasis,
    formCode: plan.form.code,
    year: plan.scope.year,
    columns: plan.form.columns.map((c) => ({
      headerVi: c.headerVi,
      widthMm: c.widthMm,
      align: c.align ?? 'left',
      groupVi: c.groupVi,
      red: c.field === 'level',
      maxLines: c.field === 'note' ? PRINT_NOTE_MAX_LINES : undefined,
    })),
    cover: {
      superiorBody: fields.includes('superiorBody') ? plan.agency.superiorBody : null,
      agencyName: fields.includes('agencyName') ? plan.agency.name : null,
      // The agency block is printed as the paper's heading; the other fields under the title.
      lines: plan.form.coverFields.filter((f) => f.key !== 'superiorBody' && f.key !== 'agencyName').map((f) => fillCoverField(f.labelVi, values[f.key])),
      footnotes: [...printNotes(plan), PRINT_NOTE_CUT_VI],
    },
    emptyText: 'Không có mục nào trong phạm vi in.',
  };
}
