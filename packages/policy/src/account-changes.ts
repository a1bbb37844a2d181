import { AUTHORITY_TABLE, decidingPositionKinds, type AuthorityTable } from './authority';
import { clearanceRank, type Clearance } from './levels';
import type { PositionKind } from './positions';
import type { Role } from './roles';

// Separation of duties on accounts (issue 11; DESIGN.md principle 8; NIST SP 800-53 AC-5, AC-6).
// Account administration never yields access to content by itself: a change that would open
// content takes effect only when a second person confirms it. Sources and confidence:
// - Heads organise the protection of the secrets their agency holds and answer for it
//   (Luật 29/2018 Đ.24–25, carried into Luật 117/2025 — [I], article numbers of the 2025 law to be
//   confirmed by the agency's legal officer); hence the agency head is the last word on access.
// - The agency assigns people to BMNN protection work (NĐ 26/2020 Đ.7, amended by NĐ 63/2026 —
//   [I]): the security officer (cán bộ bảo mật) is the ordinary second person.
// - "No one person can grant themselves a way in": DESIGN.md principle 8; AC-5 (separation of
//   duties), AC-6 (least privilege). The administrator is never a confirmer.

/** Roles that work with secret content (DESIGN.md principle 2): held until confirmed. */
export const SECRET_WORKING_ROLES: readonly Role[] = ['clerk', 'officer', 'head', 'security_officer'];

export const worksWithSecrets = (roles: readonly Role[]): boolean => roles.some((r) => SECRET_WORKING_ROLES.includes(r));

/** The roles an account keeps while it is held: none of those that work with secrets. */
export const rolesWhileHeld = (roles: readonly Role[]): Role[] => roles.filter((r) => !SECRET_WORKING_ROLES.includes(r));

export const ACCOUNT_CHANGE_KINDS = ['account', 'roles', 'unit', 'identity', 'clearance', 'position'] as const;
export type AccountChangeKind = (typeof ACCOUNT_CHANGE_KINDS)[number];

export const ACCOUNT_CHANGE_STATUSES = ['pending', 'confirmed', 'rejected', 'superseded'] as const;
export type AccountChangeStatus = (typeof ACCOUNT_CHANGE_STATUSES)[number];

export interface AccountChangeKindDefinition {
  kind: AccountChangeKind;
  labelVi: string;
  /** While pending, the account works without its secret roles and with no clearance. */
  holdsAccount: boolean;
  /**
   * What a rejection does. Nothing that a rejection leaves behind may open content: an account
   * whose creation or whose identity the confirmer could not vouch for is closed.
   */
  onReject: 'deactivate' | 'remove_added_roles' | 'move_back' | 'restore_position' | 'nothing';
}

export const ACCOUNT_CHANGE_TABLE: Record<AccountChangeKind, AccountChangeKindDefinition> = {
  account: { kind: 'account', labelVi: 'Tạo tài khoản làm việc với bí mật nhà nước', holdsAccount: true, onReject: 'deactivate' },
  roles: { kind: 'roles', labelVi: 'Giao thêm vai trò làm việc với bí mật nhà nước', holdsAccount: true, onReject: 'remove_added_roles' },
  unit: { kind: 'unit', labelVi: 'Chuyển đơn vị công tác', holdsAccount: true, onReject: 'move_back' },
  // Luật 117/2025 (người được tiếp cận phải đúng là người được giao — [I]): the reset of a
  // password or TOTP by the administrator is confirmed as the person's own only face to face.
  identity: { kind: 'identity', labelVi: 'Đặt lại mật khẩu / xác thực hai lớp', holdsAccount: true, onReject: 'deactivate' },
  // A raise waits; the effective clearance is unchanged meanwhile (no hold of the account).
  clearance: { kind: 'clearance', labelVi: 'Nâng mức tiếp cận bí mật nhà nước', holdsAccount: false, onReject: 'nothing' },
  // Issue 13: a position that decides by itself (authority.ts; today the agency head) is written at
  // once and holds the account until confirmed, as a move to another unit does; a rejection puts
  // the former position back.
  position: { kind: 'position', labelVi: 'Giao chức vụ có thẩm quyền quyết định về bí mật nhà nước', holdsAccount: true, onReject: 'restore_position' },
};

