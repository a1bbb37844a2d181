import {
  SECRET_WORKING_ROLES,
  checkClearanceGrant,
  clearanceRaiseWaits,
  decidingPositionKinds,
  defaultPositionKind,
  isPositionKind,
  newAccountPositionKind,
  positionChangeNeedsConfirmation,
  worksWithSecrets,
  type Clearance,
  type Level,
  type PositionKind,
  type Role,
} from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { PositionRow, UnitRow } from '../../platform/db/schema';
import { isDomainError } from '../../platform/errors';
import { isPasswordStrongEnough } from '../auth/auth.rules';
import { authErrors } from '../auth/auth.errors';
import { orgErrors } from './org.errors';
import * as repo from './org.repository';
import { decideChange, findLiveCopiesOf, findPendingByUsers, findPendingOfKind } from './account-changes.repository';
import { accountChangeWarnings, notifyClearanceApplied, recordChange } from './account-changes.usecases';
import { checkMove, rolesAreValid, selectPeople, type UnitNode } from './org.rules';

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
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.unit.created',
      subjectType: 'unit',
      subjectId: row.id,
      details: { name: row.name, code: row.code, parentId: parent.id },
    });
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
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.unit.moved',
      subjectType: 'unit',
      subjectId: id,
      details: { from: unit.parent_id, to: parentId },
    });
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
export async function listPeople(
  deps: Pick<Deps, 'dbh'>,
  actor: Actor | null,
  f: { q?: string | undefined; unitId?: string | undefined; level?: Level | undefined },
) {
  requirePermission(actor, 'org.people.read');
  return selectPeople(await repo.findPeopleCandidates(deps.dbh.db, f.unitId), f);
}

// ---- users -------------------------------------------------------------------------------

/** A user row with what awaits confirmation: the kinds holding the account, a pending clearance. */
export type UserView = repo.UserListRow & { hold: string[]; pendingClearance: Clearance | null };

async function withPending(db: AppDeps['dbh']['db'], users: repo.UserListRow[]): Promise<UserView[]> {
  const pending = await findPendingByUsers(
    db,
    users.map((u) => u.id),
  );
  return users.map((u) => ({ ...u, hold: pending.get(u.id)?.hold ?? [], pendingClearance: (pending.get(u.id)?.pendingClearance ?? null) as Clearance | null }));
}

async function viewOf(db: AppDeps['dbh']['db'], id: string): Promise<UserView> {
  return (await withPending(db, [(await repo.findUser(db, id))!]))[0]!;
}

/**
 * The users, and what would make account changes wait for ever (accountChangeWarnings): the
 * administrator, who asks for the changes, does not see the confirmers' list.
 */
export async function listUsers(deps: Deps, actor: Actor | null, filter: repo.UserListFilter) {
  requirePermission(actor, 'org.user.read');
  return { items: await withPending(deps.dbh.db, await repo.listUsers(deps.dbh.db, filter)), warnings: await accountChangeWarnings(deps.dbh.db) };
}

export async function getUser(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'org.user.read');
  const u = await repo.findUser(deps.dbh.db, id);
  if (!u) throw orgErrors.userNotFound({ id });
  return (await withPending(deps.dbh.db, [u]))[0]!;
}

export interface CreateUserInput {
  username: string;
  fullName: string;
  unitId: string;
  /** The account's own title as written (chức danh, free text). */
  position: string;
  /** The position held (chức vụ); without one, the agency's position of defaultPositionKind. */
  positionId?: string | undefined;
  roles: Role[];
  password: string;
}

/** Roles that never read content: they hold no position that decides (DESIGN.md principle 2). */
const NEVER_DECIDING_ROLES: readonly Role[] = ['admin', 'inspector'];

/** May this person hold this position in this unit? The agency head's position only in the agency itself; never for admin/inspector a position that decides. */
function checkPositionFits(position: Pick<PositionRow, 'kind'>, unit: Pick<UnitRow, 'parent_id'>, roles: readonly Role[]) {
  if (position.kind === 'agency_head' && unit.parent_id !== null) throw orgErrors.positionOutsideAgency();
  if (isPositionKind(position.kind) && decidingPositionKinds().includes(position.kind) && roles.some((r) => NEVER_DECIDING_ROLES.includes(r))) {
    throw orgErrors.positionAdminOrInspector();
  }
}

