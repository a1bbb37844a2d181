import type { Clearance, Envelope, ItemKind, Level, PositionKind, Role, ShorterPeriod } from '@khomat/policy';

// Shapes of docs/api.md ("Shapes"). Keep in step with the server contract.
export type Me = {
  id: string;
  username: string;
  fullName: string;
  unitId: string;
  unitName: string;
  position: string;
  /** The position held (chức vụ, issue 13) and its kind; absent from servers before issue 13. */
  positionId?: string | null;
  positionKind?: PositionKind | null;
  roles: Role[];
  clearance: Clearance;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  permissions: string[];
  /**
   * Set while the account's work with state secrets is suspended until a second person confirms
   * a change (new account, roles, unit, reset of password/TOTP); `permissions` then leave out
   * everything touching secrets. Absent from servers before issue 11.
   */
  hold?: { kinds: HoldKind[] } | null;
};

/** Why an account is held (suspended from secrets until confirmed). */
export type HoldKind = 'account' | 'roles' | 'unit' | 'identity' | 'position';

export type SessionState = { authenticated: false } | { authenticated: true; stage: 'totp' | 'enrol' | 'full'; csrfToken: string; user: Me };

export type Unit = {
  id: string;
  parentId: string | null;
  name: string;
  code: string;
  parentBody: string | null;
  closedAt: string | null;
  closedReason: string | null;
  createdAt: string;
};

export type User = {
  id: string;
  username: string;
  fullName: string;
  unitId: string;
  unitName: string;
  position: string;
  positionId?: string | null;
  positionKind?: PositionKind | null;
  roles: Role[];
  clearance: Clearance;
  active: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
  /** What waits for confirmation on this account (empty when nothing does). */
  hold?: HoldKind[];
  /** A clearance requested but not yet confirmed. */
  pendingClearance?: Clearance | null;
};

/** POST /api/users/:id/clearance: a raise waits for a second person, a lowering applies at once. */
/** A position (chức vụ) of the agency's list: GET /api/positions. */
export type Position = { id: string; name: string; kind: PositionKind; holders: number; createdAt: string };
export type PositionChangeReply = { user: User; change: { id: string; status: 'pending' } | null };

export type ClearanceChangeReply = { user: User; change: { id: string; status: 'pending' | 'applied' } };

export type AccountChangeKind = HoldKind | 'clearance';
export type AccountChangeStatus = 'pending' | 'confirmed' | 'rejected' | 'superseded';

/** One change of an account waiting for (or given) a second person's confirmation (GET /api/account-changes). */
export type AccountChange = {
  id: string;
  kind: AccountChangeKind;
  status: AccountChangeStatus;
  user: { id: string; fullName: string; username: string; unitName: string };
  payload: {
    roles?: Role[];
    /** For a change of roles: the roles added (what waits for confirmation). */
    added?: Role[];
    clearance?: Clearance;
    fromClearance?: Clearance;
    unitId?: string;
    unitName?: string;
    fromUnitName?: string;
    positionName?: string;
    positionKind?: PositionKind;
    fromPositionName?: string;
  };
  reason: string | null;
  decisionRef: string | null;
  requestedBy: NamedRef | null;
  requestedAt: string;
  decidedBy: NamedRef | null;
  decidedAt: string | null;
  decisionNote: string | null;
  /** This person may confirm or reject it now. */
  canConfirm: boolean;
  /** Who it waits for: the person themself (own password and TOTP first), a confirmer, or no one. */
  waitingFor: 'person' | 'confirmer' | null;
};

export type AuditEvent = {
  seq: number;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
};

export type AuditPage = { items: AuditEvent[]; total: number; page: number; pageSize: number };

/** The latest signed checkpoint of the audit chain; `code` is what the paper register keeps. */
export type AuditCheckpoint = { seq: number; signedAt: string; code: string };

export type AuditVerifyResult = {
  ok: boolean;
  count: number;
  headSeq?: number;
  checkpoints?: number;
  /** Checkpoints of the anchor file found in the database; null when no anchor file was compared. */
  anchored?: number | null;
  lastCheckpoint?: AuditCheckpoint | null;
  badSeq?: number | null;
  reason?: string;
};

