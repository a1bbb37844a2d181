import { requirePermission, type Actor } from '../../kernel/actor';
import type { Level } from '@khomat/policy';
import type { AppDeps } from '../../kernel/context';
import { requireHandling } from '../items/handling';
import { readsAnySummary, summaryShown } from '../items/items.rules';
import { rowAccessFor, rowViewerOf } from '../items/row-access';
import { registerErrors } from './registers.errors';
import * as repo from './registers.repository';
import type { RegisterKind } from './registers.repository';
import { buildRegisterCsv } from './print/register-csv';
import { renderRegisterPdfInWorker } from './print/register-pdf-runner';
import { cellPages, exportFilename, pdfSpec, planPrint, type PrintPlan, type PrintScope } from './print/register-source';
import { buildRegisterXlsx } from './print/register-xlsx';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock'>;

export async function listEntries(
  deps: Deps,
  actor: Actor | null,
  f: { register: RegisterKind; year: number; level?: string | undefined; unitId?: string | undefined; page: number; pageSize: number },
) {
  requirePermission(actor, 'register.read');
  const db = deps.dbh.db;
  let q = db.selectFrom('register_entries').where('register', '=', f.register).where('year', '=', f.year);
  if (f.level) q = q.where('level', '=', f.level);
  if (f.unitId) q = q.where('unit_id', '=', f.unitId);
  const offset = (f.page - 1) * f.pageSize;
  const page = async () => {
    // Numbers are gapless within a register and year, so an unfiltered page is a number range.
    if (!f.level && !f.unitId) {
      return q
        .selectAll()
        .where('number', '>', offset)
        .where('number', '<=', offset + f.pageSize)
        .orderBy('number')
        .execute();
    }
    // Filtered: find the page's ids from the covering index, then read only those rows.
    const ids = (await q.select('id').orderBy('number').limit(f.pageSize).offset(offset).execute()).map((r) => r.id);
    return ids.length ? db.selectFrom('register_entries').selectAll().where('id', 'in', ids).orderBy('number').execute() : [];
  };
  const [rows, total, state] = await Promise.all([
    page(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    repo.registerYearState(db, f.register, f.year),
  ]);
  // Every row asks the one content decision: its keeper, or need-to-know on its item (items.rules).
  const viewer = await rowViewerOf(db, actor);
  const access = await rowAccessFor(
    db,
    deps,
    actor,
    rows.map((r) => ({ itemId: r.item_id, level: r.level, keeperUnitId: r.unit_id })),
    viewer,
  );
  const items = rows.map((r, i) => {
    const s = summaryShown(r, access[i]!);
    return { ...r, summary: s.summary, summaryHidden: s.hidden };
  });
  // One event per page read, never per row; the rows' ids stay out (the page is the register's).
  await db.transaction().execute((tx) =>
    deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'register.listed',
      subjectType: 'register',
      subjectId: `${f.register}-${f.year}`,
      details: {
        register: f.register,
        year: f.year,
        level: f.level ?? null,
        unitId: f.unitId ?? null,
        page: f.page,
        pageSize: f.pageSize,
        rows: rows.length,
        summariesHidden: items.filter((r) => r.summaryHidden).length,
      },
    }),
  );
  return { items, total: Number(total.n), page: f.page, pageSize: f.pageSize, locked: state.locked, summaryShown: readsAnySummary(viewer) };
}

/** A cancelled entry keeps its number, with the reason (the number is never reused). */
export async function cancelEntry(deps: Deps, actor: Actor | null, id: string, reason: string) {
  requirePermission(actor, 'register.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const e = await repo.findEntry(tx, id);
    if (!e) throw registerErrors.entryNotFound();
    if (e.cancelled_at) throw registerErrors.alreadyCancelled();
    // The row's keeper (its unit's văn thư, or the agency's), cleared for the row's level.
    await requireHandling(tx, actor, 'cancel_entry', e.level as Level, e.unit_id);
    if ((await repo.registerYearState(tx, e.register as RegisterKind, e.year)).locked) throw registerErrors.yearLocked();
    await repo.cancelEntry(tx, id, actor.userId, deps.clock.now().toISOString(), reason);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'register.entry_cancelled',
      subjectType: 'register_entry',
      subjectId: id,
      details: { register: e.register, year: e.year, number: e.number, reason },
    });
    const row = (await repo.findEntry(tx, id))!;
    const [access] = await rowAccessFor(tx, deps, actor, [{ itemId: row.item_id, level: row.level, keeperUnitId: row.unit_id }]);
    const s = summaryShown(row, access!);
    return { ...row, summary: s.summary, summaryHidden: s.hidden };
  });
}

