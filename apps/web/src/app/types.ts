import type { Clearance, Envelope, ItemKind, Level, Role } from '@khomat/policy';

// Shapes of docs/api.md ("Shapes"). Keep in step with the server contract.
export type Me = {
  id: string;
  username: string;
  fullName: string;
  unitId: string;
  unitName: string;
  position: string;
  roles: Role[];
  clearance: Clearance;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  permissions: string[];
};

export type SessionState =
  | { authenticated: false }
  | { authenticated: true; stage: 'totp' | 'enrol' | 'full'; csrfToken: string; user: Me };

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
  roles: Role[];
  clearance: Clearance;
  active: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
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

export type AuditVerifyResult = { ok: boolean; count: number; headSeq?: number; badSeq?: number; reason?: string };

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
};

export type ItemDetail = {
  item: Item;
  copies: Copy[];
  recipients: { kind: 'user' | 'unit' | 'outside'; name: string; copies: number; addresseeOnly: boolean }[];
  history: HistoryEvent[];
  canReadContent: boolean;
};

export type ItemContent = { summary: string | null; docType: string; reason: string };

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
  level: Level;
  signer: string | null;
  issuer: string | null;
  recipient: string | null;
  quantity: number;
  copyLabels: string | null;
  receivedBy: string | null;
  receivedAt: string | null;
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
