import type { Generated, Insertable, Selectable } from 'kysely';

// Row types of the database, one interface per table. Times are ISO-8601 UTC strings on both
// dialects so they compare and sort the same way.

export interface UnitsTable {
  id: string;
  parent_id: string | null;
  name: string;
  code: string;
  /** Cơ quan chủ quản / cấp trên — for the root (the agency). */
  parent_body: string | null;
  closed_at: string | null;
  closed_reason: string | null;
  created_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  full_name: string;
  unit_id: string;
  /** The account's own title as written (chức danh, free text), e.g. "Chuyên viên Phòng Lãnh sự". */
  position: string;
  /** The position held, in `unit_id` (migration 0009; null only transiently, never after set-up). */
  position_id: string | null;
  password_hash: string;
  clearance: string;
  /** TOTP secret sealed with the data-key scheme (never stored in the clear). */
  totp_secret_sealed: string | null;
  totp_pending_sealed: string | null;
  totp_enabled: number;
  totp_last_step: number | null;
  active: number;
  failed_logins: number;
  locked_until: string | null;
  must_change_password: number;
  password_changed_at: string;
  created_at: string;
}

export interface UserRolesTable {
  user_id: string;
  role: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session token; the token itself exists only in the cookie. */
  id: string;
  user_id: string;
  csrf_token: string;
  /** 'totp' = password ok, TOTP code pending; 'enrol' = must enrol TOTP; 'full' = signed in. */
  stage: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  occurred_at: string;
  actor_id: string | null;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  /** JSON object of metadata (ids, names, codes) — never secret content. */
  details: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** First event hashed under the chain key (migration 0005). */
  keyed_from: Generated<number>;
}

export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
  /** 1: signed alone (before migration 0005); 2: chained to the previous checkpoint. */
  format: Generated<number>;
  prev_seq: number | null;
  prev_signature_hash: string | null;
  every: number | null;
  keyed_from: number | null;
}

