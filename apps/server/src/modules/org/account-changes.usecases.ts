import {
  ACCOUNT_CHANGE_TABLE,
  CLEARANCES,
  CLEARANCE_LABEL_VI,
  ROLE_TABLE,
  changeMakesAgencyHead,
  checkConfirmer,
  rolesRequireTotp,
  type AccountChangeKind,
  type AccountChangeWarning,
  type Clearance,
  type ConfirmerCheck,
  type Role,
} from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { AccountChangeRow } from '../../platform/db/schema';
import { commonErrors } from '../../platform/errors';
import { findUserWithRoles } from '../auth/auth.repository';
import { insertNotifications } from '../notifications/notifications.repository';
import * as repo from './account-changes.repository';
import { orgErrors } from './org.errors';
import * as orgRepo from './org.repository';

// Account changes that open content wait for a second person (issue 11; DESIGN.md principle 8;
// NIST SP 800-53 AC-5). The rules are packages/policy account-changes.ts; this file records a
// change, tells the people concerned, and carries out a confirmation or a rejection.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Tx = AppDeps['dbh']['db'];

/** What a change asks for (stored as JSON; names of roles, levels and units, never content). */
export interface ChangePayload {
  roles?: Role[];
  added?: Role[];
  fromRoles?: Role[];
  clearance?: Clearance;
  fromClearance?: Clearance;
  unitId?: string;
  unitName?: string;
  fromUnitId?: string;
  fromUnitName?: string;
  password?: boolean;
  totp?: boolean;
  positionId?: string;
  positionName?: string;
  positionKind?: string;
  fromPositionId?: string | null;
  fromPositionName?: string | null;
}

const parsePayload = (c: AccountChangeRow): ChangePayload => JSON.parse(c.payload) as ChangePayload;

const roleNames = (roles: readonly Role[]) => roles.map((r) => ROLE_TABLE[r].labelVi).join(', ');

/** One line saying what changed — kinds, roles, levels and units only. */
export function describeChange(kind: AccountChangeKind, p: ChangePayload): string {
  switch (kind) {
    case 'account':
      return `tạo tài khoản với vai trò ${roleNames(p.roles ?? [])}`;
    case 'roles':
      return `giao thêm vai trò ${roleNames(p.added ?? [])}`;
    case 'unit':
      return `chuyển đến ${p.unitName ?? 'đơn vị khác'}`;
    case 'identity':
      return [p.password ? 'đặt lại mật khẩu' : null, p.totp ? 'đặt lại xác thực hai lớp' : null].filter(Boolean).join(' và ') || 'đặt lại thông tin đăng nhập';
    case 'clearance':
      return `nâng mức tiếp cận từ ${CLEARANCE_LABEL_VI[p.fromClearance ?? 'NONE']} lên ${CLEARANCE_LABEL_VI[p.clearance ?? 'NONE']}`;
    case 'position':
      return `giao chức vụ ${p.positionName ?? ''}${p.fromPositionName ? ` (thay ${p.fromPositionName})` : ''}`;
  }
}

export interface ConfirmerView {
  id: string;
  roles: readonly Role[];
  clearance: Clearance;
  isAgencyHead: boolean;
  active: boolean;
  held: boolean;
}

/** A person as the confirmation rule sees them (roles and clearance as stored). */
async function personOf(tx: Tx, userId: string) {
  const u = await findUserWithRoles(tx, userId);
  if (!u) return undefined;
  return {
    id: u.id,
    roles: u.roles,
    clearance: u.clearance as Clearance,
    isAgencyHead: await orgRepo.isAgencyHead(tx, u),
    active: u.active === 1,
    held: u.hold.length > 0,
    row: u,
  };
}

/** Is the person of an identity change ready: their own password set, TOTP enrolled if required? */
function personReady(u: { must_change_password: number; totp_enabled: number; roles: readonly Role[] }): boolean {
  return u.must_change_password === 0 && (!rolesRequireTotp(u.roles) || u.totp_enabled === 1);
}