/**
 * Does giving this position wait for a second person? When the new position decides something by
 * itself in the authority table (authority.ts decidingPositionKinds) and differs from the former
 * one: the administrator cannot make someone agency head alone.
 */
export function positionChangeNeedsConfirmation(from: PositionKind | null, to: PositionKind, table: AuthorityTable = AUTHORITY_TABLE): boolean {
  return from !== to && decidingPositionKinds(table).includes(to);
}

export const HOLDING_KINDS: readonly AccountChangeKind[] = ACCOUNT_CHANGE_KINDS.filter((k) => ACCOUNT_CHANGE_TABLE[k].holdsAccount);

// ---------------------------------------------------------------------------------------------
// Who confirms
// ---------------------------------------------------------------------------------------------

export interface Person {
  id: string;
  roles: readonly Role[];
  /** Effective clearance. */
  clearance: Clearance;
  /** The agency head (positions.ts isAgencyHead: agency_head position in the root unit, head role). */
  isAgencyHead: boolean;
}

export interface ConfirmerInput {
  kind: AccountChangeKind;
  confirmer: Person & { active: boolean; held: boolean };
  requester: { id: string; roles: readonly Role[]; isAgencyHead: boolean };
  /** The account changed, with its roles as they stand (for account/roles: the requested ones). */
  target: { id: string; roles: readonly Role[] };
  /** For `clearance`: the level being confirmed. */
  clearance?: Clearance;
  /** Once confirmed, the change gives the target the head role in the agency itself (changeMakesAgencyHead). */
  makesAgencyHead?: boolean;
}

export type ConfirmerCheck = 'ok' | 'self' | 'not_confirmer' | 'clearance_insufficient';

const isSecurityOfficer = (roles: readonly Role[]) => roles.includes('security_officer');

/** What a change concerns, for the choice of its confirmer (CONFIRMER_TABLE). */
export type ConfirmationCase = 'ordinary' | 'security_officer_concerned' | 'makes_agency_head';

/**
 * The standing in which someone confirms: as a security officer; as the agency head; as a security
 * officer when the agency head is the one asking (the requester is never the second person).
 */
export type ConfirmerStanding = 'security_officer' | 'agency_head' | 'security_officer_when_agency_head_asks';

/**
 * Who confirms what (DESIGN.md principle 8; NIST SP 800-53 AC-5). The security officer vouches for
 * ordinary changes; the agency head when a security officer is the one changed or the one asking,
 * so that no security officer vouches for themselves or their own request.
 * "Agency head" is the holder of the agency_head position in the agency itself, with the head role
 * (positions.ts isAgencyHead): a change that makes one (the position given, the head role added to
 * its holder, its holder moved into the agency) makes a second agency head, who would then approve
 * proposals and confirm security officers — [I] the agency head answers for BMNN protection in the
 * agency (Luật 29/2018 Đ.24–25, carried into Luật 117/2025), so only the agency head vouches for it.
 */
export const CONFIRMER_TABLE: Record<ConfirmationCase, readonly ConfirmerStanding[]> = {
  ordinary: ['security_officer'],
  security_officer_concerned: ['agency_head', 'security_officer_when_agency_head_asks'],
  makes_agency_head: ['agency_head'],
};

/**
 * Does this change, once confirmed, make its target the agency head? The account created so, the
 * role `head` added to the holder of the agency_head position, its holder moved into the agency,
 * or the position given. `targetHeadsAgency`: the target as the account stands now (isAgencyHead
 * with its stored roles) — a held change is already written.
 */
