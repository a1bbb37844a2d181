import type { Kysely } from 'kysely';
import { HOLDING_KINDS, type AccountChangeKind, type Role } from '@khomat/policy';
import type { Database, SessionRow, UserRow } from '../../platform/db/schema';

type Db = Kysely<Database>;

export interface UserWithRoles extends UserRow {
  roles: Role[];
  unit_name: string;
  /** The kind of the position held (packages/policy PositionKind), null without one. */
  position_kind: string | null;
  /** Kinds of the pending account changes that hold this account (empty: not held). */
  hold: AccountChangeKind[];
}

/** Pending changes that hold the account (account_changes_user_idx). */
export async function findHoldKinds(db: Db, userId: string): Promise<AccountChangeKind[]> {
  const rows = await db
    .selectFrom('account_changes')
    .select('kind')
    .distinct()
    .where('user_id', '=', userId)
    .where('status', '=', 'pending')
    .where('kind', 'in', [...HOLDING_KINDS])
    .orderBy('kind')
    .execute();
  return rows.map((r) => r.kind as AccountChangeKind);
}

export async function findUserForLogin(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
}

export async function findUserWithRoles(db: Db, userId: string): Promise<UserWithRoles | undefined> {
  const user = await db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .leftJoin('positions', 'positions.id', 'users.position_id')
    .selectAll('users')
    .select(['units.name as unit_name', 'positions.kind as position_kind'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return { ...user, roles: roles.map((r) => r.role as Role), hold: await findHoldKinds(db, userId) };
}

export async function recordLoginFailure(db: Db, userId: string, failedLogins: number, lockedUntil: string | null): Promise<void> {
  await db.updateTable('users').set({ failed_logins: failedLogins, locked_until: lockedUntil }).where('id', '=', userId).execute();
}

export async function clearLoginFailures(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export async function insertSession(db: Db, s: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(s).execute();
}

export async function findSession(db: Db, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSession(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOfUser(db: Db, userId: string, exceptId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  await q.execute();
}

export async function savePendingTotpSecret(db: Db, userId: string, sealed: string): Promise<void> {
  await db.updateTable('users').set({ totp_pending_sealed: sealed }).where('id', '=', userId).execute();
}

export async function activatePendingTotp(db: Db, userId: string, sealed: string, step: number): Promise<void> {
  await db
    .updateTable('users')
    .set({ totp_secret_sealed: sealed, totp_pending_sealed: null, totp_enabled: 1, totp_last_step: step })
    .where('id', '=', userId)
    .execute();
}

export async function recordTotpStep(db: Db, userId: string, step: number): Promise<void> {
  await db.updateTable('users').set({ totp_last_step: step }).where('id', '=', userId).execute();
}

export async function updatePasswordHash(db: Db, userId: string, hash: string, at: string, mustChange: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: hash, password_changed_at: at, must_change_password: mustChange ? 1 : 0 })
    .where('id', '=', userId)
    .execute();
}
