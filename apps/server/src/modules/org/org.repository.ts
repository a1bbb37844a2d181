import type { ExpressionBuilder, Kysely } from 'kysely';
import {
  HOLDING_KINDS,
  POSITION_KINDS,
  POSITION_KIND_TABLE,
  isAgencyHead as agencyHeadByPosition,
  isPositionKind,
  type PositionKind,
  type Role,
} from '@khomat/policy';
import type { Database, PositionRow, UnitRow, UserRow } from '../../platform/db/schema';
import { isUniqueViolation } from '../../platform/db/dialect';
import { orgErrors } from './org.errors';
import { PEOPLE_DIRECTORY_ROLES, type PersonCandidate } from './org.rules';

type Db = Kysely<Database>;

/**
 * "A pending change holds this person" (account/roles/unit/identity; account_changes_user_idx), as
 * a condition on a query over `users`: the one test isHeld, the people directory and the list of
 * people who may confirm all use.
 */
export function holdsUser(eb: ExpressionBuilder<Database, 'users'>) {
  return eb.exists(
    eb
      .selectFrom('account_changes')
      .select('account_changes.id')
      .whereRef('account_changes.user_id', '=', 'users.id')
      .where('account_changes.status', '=', 'pending')
      .where('account_changes.kind', 'in', [...HOLDING_KINDS]),
  );
}

export async function listUnits(db: Db): Promise<UnitRow[]> {
  return db.selectFrom('units').selectAll().orderBy('name').orderBy('id').execute();
}

export async function findUnit(db: Db, id: string): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRootUnit(db: Db): Promise<UnitRow | undefined> {
  return db.selectFrom('units').selectAll().where('parent_id', 'is', null).executeTakeFirst();
}

/** Is this unit the agency itself (the root of the unit tree), not one of its departments? */
export async function isAgencyUnit(db: Db, unitId: string | null): Promise<boolean> {
  if (!unitId) return false;
  const unit = await db.selectFrom('units').select('parent_id').where('id', '=', unitId).executeTakeFirst();
  return !!unit && unit.parent_id === null;
}

// ---- positions (chức vụ) ----------------------------------------------------------------------

