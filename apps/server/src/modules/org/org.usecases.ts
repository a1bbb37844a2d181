import type { Clearance, Level, Role } from '@khomat/policy';
import { requirePermission, type Actor } from '../../app/actor';
import type { AppDeps } from '../../app/context';
import type { UnitRow } from '../../platform/db/schema';
import { isPasswordStrongEnough } from '../auth/auth.rules';
import { authErrors } from '../auth/auth.errors';
import { orgErrors } from './org.errors';
import * as repo from './org.repository';
import { checkClearanceChange, checkMove, rolesAreValid, selectPeople, type UnitNode } from './org.rules';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids' | 'passwords'>;

const toNodes = (units: UnitRow[]): UnitNode[] => units.map((u) => ({ id: u.id, parentId: u.parent_id, closed: u.closed_at !== null }));

// ---- units -------------------------------------------------------------------------------

export async function listUnits(deps: Deps, actor: Actor | null) {
  requirePermission(actor, 'org.unit.read');
  return repo.listUnits(deps.dbh.db);
}

export async function createUnit(deps: Deps, actor: Actor | null, input: { name: string; code: string; parentId: string }) {
  requirePermission(actor, 'org.unit.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const parent = await repo.findUnit(tx, input.parentId);
    if (!parent) throw orgErrors.unitNotFound({ id: input.parentId });
    if (parent.closed_at) throw orgErrors.parentClosed();
    const row: UnitRow = {
      id: deps.ids(),
      parent_id: parent.id,
      name: input.name,
      code: input.code,
      parent_body: null,
      closed_at: null,
      closed_reason: null,
      created_at: deps.clock.now().toISOString(),
    };
    await repo.insertUnit(tx, row);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.unit.created', subjectType: 'unit', subjectId: row.id, details: { name: row.name, code: row.code, parentId: parent.id } });
    return row;
  });
}

export async function renameUnit(deps: Deps, actor: Actor | null, id: string, input: { name?: string | undefined; code?: string | undefined }) {
  requirePermission(actor, 'org.unit.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const unit = await repo.findUnit(tx, id);
    if (!unit) throw orgErrors.unitNotFound({ id });
    if (unit.closed_at) throw orgErrors.unitClosed();
    const fields: { name?: string; code?: string } = {};
    if (input.name !== undefined && input.name !== unit.name) fields.name = input.name;
    if (input.code !== undefined && input.code !== unit.code) fields.code = input.code;
    if (Object.keys(fields).length === 0) return unit;
    await repo.renameUnit(tx, id, fields);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.unit.renamed',
      subjectType: 'unit',
      subjectId: id,
      details: { from: { name: unit.name, code: unit.code }, to: { name: fields.name ?? unit.name, code: fields.code ?? unit.code } },
    });
    return (await repo.findUnit(tx, id))!;
  });
}

export async function moveUnit(deps: Deps, actor: Actor | null, id: string, parentId: string) {
  requirePermission(actor, 'org.unit.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const units = await repo.listUnits(tx);
    const check = checkMove(toNodes(units), id, parentId);
    if (check === 'unit_not_found' || check === 'parent_not_found') throw orgErrors.unitNotFound({ id: check === 'unit_not_found' ? id : parentId });
    if (check === 'root') throw orgErrors.rootImmutable();
    if (check === 'unit_closed') throw orgErrors.unitClosed();
    if (check === 'parent_closed') throw orgErrors.parentClosed();
    if (check === 'cycle') throw orgErrors.moveIntoItself();
    const unit = units.find((u) => u.id === id)!;
    if (unit.parent_id === parentId) return unit;
    await repo.moveUnit(tx, id, parentId);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.unit.moved', subjectType: 'unit', subjectId: id, details: { from: unit.parent_id, to: parentId } });
    return (await repo.findUnit(tx, id))!;
  });
}

export async function closeUnit(deps: Deps, actor: Actor | null, id: string, reason: string) {
  requirePermission(actor, 'org.unit.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const units = await repo.listUnits(tx);
    const unit = units.find((u) => u.id === id);
    if (!unit) throw orgErrors.unitNotFound({ id });
    if (unit.parent_id === null) throw orgErrors.rootImmutable();
    if (unit.closed_at) throw orgErrors.unitClosed();
    if (units.some((u) => u.parent_id === id && u.closed_at === null)) throw orgErrors.unitHasOpenChildren();
    if ((await repo.countActiveUsersInUnit(tx, id)) > 0) throw orgErrors.unitHasActiveUsers();
    await repo.closeUnit(tx, id, deps.clock.now().toISOString(), reason);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.unit.closed', subjectType: 'unit', subjectId: id, details: { reason } });
    return (await repo.findUnit(tx, id))!;
  });
}

