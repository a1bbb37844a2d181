import { civilDateInVietnam, neutraliseSpreadsheetCell, VIETNAM_UTC_OFFSET_MINUTES } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { anchorFileFor, readAnchor } from '../../platform/audit/anchor';
import { verifyAuditChain, type VerifyOptions } from '../../platform/audit/verify';
import * as repo from './audit.repository';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'keys' | 'config' | 'clock'>;

export async function queryAudit(deps: Deps, actor: Actor | null, f: repo.AuditFilter, page: number, pageSize: number) {
  requirePermission(actor, 'audit.read');
  const [items, total] = await Promise.all([repo.findEvents(deps.dbh.db, f, (page - 1) * pageSize, pageSize), repo.countEvents(deps.dbh.db, f)]);
  return { items, total, page, pageSize };
}

export async function listActions(deps: Deps, actor: Actor | null) {
  requirePermission(actor, 'audit.read');
  return repo.distinctActions(deps.dbh.db);
}

export const CSV_MAX_ROWS = 100_000;

/** One CSV cell: formula injection neutralised by the policy rule, then quoted when needed. */
export function csvCell(v: unknown): string {
  const s = neutraliseSpreadsheetCell(v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The trail is read in Vietnam, whatever the zone of the server or of the reader's computer. */
export const CSV_TIME_HEADER = 'Thời điểm (giờ Việt Nam, UTC+07:00)';
export const CSV_HEADER = [
  'STT',
  CSV_TIME_HEADER,
  'Người thực hiện',
  'Mã người thực hiện',
  'Hành động',
  'Loại đối tượng',
  'Mã đối tượng',
  'Chi tiết',
  'Mã băm',
];

/** An instant as dd/MM/yyyy HH:mm:ss in Vietnam (UTC+7 all year, no daylight saving). */
export function vietnamDateTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const [date, time] = new Date(t.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000).toISOString().split('T') as [string, string];
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y} ${time.slice(0, 8)}`;
}

/** The export's file name, dated by the day in Vietnam when it was taken. */
export function auditExportFileName(now: Date): string {
  return `nhat-ky-khomat-${civilDateInVietnam(now)}.csv`;
}

/** The export is itself an audited act (who took the trail out, with which filter). */
export async function exportAuditCsv(deps: Deps, actor: Actor | null, f: repo.AuditFilter): Promise<string> {
  requirePermission(actor, 'audit.export');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const rows = await repo.findEvents(tx, f, 0, CSV_MAX_ROWS);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'audit.exported', subjectType: 'audit', details: { filter: { ...f }, rows: rows.length } });
    const lines = [CSV_HEADER.map(csvCell).join(',')];
    for (const r of rows) {
      lines.push(
        [r.seq, vietnamDateTime(r.occurred_at), r.actor_name, r.actor_id, r.action, r.subject_type, r.subject_id, r.details, r.hash].map(csvCell).join(','),
      );
    }
    return '\uFEFF' + lines.join('\r\n') + '\r\n';
  });
}

export async function verifyChain(deps: Deps, actor: Actor | null) {
  requirePermission(actor, 'audit.read');
  return verifyWithAnchor(deps);
}

/**
 * The full check, as `khomat audit verify` runs it: the database against the anchor file kept
 * beside the keys (and, when given, a code from the paper register).
 */
export async function verifyWithAnchor(deps: Pick<AppDeps, 'dbh' | 'keys' | 'config'>, opts: Pick<VerifyOptions, 'onProgress' | 'anchorCode'> = {}) {
  const anchor = readAnchor(anchorFileFor(deps.config.keyDir), deps.keys.signingPublicKey());
  return verifyAuditChain(deps.dbh, deps.keys, {
    ...opts,
    anchor,
    checkpointEvery: deps.config.auditCheckpointEvery,
    ...(deps.config.databaseUrl ? { databaseUrl: deps.config.databaseUrl } : {}),
  });
}