/** Inserts a user row with roles; shared by the admin use case, set-up and the demo loader. */
export async function insertNewUser(
  deps: Pick<Deps, 'clock' | 'ids' | 'passwords'>,
  tx: AppDeps['dbh']['db'],
  input: CreateUserInput & { clearance?: Clearance; mustChangePassword: boolean; positionKind?: PositionKind },
) {
  if (!rolesAreValid(input.roles)) throw orgErrors.rolesInvalid();
  if (!isPasswordStrongEnough(input.password)) throw authErrors.passwordTooWeak();
  const unit = await repo.findUnit(tx, input.unitId);
  if (!unit) throw orgErrors.unitNotFound({ id: input.unitId });
  if (unit.closed_at) throw orgErrors.unitClosed();
  const position = input.positionId
    ? await repo.findPosition(tx, input.positionId)
    : await repo.findPositionOfKind(tx, input.positionKind ?? defaultPositionKind(input.roles, unit.parent_id === null));
  if (input.positionId && !position) throw orgErrors.positionNotFound({ id: input.positionId });
  if (position) checkPositionFits(position, unit, input.roles);
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
      position_id: position?.id ?? null,
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
    const unit = await repo.findUnit(tx, input.unitId);
    const positionKind = input.positionId || !unit ? undefined : newAccountPositionKind(input.roles, unit.parent_id === null);
    const id = await insertNewUser(deps, tx, { ...input, mustChangePassword: true, ...(positionKind ? { positionKind } : {}) });
    // An account that works with secrets is held until a second person confirms it (issue 11).
    const change = worksWithSecrets(input.roles)
      ? await recordChange(deps, tx, { actorId: actor.userId, userId: id, kind: 'account', payload: { roles: [...input.roles].sort() } })
      : null;
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.user.created',
      subjectType: 'user',
      subjectId: id,
      details: {
        username: input.username.toLowerCase(),
        unitId: input.unitId,
        roles: input.roles,
        positionId: (await repo.findUser(tx, id))?.position_id ?? null,
        ...(change ? { changeId: change.id } : {}),
      },
    });
    return viewOf(tx, id);
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

/** Codes of a refused account administration that name no account (nothing to keep). */
const NOT_A_REFUSAL = new Set(['org.user_not_found', 'org.unit_not_found']);

/**
 * A refused account administration (a deactivation, a clearance, a role or unit change) is a
 * security event worth keeping, as refusals of content are: `run` is carried out and, when the
 * rules refuse it, the refusal is audited with its reason (the error's code, what was asked —
 * ids, roles, levels, counts) in its own transaction, then thrown.
 */
async function auditRefusal<T>(
  deps: Pick<Deps, 'dbh' | 'audit'>,
  actor: Actor,
  refusal: { action: `org.user.${'update' | 'deactivate' | 'clearance'}_refused`; userId: string; details: Record<string, unknown> },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isDomainError(e) && e.code.startsWith('org.') && !NOT_A_REFUSAL.has(e.code)) {
      const copies = Array.isArray(e.details?.copies) ? { copies: e.details.copies.length } : {};
      await deps.dbh.db.transaction().execute((tx) =>
        deps.audit.append(tx, {
          actorId: actor.userId,
          action: refusal.action,
          subjectType: 'user',
          subjectId: refusal.userId,
          details: { ...refusal.details, ...copies, reason: e.code },
        }),
      );
    }
    throw e;
  }
}

export async function updateUser(
  deps: Deps,
  actor: Actor | null,
  id: string,
  input: { fullName?: string | undefined; unitId?: string | undefined; position?: string | undefined; roles?: Role[] | undefined },
) {
  requirePermission(actor, 'org.user.manage');
  const asked = { ...(input.roles ? { roles: input.roles } : {}), ...(input.unitId ? { unitId: input.unitId } : {}) };
  return auditRefusal(deps, actor, { action: 'org.user.update_refused', userId: id, details: asked }, () => updateUserNow(deps, actor, id, input));
}

