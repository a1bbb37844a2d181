import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema';

type Db = Kysely<Database>;

export interface AuditFilter {
  actorId?: string | undefined;
  action?: string | undefined;
  subjectId?: string | undefined;
  /** inclusive, ISO time */
  from?: string | undefined;
  /** exclusive, ISO time */
  to?: string | undefined;
}

function filtered(db: Db, f: AuditFilter) {
  let q = db.selectFrom('audit_events');
  if (f.actorId) q = q.where('audit_events.actor_id', '=', f.actorId);
  if (f.action) q = q.where('audit_events.action', '=', f.action);
  if (f.subjectId) q = q.where('audit_events.subject_id', '=', f.subjectId);
  if (f.from) q = q.where('audit_events.occurred_at', '>=', f.from);
  if (f.to) q = q.where('audit_events.occurred_at', '<', f.to);
  return q;
}

export async function findEvents(db: Db, f: AuditFilter, offset: number, limit: number) {
  return filtered(db, f)
    .leftJoin('users', 'users.id', 'audit_events.actor_id')
    .selectAll('audit_events')
    .select('users.full_name as actor_name')
    .orderBy('audit_events.seq', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
}

export async function countEvents(db: Db, f: AuditFilter): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function distinctActions(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('audit_events').select('action').distinct().orderBy('action').execute();
  return rows.map((r) => r.action);
}