export type TotpEnrolment = { secret: string; otpauthUrl: string; qrSvg: string };

export type ListReply<T> = { items: T[] };

// ---- Registry (docs/api.md "Registry (issue 3)") ----

export type ItemState = 'draft' | 'proposed' | 'returned' | 'classified' | 'issued' | 'received';
export type CopyStatus = 'held' | 'in_transit' | 'taken_out' | 'returned' | 'recalled' | 'destroyed' | 'lost';
export type RegisterKind = 'outgoing' | 'incoming' | 'transfer' | 'copy';

export type Item = {
  id: string;
  origin: 'internal' | 'incoming';
  kind: ItemKind;
  state: ItemState;
  docType: string;
  level: Level | null;
  proposedLevel: Level | null;
  field: string | null;
  catalogItemId: string | null;
  numberSymbol: string | null;
  documentDate: string | null;
  signerName: string | null;
  issuer: string | null;
  classifiedOn: string | null;
  protectionEnd: string | null;
  copiesPlanned: number;
  copyAllowed: boolean;
  addresseeOnly: boolean;
  namedAddresseeId: string | null;
  recallRequired: boolean;
  unitId: string;
  drafterId: string | null;
  approverId: string | null;
  returnReason: string | null;
  createdAt: string;
};

/** A work-list row: the summary as the server's content decision shows it to this viewer. */
export type ItemListRow = Item & {
  /** null: none shown (hidden from this viewer, or Tuyệt mật, whose summary stays on the item page). */
  summary: string | null;
  /** A summary exists and this viewer may not read it. */
  summaryHidden: boolean;
};

export type Copy = {
  id: string;
  label: string;
  status: CopyStatus;
  holderKind: 'user' | 'unit' | 'outside';
  holderUserId: string | null;
  holderUnitId: string | null;
  holderOutside: string | null;
  pendingUserId: string | null;
  pendingUnitId: string | null;
  pendingOutside: string | null;
  /** Name of the holding person or unit (outside bodies: their text). Added with the item page details. */
  holderName?: string | null;
  pendingName?: string | null;
};

export type HistoryEvent = {
  id: string;
  kind: string;
  occurredAt: string;
  actorName: string | null;
  from: string | null;
  to: string | null;
  envelopeState: 'intact' | 'damaged' | 'opened' | null;
  confirmedAt: string | null;
  /** Who signed (for an outside body's receipt, the clerk who recorded it); null while unsigned. */
  confirmedBy: string | null;
  /** The scan of the signed receipt page, when one is attached (GET /api/custody/:id/receipt-scan). */
  receiptScan: { id: string; fileName: string; size: number } | null;
};

export type NamedRef = { id: string; name: string };

export type ItemAssignment = { userId: string; name: string; assignedBy: NamedRef; assignedAt: string };

/** One step of the item's life, from the audit trail (details: metadata only, allow-listed by the server). */
export type ItemEvent = { at: string; action: string; actor: NamedRef | null; details: Record<string, unknown> };

export type ItemRecipient = {
  kind: 'user' | 'unit' | 'outside';
  name: string;
  copies: number;
  addresseeOnly: boolean;
  /** Present when the server sends them (needed to edit a draft without guessing by name). */
  userId?: string | null;
  unitId?: string | null;
};

export type ItemDetail = {
  item: Item & { shorterPeriod?: ShorterPeriod | null; catalogItemIds?: string[] };
  copies: Copy[];
  recipients: ItemRecipient[];
  history: HistoryEvent[];
  canReadContent: boolean;
  /** The proposal is waiting and this person may approve or return it. */
  canDecide?: boolean;
  drafter?: NamedRef | null;
  approver?: NamedRef | null;
  assignments?: ItemAssignment[];
  events?: ItemEvent[];
  /** True when only the latest events were sent. */
  eventsTruncated?: boolean;
  /** Why protection ends when it does, as the server words it (catalogue row, decided period, level). */
  periodReason?: string | null;
};

export type Attachment = { id: string; fileName: string; mediaType: string; size: number; sha256: string; uploadedAt: string; uploadedBy: NamedRef };
export type AttachmentList = { files: Attachment[]; count: number };