export async function listPositions(db: Db): Promise<(PositionRow & { holders: number })[]> {
  const rows = await db.selectFrom('positions').selectAll().orderBy('name').orderBy('id').execute();
  const counts = await db
    .selectFrom('users')
    .select(['position_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('active', '=', 1)
    .groupBy('position_id')
    .execute();
  const by = new Map(counts.map((c) => [c.position_id, Number(c.n)]));
  return rows.map((r) => ({ ...r, holders: by.get(r.id) ?? 0 }));
}

/**
 * The starting titles, one per kind (packages/policy POSITION_KIND_TABLE defaultNameVi), for a
 * new agency (the set-up; migration 0009 gives them to an agency set up before positions).
 */
export async function ensureStartingPositions(db: Db, ids: () => string, now: string): Promise<void> {
  if (await db.selectFrom('positions').select('id').limit(1).executeTakeFirst()) return;
  for (const kind of POSITION_KINDS) {
    await db.insertInto('positions').values({ id: ids(), name: POSITION_KIND_TABLE[kind].defaultNameVi, kind, created_at: now }).execute();
  }
}

export async function findPosition(db: Db, id: string): Promise<PositionRow | undefined> {
  return db.selectFrom('positions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The agency's first position of this kind (by name): what an account gets when none is chosen. */
export async function findPositionOfKind(db: Db, kind: PositionKind): Promise<PositionRow | undefined> {
  return db.selectFrom('positions').selectAll().where('kind', '=', kind).orderBy('name').orderBy('id').limit(1).executeTakeFirst();
}

export async function insertPosition(db: Db, row: PositionRow): Promise<void> {
  try {
    await db.insertInto('positions').values(row).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw orgErrors.positionNameTaken({ name: row.name });
    throw e;
  }
}

export async function renamePosition(db: Db, id: string, name: string): Promise<void> {
  try {
    await db.updateTable('positions').set({ name }).where('id', '=', id).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw orgErrors.positionNameTaken({ name });
    throw e;
  }
}

/** Sets the position held (the free-text title `users.position` is the account's own). */
export async function setUserPosition(db: Db, userId: string, position: Pick<PositionRow, 'id'>): Promise<void> {
  await db.updateTable('users').set({ position_id: position.id }).where('id', '=', userId).execute();
}

export async function positionKindOf(db: Db, positionId: string | null | undefined): Promise<PositionKind | null> {
  if (!positionId) return null;
  const p = await db.selectFrom('positions').select('kind').where('id', '=', positionId).executeTakeFirst();
  return p && isPositionKind(p.kind) ? p.kind : null;
}

/**
 * Is this person the head of the agency? The one server-side answer (packages/policy
 * isAgencyHead): a position of kind agency_head, held in the root unit, with the head role.
 * `roles` are the ones that count now — an actor's, which exclude the roles of a held account.
 */
export async function isAgencyHead(db: Db, u: { unit_id: string | null; position_id: string | null; roles: readonly Role[] }): Promise<boolean> {
  if (!u.roles.includes('head') || !u.position_id) return false;
  const root = await findRootUnit(db);
  return agencyHeadByPosition({ positionKind: await positionKindOf(db, u.position_id), unitId: u.unit_id, roles: u.roles }, root?.id);
}

/** isAgencyHead for the signed-in actor (their roles as they count now). */
export async function isActorAgencyHead(db: Db, actor: { userId: string; unitId: string | null; roles: readonly Role[] }): Promise<boolean> {
  if (!actor.roles.includes('head')) return false;
  const u = await db.selectFrom('users').select(['position_id']).where('id', '=', actor.userId).executeTakeFirst();
  return isAgencyHead(db, { unit_id: actor.unitId, position_id: u?.position_id ?? null, roles: actor.roles });
}

/** Active agency heads (normally one): head role and an agency_head position in the root unit. */
export async function findAgencyHeads(db: Db, f: { unheld?: boolean } = {}): Promise<{ id: string }[]> {
  let q = db
    .selectFrom('users')
    .innerJoin('positions', 'positions.id', 'users.position_id')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select('users.id')
    .where('users.active', '=', 1)
    .where('positions.kind', '=', 'agency_head')
    .where('units.parent_id', 'is', null)
    .where((eb) =>
      eb.exists(eb.selectFrom('user_roles').select('user_roles.user_id').whereRef('user_roles.user_id', '=', 'users.id').where('user_roles.role', '=', 'head')),
    );
  if (f.unheld) q = q.where((eb) => eb.not(holdsUser(eb)));
  return q.orderBy('users.id').execute();
}

export async function insertUnit(db: Db, row: UnitRow): Promise<void> {
  try {
    await db.insertInto('units').values(row).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw orgErrors.unitCodeTaken({ code: row.code });
    throw e;
  }
}

export async function renameUnit(db: Db, id: string, fields: { name?: string; code?: string }): Promise<void> {
  try {
    await db.updateTable('units').set(fields).where('id', '=', id).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw orgErrors.unitCodeTaken({ code: fields.code });
    throw e;
  }
}

export async function moveUnit(db: Db, id: string, parentId: string): Promise<void> {
  await db.updateTable('units').set({ parent_id: parentId }).where('id', '=', id).execute();
}

export async function closeUnit(db: Db, id: string, at: string, reason: string): Promise<void> {
  await db.updateTable('units').set({ closed_at: at, closed_reason: reason }).where('id', '=', id).execute();
}

export async function countActiveUsersInUnit(db: Db, unitId: string): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('unit_id', '=', unitId)
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface UserListFilter {
  unitId?: string | undefined;
  q?: string | undefined;
  includeInactive?: boolean | undefined;
}

export interface UserListRow extends UserRow {
  unit_name: string;
  roles: Role[];
  /** The kind of the position held (packages/policy PositionKind), null without one. */
  position_kind: string | null;
}

export async function listUsers(db: Db, f: UserListFilter): Promise<UserListRow[]> {
  let q = db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .selectAll('users')
    .select(['units.name as unit_name', 'positions.kind as position_kind']);
  if (f.unitId) q = q.where('users.unit_id', '=', f.unitId);
  if (!f.includeInactive) q = q.where('users.active', '=', 1);
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb(eb.fn('lower', ['users.full_name']), 'like', like), eb('users.username', 'like', like)]));
  }
  const users = await q.orderBy('users.full_name').orderBy('users.id').limit(1000).execute();
  if (users.length === 0) return [];
  const roles = await db
    .selectFrom('user_roles')
    .select(['user_id', 'role'])
    .where(
      'user_id',
      'in',
      users.map((u) => u.id),
    )
    .execute();
  const byUser = new Map<string, Role[]>();
  for (const r of roles) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.role as Role]);
  return users.map((u) => ({ ...u, roles: (byUser.get(u.id) ?? []).sort() }));
}

