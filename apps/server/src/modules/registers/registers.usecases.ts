import { REGISTER_SUMMARY_ROLES } from '@khomat/policy';
import { requirePermission, type Actor } from '../../app/actor';
import type { AppDeps } from '../../app/context';
import { registerErrors } from './registers.errors';
import * as repo from './registers.repository';
import type { RegisterKind } from './registers.repository';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock'>;

export async function listEntries(deps: Deps, actor: Actor | null, f: { register: RegisterKind; year: number; level?: string | undefined; unitId?: string | undefined; page: number; pageSize: number }) {
  requirePermission(actor, 'register.read');
  const db = deps.dbh.db;
  let q = db.selectFrom('register_entries').where('register', '=', f.register).where('year', '=', f.year);
  if (f.level) q = q.where('level', '=', f.level);
  if (f.unitId) q = q.where('unit_id', '=', f.unitId);
  const [rows, total, state] = await Promise.all([
    q.selectAll().orderBy('number').limit(f.pageSize).offset((f.page - 1) * f.pageSize).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    repo.registerYearState(db, f.register, f.year),
  ]);
  const showSummary = actor.roles.some((r) => REGISTER_SUMMARY_ROLES.includes(r));
  return { items: rows.map((r) => ({ ...r, summary: showSummary ? r.summary : null })), total: Number(total.n), page: f.page, pageSize: f.pageSize, locked: state.locked, summaryShown: showSummary };
}

/** A cancelled entry keeps its number, with the reason (the number is never reused). */
export async function cancelEntry(deps: Deps, actor: Actor | null, id: string, reason: string) {
  requirePermission(actor, 'register.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const e = await repo.findEntry(tx, id);
    if (!e) throw registerErrors.entryNotFound();
    if (e.cancelled_at) throw registerErrors.alreadyCancelled();
    if ((await repo.registerYearState(tx, e.register as RegisterKind, e.year)).locked) throw registerErrors.yearLocked();
    await repo.cancelEntry(tx, id, actor.userId, deps.clock.now().toISOString(), reason);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'register.entry_cancelled', subjectType: 'register_entry', subjectId: id, details: { register: e.register, year: e.year, number: e.number, reason } });
    return (await repo.findEntry(tx, id))!;
  });
}

/** Khóa sổ at year end; unlocking needs a reason and is audited like the lock. */
export async function setLock(deps: Deps, actor: Actor | null, register: RegisterKind, year: number, lock: boolean, reason: string) {
  requirePermission(actor, 'register.lock');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const state = await repo.registerYearState(tx, register, year);
    if (lock && state.locked) throw registerErrors.alreadyLocked();
    if (!lock && !state.locked) throw registerErrors.notLocked();
    await repo.setYearLock(tx, register, year, lock ? { at: deps.clock.now().toISOString(), by: actor.userId, reason } : null);
    await deps.audit.append(tx, { actorId: actor.userId, action: lock ? 'register.year_locked' : 'register.year_unlocked', subjectType: 'register', subjectId: `${register}-${year}`, details: { register, year, reason } });
    return { register, year, locked: lock };
  });
}