/**
 * Records a change in the caller's transaction: older pending changes of the same kind for the
 * person are superseded (an identity change keeps what they had asked for), the security officers
 * (and the agency head when a security officer is concerned) and the person are told.
 */
export async function recordChange(
  deps: Deps,
  tx: Tx,
  input: { actorId: string; userId: string; kind: AccountChangeKind; payload: ChangePayload; reason?: string | null; decisionRef?: string | null },
): Promise<AccountChangeRow> {
  const now = deps.clock.now().toISOString();
  let payload = input.payload;
  for (const old of await repo.findPendingOfKind(tx, input.userId, input.kind)) {
    await repo.decideChange(tx, old.id, { status: 'superseded', by: null, at: now, note: null });
    if (input.kind === 'identity') {
      const p = parsePayload(old);
      payload = { ...payload, password: payload.password || p.password || undefined, totp: payload.totp || p.totp || undefined };
    }
    if (input.kind === 'roles') {
      // The roles still waiting from the older change keep waiting in this one.
      const still = (parsePayload(old).added ?? []).filter((r) => payload.roles?.includes(r) && !payload.added?.includes(r));
      payload = { ...payload, added: [...(payload.added ?? []), ...still].sort(), fromRoles: parsePayload(old).fromRoles ?? payload.fromRoles };
    }
  }
  const row: AccountChangeRow = {
    id: deps.ids(),
    user_id: input.userId,
    kind: input.kind,
    payload: JSON.stringify(payload),
    reason: input.reason ?? null,
    decision_ref: input.decisionRef ?? null,
    requested_by: input.actorId,
    requested_at: now,
    status: 'pending',
    decided_by: null,
    decided_at: null,
    decision_note: null,
  };
  await repo.insertChange(tx, row);
  await notifyChange(deps, tx, row, payload);
  return row;
}

/**
 * Who is told of a change to someone's account (besides the person): the security officers, and
 * the agency head when a security officer (or the agency head's own standing) is concerned —
 * never the requester or the person themselves.
 */
export async function whoIsTold(tx: Tx, c: { targetId: string; requesterId: string; agencyHeadConcerned: boolean }): Promise<Set<string>> {
  const told = new Set((await repo.findActiveWithRole(tx, 'security_officer')).map((u) => u.id));
  if (c.agencyHeadConcerned) for (const u of await orgRepo.findAgencyHeads(tx)) told.add(u.id);
  told.delete(c.requesterId);
  told.delete(c.targetId);
  return told;
}

async function notifyChange(deps: Deps, tx: Tx, row: AccountChangeRow, payload: ChangePayload) {
  const target = (await findUserWithRoles(tx, row.user_id))!;
  const requester = (await findUserWithRoles(tx, row.requested_by))!;
  const soConcerned = target.roles.includes('security_officer') || requester.roles.includes('security_officer');
  const targetHeadsAgency = await orgRepo.isAgencyHead(tx, target);
  const makesAgencyHead = changeMakesAgencyHead({ kind: row.kind as AccountChangeKind, added: payload.added, targetHeadsAgency });
  const confirmers = await whoIsTold(tx, { targetId: row.user_id, requesterId: row.requested_by, agencyHeadConcerned: soConcerned || makesAgencyHead });
  const what = describeChange(row.kind as AccountChangeKind, payload);
  const held = ACCOUNT_CHANGE_TABLE[row.kind as AccountChangeKind].holdsAccount;
  const now = row.requested_at;
  const toConfirmers = `Tài khoản của ${target.full_name} (${target.username}, ${target.unit_name}): ${what}. Đang chờ xác nhận.`;
  const toPerson = held
    ? `Tài khoản của bạn: ${what}. Quyền làm việc với bí mật nhà nước của tài khoản tạm dừng, chờ xác nhận.`
    : `Tài khoản của bạn: ${what}. Thay đổi có hiệu lực khi được xác nhận.`;
  await insertNotifications(tx, [
    ...[...confirmers].map((userId) => ({
      id: deps.ids(),
      userId,
      kind: 'account_change',
      subjectType: 'account_change',
      subjectId: row.id,
      message: toConfirmers,
      createdAt: now,
    })),
    ...(row.user_id !== row.requested_by
      ? [{ id: deps.ids(), userId: row.user_id, kind: 'account_change', subjectType: 'account_change', subjectId: row.id, message: toPerson, createdAt: now }]
      : []),
  ]);
}