// ---- people directory ----------------------------------------------------------------------

/**
 * The short directory officers pick recipients and hand-over receivers from: names, units and
 * positions of active people who work with secrets. `cleared` tells whether a person's clearance
 * covers `level`, without telling the clearance.
 */
export async function listPeople(deps: Pick<Deps, 'dbh'>, actor: Actor | null, f: { q?: string | undefined; unitId?: string | undefined; level?: Level | undefined }) {
  requirePermission(actor, 'org.people.read');
  return selectPeople(await repo.findPeopleCandidates(deps.dbh.db, f.unitId), f);
}

// ---- users -------------------------------------------------------------------------------

export async function listUsers(deps: Deps, actor: Actor | null, filter: repo.UserListFilter) {
  requirePermission(actor, 'org.user.read');
  return repo.listUsers(deps.dbh.db, filter);
}

export async function getUser(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'org.user.read');
  const u = await repo.findUser(deps.dbh.db, id);
  if (!u) throw orgErrors.userNotFound({ id });
  return u;
}

export interface CreateUserInput {
  username: string;
  fullName: string;
  unitId: string;
  position: string;
  roles: Role[];
  password: string;
}

/** Inserts a user row with roles; shared by the admin use case, set-up and the demo loader. */
export async function insertNewUser(
  deps: Pick<Deps, 'clock' | 'ids' | 'passwords'>,
  tx: AppDeps['dbh']['db'],
  input: CreateUserInput & { clearance?: Clearance; mustChangePassword: boolean },
) {
  if (!rolesAreValid(input.roles)) throw orgErrors.rolesInvalid();
  if (!isPasswordStrongEnough(input.password)) throw authErrors.passwordTooWeak();
  const unit = await repo.findUnit(tx, input.unitId);
  if (!unit) throw orgErrors.unitNotFound({ id: input.unitId });
  if (unit.closed_at) throw orgErrors.unitClosed();
  const now = deps.clock.now().toISOString();
  const id = deps.ids();
  await repo.insertUser(
    tx,
    {
      id,
      username: input.username.toLowerCase(),
      full_name: input.fullName,
      unit_id: unit.id,
      position: input.position,
      password_hash: await deps.passwords.hash(input.password),
      clearance: input.clearance ?? 'NONE',
      totp_secret_sealed: null,
      totp_pending_sealed: null,
      totp_enabled: 0,
      totp_last_step: null,
      active: 1,
      failed_logins: 0,
      locked_until: null,
      must_change_password: input.mustChangePassword ? 1 : 0,
      password_changed_at: now,
      created_at: now,
    },
    input.roles,
  );
  return id;
}

export async function createUser(deps: Deps, actor: Actor | null, input: CreateUserInput) {
  requirePermission(actor, 'org.user.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const id = await insertNewUser(deps, tx, { ...input, mustChangePassword: true });
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.user.created',
      subjectType: 'user',
      subjectId: id,
      details: { username: input.username.toLowerCase(), unitId: input.unitId, roles: input.roles },
    });
    return (await repo.findUser(tx, id))!;
  });
}

async function loadForChange(tx: AppDeps['dbh']['db'], id: string) {
  const u = await repo.findUser(tx, id);
  if (!u) throw orgErrors.userNotFound({ id });
  return u;
}

async function ensureAdminRemains(tx: AppDeps['dbh']['db'], target: repo.UserListRow, losesAdmin: boolean) {
  if (losesAdmin && target.active === 1 && target.roles.includes('admin') && (await repo.countActiveAdmins(tx)) <= 1) throw orgErrors.lastAdmin();
}