export async function findUser(db: Db, id: string): Promise<UserListRow | undefined> {
  const u = await db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .selectAll('users')
    .select(['units.name as unit_name', 'positions.kind as position_kind'])
    .where('users.id', '=', id)
    .executeTakeFirst();
  if (!u) return undefined;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', id).orderBy('role').execute();
  return { ...u, roles: roles.map((r) => r.role as Role) };
}

export async function insertUser(db: Db, row: UserRow, roles: readonly Role[]): Promise<void> {
  try {
    await db.insertInto('users').values(row).execute();
  } catch (e) {
    if (isUniqueViolation(e)) throw orgErrors.usernameTaken({ username: row.username });
    throw e;
  }
  await db
    .insertInto('user_roles')
    .values(roles.map((role) => ({ user_id: row.id, role })))
    .execute();
}

export async function updateUserProfile(db: Db, id: string, fields: { full_name?: string; unit_id?: string; position?: string }): Promise<void> {
  if (Object.keys(fields).length) await db.updateTable('users').set(fields).where('id', '=', id).execute();
}

export async function replaceRoles(db: Db, id: string, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('user_roles').where('user_id', '=', id).execute();
  await db
    .insertInto('user_roles')
    .values(roles.map((role) => ({ user_id: id, role })))
    .execute();
}

export async function setUserActive(db: Db, id: string, active: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ active: active ? 1 : 0, failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function setClearance(db: Db, id: string, clearance: string): Promise<void> {
  await db.updateTable('users').set({ clearance }).where('id', '=', id).execute();
}

export async function resetPassword(db: Db, id: string, hash: string, at: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, password_changed_at: at, must_change_password: 1, failed_logins: 0, locked_until: null })
    .where('id', '=', id)
    .execute();
}

export async function resetTotp(db: Db, id: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret_sealed: null, totp_pending_sealed: null, totp_enabled: 0, totp_last_step: null })
    .where('id', '=', id)
    .execute();
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_roles.role', '=', 'admin')
    .where('users.active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Active people who work with secrets (org.rules PEOPLE_DIRECTORY_ROLES), with their roles and
 * clearance for the rule to decide on; names are matched and sorted by the rule (diacritics).
 */
export async function findPeopleCandidates(db: Db, unitId: string | undefined): Promise<PersonCandidate[]> {
  let users = db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.full_name', 'users.unit_id', 'units.name as unit_name', 'users.position', 'users.clearance'])
    // Held by a pending change (account_changes_user_idx): offered, but not as cleared.
    .select((eb) => holdsUser(eb).as('held'))
    .where('users.active', '=', 1)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('user_roles')
          .select('user_roles.user_id')
          .whereRef('user_roles.user_id', '=', 'users.id')
          .where('user_roles.role', 'in', [...PEOPLE_DIRECTORY_ROLES]),
      ),
    );
  let roles = db
    .selectFrom('user_roles')
    .innerJoin('users', 'users.id', 'user_roles.user_id')
    .select(['user_roles.user_id', 'user_roles.role'])
    .where('users.active', '=', 1);
  if (unitId) {
    users = users.where('users.unit_id', '=', unitId);
    roles = roles.where('users.unit_id', '=', unitId);
  }
  const [rows, roleRows] = await Promise.all([users.execute(), roles.execute()]);
  const byUser = new Map<string, Role[]>();
  for (const r of roleRows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r.role as Role]);
  return rows.map((u) => ({
    id: u.id,
    fullName: u.full_name,
    unitId: u.unit_id,
    unitName: u.unit_name,
    position: u.position,
    roles: byUser.get(u.id) ?? [],
    clearance: u.clearance as PersonCandidate['clearance'],
    held: Boolean(Number(u.held)),
  }));
}

/**
 * Is the account held by a pending change (account/roles/unit/identity)? Such a person works with
 * no secret until confirmed (auth actorOf): nothing is handed to them meanwhile.
 */
export async function isHeld(db: Db, userId: string): Promise<boolean> {
  const r = await db
    .selectFrom('users')
    .select('users.id')
    .where('users.id', '=', userId)
    .where((eb) => holdsUser(eb))
    .executeTakeFirst();
  return r !== undefined;
}