/**
 * A clearance change that applies at once (a lowering; the agency head's own decision for a security
 * officer — packages/policy clearanceRaiseWaits): it waits for nobody, but the person and those who
 * answer for access are told, as for a waiting change.
 */
export async function notifyClearanceApplied(
  deps: Pick<Deps, 'ids'>,
  tx: Tx,
  c: { actorId: string; userId: string; from: Clearance; to: Clearance; at: string },
) {
  const target = (await findUserWithRoles(tx, c.userId))!;
  const requester = (await findUserWithRoles(tx, c.actorId))!;
  const soConcerned = target.roles.includes('security_officer') || requester.roles.includes('security_officer');
  const told = await whoIsTold(tx, { targetId: c.userId, requesterId: c.actorId, agencyHeadConcerned: soConcerned });
  const raised = CLEARANCES.indexOf(c.to) > CLEARANCES.indexOf(c.from);
  const what = raised
    ? c.from === 'NONE'
      ? `cho phép tiếp cận bí mật nhà nước độ ${CLEARANCE_LABEL_VI[c.to]} theo quyết định của Thủ trưởng cơ quan`
      : `nâng mức tiếp cận từ ${CLEARANCE_LABEL_VI[c.from]} lên ${CLEARANCE_LABEL_VI[c.to]} theo quyết định của Thủ trưởng cơ quan`
    : `hạ mức tiếp cận từ ${CLEARANCE_LABEL_VI[c.from]} xuống ${CLEARANCE_LABEL_VI[c.to]}`;
  const note = (userId: string, message: string) => ({
    id: deps.ids(),
    userId,
    kind: 'account_change',
    subjectType: 'user',
    subjectId: c.userId,
    message,
    createdAt: c.at,
  });
  await insertNotifications(tx, [
    ...[...told].map((userId) => note(userId, `Tài khoản của ${target.full_name} (${target.username}, ${target.unit_name}): ${what}. Đã có hiệu lực.`)),
    note(c.userId, `Tài khoản của bạn: ${what}. Có hiệu lực ngay.`),
  ]);
}

// ---- the confirmer's list ---------------------------------------------------------------------

/**
 * What would make changes wait for ever: no active security officer whose account is not held
 * (ordinary changes), no such agency head (changes concerning a security officer or a new agency
 * head). The texts are packages/policy ACCOUNT_CHANGE_WARNINGS.
 */
export async function accountChangeWarnings(db: Tx): Promise<AccountChangeWarning[]> {
  const warnings: AccountChangeWarning[] = [];
  if ((await repo.findActiveWithRole(db, 'security_officer', undefined, { unheld: true })).length === 0) warnings.push('no_security_officer');
  if ((await orgRepo.findAgencyHeads(db, { unheld: true })).length === 0) warnings.push('no_agency_head');
  return warnings;
}

async function viewerOf(tx: Tx, actor: Actor): Promise<ConfirmerView> {
  const p = await personOf(tx, actor.userId);
  if (!p) throw commonErrors.unauthenticated();
  return { id: p.id, roles: p.roles, clearance: p.clearance, isAgencyHead: p.isAgencyHead, active: p.active, held: p.held };
}

/** Only the security officers and the agency head see the account changes (not a department head). */
function requireConfirmerStanding(viewer: ConfirmerView) {
  if (!viewer.roles.includes('security_officer') && !viewer.isAgencyHead) throw commonErrors.forbidden({ permission: 'account.change.read' });
}

