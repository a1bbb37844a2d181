// Custody of ONE numbered copy (bản số k/N, bản sao số k): its status and who holds it. Pure rules,
// no IO; the use cases record each accepted event as a CustodyEvent and derive the registers from
// them (DESIGN.md principle 4).
//
// Invariant: a copy has exactly one holder at all times. While it moves, the holder stays the
// sender until the receiver confirms (Luật 29/2018 Đ.13 k.6, [I] kept in Luật 117/2025: sender and
// receiver check, the receiver signs), and the receiver is `pendingHolder` meanwhile.

export const COPY_STATUSES = ['held', 'in_transit', 'taken_out', 'returned', 'recalled', 'destroyed', 'lost'] as const;
export type CopyStatus = (typeof COPY_STATUSES)[number];

export const COPY_STATUS_LABEL_VI: Record<CopyStatus, string> = {
  held: 'Đang giữ',
  in_transit: 'Đang chuyển giao',
  taken_out: 'Mang ra khỏi nơi lưu giữ',
  returned: 'Đã trả lại',
  recalled: 'Đã thu hồi',
  destroyed: 'Đã tiêu hủy',
  lost: 'Bị mất',
};

export type HolderKind = 'user' | 'unit' | 'outside';
/** A user or unit of the agency, or an outside body (cơ quan, tổ chức, cá nhân ngoài cơ quan). */
export interface Holder {
  kind: HolderKind;
  id: string;
}

export interface CopyCustodyState {
  status: CopyStatus;
  /** Who answers for the copy now: exactly one, always. */
  holder: Holder;
  /** The receiver while `in_transit`; null otherwise. */
  pendingHolder: Holder | null;
  /** Who the copy goes back to when `taken_out` ends; null otherwise. */
  returnTo: Holder | null;
}

export const CUSTODY_EVENT_TYPES = [
  'hand_over',
  'dispatch',
  'confirm_receipt',
  'cancel_transit',
  'take_out',
  'bring_back',
  'give_back',
  'recall',
  'destroy',
  'report_lost',
  'report_found',
] as const;
export type CustodyEventType = (typeof CUSTODY_EVENT_TYPES)[number];

export type CustodyEvent =
  /** Internal hand-over to a user or unit (sổ chuyển giao); completes on confirm_receipt. */
  | { type: 'hand_over'; to: Holder }
  /** Send out to an outside body (sổ đăng ký đi); completes when its receipt is recorded. */
  | { type: 'dispatch'; to: Holder }
  /** The pending receiver signs for the copy (for an outside body: its signed receipt is recorded). */
  | { type: 'confirm_receipt'; by: Holder }
  /** The move is called off (sender withdraws it, receiver refuses it): the sender keeps it. */
  | { type: 'cancel_transit' }
  /** Mang ra khỏi nơi lưu giữ (Luật 117/2025 Đ.14; NĐ 63/2026 Đ.7): a person takes it out. */
  | { type: 'take_out'; by: Holder }
  /** The copy comes back from being taken out. */
  | { type: 'bring_back' }
  /** The holder gives the copy back to the agency (e.g. "Tài liệu thu hồi" returned on time). */
  | { type: 'give_back'; to: Holder }
  /** Thu hồi: the agency recovers the copy by its decision. */
  | { type: 'recall'; to: Holder }
  /** Tiêu hủy (Luật 29/2018 Đ.23, [I] kept in Luật 117/2025 Đ.23). */
  | { type: 'destroy' }
  /** Lộ, mất: reported to the head at once (shared/domain/README.md rule 7, legal-basis §13.2). */
  | { type: 'report_lost' }
  /** A lost copy is found and comes back into the agency's custody. */
  | { type: 'report_found'; holder: Holder };

/**
 * What each event does in each status; undefined = not allowed. The resting statuses `held`,
 * `returned` and `recalled` differ only in how the copy got there (they say why it is with its
 * holder); `destroyed` is terminal.
 *
 * [I] Decisions: a copy must be brought back before it is handed over, recalled or given back;
 * one taken out may be destroyed on the spot (Luật 29/2018 Đ.23, [I] kept in 2025: when keeping it
 * is the greater danger, the holder destroys at once and reports) or reported lost; one in transit can only be
 * received, called back or reported lost; a lost copy can be found again.
 */
export const CUSTODY_TRANSITIONS: Record<CopyStatus, Partial<Record<CustodyEventType, CopyStatus>>> = {
  held: {
    hand_over: 'in_transit',
    dispatch: 'in_transit',
    take_out: 'taken_out',
    give_back: 'returned',
    recall: 'recalled',
    destroy: 'destroyed',
    report_lost: 'lost',
  },
  returned: { hand_over: 'in_transit', dispatch: 'in_transit', take_out: 'taken_out', destroy: 'destroyed', report_lost: 'lost' },
  recalled: { hand_over: 'in_transit', dispatch: 'in_transit', take_out: 'taken_out', destroy: 'destroyed', report_lost: 'lost' },
  in_transit: { confirm_receipt: 'held', cancel_transit: 'held', report_lost: 'lost' },
  taken_out: { bring_back: 'held', destroy: 'destroyed', report_lost: 'lost' },
  lost: { report_found: 'held' },
  destroyed: {},
};

