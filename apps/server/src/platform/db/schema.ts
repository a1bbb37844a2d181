import type { Insertable, Selectable } from 'kysely';

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
  position: string;
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
}

export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
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
}

export type UnitRow = Selectable<UnitsTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type BlobRow = Selectable<BlobsTable>;
