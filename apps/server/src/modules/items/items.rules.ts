import {
  ITEM_KINDS,
  ITEM_KIND_TABLE,
  LEVELS,
  LEVEL_TABLE,
  clearanceCovers,
  decide,
  delegationCoversDecision,
  isCivilDate,
  protectionEnd,
  protectionPeriodFromBasis,
  type CatalogPeriodBasis,
  type DelegationScope,
  type PositionKind,
  type Clearance,
  type IsoDate,
  type ItemKind,
  type Level,
  type PeriodBasis,
  type PeriodErrorCode,
  type Role,
  type ShorterPeriod,
} from '@khomat/policy';

// Pure rules of a secret item (SecretItem): its lifecycle, the classification proposal and its
// approval, and who may read its content. No IO.

/** Admins and inspectors see metadata only, never content, and decide nothing (DESIGN.md principle 2). */
export const METADATA_ONLY_ROLES: readonly Role[] = ['admin', 'inspector'];

// ---------------------------------------------------------------------------------------------
// Lifecycle
// ---------------------------------------------------------------------------------------------

/**
 * draft → proposed → classified → issued; a proposal may be returned with a reason and revised
 * (back to draft), or withdrawn by its drafter. Items received from outside start as `received`.
 * Declassification, destruction and recovery belong to the lifecycle module (later issue).
 */
