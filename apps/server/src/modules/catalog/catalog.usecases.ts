import { parse as parseCsv } from 'csv-parse/sync';
import { foldForSearch } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { CatalogItemRow } from '../../platform/db/schema';
import { catalogErrors } from './catalog.errors';
import * as repo from './catalog.repository';
import { catalogKey, catalogSearchText, checkCatalogRecord, headerKey, type CatalogProblem, type CatalogRowInput } from './catalog.rules';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;

export interface ImportInput {
  format: 'csv' | 'json';
  content: string;
  sample?: boolean | undefined;
}

type RawRecord = { line: number; values: Partial<Record<keyof CatalogRowInput, unknown>> };

function recordsFromCsv(content: string): RawRecord[] {
  let rows: string[][];
  try {
    rows = parseCsv(content.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true, delimiter: [',', ';'] }) as string[][];
  } catch {
    throw catalogErrors.importUnreadable();
  }
  const [header, ...body] = rows;
  if (!header) throw catalogErrors.importEmpty();
  const keys = header.map(headerKey);
  const missing = (['decisionNumber', 'decisionDate', 'field', 'article', 'description', 'level'] as const).filter((k) => !keys.includes(k));
  if (missing.length) throw catalogErrors.importInvalid({ problems: [{ line: 1, message: `Thiếu cột: ${missing.join(', ')}.` }] });
  return body.map((cells, i) => {
    const values: RawRecord['values'] = {};
    keys.forEach((k, j) => {
      if (k) values[k] = cells[j];
    });
    return { line: i + 2, values };
  });
}

function recordsFromJson(content: string): RawRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    throw catalogErrors.importUnreadable();
  }
  if (!Array.isArray(data)) throw catalogErrors.importUnreadable();
  return data.map((obj, i) => {
    const values: RawRecord['values'] = {};
    if (obj && typeof obj === 'object') {
      for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
        const key = headerKey(k);
        if (key) values[key] = v;
      }
    }
    return { line: i + 1, values };
  });
}

/**
 * Imports a catalogue file all-or-nothing: every line is checked (values, duplicates in the file
 * and against what is already imported); one bad line and nothing is written.
 */
export async function importCatalog(deps: Deps, actor: Actor | null, input: ImportInput) {
  requirePermission(actor, 'catalog.manage');
  const records = input.format === 'csv' ? recordsFromCsv(input.content) : recordsFromJson(input.content);
  if (records.length === 0) throw catalogErrors.importEmpty();
  return deps.dbh.db.transaction().execute(async (tx) => {
    const seen = new Map(
      (await repo.existingKeys(tx)).map((r) => [
        catalogKey({ decisionNumber: r.decision_number, article: r.article, clause: r.clause, point: r.point, description: r.description }),
        0,
      ]),
    );
    const problems: CatalogProblem[] = [];
    const rows: CatalogItemRow[] = [];
    const now = deps.clock.now().toISOString();
    for (const rec of records) {
      const { row, problems: p } = checkCatalogRecord(rec.values, rec.line);
      problems.push(...p);
      if (!row) continue;
      const key = catalogKey(row);
      const prior = seen.get(key);
      if (prior !== undefined) {
        problems.push({ line: rec.line, message: prior === 0 ? 'Mục này đã có trong danh mục.' : `Trùng với dòng ${prior}.` });
        continue;
      }
      seen.set(key, rec.line);
      rows.push({
        id: deps.ids(),
        decision_number: row.decisionNumber,
        decision_date: row.decisionDate,
        field: row.field,
        article: row.article,
        clause: row.clause,
        point: row.point,
        description: row.description,
        level: row.level,
        shorter_period: row.shorterPeriodYears ? JSON.stringify({ years: row.shorterPeriodYears }) : null,
        sample: input.sample ? 1 : 0,
        search_text: catalogSearchText(row),
        created_at: now,
      });
    }
    if (problems.length) throw catalogErrors.importInvalid({ problems: problems.slice(0, 200), totalProblems: problems.length });
    await repo.insertCatalogItems(tx, rows);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'catalog.imported',
      subjectType: 'catalog',
      details: { rows: rows.length, format: input.format, sample: !!input.sample },
    });
    return { imported: rows.length };
  });
}

export async function searchCatalog(
  deps: Deps,
  actor: Actor | null,
  f: { q?: string | undefined; field?: string | undefined; level?: string | undefined; page: number; pageSize: number },
) {
  requirePermission(actor, 'catalog.read');
  const tokens = f.q ? foldForSearch(f.q).split(' ').filter(Boolean).slice(0, 10) : [];
  const r = await repo.searchCatalog(deps.dbh.db, { tokens, field: f.field, level: f.level }, f.pageSize, (f.page - 1) * f.pageSize);
  return { ...r, page: f.page, pageSize: f.pageSize };
}

export async function getCatalogItem(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'catalog.read');
  const item = await repo.findCatalogItem(deps.dbh.db, id);
  if (!item) throw catalogErrors.notFound({ id });
  return item;
}

export async function listFields(deps: Deps, actor: Actor | null) {
  requirePermission(actor, 'catalog.read');
  return repo.distinctFields(deps.dbh.db);
}

export async function removeSampleCatalog(deps: Deps, actor: Actor | null) {
  requirePermission(actor, 'catalog.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const removed = await repo.deleteUnusedSamples(tx);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'catalog.sample_removed', subjectType: 'catalog', details: { removed } });
    return { removed };
  });
}