async function updateUserNow(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { fullName?: string | undefined; unitId?: string | undefined; position?: string | undefined; roles?: Role[] | undefined },
) {
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    const changes: Record<string, unknown> = {};
    const fields: { full_name?: string; unit_id?: string; position?: string } = {};
    if (input.fullName !== undefined && input.fullName !== u.full_name) fields.full_name = changes.fullName = input.fullName;
    if (input.position !== undefined && input.position !== u.position) fields.position = changes.position = input.position;
    let movedTo: UnitRow | undefined;
    if (input.unitId !== undefined && input.unitId !== u.unit_id) {
      const unit = await repo.findUnit(tx, input.unitId);
      if (!unit) throw orgErrors.unitNotFound({ id: input.unitId });
      if (unit.closed_at) throw orgErrors.unitClosed();
      fields.unit_id = changes.unitId = input.unitId;
      movedTo = unit;
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
    if (Object.keys(changes).length === 0) return viewOf(tx, id);
    await repo.updateUserProfile(tx, id, fields);
    const roles = rolesChanged && input.roles ? [...input.roles].sort() : u.roles;
    if (rolesChanged && input.roles) {
      await repo.replaceRoles(tx, id, input.roles);
      // New roles take effect on the next sign-in (e.g. TOTP enrolment for a raised role).
      await repo.deleteSessionsOf(tx, id);
    }
    // Issue 11: a role that works with secrets, added by the administrator, and a move to another
    // unit (unit-based rights: head of unit, the unit's clerk) wait for a second person; the
    // account is held meanwhile. Removing roles applies at once.
    const added = roles.filter((r) => SECRET_WORKING_ROLES.includes(r) && !u.roles.includes(r));
    const pending: string[] = [];
    if (added.length > 0) {
      pending.push((await recordChange(deps, tx, { actorId: actor.userId, userId: id, kind: 'roles', payload: { roles, added, fromRoles: u.roles } })).id);
    }
    if (movedTo && worksWithSecrets(roles)) {
      const payload = { unitId: movedTo.id, unitName: movedTo.name, fromUnitId: u.unit_id, fromUnitName: u.unit_name };
      pending.push((await recordChange(deps, tx, { actorId: actor.userId, userId: id, kind: 'unit', payload })).id);
      await repo.deleteSessionsOf(tx, id);
    }
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.user.updated',
      subjectType: 'user',
      subjectId: id,
      details: { ...changes, ...(pending.length ? { changeIds: pending } : {}) },
    });
    return viewOf(tx, id);
  });
}

export async function deactivateUser(deps: Deps, actor: Actor | null, id: string, reason: string) {
  requirePermission(actor, 'org.user.manage');
  return auditRefusal(deps, actor, { action: 'org.user.deactivate_refused', userId: id, details: {} }, () => deactivateUserNow(deps, actor, id, reason));
}

async function deactivateUserNow(deps: Deps, actor: Actor, id: string, reason: string) {
  if (actor.userId === id) throw orgErrors.selfDeactivate();
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    if (u.active !== 1) throw orgErrors.userInactive();
    await ensureAdminRemains(tx, u, true);
    // A copy held by (or on its way to) a closed account is held by nobody who can act for it.
    const copies = await findLiveCopiesOf(tx, id);
    if (copies.length > 0) throw orgErrors.userHoldsCopies({ copies });
    await repo.setUserActive(tx, id, false);
    await repo.deleteSessionsOf(tx, id);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'org.user.deactivated', subjectType: 'user', subjectId: id, details: { reason } });
    return viewOf(tx, id);
  });
}

export async function activateUser(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'org.user.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    if (u.active === 1) throw orgErrors.userAlreadyActive();
    await repo.setUserActive(tx, id, true);
    // Re-opening an account that works with secrets (e.g. one closed by a rejected confirmation)
    // is a new account as far as content goes: held until a second person confirms it.
    const change = worksWithSecrets(u.roles)
      ? await recordChange(deps, tx, { actorId: actor.userId, userId: id, kind: 'account', payload: { roles: u.roles } })
      : null;
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.user.activated',
      subjectType: 'user',
      subjectId: id,
      ...(change ? { details: { changeId: change.id } } : {}),
    });
    return viewOf(tx, id);
  });
}

export async function resetUserPassword(deps: Deps, actor: Actor | null, id: string, newPassword: string) {
  requirePermission(actor, 'org.user.manage');
  if (!isPasswordStrongEnough(newPassword)) throw authErrors.passwordTooWeak();
  const hash = await deps.passwords.hash(newPassword);
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    await repo.resetPassword(tx, id, hash, deps.clock.now().toISOString());
    await repo.deleteSessionsOf(tx, id);
    const change = await holdForIdentity(deps, tx, actor.userId, u, { password: true });
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.user.password_reset',
      subjectType: 'user',
      subjectId: id,
      details: change ? { changeId: change.id } : {},
    });
    return viewOf(tx, id);
  });
}