export type ItemContent = { summary: string | null; docType: string; reason: string };

/** GET /api/items/:id/summary-completion: what this viewer may do about an addressee-only envelope's summary. */
export type SummaryDecision = { allowed: boolean; via: 'named_addressee' | 'clerk_with_agreement' | null; refusal: string | null };
export type SummaryCompletion = { agree: SummaryDecision; complete: SummaryDecision; agreed: boolean };

export type IssuedCopy = { copyId: string; label: string; recipient: string; registerNumber: number | null; envelopes: Envelope[] };
export type IssueReply = { item: Item; copies: IssuedCopy[] };

export type IncomingReply = { item: Item; registerNumber: number; year: number; copies: Copy[] };

export type MyCopies = {
  copies: {
    id: string;
    label: string;
    status: CopyStatus;
    itemId: string;
    numberSymbol: string | null;
    docType: string;
    level: Level | null;
    documentDate: string | null;
    issuer: string | null;
    incoming: boolean;
  }[];
  pending: { eventId: string; kind: string; occurredAt: string; from: string | null; itemId: string; numberSymbol: string | null; level: Level | null }[];
};

export type RegisterEntry = {
  id: string;
  register: RegisterKind;
  year: number;
  number: number;
  volume: number;
  entryDate: string;
  itemId: string;
  numberSymbol: string | null;
  documentDate: string | null;
  docType: string | null;
  summary: string | null;
  /** A summary this viewer may not read (the one content decision on the server). */
  summaryHidden: boolean;
  level: Level;
  signer: string | null;
  issuer: string | null;
  recipient: string | null;
  quantity: number;
  copyLabels: string | null;
  receivedBy: string | null;
  receivedAt: string | null;
  /** The day an outside body signed, as its returned receipt says (receivedAt: when it was recorded). */
  receivedOn: string | null;
  note: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
};

export type RegisterPage = Paged<RegisterEntry> & { locked: boolean; summaryShown: boolean };

export type CatalogItem = {
  id: string;
  decisionNumber: string;
  decisionDate: string;
  field: string;
  article: string;
  clause: string | null;
  point: string | null;
  reference: string;
  description: string;
  level: Level;
  shorterPeriodYears: number | null;
  sample: boolean;
};

export type Paged<T> = { items: T[]; total: number; page: number; pageSize: number };

/** GET /api/account-changes and GET /api/users: what makes account changes wait for ever. */
export type WithAccountChangeWarnings = { warnings?: string[] };

// ---- Search, notifications, unit holdings, people directory ----

export type SearchHit = {
  id: string;
  register: RegisterKind;
  year: number;
  number: number;
  entryDate: string;
  itemId: string;
  itemState: string;
  numberSymbol: string | null;
  documentDate: string | null;
  docType: string | null;
  summary: string | null;
  /** A summary this viewer may not read (the one content decision on the server). */
  summaryHidden: boolean;
  level: Level;
  issuer: string | null;
  recipient: string | null;
  cancelledAt: string | null;
};

export type SearchReply = { items: SearchHit[]; total: number; totalExact: boolean; page: number; pageSize: number; summaryShown: boolean };

export type Notice = {
  id: string;
  kind: string;
  message: string;
  subjectType: string | null;
  subjectId: string | null;
  createdAt: string;
  readAt: string | null;
};

export type NoticePage = { rows: Notice[]; unread: number; total: number; page: number; pageSize: number };

export type HoldingRow = {
  copyId: string;
  label: string;
  status: CopyStatus;
  itemId: string;
  numberSymbol: string | null;
  docType: string;
  level: Level | null;
  holder: { kind: 'unit' | 'user'; id: string; name: string };
  /** The receiver while the copy is in transit. */
  pending?: { kind: 'unit' | 'user'; id: string; name: string } | null;
  since: string;
};

export type Holdings = { unit: NamedRef; rows: HoldingRow[]; total: number; page: number; pageSize: number };

/** `held`: the person's work with secrets waits for a confirmation (cannot be chosen meanwhile). */
export type Person = { id: string; fullName: string; unitId: string; unitName: string; position: string; held?: boolean; cleared?: boolean };