export function changeMakesAgencyHead(c: { kind: AccountChangeKind; added?: readonly Role[] | undefined; targetHeadsAgency: boolean }): boolean {
  if (!c.targetHeadsAgency) return false;
  if (c.kind === 'account' || c.kind === 'unit' || c.kind === 'position') return true;
  if (c.kind === 'roles') return (c.added ?? []).includes('head');
  return false;
}

export function confirmationCase(input: Pick<ConfirmerInput, 'requester' | 'target' | 'makesAgencyHead'>): ConfirmationCase {
  if (input.makesAgencyHead) return 'makes_agency_head';
  if (isSecurityOfficer(input.target.roles) || isSecurityOfficer(input.requester.roles)) return 'security_officer_concerned';
  return 'ordinary';
}

/**
 * May `confirmer` confirm this change now? As CONFIRMER_TABLE says for what the change concerns.
 * Never the administrator, the requester or the target; never a held or inactive account. For a
 * clearance, the confirmer's own clearance must cover the level confirmed.
 */
export function checkConfirmer(input: ConfirmerInput): ConfirmerCheck {
  const { confirmer, requester, target } = input;
  if (confirmer.id === requester.id || confirmer.id === target.id) return 'self';
  if (!confirmer.active || confirmer.held || confirmer.roles.includes('admin') || confirmer.roles.includes('inspector')) return 'not_confirmer';
  const asSecurityOfficer = isSecurityOfficer(confirmer.roles);
  const requesterIsAgencyHead = requester.isAgencyHead && requester.roles.includes('head') && !isSecurityOfficer(requester.roles);
  const standings: ConfirmerStanding[] = [];
  if (asSecurityOfficer) standings.push('security_officer');
  if (confirmer.isAgencyHead && confirmer.roles.includes('head')) standings.push('agency_head');
  if (asSecurityOfficer && requesterIsAgencyHead) standings.push('security_officer_when_agency_head_asks');
  if (!CONFIRMER_TABLE[confirmationCase(input)].some((s) => standings.includes(s))) return 'not_confirmer';
  if (input.kind === 'clearance' && clearanceRank(confirmer.clearance) < clearanceRank(input.clearance ?? 'NONE')) return 'clearance_insufficient';
  return 'ok';
}

/**
 * Notices on the account-changes list (codes; the text is here so the server and the web app say
 * the same). Without an active, confirmed security officer, ordinary changes wait for ever; without
 * an agency head, changes concerning a security officer (and new agency heads) do.
 */
export const ACCOUNT_CHANGE_WARNINGS = {
  no_security_officer:
    'Cơ quan hiện không có cán bộ bảo mật đang hoạt động (đã được xác nhận): các thay đổi tài khoản chờ cán bộ bảo mật xác nhận sẽ chờ mãi. ' +
    'Thủ trưởng cơ quan vẫn xác nhận được thay đổi của cán bộ bảo mật; hãy giao và xác nhận một cán bộ bảo mật.',
  no_agency_head:
    'Cơ quan hiện không có Thủ trưởng đang hoạt động (đã được xác nhận): các thay đổi liên quan cán bộ bảo mật hoặc Thủ trưởng cơ quan sẽ chờ mãi.',
} as const;
export type AccountChangeWarning = keyof typeof ACCOUNT_CHANGE_WARNINGS;

// ---------------------------------------------------------------------------------------------
// Clearance grant table
// ---------------------------------------------------------------------------------------------

/**
 * Who may grant or change a clearance (cho phép tiếp cận BMNN). [I] The law gives the decision to
 * the head of the agency managing the secrets (Luật 29/2018 Đ.24–25, carried into Luật 117/2025);
 * the agency head entrusts the day-to-day work to the security officer (NĐ 26/2020 Đ.7 / NĐ
 * 63/2026). A department head does not decide clearances. Change this table if the agency's own
 * regulation (quy chế bảo vệ BMNN) says otherwise.
 */
