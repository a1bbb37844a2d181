import type { Clearance, Role } from '@khomat/policy';

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