export async function updateUser(
  deps: Deps,
  actor: Actor | null,
  id: string,
  input: { fullName?: string | undefined; unitId?: string | undefined; position?: string | undefined; roles?: Role[] | undefined },
) {
  requirePermission(actor, 'org.user.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    const changes: Record<string, unknown> = {};
    const fields: { full_name?: string; unit_id?: string; position?: string } = {};
    if (input.fullName !== undefined && input.fullName !== u.full_name) fields.full_name = changes.fullName = input.fullName;
    if (input.position !== undefined && input.position !== u.position) fields.position = changes.position = input.position;
    if (input.unitId !== undefined && input.unitId !== u.unit_id) {
      const unit = await repo.findUnit(tx, input.unitId);
      if (!unit) throw orgErrors.unitNotFound({ id: input.unitId });
      if (unit.closed_at) throw orgErrors.unitClosed();
      fields.unit_id = changes.unitId = input.unitId;
    }
    let rolesChanged = false;
    if (input.roles !== undefined) {
      if (!rolesAreValid(input.roles)) throw orgErrors.rolesInvalid();
      const next = [...input.roles].sort();
      rolesChanged = next.join(',') !== u.roles.join(',');
      if (rolesChanged) {
        await ensureAdminRemains(tx, u, !next.includes('admin'));
        changes.roles = { from: u.roles, to: next };
      }
    }
    if (Object.keys(changes).length === 0) return u;
    await repo.updateUserProfile(tx, id, fields);
    if (rolesChanged && input.roles) {
      await repo.replaceRoles(tx, id, input.roles);
      // New roles take effect on the next sign-in (e.g. TOTP enrolment for a raised role).
      await repo.deleteSessionsOf(tx, id);
    }
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.user.updated', subjectType: 'user', subjectId: id, details: changes });
    return (await repo.findUser(tx, id))!;
  });
}

export async function deactivateUser(deps: Deps, actor: Actor | null, id: string, reason: string) {
  requirePermission(actor, 'org.user.manage');
  if (actor.userId === id) throw orgErrors.selfDeactivate();
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    if (u.active !== 1) throw orgErrors.userInactive();
    await ensureAdminRemains(tx, u, true);
    await repo.setUserActive(tx, id, false);
    await repo.deleteSessionsOf(tx, id);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.user.deactivated', subjectType: 'user', subjectId: id, details: { reason } });
    return (await repo.findUser(tx, id))!;
  });
}

export async function activateUser(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'org.user.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    if (u.active === 1) throw orgErrors.userAlreadyActive();
    await repo.setUserActive(tx, id, true);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.user.activated', subjectType: 'user', subjectId: id });
    return (await repo.findUser(tx, id))!;
  });
}

export async function resetUserPassword(deps: Deps, actor: Actor | null, id: string, newPassword: string) {
  requirePermission(actor, 'org.user.manage');
  if (!isPasswordStrongEnough(newPassword)) throw authErrors.passwordTooWeak();
  const hash = await deps.passwords.hash(newPassword);
  return deps.dbh.db.transaction().execute(async (tx) => {
    await loadForChange(tx, id);
    await repo.resetPassword(tx, id, hash, deps.clock.now().toISOString());
    await repo.deleteSessionsOf(tx, id);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.user.password_reset', subjectType: 'user', subjectId: id });
    return (await repo.findUser(tx, id))!;
  });
}

export async function resetUserTotp(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'org.user.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    await loadForChange(tx, id);
    await repo.resetTotp(tx, id);
    await repo.deleteSessionsOf(tx, id);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.user.totp_reset', subjectType: 'user', subjectId: id });
    return (await repo.findUser(tx, id))!;
  });
}

/** Luật 117/2025: access to state secrets is a security decision — security officer or head only. */
export async function setUserClearance(deps: Deps, actor: Actor | null, id: string, input: { clearance: Clearance; reason: string }) {
  requirePermission(actor, 'org.user.clearance');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    const check = checkClearanceChange(actor.userId, { id: u.id, roles: u.roles, clearance: u.clearance as Clearance, active: u.active === 1 }, input.clearance);
    if (check === 'self') throw orgErrors.selfClearance();
    if (check === 'inactive') throw orgErrors.userInactive();
    if (check === 'not_applicable') throw orgErrors.clearanceNotApplicable();
    if (check === 'unchanged') throw orgErrors.clearanceUnchanged();
    await repo.setClearance(tx, id, input.clearance);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.user.clearance_changed',
      subjectType: 'user',
      subjectId: id,
      details: { from: u.clearance, to: input.clearance, reason: input.reason },
    });
    return (await repo.findUser(tx, id))!;
  });
}