export interface BlobsTable {
  id: string;
  size: number;
  sha256: string;
  chunk_size: number;
  chunk_count: number;
  wrapped_key: string;
  key_version: number;
  algorithm: string;
  created_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface CatalogItemsTable {
  id: string;
  decision_number: string;
  decision_date: string;
  field: string;
  article: string;
  clause: string | null;
  point: string | null;
  description: string;
  level: string;
  shorter_period: string | null;
  sample: number;
  search_text: string;
  created_at: string;
}

export interface DelegationsTable {
  id: string;
  delegate_id: string;
  field: string;
  valid_from: string;
  valid_to: string;
  decision_ref: string;
  granted_by: string;
  created_at: string;
  revoked_at: string | null;
  /** JSON array of packages/policy AuthorityOperation. */
  operations: string;
  /** JSON array of Level. */
  levels: string;
}

export interface PositionsTable {
  id: string;
  name: string;
  /** packages/policy PositionKind. */
  kind: string;
  created_at: string;
}

export interface SecretItemsTable {
  id: string;
  origin: string;
  kind: string;
  state: string;
  doc_type: string;
  summary: string | null;
  field: string | null;
  proposed_level: string | null;
  level: string | null;
  catalog_item_id: string | null;
  shorter_period: string | null;
  classified_on: string | null;
  protection_end: string | null;
  copies_planned: number;
  copy_allowed: number;
  addressee_only: number;
  named_addressee_id: string | null;
  recall_required: number;
  number: string | null;
  symbol: string | null;
  number_symbol: string | null;
  document_date: string | null;
  signer_name: string | null;
  issuer: string | null;
  unit_id: string;
  drafter_id: string | null;
  approver_id: string | null;
  return_reason: string | null;
  /** The named person agreed that the văn thư writes the summary of their addressee-only envelope. */
  summary_agreed_by: string | null;
  summary_agreed_at: string | null;
  /** An extract (bản trích sao): the item it was taken from (migration 0013); else null. */
  source_item_id: string | null;
  search_text: string;
  created_at: string;
  updated_at: string;
}

export interface ItemRecipientsTable {
  id: string;
  item_id: string;
  position: number;
  kind: string;
  user_id: string | null;
  unit_id: string | null;
  outside_name: string | null;
  copies: number;
  addressee_only: number;
}

export interface ItemAssignmentsTable {
  item_id: string;
  user_id: string;
  assigned_by: string;
  assigned_at: string;
}

export interface CopiesTable {
  id: string;
  item_id: string;
  origin: string;
  seq_no: number;
  total: number;
  label: string;
  status: string;
  holder_kind: string;
  holder_user_id: string | null;
  holder_unit_id: string | null;
  holder_outside: string | null;
  pending_kind: string | null;
  pending_user_id: string | null;
  pending_unit_id: string | null;
  pending_outside: string | null;
  place: string | null;
  addressee_user_id: string | null;
  created_at: string;
  updated_at: string;
  /** The random id in the trace mark's QR code of a copy KhoMật printed (migration 0011); else null. */
  verification_id: string | null;
  /** The copy or photograph request it was made under (migration 0013); null for issued or received copies. */
  request_id: string | null;
  /** The produced PDF of an electronic copy (blob store, encrypted); else null. */
  file_blob_id: string | null;
}

export interface CustodyEventsTable {
  id: string;
  item_id: string;
  kind: string;
  occurred_at: string;
  actor_id: string;
  from_label: string | null;
  to_label: string | null;
  to_user_id: string | null;
  to_unit_id: string | null;
  envelope_state: string | null;
  note: string | null;
  confirmed_at: string | null;
  confirmed_by: string | null;
}

export interface CustodyEventCopiesTable {
  event_id: string;
  copy_id: string;
}

export interface CountersTable {
  name: string;
  year: number;
  last_number: number;
}

export interface RegisterEntriesTable {
  id: string;
  register: string;
  year: number;
  number: number;
  volume: number;
  entry_date: string;
  item_id: string;
  custody_event_id: string | null;
  unit_id: string | null;
  number_symbol: string | null;
  document_date: string | null;
  doc_type: string | null;
  summary: string | null;
  level: string;
  signer: string | null;
  issuer: string | null;
  recipient: string | null;
  quantity: number;
  copy_labels: string | null;
  received_by: string | null;
  received_at: string | null;
  /** The day an outside body signed, as its returned receipt says (received_at: when it was recorded). */
  received_on: string | null;
  note: string | null;
  form_code: string;
  /** Copy register (Mẫu 12): the form (sao y, sao lục, trích sao, chụp), who allowed it, who made it (migration 0013). */
  copy_form: string | null;
  authorised_by: string | null;
  performed_by: string | null;
  created_by: string;
  created_at: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

export interface RegisterYearsTable {
  register: string;
  year: number;
  current_volume: number;
  locked_at: string | null;
  locked_by: string | null;
  lock_reason: string | null;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  subject_type: string | null;
  subject_id: string | null;
  message: string;
  created_at: string;
  read_at: string | null;
}

/** An account change waiting for (or decided by) a second person — migration 0006. */
export interface AccountChangesTable {
  id: string;
  user_id: string;
  kind: string;
  /** JSON: roles, clearance, unit of the change — never secret content. */
  payload: string;
  reason: string | null;
  decision_ref: string | null;
  requested_by: string;
  requested_at: string;
  status: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

/** A file attached to an item: its content (electronic document) or a scanned signed receipt. */
export interface ItemAttachmentsTable {
  id: string;
  item_id: string;
  /** Null once removed (the blob and its key are deleted). */
  blob_id: string | null;
  /** 'content' | 'receipt_scan'. */
  purpose: string;
  /** Set for a receipt scan only. */
  custody_event_id: string | null;
  /** Sanitised display name; content-revealing, so never in audit details or logs. */
  file_name: string;
  media_type: string;
  size: number;
  /** SHA-256 (hex) of the plaintext, from the blob row. */
  sha256: string;
  uploaded_by: string;
  uploaded_at: string;
  removed_at: string | null;
  removed_by: string | null;
}

/** A request (đề nghị): copy, provide, take out (issue 13). */
export interface RequestsTable {
  id: string;
  /** requests.rules REQUEST_TYPES. */
  type: string;
  item_id: string;
  /** JSON array of copy ids. */
  copy_ids: string;
  requester_id: string;
  purpose: string;
  /** JSON: the type's own fields (requests.schemas). */
  details: string;
  /** requests.rules REQUEST_STATUSES (stored; 'expired' is also read from the deadline). */
  status: string;
  /** 'agency' | 'higher_authority', once submitted. */
  route: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  closed_at: string | null;
}

export interface RequestDecisionsTable {
  id: string;
  request_id: string;
  outcome: string;
  /** 'position' | 'delegation' | 'outside'. */
  via: string;
  decided_by: string | null;
  recorded_by: string;
  reason: string | null;
  /** JSON: approved quantity and recipients. */
  conditions: string | null;
  deadline: string | null;
  outside_authority: string | null;
  outside_number: string | null;
  outside_date: string | null;
  outside_signer: string | null;
  scan_blob_id: string | null;
  decided_at: string;
}

/** An executed take-out (mang ra khỏi nơi lưu giữ), issue 13. */
export interface TakeOutsTable {
  id: string;
  request_id: string;
  item_id: string;
  /** The person who carries the copies (the requester). */
  taken_by: string;
  executed_by: string;
  /** Who the copies go back to (their keeper before): 'user' | 'unit'. */
  return_to_kind: string;
  return_to_id: string;
  due_date: string;
  /** 'out' | 'returned' | 'lost'. */
  status: string;
  taken_at: string;
  returned_at: string | null;
  returned_by: string | null;
  /** The holder's report on protecting it while out; free text, content-revealing: never in audit or notices. */
  return_report: string | null;
  overdue_notified_at: string | null;
}

export interface TakeOutCopiesTable {
  take_out_id: string;
  copy_id: string;
}

/** A minimal incident record (sự cố): type 'loss' now. */
export interface IncidentsTable {
  id: string;
  type: string;
  item_id: string;
  copy_id: string | null;
  take_out_id: string | null;
  reported_by: string;
  reported_at: string;
  /** Free text; never in audit details or notices. */
  description: string;
  /** JSON array of the user ids told. */
  notified: string;
}

/** One carried-out copy / photograph / extract request (migration 0013). */
export interface CopyExecutionsTable {
  id: string;
  request_id: string;
  item_id: string;
  /** 'sao_y' | 'sao_luc' | 'trich_sao' | 'chup'. */
  form: string;
  equipment: string;
  quantity: number;
  spoiled: number;
  spoiled_note: string | null;
  executed_by: string;
  executed_at: string;
  register_entry_id: string;
  /** The content file copied (a PDF original), when copies were produced from one. */
  source_attachment_id: string | null;
  /** Mẫu 13 "văn bản ghi nhận việc chụp" of a photograph (blob store). */
  record_blob_id: string | null;
  /** The new item an extract created. */
  extract_item_id: string | null;
}

/** A carried-out provision request (cung cấp, chuyển giao), issue 13 §2.2 (migration 0014). */
export interface ProvisionsTable {
  id: string;
  request_id: string;
  item_id: string;
  /** The dispatch that sent the copies to the requesting body; its outside receipt closes the request. */
  custody_event_id: string;
  /** The requesting body, as written on the dispatch. */
  recipient: string;
  executed_by: string;
  executed_at: string;
  closed_at: string | null;
}

/** The number of the agency's letter answering a provision request, fixed at its first print. */
export interface RequestLettersTable {
  request_id: string;
  year: number;
  number: number;
  letter_date: string;
  first_printed_by: string;
  first_printed_at: string;
}

/** A scan kept with a request: the written request of a provision, or an outside decision (migration 0015). */
export interface RequestScansTable {
  id: string;
  request_id: string;
  /** 'written_request' | 'outside_decision'. */
  kind: string;
  blob_id: string;
  /** Shown on download only; never logged nor audited (it may reveal content). */
  file_name: string;
  content_type: string;
  size: number;
  uploaded_by: string;
  uploaded_at: string;
}

export interface Database {
  units: UnitsTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  blobs: BlobsTable;
  settings: SettingsTable;
  catalog_items: CatalogItemsTable;
  delegations: DelegationsTable;
  positions: PositionsTable;
  secret_items: SecretItemsTable;
  item_recipients: ItemRecipientsTable;
  item_assignments: ItemAssignmentsTable;
  copies: CopiesTable;
  custody_events: CustodyEventsTable;
  custody_event_copies: CustodyEventCopiesTable;
  counters: CountersTable;
  register_entries: RegisterEntriesTable;
  register_years: RegisterYearsTable;
  notifications: NotificationsTable;
  item_attachments: ItemAttachmentsTable;
  account_changes: AccountChangesTable;
  requests: RequestsTable;
  request_decisions: RequestDecisionsTable;
  take_outs: TakeOutsTable;
  take_out_copies: TakeOutCopiesTable;
  incidents: IncidentsTable;
  copy_executions: CopyExecutionsTable;
  provisions: ProvisionsTable;
  request_letters: RequestLettersTable;
  request_scans: RequestScansTable;
}

export type UnitRow = Selectable<UnitsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type BlobRow = Selectable<BlobsTable>;
export type SecretItemRow = Selectable<SecretItemsTable>;
export type CopyRow = Selectable<CopiesTable>;
export type RegisterEntryRow = Selectable<RegisterEntriesTable>;
export type CatalogItemRow = Selectable<CatalogItemsTable>;
export type ItemAttachmentRow = Selectable<ItemAttachmentsTable>;
export type AccountChangeRow = Selectable<AccountChangesTable>;
export type PositionRow = Selectable<PositionsTable>;
export type RequestRow = Selectable<RequestsTable>;
export type RequestDecisionRow = Selectable<RequestDecisionsTable>;
export type TakeOutRow = Selectable<TakeOutsTable>;
export type IncidentRow = Selectable<IncidentsTable>;
export type CopyExecutionRow = Selectable<CopyExecutionsTable>;
export type ProvisionRow = Selectable<ProvisionsTable>;
export type RequestLetterRow = Selectable<RequestLettersTable>;