export const ITEM_STATUSES = ['draft', 'proposed', 'returned', 'classified', 'issued', 'received'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const ITEM_EVENTS = ['propose', 'withdraw', 'approve', 'return', 'revise', 'issue'] as const;
export type ItemEvent = (typeof ITEM_EVENTS)[number];

export const ITEM_STATUS_LABEL_VI: Record<ItemStatus, string> = {
  draft: 'Dự thảo',
  proposed: 'Đã trình',
  returned: 'Bị trả lại',
  classified: 'Đã xác định độ mật',
  issued: 'Đã phát hành',
  received: 'Đã tiếp nhận',
};

export const ITEM_TRANSITIONS: Record<ItemStatus, Partial<Record<ItemEvent, ItemStatus>>> = {
  draft: { propose: 'proposed' },
  proposed: { approve: 'classified', return: 'returned', withdraw: 'draft' },
  returned: { revise: 'draft' },
  // Số, ký hiệu given, copies made and registered in the outgoing register.
  classified: { issue: 'issued' },
  issued: {},
  received: {},
};

export type ItemTransitionResult = { ok: true; status: ItemStatus } | { ok: false; code: 'item.transition_not_allowed' };

export function applyItemEvent(status: ItemStatus, event: ItemEvent): ItemTransitionResult {
  const next = ITEM_TRANSITIONS[status][event];
  return next === undefined ? { ok: false, code: 'item.transition_not_allowed' } : { ok: true, status: next };
}

// ---------------------------------------------------------------------------------------------
// Classification proposal (tờ trình / phiếu trình) — NĐ 26/2020 Đ.2 k.1 [V], kept by NĐ 63/2026 [I]
// ---------------------------------------------------------------------------------------------

/** One catalogue item the classification rests on (danh mục BMNN: decision, article, clause, point). */
export interface CatalogBasisRef {
  catalogItemId: string;
  /** The level that catalogue item carries. */
  level: Level;
}

export interface ProposalRecipient {
  kind: 'user' | 'unit' | 'outside';
  id: string;
}

export interface ClassificationProposal {
  kind: ItemKind;
  level?: Level | null;
  catalogBasis?: readonly CatalogBasisRef[] | null;
  recipients?: readonly ProposalRecipient[] | null;
  copyCount?: number | null;
  /** Được phép / không được phép sao, chụp: must be decided either way. */
  copyAllowed?: boolean | null;
  shorterPeriod?: ShorterPeriod | null;
}

export type ProposalIssueCode =
  | 'item.kind_required'
  | 'item.level_required'
  | 'item.catalog_basis_required'
  | 'item.level_not_from_catalog'
  | 'item.recipients_required'
  | 'item.recipient_duplicate'
  | 'item.copies_required'
  | 'item.copies_fewer_than_recipients'
  | 'item.copy_permission_required'
  | 'item.period_not_applicable'
  | PeriodErrorCode;

export type ProposalField = 'kind' | 'level' | 'catalogBasis' | 'recipients' | 'copyCount' | 'copyAllowed' | 'shorterPeriod';

export interface ProposalIssue {
  code: ProposalIssueCode;
  field: ProposalField;
}

/** `code` is the first issue, for callers that report one error; `issues` lists them all, per field. */
export type ProposalCheck = { ok: true } | { ok: false; code: ProposalIssueCode; issues: ProposalIssue[] };

const isLevel = (l: unknown): l is Level => (LEVELS as readonly unknown[]).includes(l);

/** The highest level among the catalogue items: mixed content takes the highest level. */
export function levelFromCatalog(basis: readonly CatalogBasisRef[]): Level | undefined {
  let best: Level | undefined;
  for (const b of basis) if (isLevel(b.level) && (!best || LEVEL_TABLE[b.level].rank > LEVEL_TABLE[best].rank)) best = b.level;
  return best;
}

/**
 * Check a proposal before it goes to the authority. `today` anchors a shorter period for the
 * check; it is computed again from the real classification date on approval.
 */
export function checkClassificationProposal(p: ClassificationProposal, today: IsoDate): ProposalCheck {
  const issues: ProposalIssue[] = [];
  const add = (code: ProposalIssueCode, field: ProposalField) => issues.push({ code, field });

  const kindOk = (ITEM_KINDS as readonly unknown[]).includes(p.kind);
  if (!kindOk) add('item.kind_required', 'kind');
  if (!isLevel(p.level)) add('item.level_required', 'level');

  // Luật 117/2025 Đ.5: classifying information outside the danh mục BMNN is forbidden, so a
  // level without a catalogue basis is refused.
  const basis = (p.catalogBasis ?? []).filter((b) => typeof b?.catalogItemId === 'string' && b.catalogItemId.trim() !== '' && isLevel(b.level));
  if (basis.length === 0) add('item.catalog_basis_required', 'catalogBasis');
  // [I] The level is the one the catalogue gives (the highest, for mixed content): a proposal
  // above or below the catalogue is refused rather than silently corrected.
  else if (isLevel(p.level) && levelFromCatalog(basis) !== p.level) add('item.level_not_from_catalog', 'level');

  const recipients = p.recipients ?? [];
  if (recipients.length === 0) add('item.recipients_required', 'recipients');
  else if (new Set(recipients.map((r) => `${r.kind}:${r.id}`)).size !== recipients.length) add('item.recipient_duplicate', 'recipients');

  const copies = p.copyCount;
  if (typeof copies !== 'number' || !Number.isSafeInteger(copies) || copies < 1) add('item.copies_required', 'copyCount');
  // [I] Each recipient in "Nơi nhận" receives at least one numbered copy.
  else if (copies < recipients.length) add('item.copies_fewer_than_recipients', 'copyCount');

  if (typeof p.copyAllowed !== 'boolean') add('item.copy_permission_required', 'copyAllowed');

  if (p.shorterPeriod != null && kindOk) {
    if (!ITEM_KIND_TABLE[p.kind].shorterPeriodAllowed) add('item.period_not_applicable', 'shorterPeriod');
    else if (isLevel(p.level)) {
      const r = protectionEnd({ level: p.level, classifiedOn: today, shorterPeriod: p.shorterPeriod });
      if (!r.ok) add(r.code, 'shorterPeriod');
    }
  }

  const first = issues[0];
  return first ? { ok: false, code: first.code, issues } : { ok: true };
}

/**
 * End of protection decided on approval, with its basis (protectionPeriodFromBasis): null for a
 * place (protected while in use, Luật 117/2025 Đ.19), else the shortest of the level's period, the
 * period of the catalogue row the item is classified under, and the shorter period decided for
 * the item (the kinds that allow one, ITEM_KIND_TABLE).
 */
export function protectionEndForItem(input: {
  kind: ItemKind;
  level: Level;
  classifiedOn: IsoDate;
  shorterPeriod?: ShorterPeriod | null;
  catalog?: CatalogPeriodBasis | null;
}): { ok: true; end: IsoDate | null; basis: PeriodBasis | null } | { ok: false; code: PeriodErrorCode | 'item.period_not_applicable' } {
  const def = ITEM_KIND_TABLE[input.kind];
  if (input.shorterPeriod != null && !def.shorterPeriodAllowed) return { ok: false, code: 'item.period_not_applicable' };
  if (def.periodEnds === 'while_in_use') {
    return isCivilDate(input.classifiedOn) ? { ok: true, end: null, basis: null } : { ok: false, code: 'period.invalid_date' };
  }
  const r = protectionPeriodFromBasis({
    level: input.level,
    classifiedOn: input.classifiedOn,
    catalog: input.catalog ?? null,
    decision: input.shorterPeriod ?? null,
  });
  return r.ok ? { ok: true, end: r.end, basis: r.basis } : r;
}

// ---------------------------------------------------------------------------------------------
// Approval by the authority (người có thẩm quyền xác định độ mật)
// ---------------------------------------------------------------------------------------------

/**
 * A deputy's written delegation (packages/policy authority.ts DelegationScope): operations ×
 * levels × one field, for a period (CV 4114/BCA-ANCTNB; NĐ 63/2026 draft: a written authorisation
 * or work assignment of the head). Both dates inclusive [I].
 */
export type Delegation = DelegationScope;

export interface Approver {
  id: string;
  roles: readonly Role[];
  clearance: Clearance;
  /**
   * The head of the agency itself (packages/policy isAgencyHead: the agency_head position in the
   * root unit), not a deputy nor the head of a department: the person the law gives the decision
   * to (người đứng đầu cơ quan, tổ chức).
   */
  isAgencyHead: boolean;
  /** The position held (chức vụ); the authority table speaks of its kind. */
  positionKind?: PositionKind | null;
  delegations?: readonly Delegation[];
}

export type ApprovalErrorCode = 'item.not_proposed' | 'item.self_approval' | 'item.approver_not_authorised' | 'item.approver_clearance_insufficient';

/** `via`: recorded with the decision (audit `via`): by the position ('head') or under a delegation. */
export type ApprovalCheck = { ok: true; via: 'head' | 'delegation' } | { ok: false; code: ApprovalErrorCode };

/** Does this delegation let its holder decide a classification in `field` today (any level)? */
export function delegationCovers(d: Delegation, field: string, today: IsoDate, level?: Level): boolean {
  return (level ? [level] : d.levels).some((l) => delegationCoversDecision(d, { operation: 'classify', level: l, field, today }));
}

/**
 * May `approver` decide (approve or return) the proposal today? The authority table decides
 * (packages/policy AUTHORITY_TABLE.classify, through decide()): the head of the agency by the
 * position; a deputy — the Phó Giám đốc, the head of a department, anyone — only under a written
 * delegation covering classification, the item's level and field, and today; nobody decides on
 * their own proposal. Roles that never read content decide nothing.
 * [I] The decider must also be cleared for the level, since deciding means reading the content.
 */
export function checkApproval(input: {
  approver: Approver;
  item: { status: ItemStatus; drafterId: string; field: string; level: Level };
  today: IsoDate;
}): ApprovalCheck {
  const { approver, item, today } = input;
  if (item.status !== 'proposed') return { ok: false, code: 'item.not_proposed' };
  if (approver.id === item.drafterId) return { ok: false, code: 'item.self_approval' };
  if (approver.roles.some((r) => METADATA_ONLY_ROLES.includes(r))) return { ok: false, code: 'item.approver_not_authorised' };
  // The head role is what gives the screens of an authority; a held account has lost it.
  const isAgencyHead = approver.isAgencyHead && approver.roles.includes('head');
  const r = decide({
    operation: 'classify',
    level: item.level,
    field: item.field,
    today,
    decider: {
      id: approver.id,
      positionKind: isAgencyHead ? 'agency_head' : (approver.positionKind ?? null),
      isAgencyHead,
      delegations: approver.delegations ?? [],
    },
    requesterId: item.drafterId,
  });
  if (!r.ok) return { ok: false, code: r.code === 'self_decision' ? 'item.self_approval' : 'item.approver_not_authorised' };
  if (!clearanceCovers(approver.clearance, item.level)) return { ok: false, code: 'item.approver_clearance_insufficient' };
  return { ok: true, via: r.via === 'position' ? 'head' : 'delegation' };
}

// ---------------------------------------------------------------------------------------------
// Reading content (need-to-know) — DESIGN.md principle 2
// ---------------------------------------------------------------------------------------------

export interface ContentReader {
  id: string;
  roles: readonly Role[];
  clearance: Clearance;
  unitId: string | null;
  /** Head of `unitId`: reads what is held by, or addressed to, the unit itself. */
  isHeadOfUnit?: boolean;
}

export interface ContentItem {
  level: Level;
  /** "Chỉ người có tên mới được bóc bì". */
  addresseeOnly: boolean;
  namedAddresseeId?: string | null;
  /** Ids of the users and units holding a copy now (ids are unique across users and units). */
  holderIds: readonly string[];
  /** Ids of the users and units named in "Nơi nhận". */
  recipientIds: readonly string[];
  /** Users assigned to the item by the holder's head. */
  assignedIds: readonly string[];
}

/** Roles whose work can involve reading content. */
export const CONTENT_READING_ROLES: readonly Role[] = ['clerk', 'officer', 'head', 'security_officer'];

export type ContentAccessReason =
  | 'metadata_only_role'
  | 'no_content_role'
  | 'clearance_below_level'
  | 'named_addressee'
  | 'addressee_only'
  | 'holds_copy'
  | 'unit_holds_copy'
  | 'named_recipient'
  | 'unit_is_recipient'
  | 'assigned'
  | 'no_need_to_know';

interface ContentAccessRule {
  reason: ContentAccessReason;
  allowed: boolean;
  applies: (u: ContentReader, i: ContentItem) => boolean;
}

const headOf = (u: ContentReader, ids: readonly string[]) => u.isHeadOfUnit === true && u.unitId !== null && ids.includes(u.unitId);

/**
 * Evaluated in order; the first rule that applies decides. Refusals that hold whatever else is
 * true come first, so no later "allow" can override them.
 */
export const CONTENT_ACCESS_RULES: readonly ContentAccessRule[] = [
  { reason: 'metadata_only_role', allowed: false, applies: (u) => u.roles.some((r) => METADATA_ONLY_ROLES.includes(r)) },
  { reason: 'no_content_role', allowed: false, applies: (u) => !u.roles.some((r) => CONTENT_READING_ROLES.includes(r)) },
  { reason: 'clearance_below_level', allowed: false, applies: (u, i) => !clearanceCovers(u.clearance, i.level) },
  // Addressee-only: the named person and nobody else — not their head, not the clerk holding
  // the sealed envelope (NĐ 26/2020 Đ.4 k.2; DESIGN.md principle 2).
  { reason: 'named_addressee', allowed: true, applies: (u, i) => i.addresseeOnly && !!i.namedAddresseeId && i.namedAddresseeId === u.id },
  { reason: 'addressee_only', allowed: false, applies: (_u, i) => i.addresseeOnly },
  { reason: 'holds_copy', allowed: true, applies: (u, i) => i.holderIds.includes(u.id) },
  // [I] A copy held by (or addressed to) a unit is readable by that unit's head; its other
  // members need an assignment.
  { reason: 'unit_holds_copy', allowed: true, applies: (u, i) => headOf(u, i.holderIds) },
  { reason: 'named_recipient', allowed: true, applies: (u, i) => i.recipientIds.includes(u.id) },
  { reason: 'unit_is_recipient', allowed: true, applies: (u, i) => headOf(u, i.recipientIds) },
  { reason: 'assigned', allowed: true, applies: (u, i) => i.assignedIds.includes(u.id) },
  { reason: 'no_need_to_know', allowed: false, applies: () => true },
];

export function canReadContent(input: { user: ContentReader; item: ContentItem }): { allowed: boolean; reason: ContentAccessReason } {
  for (const rule of CONTENT_ACCESS_RULES) {
    if (rule.applies(input.user, input.item)) return { allowed: rule.allowed, reason: rule.reason };
  }
  return { allowed: false, reason: 'no_need_to_know' };
}

// ---------------------------------------------------------------------------------------------
// One content decision for every row (DESIGN.md principle 2): the item page, the content route,
// register lists, search hits, printed and exported registers all ask rowContentAccess.
// ---------------------------------------------------------------------------------------------

export interface RowViewer extends ContentReader {
  /** A clerk of the agency itself (its root unit): the văn thư who keeps the agency's registers. */
  isAgencyClerk?: boolean;
}

export interface ContentRow extends ContentItem {
  /**
   * Register rows only: the unit whose register the row belongs to (register_entries.unit_id).
   * Its clerk — and the agency's clerk, who keeps the agency's registers — wrote the row and
   * answers for it. Undefined outside a register (the item page, the content route).
   */
  keeperUnitId?: string | null;
  /** Before issue the drafter, and while proposed whoever may decide it, read the proposal. */
  proposalPhase?: boolean;
  drafterId?: string | null;
  /** checkApproval says this viewer may decide the proposal now. */
  viewerDecides?: boolean;
}

export type RowAccessReason = ContentAccessReason | 'register_keeper' | 'drafter' | 'decider';

const isKeeper = (u: RowViewer, r: ContentRow) =>
  r.keeperUnitId !== undefined && u.roles.includes('clerk') && (u.isAgencyClerk === true || (r.keeperUnitId !== null && u.unitId === r.keeperUnitId));

const contentRule = (reason: ContentAccessReason) => {
  const rule = CONTENT_ACCESS_RULES.find((r) => r.reason === reason)!;
  return { reason: rule.reason as RowAccessReason, allowed: rule.allowed, applies: (u: RowViewer, r: ContentRow) => rule.applies(u, r) };
};

/**
 * Evaluated in order, the first that applies decides: the refusals of CONTENT_ACCESS_RULES that
 * hold whatever else is true (role, clearance), then the register's keeper, then need-to-know as
 * canReadContent has it, then the proposal's own people. Clearance always comes first: nobody,
 * keeper included, sees the summary of a row above their clearance.
 */
export const ROW_ACCESS_RULES: readonly { reason: RowAccessReason; allowed: boolean; applies: (u: RowViewer, r: ContentRow) => boolean }[] = [
  contentRule('metadata_only_role'),
  contentRule('no_content_role'),
  contentRule('clearance_below_level'),
  { reason: 'register_keeper', allowed: true, applies: isKeeper },
  ...CONTENT_ACCESS_RULES.filter((r) => r.allowed || r.reason === 'addressee_only').map((r) => contentRule(r.reason)),
  { reason: 'drafter', allowed: true, applies: (u, r) => r.proposalPhase === true && !!r.drafterId && r.drafterId === u.id },
  { reason: 'decider', allowed: true, applies: (_u, r) => r.proposalPhase === true && r.viewerDecides === true },
  contentRule('no_need_to_know'),
];

export function rowContentAccess(viewer: RowViewer, row: ContentRow): { allowed: boolean; reason: RowAccessReason } {
  for (const rule of ROW_ACCESS_RULES) if (rule.applies(viewer, row)) return { allowed: rule.allowed, reason: rule.reason };
  return { allowed: false, reason: 'no_need_to_know' };
}

/** Can this viewer see any summary at all (role and clearance, before any row)? */
export function readsAnySummary(viewer: Pick<RowViewer, 'roles' | 'clearance'>): boolean {
  return (
    !viewer.roles.some((r) => METADATA_ONLY_ROLES.includes(r)) && viewer.roles.some((r) => CONTENT_READING_ROLES.includes(r)) && viewer.clearance !== 'NONE'
  );
}

/**
 * What a row shows as its summary: the text when the decision allows it; nothing and `hidden`
 * when the viewer may not read it — whether or not the clerk wrote one, so the difference tells
 * nothing. Tuyệt mật rows keep their own rule: no summary is ever written (NĐ 63/2026), which
 * everyone may be told, since the level is shown.
 */
export function summaryShown(row: { summary: string | null; level: string }, access: { allowed: boolean }): { summary: string | null; hidden: boolean } {
  if (row.level === 'TOP_SECRET') return { summary: null, hidden: false };
  if (!access.allowed) return { summary: null, hidden: true };
  return { summary: row.summary ?? null, hidden: false };
}

// ---------------------------------------------------------------------------------------------
// Handling needs clearance and place (issue 11 point 4)
// ---------------------------------------------------------------------------------------------

export const HANDLING_ACTIONS = [
  'draft',
  'propose',
  'issue',
  'print_envelopes',
  'receive',
  'record_receipt',
  'hand_over',
  'cancel_entry',
  'lock_register',
] as const;
export type HandlingAction = (typeof HANDLING_ACTIONS)[number];

/**
 * Where the actor must stand: `own` — the place is the actor's own (drafting, receiving into
 * one's unit, moving what one holds: the use case already ties it); `unit` — the unit that owns
 * the item or keeps the register row, or the agency's văn thư; `agency` — the agency itself (a
 * register year is the agency's, numbered once for all its units).
 */
export type HandlingPlace = 'own' | 'unit' | 'agency';

export interface HandlingRule {
  place: HandlingPlace;
  /** The refusal when the level is above the actor's clearance. */
  clearanceCode: 'item.level_above_clearance' | 'handling.clearance_below_level';
}

/**
 * L2018 Art 26.1 (a person with access uses it only for the purpose, under the agency's rules) and
 * NĐ 26/2020 Đ.4 [I]: whoever handles a secret (drafts, numbers, packs,
 * registers, hands over, cancels or locks the register it stands in) must be cleared for its
 * level; the văn thư acts for the registers and items of their own unit, the agency's văn thư for
 * the agency's. A register year locked or unlocked as a whole needs clearance for its highest row.
 */
export const HANDLING_RULES: Record<HandlingAction, HandlingRule> = {
  draft: { place: 'own', clearanceCode: 'item.level_above_clearance' },
  propose: { place: 'own', clearanceCode: 'item.level_above_clearance' },
  issue: { place: 'unit', clearanceCode: 'handling.clearance_below_level' },
  print_envelopes: { place: 'unit', clearanceCode: 'handling.clearance_below_level' },
  receive: { place: 'own', clearanceCode: 'handling.clearance_below_level' },
  // An outside body's signed receipt, written into the outgoing register row of the item's unit.
  record_receipt: { place: 'unit', clearanceCode: 'handling.clearance_below_level' },
  hand_over: { place: 'own', clearanceCode: 'handling.clearance_below_level' },
  cancel_entry: { place: 'unit', clearanceCode: 'handling.clearance_below_level' },
  lock_register: { place: 'agency', clearanceCode: 'handling.clearance_below_level' },
};

export interface HandlingInput {
  action: HandlingAction;
  actor: { clearance: Clearance; unitId: string; isAgencyClerk: boolean; atAgency: boolean };
  /** The item's level, or the highest level in the register year (null: nothing in it yet). */
  level: Level | null;
  /** The unit that owns the item or keeps the register row (`unit` rules). */
  unitId?: string | null;
}

export type HandlingErrorCode = HandlingRule['clearanceCode'] | 'handling.not_your_unit';

export function checkHandling(input: HandlingInput): { ok: true } | { ok: false; code: HandlingErrorCode } {
  const rule = HANDLING_RULES[input.action];
  if (input.level !== null && !clearanceCovers(input.actor.clearance, input.level)) return { ok: false, code: rule.clearanceCode };
  const a = input.actor;
  const placeOk = rule.place === 'own' || (rule.place === 'agency' ? a.atAgency : a.isAgencyClerk || (!!input.unitId && input.unitId === a.unitId));
  return placeOk ? { ok: true } : { ok: false, code: 'handling.not_your_unit' };
}

// ---------------------------------------------------------------------------------------------
// Need-to-know by assignment — DESIGN.md principle 2 ("is assigned to the item")
// ---------------------------------------------------------------------------------------------

export interface AssignmentActor {
  id: string;
  roles: readonly Role[];
  /** The actor's unit; a head is the head of this unit. */
  unitId: string;
}

export interface AssignmentItem {
  level: Level;
  /** "Chỉ người có tên mới được bóc bì": only the named person reads it, nobody is assigned. */
  addresseeOnly: boolean;
  /** Units holding a live (not destroyed, not lost) copy themselves. */
  holderUnitIds: readonly string[];
  /** Units of the users holding a live copy. */
  holderUserUnitIds: readonly string[];
  /** Units named in "Nơi nhận". */
  recipientUnitIds: readonly string[];
}

export interface Assignee {
  id: string;
  active: boolean;
  unitId: string;
  roles: readonly Role[];
  clearance: Clearance;
}

export interface AssignmentInput {
  actor: AssignmentActor;
  item: AssignmentItem;
  assigneeId: string;
  /** null when no such user exists. */
  assignee: Assignee | null;
  alreadyAssigned: boolean;
}

export type AssignmentErrorCode =
  | 'item.assign_not_head'
  | 'item.assign_addressee_only'
  | 'item.assign_not_responsible'
  | 'item.assign_self'
  | 'item.assignee_not_found'
  | 'item.assignee_inactive'
  | 'item.assignee_other_unit'
  | 'item.assignee_no_content_role'
  | 'item.assignee_clearance_below_level'
  | 'item.already_assigned';

const isAssigningHead = (a: AssignmentActor) => a.roles.includes('head') && !a.roles.some((r) => METADATA_ONLY_ROLES.includes(r));

/** The item is the actor's unit's business: it holds a live copy, a member holds one, or it is a recipient. */
export function headIsResponsible(actor: AssignmentActor, item: AssignmentItem): boolean {
  return isAssigningHead(actor) && [item.holderUnitIds, item.holderUserUnitIds, item.recipientUnitIds].some((ids) => ids.includes(actor.unitId));
}

const readsContent = (roles: readonly Role[]) => roles.some((r) => CONTENT_READING_ROLES.includes(r)) && !roles.some((r) => METADATA_ONLY_ROLES.includes(r));

/**
 * Evaluated in order; the first rule that applies refuses. Who decides comes first (a head of an
 * unrelated unit learns nothing about the assignee), then the assignee, then duplicates.
 */
export const ASSIGNMENT_RULES: readonly { code: AssignmentErrorCode; applies: (i: AssignmentInput) => boolean }[] = [
  { code: 'item.assign_not_head', applies: (i) => !isAssigningHead(i.actor) },
  { code: 'item.assign_addressee_only', applies: (i) => i.item.addresseeOnly },
  { code: 'item.assign_not_responsible', applies: (i) => !headIsResponsible(i.actor, i.item) },
  { code: 'item.assign_self', applies: (i) => i.assigneeId === i.actor.id },
  { code: 'item.assignee_not_found', applies: (i) => i.assignee === null },
  { code: 'item.assignee_inactive', applies: (i) => !i.assignee!.active },
  // [I] A head assigns within their own unit: need-to-know is decided by the person who answers for them.
  { code: 'item.assignee_other_unit', applies: (i) => i.assignee!.unitId !== i.actor.unitId },
  { code: 'item.assignee_no_content_role', applies: (i) => !readsContent(i.assignee!.roles) },
  { code: 'item.assignee_clearance_below_level', applies: (i) => !clearanceCovers(i.assignee!.clearance, i.item.level) },
  { code: 'item.already_assigned', applies: (i) => i.alreadyAssigned },
];

export function checkAssignment(input: AssignmentInput): { ok: true } | { ok: false; code: AssignmentErrorCode } {
  for (const rule of ASSIGNMENT_RULES) if (rule.applies(input)) return { ok: false, code: rule.code };
  return { ok: true };
}

export type RevocationErrorCode = 'item.assign_not_head' | 'item.assign_not_responsible' | 'item.assignment_not_found';

/**
 * Withdrawing an assignment: the head who made it, or a responsible head of the assignee's unit.
 * Whether the assignment exists is told only to someone who could manage it.
 */
export function checkRevocation(input: {
  actor: AssignmentActor;
  item: AssignmentItem;
  assignment: { assignedBy: string } | null;
  /** The assignee's unit now (null if the user no longer exists). */
  assigneeUnitId: string | null;
}): { ok: true } | { ok: false; code: RevocationErrorCode } {
  const { actor, item, assignment, assigneeUnitId } = input;
  if (!isAssigningHead(actor)) return { ok: false, code: 'item.assign_not_head' };
  const assigner = assignment !== null && assignment.assignedBy === actor.id;
  const responsibleForAssignee = headIsResponsible(actor, item) && (assignment === null || assigneeUnitId === actor.unitId);
  if (!assigner && !responsibleForAssignee) return { ok: false, code: 'item.assign_not_responsible' };
  if (assignment === null) return { ok: false, code: 'item.assignment_not_found' };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// Unit holdings ("đơn vị đang giữ")
// ---------------------------------------------------------------------------------------------

/** Roles that look at any unit's holdings (inventories, inspections); clerks and heads see their own. */
export const ANY_UNIT_HOLDINGS_ROLES: readonly Role[] = ['security_officer', 'inspector'];
export const OWN_UNIT_HOLDINGS_ROLES: readonly Role[] = ['clerk', 'head'];

export function canReadUnitHoldings(actor: { roles: readonly Role[]; unitId: string }, unitId: string): boolean {
  if (actor.roles.some((r) => ANY_UNIT_HOLDINGS_ROLES.includes(r))) return true;
  return actor.unitId === unitId && actor.roles.some((r) => OWN_UNIT_HOLDINGS_ROLES.includes(r));
}

// ---------------------------------------------------------------------------------------------
// The item's lifecycle as shown on its page (from the audit trail)
// ---------------------------------------------------------------------------------------------

/**
 * Audit details shown per action: an allow-list, so a key added to an audit event later is not
 * shown until someone decides it carries no content. Actions not listed show no details.
 */
export const ITEM_EVENT_DETAILS: Readonly<Record<string, readonly string[]>> = {
  'item.drafted': ['kind', 'proposedLevel', 'recipients', 'copies'],
  'item.draft_updated': ['kind', 'proposedLevel', 'recipients', 'copies', 'revised'],
  'item.proposed': ['level'],
  // The head's reason for returning the proposal; it is also on the item itself (returnReason).
  'item.returned': ['reason', 'via'],
  'item.revised': ['withEdit'],
  'item.classified': ['level', 'classifiedOn', 'protectionEnd', 'via'],
  'item.issued': ['numberSymbol', 'copies', 'outgoingEntries'],
  'item.received': ['registerNumber', 'level', 'copies', 'addresseeOnly', 'envelope', 'arrivalDate', 'recordedAt'],
  'item.envelopes_printed': ['labels'],
  'incident.envelope_reported': ['envelope', 'notified'],
  'custody.handed_over': ['eventId', 'copies', 'to', 'registerNumber'],
  'custody.receipt_confirmed': ['eventId', 'copies'],
  'custody.outside_receipt_recorded': ['eventId', 'receivedOn', 'recordedAt'],
  // Never the summary's text: who wrote it, by which route, and who had agreed.
  'item.summary_agreed': [],
  'item.summary_completed': ['via', 'agreedBy'],
  'item.assignment_granted': ['userId'],
  'item.assignment_revoked': ['userId'],
  'item.content_read': ['reason'],
  'item.content_refused': ['reason'],
};

export const CONTENT_ACCESS_ACTIONS = ['item.content_read', 'item.content_refused'] as const;
/** Attached files (their own module): item.attachment_…read / …refused, and the obvious variants. */
export const ATTACHMENT_ACTION_PREFIX = 'item.attachment';
export const ATTACHMENT_ACCESS_SUFFIXES = ['read', 'refused', 'downloaded', 'opened', 'viewed'] as const;
const ATTACHMENT_ACCESS = new RegExp(`^item\\.attachments?[._][a-z_.]*(${ATTACHMENT_ACCESS_SUFFIXES.join('|')})$`);

/** Opening (or being refused) the content or an attached file: who read what is itself sensitive. */
export function isContentAccessAction(action: string): boolean {
  return (CONTENT_ACCESS_ACTIONS as readonly string[]).includes(action) || ATTACHMENT_ACCESS.test(action);
}

/** Only the security officer sees who opened the content (and who was refused). */
export const CONTENT_ACCESS_EVENT_ROLES: readonly Role[] = ['security_officer'];

export function itemEventVisible(action: string, viewerRoles: readonly Role[]): boolean {
  return !isContentAccessAction(action) || viewerRoles.some((r) => CONTENT_ACCESS_EVENT_ROLES.includes(r));
}

export function itemEventDetails(action: string, details: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ITEM_EVENT_DETAILS[action] ?? []) if (Object.hasOwn(details, key)) out[key] = details[key];
  return out;
}