/** Khóa sổ at year end; unlocking needs a reason and is audited like the lock. */
export async function setLock(deps: Deps, actor: Actor | null, register: RegisterKind, year: number, lock: boolean, reason: string) {
  requirePermission(actor, 'register.lock');
  return deps.dbh.db.transaction().execute(async (tx) => {
    // A register year is the agency's: locked at the agency, by someone cleared for its highest row.
    await requireHandling(tx, actor, 'lock_register', await repo.highestLevel(tx, register, year));
    const state = await repo.registerYearState(tx, register, year);
    if (lock && state.locked) throw registerErrors.alreadyLocked();
    if (!lock && !state.locked) throw registerErrors.notLocked();
    await repo.setYearLock(tx, register, year, lock ? { at: deps.clock.now().toISOString(), by: actor.userId, reason } : null);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: lock ? 'register.year_locked' : 'register.year_unlocked',
      subjectType: 'register',
      subjectId: `${register}-${year}`,
      details: { register, year, reason },
    });
    return { register, year, locked: lock };
  });
}

// ---- printing and export (issue 3 point 8) ---------------------------------------------------

/** Largest register printed as one PDF (≈ 300–500 pages); larger ones print by number range. */
export const PDF_MAX_ROWS = 20_000;
/** Largest register exported as one XLSX or CSV file. */
export const EXPORT_MAX_ROWS = 100_000;

export interface RegisterFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
  rows: number;
}

async function auditExport(
  deps: Deps,
  actor: { userId: string },
  action: 'register.printed' | 'register.exported',
  scope: PrintScope,
  plan: PrintPlan,
  rows: number,
  format: 'pdf' | 'xlsx' | 'csv',
) {
  const { register, year } = scope;
  // Who took which part of which register out, in what form: never the content itself.
  await deps.dbh.db.transaction().execute((tx) =>
    deps.audit.append(tx, {
      actorId: actor.userId,
      action,
      subjectType: 'register',
      subjectId: `${register}-${year}`,
      details: {
        register,
        year,
        format,
        rows,
        formCode: plan.form.code,
        // The range asked for, and the numbers actually printed.
        fromNumber: scope.fromNumber ?? null,
        toNumber: scope.toNumber ?? null,
        firstNumber: plan.firstNumber,
        lastNumber: plan.lastNumber,
        summaryShown: plan.cells.anySummary,
      },
    }),
  );
}

/**
 * A register year (or a number range of it) as the PDF of its legal form. Rendered in a worker
 * thread from keyset pages of entries; audited once the file exists.
 */
export async function printRegisterPdf(deps: Deps, actor: Actor | null, scope: PrintScope): Promise<RegisterFile> {
  requirePermission(actor, 'register.export');
  const db = deps.dbh.db;
  const plan = await planPrint(db, actor, scope, deps.clock.now(), PDF_MAX_ROWS);
  let rows = 0;
  async function* counted() {
    for await (const page of cellPages(db, plan)) {
      rows += page.length;
      yield page;
    }
  }
  const { bytes } = await renderRegisterPdfInWorker(pdfSpec(plan), counted());
  await auditExport(deps, actor, 'register.printed', scope, plan, rows, 'pdf');
  return { bytes, filename: exportFilename(scope, 'pdf'), contentType: 'application/pdf', rows };
}

/** A register year as XLSX or CSV: the form's columns, cells neutralised against formula injection. */
export async function exportRegister(deps: Deps, actor: Actor | null, scope: PrintScope, format: 'xlsx' | 'csv'): Promise<RegisterFile> {
  requirePermission(actor, 'register.export');
  const db = deps.dbh.db;
  const plan = await planPrint(db, actor, scope, deps.clock.now(), EXPORT_MAX_ROWS);
  const built = format === 'xlsx' ? await buildRegisterXlsx(plan, cellPages(db, plan)) : await buildRegisterCsv(plan, cellPages(db, plan));
  await auditExport(deps, actor, 'register.exported', scope, plan, built.rows, format);
  return {
    bytes: built.bytes,
    filename: exportFilename(scope, format),
    contentType: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    rows: built.rows,
  };
}