export async function resetUserTotp(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'org.user.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    await repo.resetTotp(tx, id);
    await repo.deleteSessionsOf(tx, id);
    const change = await holdForIdentity(deps, tx, actor.userId, u, { totp: true });
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.user.totp_reset',
      subjectType: 'user',
      subjectId: id,
      details: change ? { changeId: change.id } : {},
    });
    return viewOf(tx, id);
  });
}

/**
 * A credential reset by the administrator (issue 11): whoever knew the reset password or the new
 * TOTP enrolment could be the one signing in, so an account that works with secrets is held until
 * the person has set their own password (and TOTP) and the security officer has confirmed it is
 * them.
 */
async function holdForIdentity(deps: Deps, tx: AppDeps['dbh']['db'], actorId: string, u: repo.UserListRow, what: { password?: boolean; totp?: boolean }) {
  if (!worksWithSecrets(u.roles)) return null;
  return recordChange(deps, tx, { actorId, userId: u.id, kind: 'identity', payload: what });
}

/**
 * Luật 117/2025: access to state secrets is a security decision, taken by the agency head or the
 * security officer within the clearance grant table (packages/policy checkClearanceGrant). A raise
 * waits for a second person (the effective clearance is unchanged meanwhile); a lowering applies
 * at once.
 */
export async function setUserClearance(deps: Deps, actor: Actor | null, id: string, input: { clearance: Clearance; reason: string; decisionRef: string }) {
  requirePermission(actor, 'org.user.clearance');
  const refusal = { action: 'org.user.clearance_refused', userId: id, details: { to: input.clearance } } as const;
  return auditRefusal(deps, actor, refusal, () => setUserClearanceNow(deps, actor, id, input));
}

async function setUserClearanceNow(deps: Deps, actor: Actor, id: string, input: { clearance: Clearance; reason: string; decisionRef: string }) {
  return deps.dbh.db.transaction().execute(async (tx) => {
    const u = await loadForChange(tx, id);
    const granterIsAgencyHead = await repo.isActorAgencyHead(tx, actor);
    const check = checkClearanceGrant({
      // The granter's own standing as an Actor: a held account has no clearance and no secret roles.
      granter: { id: actor.userId, roles: actor.roles, clearance: actor.clearance, isAgencyHead: granterIsAgencyHead },
      target: { id: u.id, roles: u.roles, clearance: u.clearance as Clearance, isAgencyHead: await repo.isAgencyHead(tx, u), active: u.active === 1 },
      next: input.clearance,
      reason: input.reason,
      decisionRef: input.decisionRef,
      // Hook for the people module (cam kết bảo vệ BMNN): until it exists, every grant passes.
      commitmentCovers: () => true,
    });
    if (check === 'not_granter') throw orgErrors.clearanceNotGranter();
    if (check === 'self') throw orgErrors.selfClearance();
    if (check === 'inactive') throw orgErrors.userInactive();
    if (check === 'not_applicable') throw orgErrors.clearanceNotApplicable();
    if (check === 'unchanged') throw orgErrors.clearanceUnchanged();
    if (check === 'above_own') throw orgErrors.clearanceAboveOwn();
    if (check === 'protected_target') throw orgErrors.clearanceProtected();
    if (check === 'reason_required' || check === 'decision_ref_required') throw orgErrors.clearanceDecisionRequired();
    if (check === 'commitment_missing') throw orgErrors.clearanceCommitmentMissing();
    const from = u.clearance as Clearance;
    const details = { from, to: input.clearance, reason: input.reason, decisionRef: input.decisionRef };
    const granterStanding = { roles: actor.roles, isAgencyHead: granterIsAgencyHead };
    if (clearanceRaiseWaits({ from, to: input.clearance, granter: granterStanding, target: { roles: u.roles } })) {
      const change = await recordChange(deps, tx, {
        actorId: actor.userId,
        userId: id,
        kind: 'clearance',
        payload: { clearance: input.clearance, fromClearance: from },
        reason: input.reason,
        decisionRef: input.decisionRef,
      });
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'org.user.clearance_requested',
        subjectType: 'user',
        subjectId: id,
        details: { ...details, changeId: change.id },
      });
      return { user: await viewOf(tx, id), change: { id: change.id, status: 'pending' as const } };
    }
    // A lowering (or the agency head's own decision for a security officer) applies at once and
    // ends any raise still waiting for this person.
    const now = deps.clock.now().toISOString();
    for (const old of await findPendingOfKind(tx, id, 'clearance')) await decideChange(tx, old.id, { status: 'superseded', by: null, at: now, note: null });
    await repo.setClearance(tx, id, input.clearance);
    const event = await deps.audit.append(tx, { actorId: actor.userId, action: 'org.user.clearance_changed', subjectType: 'user', subjectId: id, details });
    await notifyClearanceApplied(deps, tx, { actorId: actor.userId, userId: id, from, to: input.clearance, at: now });
    return { user: await viewOf(tx, id), change: { id: event.id, status: 'applied' as const } };
  });
}

