import {
  AUTHORITY_TABLE,
  clearanceCovers,
  compareDates,
  decide,
  type AuthorityOperation,
  type AuthorityTable,
  type Clearance,
  type DelegationScope,
  type IsoDate,
  type Level,
  type PositionKind,
  type Role,
} from '@khomat/policy';

// The one request model (đề nghị) of issue 13 — copying and photographing (sao, chụp), providing
// (cung cấp, chuyển giao) and taking out (mang ra khỏi nơi lưu giữ) — as pure rules: the state
// machine as a table, the checks at submission, who decides (the authority table, through
// decide(), asked in this file only) and the conditions of an approval. The flows that carry an
// approved request out (making the copies, sending, taking out) come later and ask
// checkExecutable first.

// ---------------------------------------------------------------------------------------------
// Types of request and the authority table's operation each one is decided under
// ---------------------------------------------------------------------------------------------

export const REQUEST_TYPES = ['copy', 'photograph', 'extract', 'provide_domestic', 'provide_foreign', 'take_out_domestic', 'take_out_abroad'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

/** Sao y / sao lục, chụp and trích sao are all "sao, chụp" for who decides (Luật 29/2018 Đ.11). */
export const OPERATION_OF_TYPE: Record<RequestType, AuthorityOperation> = {
  copy: 'copy',
  photograph: 'copy',
  extract: 'copy',
  provide_domestic: 'provide_domestic',
  provide_foreign: 'provide_foreign',
  take_out_domestic: 'take_out_domestic',
  take_out_abroad: 'take_out_abroad',
};

export const REQUEST_TYPE_LABEL_VI: Record<RequestType, string> = {
  copy: 'Sao tài liệu, vật chứa bí mật nhà nước',
  photograph: 'Chụp tài liệu, vật chứa bí mật nhà nước',
  extract: 'Trích sao tài liệu bí mật nhà nước',
  provide_domestic: 'Cung cấp, chuyển giao cho cơ quan, tổ chức, người Việt Nam',
  provide_foreign: 'Cung cấp, chuyển giao cho cơ quan, tổ chức, cá nhân nước ngoài',
  take_out_domestic: 'Mang ra khỏi nơi lưu giữ phục vụ công tác trong nước',
  take_out_abroad: 'Mang ra khỏi nơi lưu giữ phục vụ công tác ở nước ngoài',
};

/** Types that make copies: refused for an item marked "không được sao" (secret_items.copy_allowed = 0). */
export const COPYING_TYPES: readonly RequestType[] = ['copy', 'photograph', 'extract'];
export const isCopyingType = (t: RequestType) => COPYING_TYPES.includes(t);
/** Types whose details hold a period (from, to) out of the storage place. */
export const PERIOD_TYPES: readonly RequestType[] = ['take_out_domestic', 'take_out_abroad'];

// ---------------------------------------------------------------------------------------------
// The state machine, as a table
// ---------------------------------------------------------------------------------------------

export const REQUEST_STATUSES = ['draft', 'submitted', 'approved', 'refused', 'executed', 'closed', 'expired', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const REQUEST_STATUS_LABEL_VI: Record<RequestStatus, string> = {
  draft: 'Dự thảo',
  submitted: 'Chờ phê duyệt',
  approved: 'Đã phê duyệt',
  refused: 'Từ chối',
  executed: 'Đã thực hiện',
  closed: 'Đã kết thúc',
  expired: 'Hết hạn',
  cancelled: 'Đã hủy',
};

export const REQUEST_EVENTS = ['edit', 'submit', 'approve', 'refuse', 'cancel', 'execute', 'close', 'expire'] as const;
export type RequestEvent = (typeof REQUEST_EVENTS)[number];

/**
 * Every allowed move; anything absent is refused. A request is decided once (approve / refuse, in
 * the system or recorded from outside); an approval is carried out once, then closed — or lapses
 * at its deadline (expired), after which it cannot be carried out.
 */
export const REQUEST_TRANSITIONS: Record<RequestStatus, Partial<Record<RequestEvent, RequestStatus>>> = {
  draft: { edit: 'draft', submit: 'submitted', cancel: 'cancelled' },
  submitted: { approve: 'approved', refuse: 'refused', cancel: 'cancelled' },
  approved: { execute: 'executed', expire: 'expired' },
  executed: { close: 'closed' },
  refused: {},
  closed: {},
  expired: {},
  cancelled: {},
};

export type TransitionRefusal = 'request.already_decided' | 'request.approval_expired' | 'request.transition_not_allowed';

const DECIDED: readonly RequestStatus[] = ['approved', 'refused', 'executed', 'closed', 'expired'];

export function applyRequestEvent(status: RequestStatus, event: RequestEvent): { ok: true; to: RequestStatus } | { ok: false; code: TransitionRefusal } {
  const to = REQUEST_TRANSITIONS[status][event];
  if (to) return { ok: true, to };
  // A second decision is a conflict with the first (409), whatever it would have said.
  if ((event === 'approve' || event === 'refuse') && DECIDED.includes(status)) return { ok: false, code: 'request.already_decided' };
  if (event === 'execute' && status === 'expired') return { ok: false, code: 'request.approval_expired' };
  return { ok: false, code: 'request.transition_not_allowed' };
}

/** The status as of `today`: an approval past its deadline has expired, whether or not a job has written it yet. */
export function effectiveStatus(status: RequestStatus, deadline: IsoDate | null, today: IsoDate): RequestStatus {
  return status === 'approved' && deadline !== null && compareDates(deadline, today) < 0 ? 'expired' : status;
}

/** May an approved request be carried out today? The flows (copying, provision, take-out) ask this first. */
export function checkExecutable(r: { status: RequestStatus; deadline: IsoDate | null }, today: IsoDate) {
  return applyRequestEvent(effectiveStatus(r.status, r.deadline, today), 'execute');
}

// ---------------------------------------------------------------------------------------------
// Submission
// ---------------------------------------------------------------------------------------------

export type SubmissionRefusal = 'request.item_not_classified' | 'request.clearance_below_level' | 'request.copy_forbidden' | 'request.period_past';

export interface SubmissionFacts {
  type: RequestType;
  requester: { clearance: Clearance };
  item: { level: Level | null; copyAllowed: boolean };
  /** A take-out's period (its details' from/to); null for the other types. */
  period: { from: IsoDate; to: IsoDate } | null;
  today: IsoDate;
}

/**
 * Checks at submission, in order. Luật 29/2018 Đ.11, Đ.14, Đ.15: the request is for a secret the
 * requester is cleared to handle [I: clearance as for handling, items.rules HANDLING_RULES]; an
 * item marked not to be copied (copy_allowed = 0) is not copied, photographed or extracted.
 */
export const SUBMISSION_RULES: readonly { code: SubmissionRefusal; fails: (f: SubmissionFacts) => boolean }[] = [
  { code: 'request.item_not_classified', fails: (f) => f.item.level === null },
  { code: 'request.clearance_below_level', fails: (f) => f.item.level !== null && !clearanceCovers(f.requester.clearance, f.item.level) },
  { code: 'request.copy_forbidden', fails: (f) => isCopyingType(f.type) && !f.item.copyAllowed },
  // [I] A take-out asked for a period already over cannot be approved for anything real.
  { code: 'request.period_past', fails: (f) => f.period !== null && compareDates(f.period.to, f.today) < 0 },
];

export function checkSubmission(f: SubmissionFacts): { ok: true } | { ok: false; code: SubmissionRefusal } {
  const failed = SUBMISSION_RULES.find((r) => r.fails(f));
  return failed ? { ok: false, code: failed.code } : { ok: true };
}

/** Where the request is decided: in the agency, or outside it by a higher authority (the table's row). */
export function routeOf(type: RequestType, level: Level, table: AuthorityTable = AUTHORITY_TABLE): 'agency' | 'higher_authority' {
  return table[OPERATION_OF_TYPE[type]][level].decidedBy === 'agency' ? 'agency' : 'higher_authority';
}

/** Who decides outside the agency, in Vietnamese (for the routed request's page). */
export function outsideAuthorityOf(type: RequestType, level: Level, table: AuthorityTable = AUTHORITY_TABLE): string | null {
  const row = table[OPERATION_OF_TYPE[type]][level];
  return row.decidedBy === 'higher_authority' ? row.authorityVi : null;
}

// ---------------------------------------------------------------------------------------------
// Who decides — the one call to the authority table's decide()
// ---------------------------------------------------------------------------------------------

export type DeciderRefusal =
  'request.self_decision' | 'request.wrong_authority' | 'request.delegation_expired' | 'request.higher_authority' | 'request.decider_clearance';

export interface DeciderFacts {
  id: string;
  roles: readonly Role[];
  clearance: Clearance;
  positionKind: PositionKind | null;
  isAgencyHead: boolean;
  delegations: readonly DelegationScope[];
}

export interface DecidedRequest {
  type: RequestType;
  requesterId: string;
  level: Level;
  field: string;
}

/** Roles that never read content decide nothing. */
const NEVER_DECIDE: readonly Role[] = ['admin', 'inspector'];

/**
 * May this person decide this request today? The authority table says (operation × level ×
 * position × delegation × own request), through decide() — called here and nowhere else in the
 * module. [I] The decider must also be cleared for the level: deciding means reading what is asked.
 */
export function checkDecider(input: {
  decider: DeciderFacts;
  request: DecidedRequest;
  today: IsoDate;
  table?: AuthorityTable;
}): { ok: true; via: 'position' | 'delegation' } | { ok: false; code: DeciderRefusal } {
  const { decider, request } = input;
  if (decider.id === request.requesterId) return { ok: false, code: 'request.self_decision' };
  if (decider.roles.some((r) => NEVER_DECIDE.includes(r))) return { ok: false, code: 'request.wrong_authority' };
  // The head role is what gives an authority's screens; a held account has lost it.
  const isAgencyHead = decider.isAgencyHead && decider.roles.includes('head');
  const r = decide({
    operation: OPERATION_OF_TYPE[request.type],
    level: request.level,
    field: request.field,
    today: input.today,
    decider: { id: decider.id, positionKind: decider.positionKind, isAgencyHead, delegations: decider.delegations },
    requesterId: request.requesterId,
    ...(input.table ? { table: input.table } : {}),
  });
  if (!r.ok) return { ok: false, code: `request.${r.code}` };
  if (!clearanceCovers(decider.clearance, request.level)) return { ok: false, code: 'request.decider_clearance' };
  return { ok: true, via: r.via };
}

export type OutsideRecorderRefusal = 'request.not_recorder' | 'request.self_decision' | 'request.not_higher_authority';

export interface RecorderFacts {
  id: string;
  roles: readonly Role[];
  isAgencyHead: boolean;
  /** A văn thư of the agency itself (who keeps its incoming decisions). */
  isAgencyClerk: boolean;
}

/**
 * Who records a decision taken outside the agency (the higher authority's written decision): the
 * agency head, the security officer or the agency's văn thư; never the requester, and only for a
 * request the table routes outside.
 */
export function checkOutsideRecorder(input: {
  recorder: RecorderFacts;
  request: { requesterId: string; route: string | null };
}): { ok: true } | { ok: false; code: OutsideRecorderRefusal } {
  const { recorder } = input;
  const may = recorder.roles.includes('security_officer') || (recorder.isAgencyHead && recorder.roles.includes('head')) || recorder.isAgencyClerk;
  if (!may) return { ok: false, code: 'request.not_recorder' };
  if (recorder.id === input.request.requesterId) return { ok: false, code: 'request.self_decision' };
  if (input.request.route !== 'higher_authority') return { ok: false, code: 'request.not_higher_authority' };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// The decision's content
// ---------------------------------------------------------------------------------------------

export type DecisionRefusal = 'request.reason_required' | 'request.deadline_required' | 'request.deadline_invalid' | 'request.quantity_required';

/**
 * An approval is bounded in time (a deadline not before today) and, for copying, states how many
 * copies; a refusal states its reason.
 */
export function checkDecisionContent(
  d:
    | { outcome: 'approved'; deadline: IsoDate | null | undefined; quantity: number | null; type: RequestType }
    | { outcome: 'refused'; reason: string | null | undefined },
  today: IsoDate,
): { ok: true } | { ok: false; code: DecisionRefusal } {
  if (d.outcome === 'refused') return d.reason && d.reason.trim().length > 0 ? { ok: true } : { ok: false, code: 'request.reason_required' };
  if (!d.deadline) return { ok: false, code: 'request.deadline_required' };
  if (compareDates(d.deadline, today) < 0) return { ok: false, code: 'request.deadline_invalid' };
  if (isCopyingType(d.type) && (d.quantity === null || d.quantity < 1)) return { ok: false, code: 'request.quantity_required' };
  return { ok: true };
}