async function confirmCheck(tx: Tx, viewer: ConfirmerView, c: AccountChangeRow): Promise<ConfirmerCheck> {
  const target = (await personOf(tx, c.user_id))!;
  const requester = (await personOf(tx, c.requested_by))!;
  const p = parsePayload(c);
  return checkConfirmer({
    kind: c.kind as AccountChangeKind,
    confirmer: viewer,
    requester: { id: requester.id, roles: requester.roles, isAgencyHead: requester.isAgencyHead },
    target: { id: target.id, roles: target.roles },
    ...(p.clearance ? { clearance: p.clearance } : {}),
    makesAgencyHead: changeMakesAgencyHead({ kind: c.kind as AccountChangeKind, added: p.added, targetHeadsAgency: target.isAgencyHead }),
  });
}

export async function listAccountChanges(deps: Deps, actor: Actor | null, f: { status: 'pending' | 'all'; page: number; pageSize: number }) {
  requirePermission(actor, 'account.change.read');
  const db = deps.dbh.db;
  const viewer = await viewerOf(db, actor);
  requireConfirmerStanding(viewer);
  const { rows, total } = await repo.listChanges(db, { pendingOnly: f.status === 'pending' }, f.pageSize, (f.page - 1) * f.pageSize);
  const items = [];
  for (const c of rows) {
    let waitingFor: 'person' | 'confirmer' | null = null;
    let canConfirm = false;
    if (c.status === 'pending') {
      const target = (await findUserWithRoles(db, c.user_id))!;
      waitingFor = c.kind === 'identity' && !personReady(target) ? 'person' : 'confirmer';
      canConfirm = waitingFor === 'confirmer' && (await confirmCheck(db, viewer, c)) === 'ok';
    }
    items.push({ row: c, payload: parsePayload(c), canConfirm, waitingFor });
  }
  return { items, total, page: f.page, pageSize: f.pageSize, warnings: await accountChangeWarnings(db) };
}

// ---- deciding -----------------------------------------------------------------------------------

async function refuse(deps: Deps, actor: Actor, changeId: string, decision: 'confirm' | 'reject', error: Error & { code?: string }): Promise<never> {
  // A refused decision is a security event worth keeping: its own transaction, ids and code only.
  await deps.dbh.db.transaction().execute((tx) =>
    deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'org.account_change.refused',
      subjectType: 'account_change',
      subjectId: changeId,
      details: { decision, code: error.code ?? 'unknown' },
    }),
  );
  throw error;
}

async function loadDecidable(tx: Tx, viewer: ConfirmerView, id: string): Promise<AccountChangeRow> {
  const c = await repo.findChange(tx, id);
  if (!c) throw orgErrors.changeNotFound({ id });
  if (c.status !== 'pending') throw orgErrors.changeAlreadyDecided({ status: c.status });
  const check = await confirmCheck(tx, viewer, c);
  if (check === 'self') throw orgErrors.changeSelf();
  if (check === 'not_confirmer') throw orgErrors.changeNotConfirmer();
  if (check === 'clearance_insufficient') throw orgErrors.changeClearanceInsufficient();
  return c;
}