// ---- positions (chức vụ) ------------------------------------------------------------------

/** The agency's positions, with how many active accounts hold each. */
export async function listPositions(deps: Pick<Deps, 'dbh'>, actor: Actor | null) {
  requirePermission(actor, 'org.user.read');
  return repo.listPositions(deps.dbh.db);
}

export async function createPosition(deps: Deps, actor: Actor | null, input: { name: string; kind: string }) {
  requirePermission(actor, 'org.position.manage');
  if (!isPositionKind(input.kind)) throw orgErrors.positionKindInvalid({ kind: input.kind });
  const kind = input.kind;
  return deps.dbh.db.transaction().execute(async (tx) => {
    const row: PositionRow = { id: deps.ids(), name: input.name, kind, created_at: deps.clock.now().toISOString() };
    await repo.insertPosition(tx, row);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.position.created',
      subjectType: 'position',
      subjectId: row.id,
      details: { name: row.name, kind },
    });
    return { ...row, holders: 0 };
  });
}

/** Renames a title (its kind never changes: a new kind is a new position, given through setUserPosition). */
export async function renamePosition(deps: Deps, actor: Actor | null, id: string, name: string) {
  requirePermission(actor, 'org.position.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const p = await repo.findPosition(tx, id);
    if (!p) throw orgErrors.positionNotFound({ id });
    if (p.name !== name) {
      await repo.renamePosition(tx, id, name);
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'org.position.renamed',
        subjectType: 'position',
        subjectId: id,
        details: { from: p.name, to: name },
      });
    }
    return (await repo.listPositions(tx)).find((x) => x.id === id)!;
  });
}

/**
 * Gives a user a position (chức vụ). The position is written at once; one that decides by itself
 * in the authority table (the agency head's) is an account change that holds the account until a
 * second person confirms it (packages/policy positionChangeNeedsConfirmation; the agency head
 * confirms a new agency head, CONFIRMER_TABLE): the administrator cannot make someone agency head
 * alone. Refusals are audited.
 */
export async function setUserPosition(deps: Deps, actor: Actor | null, id: string, input: { positionId: string; reason?: string | undefined }) {
  requirePermission(actor, 'org.user.manage');
  const refusal = { action: 'org.user.update_refused', userId: id, details: { positionId: input.positionId } } as const;
  return auditRefusal(deps, actor, refusal, () =>
    deps.dbh.db.transaction().execute(async (tx) => {
      const u = await loadForChange(tx, id);
      if (u.active !== 1) throw orgErrors.userInactive();
      const position = await repo.findPosition(tx, input.positionId);
      if (!position || !isPositionKind(position.kind)) throw orgErrors.positionNotFound({ id: input.positionId });
      if (u.position_id === position.id) throw orgErrors.positionUnchanged();
      const unit = (await repo.findUnit(tx, u.unit_id))!;
      checkPositionFits(position, unit, u.roles);
      const from = u.position_id ? await repo.findPosition(tx, u.position_id) : undefined;
      await repo.setUserPosition(tx, id, position);
      const fromKind = from && isPositionKind(from.kind) ? from.kind : null;
      const change = positionChangeNeedsConfirmation(fromKind, position.kind)
        ? await recordChange(deps, tx, {
            actorId: actor.userId,
            userId: id,
            kind: 'position',
            payload: {
              positionId: position.id,
              positionName: position.name,
              positionKind: position.kind,
              fromPositionId: from?.id ?? null,
              fromPositionName: from?.name ?? null,
            },
            reason: input.reason ?? null,
          })
        : null;
      if (change) await repo.deleteSessionsOf(tx, id);
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'org.user.position_set',
        subjectType: 'user',
        subjectId: id,
        details: { from: from?.id ?? null, to: position.id, kind: position.kind, ...(change ? { changeId: change.id } : {}) },
      });
      return { user: await viewOf(tx, id), change: change ? { id: change.id, status: 'pending' as const } : null };
    }),
  );
}