export type CustodyErrorCode =
  | 'copy.destroyed'
  | 'copy.transition_not_allowed'
  | 'copy.invalid_holder'
  | 'copy.same_holder'
  | 'copy.holder_outside'
  | 'copy.hand_over_internal_only'
  | 'copy.dispatch_outside_only'
  | 'copy.must_come_back_inside'
  | 'copy.not_pending_holder'
  | 'copy.take_out_by_user_only'
  | 'copy.not_holder';

export type CustodyResult = { ok: true; state: CopyCustodyState } | { ok: false; code: CustodyErrorCode };

export function isTerminal(status: CopyStatus): boolean {
  return Object.keys(CUSTODY_TRANSITIONS[status]).length === 0;
}

export function sameHolder(a: Holder | null, b: Holder | null): boolean {
  return a !== null && b !== null && a.kind === b.kind && a.id === b.id;
}

export function isValidHolder(h: unknown): h is Holder {
  if (typeof h !== 'object' || h === null) return false;
  const { kind, id } = h as { kind?: unknown; id?: unknown };
  return (kind === 'user' || kind === 'unit' || kind === 'outside') && typeof id === 'string' && id.trim().length > 0;
}

const inside = (h: Holder) => h.kind !== 'outside';

/** The state's own consistency: one valid holder; a pending receiver exactly while in transit. */
export function custodyInvariantHolds(s: CopyCustodyState): boolean {
  if (!(COPY_STATUSES as readonly string[]).includes(s.status) || !isValidHolder(s.holder)) return false;
  if ((s.status === 'in_transit') !== (s.pendingHolder !== null)) return false;
  if (s.pendingHolder !== null && (!isValidHolder(s.pendingHolder) || sameHolder(s.pendingHolder, s.holder))) return false;
  if ((s.status === 'taken_out') !== (s.returnTo !== null)) return false;
  return s.returnTo === null || isValidHolder(s.returnTo);
}

/**
 * Custody of a new copy: issued (bản số k/N made by the issuing unit), registered on receipt, or
 * made by copying. It starts `held` by whoever made or received it.
 */
export function openCustody(holder: Holder): CustodyResult {
  if (!isValidHolder(holder)) return { ok: false, code: 'copy.invalid_holder' };
  return { ok: true, state: { status: 'held', holder: { ...holder }, pendingHolder: null, returnTo: null } };
}

const fail = (code: CustodyErrorCode): CustodyResult => ({ ok: false, code });

/** Apply one event. Refused events return a code and leave the state untouched. */
export function applyCustodyEvent(state: CopyCustodyState, event: CustodyEvent): CustodyResult {
  if (isTerminal(state.status)) return fail('copy.destroyed');
  const next = CUSTODY_TRANSITIONS[state.status][event.type];
  if (next === undefined) return fail('copy.transition_not_allowed');
  const rest = { pendingHolder: null, returnTo: null };

  switch (event.type) {
    case 'hand_over':
    case 'dispatch': {
      if (!isValidHolder(event.to)) return fail('copy.invalid_holder');
      if (!inside(state.holder)) return fail('copy.holder_outside');
      if (event.type === 'hand_over' && !inside(event.to)) return fail('copy.hand_over_internal_only');
      if (event.type === 'dispatch' && inside(event.to)) return fail('copy.dispatch_outside_only');
      if (sameHolder(event.to, state.holder)) return fail('copy.same_holder');
      return { ok: true, state: { ...rest, status: next, holder: state.holder, pendingHolder: { ...event.to } } };
    }
    case 'confirm_receipt': {
      if (!sameHolder(event.by, state.pendingHolder)) return fail('copy.not_pending_holder');
      return { ok: true, state: { ...rest, status: next, holder: { ...event.by } } };
    }
    case 'cancel_transit':
      return { ok: true, state: { ...rest, status: next, holder: state.holder } };
    case 'take_out': {
      if (!isValidHolder(event.by)) return fail('copy.invalid_holder');
      if (event.by.kind !== 'user') return fail('copy.take_out_by_user_only');
      if (!inside(state.holder)) return fail('copy.holder_outside');
      // [I] A copy held by a person is taken out by that person; one held by a unit by one of
      // its people (membership and permission are the use case's checks).
      if (state.holder.kind === 'user' && !sameHolder(state.holder, event.by)) return fail('copy.not_holder');
      return { ok: true, state: { status: next, holder: { ...event.by }, pendingHolder: null, returnTo: state.holder } };
    }
    case 'bring_back':
      return { ok: true, state: { ...rest, status: next, holder: state.returnTo ?? state.holder } };
    case 'give_back':
    case 'recall': {
      if (!isValidHolder(event.to)) return fail('copy.invalid_holder');
      if (!inside(event.to)) return fail('copy.must_come_back_inside');
      if (sameHolder(event.to, state.holder)) return fail('copy.same_holder');
      return { ok: true, state: { ...rest, status: next, holder: { ...event.to } } };
    }
    case 'destroy':
    case 'report_lost':
      // [I] The last holder stays on record as the one who answers for the destroyed or lost copy.
      return { ok: true, state: { ...rest, status: next, holder: state.holder } };
    case 'report_found': {
      if (!isValidHolder(event.holder)) return fail('copy.invalid_holder');
      if (!inside(event.holder)) return fail('copy.must_come_back_inside');
      return { ok: true, state: { ...rest, status: next, holder: { ...event.holder } } };
    }
  }
}