async function decide(deps: Deps, actor: Actor | null, id: string, decision: 'confirm' | 'reject', text: string | undefined) {
  requirePermission(actor, 'account.change.decide');
  const db = deps.dbh.db;
  try {
    return await db.transaction().execute(async (tx) => {
      const viewer = await viewerOf(tx, actor);
      requireConfirmerStanding(viewer);
      const c = await loadDecidable(tx, viewer, id);
      const kind = c.kind as AccountChangeKind;
      const p = parsePayload(c);
      const target = (await findUserWithRoles(tx, c.user_id))!;
      const now = deps.clock.now().toISOString();
      let effect: string;
      if (decision === 'confirm') {
        if (kind === 'identity' && !text?.trim()) throw orgErrors.changeNoteRequired();
        if (kind === 'identity' && !personReady(target)) throw orgErrors.changePersonNotReady();
        if (kind === 'clearance') await orgRepo.setClearance(tx, c.user_id, p.clearance!);
        effect = kind === 'clearance' ? 'clearance_applied' : 'confirmed';
      } else {
        effect = await undo(tx, kind, p, c.user_id);
      }
      const decided = await repo.decideChange(tx, id, {
        status: decision === 'confirm' ? 'confirmed' : 'rejected',
        by: actor.userId,
        at: now,
        note: text?.trim() || null,
      });
      if (!decided) throw orgErrors.changeAlreadyDecided();
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: decision === 'confirm' ? 'org.account_change.confirmed' : 'org.account_change.rejected',
        subjectType: 'user',
        subjectId: c.user_id,
        details: {
          changeId: id,
          kind,
          effect,
          ...(kind === 'clearance' ? { from: p.fromClearance, to: p.clearance } : {}),
          ...(text?.trim() ? { note: text.trim() } : {}),
        },
      });
      const what = describeChange(kind, p);
      await insertNotifications(tx, [
        {
          id: deps.ids(),
          userId: c.user_id,
          kind: 'account_change',
          subjectType: 'account_change',
          subjectId: id,
          message: decision === 'confirm' ? `Tài khoản của bạn: ${what} — đã được xác nhận.` : `Tài khoản của bạn: ${what} — không được xác nhận.`,
          createdAt: now,
        },
      ]);
      return (await repo.findChange(tx, id))!;
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('org.change_')) return refuse(deps, actor, id, decision, e as Error);
    throw e;
  }
}

/**
 * What a rejection undoes (ACCOUNT_CHANGE_TABLE onReject): nothing it leaves behind may open
 * content. Returns the effect, for the audit event.
 */
async function undo(tx: Tx, kind: AccountChangeKind, p: ChangePayload, userId: string): Promise<string> {
  const deactivate = async () => {
    await orgRepo.setUserActive(tx, userId, false);
    await orgRepo.deleteSessionsOf(tx, userId);
    return 'account_deactivated';
  };
  switch (ACCOUNT_CHANGE_TABLE[kind].onReject) {
    case 'deactivate':
      return deactivate();
    case 'remove_added_roles': {
      const current = (await orgRepo.findUser(tx, userId))!.roles;
      const kept = current.filter((r) => !(p.added ?? []).includes(r));
      if (kept.length === 0) return deactivate();
      await orgRepo.replaceRoles(tx, userId, kept);
      await orgRepo.deleteSessionsOf(tx, userId);
      return 'roles_removed';
    }
    case 'move_back': {
      const from = p.fromUnitId ? await orgRepo.findUnit(tx, p.fromUnitId) : undefined;
      if (!from || from.closed_at) return deactivate();
      await orgRepo.updateUserProfile(tx, userId, { unit_id: from.id });
      await orgRepo.deleteSessionsOf(tx, userId);
      return 'moved_back';
    }
    case 'restore_position': {
      // The former position, if it still exists; else the agency's staff position.
      const from = (p.fromPositionId ? await orgRepo.findPosition(tx, p.fromPositionId) : undefined) ?? (await orgRepo.findPositionOfKind(tx, 'staff'));
      if (!from) return deactivate();
      await orgRepo.setUserPosition(tx, userId, from);
      await orgRepo.deleteSessionsOf(tx, userId);
      return 'position_restored';
    }
    case 'nothing':
      return 'nothing';
  }
}

export const confirmAccountChange = (deps: Deps, actor: Actor | null, id: string, note: string | undefined) => decide(deps, actor, id, 'confirm', note);
export const rejectAccountChange = (deps: Deps, actor: Actor | null, id: string, reason: string) => decide(deps, actor, id, 'reject', reason);