export const CLEARANCE_GRANTERS = {
  securityOfficer: true,
  agencyHead: true,
  departmentHead: false,
} as const;

export interface ClearanceGrantInput {
  granter: Person;
  target: Person & { active: boolean };
  next: Clearance;
  reason: string;
  /** Số quyết định / văn bản on which the change rests. */
  decisionRef: string;
  /**
   * The person's signed commitment (cam kết bảo vệ BMNN) covering `next`. Today always true: the
   * future `people` module (commitments, training, hand-over — DESIGN.md capabilities) supplies
   * the real check, and a grant without a commitment will then be refused here.
   */
  commitmentCovers: (userId: string, clearance: Clearance) => boolean;
}

export type ClearanceGrantCheck =
  | 'ok'
  | 'not_granter'
  | 'self'
  | 'inactive'
  | 'not_applicable'
  | 'unchanged'
  | 'above_own'
  | 'protected_target'
  | 'reason_required'
  | 'decision_ref_required'
  | 'commitment_missing';

/** Accounts whose roles never touch content get no clearance (DESIGN.md principle 2). */
export const clearanceApplies = (roles: readonly Role[]): boolean => !roles.every((r) => r === 'admin' || r === 'inspector');

export function checkClearanceGrant(input: ClearanceGrantInput): ClearanceGrantCheck {
  const { granter, target, next } = input;
  const asAgencyHead = granter.isAgencyHead && granter.roles.includes('head');
  const asSecurityOfficer = isSecurityOfficer(granter.roles);
  if (!((CLEARANCE_GRANTERS.agencyHead && asAgencyHead) || (CLEARANCE_GRANTERS.securityOfficer && asSecurityOfficer))) return 'not_granter';
  if (granter.id === target.id) return 'self';
  if (!target.active) return 'inactive';
  if (next !== 'NONE' && !clearanceApplies(target.roles)) return 'not_applicable';
  if (next === target.clearance) return 'unchanged';
  // Nobody grants above their own clearance, nor manages a clearance above it.
  const own = clearanceRank(granter.clearance);
  if (clearanceRank(next) > own || clearanceRank(target.clearance) > own) return 'above_own';
  // The agency head's and a security officer's clearance are changed by the agency head only.
  const targetProtected = (target.isAgencyHead && target.roles.includes('head')) || isSecurityOfficer(target.roles);
  if (targetProtected && !asAgencyHead) return 'protected_target';
  if (input.reason.trim() === '') return 'reason_required';
  if (input.decisionRef.trim() === '') return 'decision_ref_required';
  if (!input.commitmentCovers(target.id, next)) return 'commitment_missing';
  return 'ok';
}

/** A raise waits for a second person; a lowering applies at once. */
export const clearanceChangeIsRaise = (from: Clearance, to: Clearance): boolean => clearanceRank(to) > clearanceRank(from);

/**
 * Does a change of clearance wait for a second person? A lowering never does (it removes access).
 * A raise does — except the agency head's own decision for a security officer: the law gives the
 * decision on access to the head of the agency [I] (CLEARANCE_GRANTERS), and for a security officer
 * CONFIRMER_TABLE names the agency head as the second person; asking him to confirm his own decision
 * would add no one, and in a new agency (one head, one security officer, set up together) no one else
 * could ever give the first security officer a clearance. The administrator is never the agency head
 * (exclusive role), so account administration still opens nothing by itself.
 */
export function clearanceRaiseWaits(c: {
  from: Clearance;
  to: Clearance;
  granter: Pick<Person, 'roles' | 'isAgencyHead'>;
  target: Pick<Person, 'roles'>;
}): boolean {
  if (!clearanceChangeIsRaise(c.from, c.to)) return false;
  const byAgencyHead = c.granter.isAgencyHead && c.granter.roles.includes('head') && !isSecurityOfficer(c.granter.roles);
  return !(byAgencyHead && isSecurityOfficer(c.target.roles));
}
