import {
  ACCOUNT_CHANGE_KINDS,
  ACCOUNT_CHANGE_STATUSES,
  ACCOUNT_CHANGE_WARNINGS,
  CLEARANCES,
  LEVELS,
  POSITION_KINDS,
  ROLES,
  isPositionKind,
  type Clearance,
} from '@khomat/policy';
import { z } from 'zod';
import type { PositionRow, UnitRow } from '../../platform/db/schema';
import { accountFields, passwordSchema, usernameSchema } from '../auth/auth.schemas';
import { idSchema, optionalText, text } from '../../platform/validation';
import type { ChangePayload } from './account-changes.usecases';
import type { ChangeListRow } from './account-changes.repository';
import type { AccountChangeRow } from '../../platform/db/schema';
import type { UserView } from './org.usecases';

export const idParam = z.object({ id: idSchema }).strict();

export const unitSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  name: z.string(),
  code: z.string(),
  parentBody: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedReason: z.string().nullable(),
  createdAt: z.string(),
});

export const userSchema = accountFields.extend({
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  /** Kinds of the pending changes holding the account (issue 11); empty when not held. */
  hold: z.array(z.enum(ACCOUNT_CHANGE_KINDS)),
  /** A raise of clearance waiting for confirmation (the effective one is `clearance`). */
  pendingClearance: z.enum(CLEARANCES).nullable(),
});

// Explicit mapping: only these fields ever leave the server (no hashes, no TOTP seeds).
export const toUnit = (u: UnitRow): z.infer<typeof unitSchema> => ({
  id: u.id,
  parentId: u.parent_id,
  name: u.name,
  code: u.code,
  parentBody: u.parent_body,
  closedAt: u.closed_at,
  closedReason: u.closed_reason,
  createdAt: u.created_at,
});

export const toUser = (u: UserView): z.infer<typeof userSchema> => ({
  id: u.id,
  username: u.username,
  fullName: u.full_name,
  unitId: u.unit_id,
  unitName: u.unit_name,
  position: u.position,
  positionId: u.position_id,
  positionKind: isPositionKind(u.position_kind) ? u.position_kind : null,
  roles: u.roles,
  clearance: u.clearance as z.infer<typeof userSchema>['clearance'],
  active: u.active === 1,
  totpEnabled: u.totp_enabled === 1,
  lockedUntil: u.locked_until,
  createdAt: u.created_at,
  hold: u.hold as z.infer<typeof userSchema>['hold'],
  pendingClearance: u.pendingClearance,
});

const unitCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[\p{L}\p{N}._-]+$/u, 'Mã đơn vị chỉ gồm chữ, số, dấu chấm, gạch dưới, gạch ngang.');

export const createUnitBody = z.object({ name: text(200), code: unitCode, parentId: idSchema }).strict();
export const renameUnitBody = z
  .object({ name: text(200).optional(), code: unitCode.optional() })
  .strict()
  .refine((b) => b.name !== undefined || b.code !== undefined, 'Cần ít nhất tên hoặc mã mới.');
export const moveUnitBody = z.object({ parentId: idSchema }).strict();
export const reasonBody = z.object({ reason: text(500) }).strict();

export const listUsersQuery = z
  .object({
    unitId: idSchema.optional(),
    q: optionalText(100).optional(),
    includeInactive: z.enum(['true', 'false']).optional(),
  })
  .strict();

const rolesSchema = z.array(z.enum(ROLES)).min(1).max(ROLES.length);

export const createUserBody = z
  .object({
    username: usernameSchema,
    fullName: text(120),
    unitId: idSchema,
    position: text(120),
    positionId: idSchema.optional(),
    roles: rolesSchema,
    password: passwordSchema,
  })
  .strict();

// ---- positions (chức vụ) -----------------------------------------------------------------------

export const positionSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(POSITION_KINDS), holders: z.number(), createdAt: z.string() });
export const toPosition = (p: PositionRow & { holders: number }): z.infer<typeof positionSchema> => ({
  id: p.id,
  name: p.name,
  kind: isPositionKind(p.kind) ? p.kind : 'staff',
  holders: p.holders,
  createdAt: p.created_at,
});
export const createPositionBody = z.object({ name: text(120), kind: z.enum(POSITION_KINDS) }).strict();
export const renamePositionBody = z.object({ name: text(120) }).strict();
export const setPositionBody = z.object({ positionId: idSchema, reason: optionalText(500).optional() }).strict();

export const updateUserBody = z
  .object({ fullName: text(120).optional(), unitId: idSchema.optional(), position: text(120).optional(), roles: rolesSchema.optional() })
  .strict();

export const resetPasswordBody = z.object({ newPassword: passwordSchema }).strict();
// Every clearance change with its reason and the decision it rests on (số quyết định/văn bản).
export const clearanceBody = z.object({ clearance: z.enum(CLEARANCES), reason: text(500), decisionRef: text(200) }).strict();
export const clearanceReply = z.object({ user: userSchema, change: z.object({ id: z.string(), status: z.enum(['pending', 'applied']) }) });

// ---- account changes waiting for a second person ------------------------------------------------

export const accountChangesQuery = z
  .object({
    status: z.enum(['pending', 'all']).default('pending'),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export const confirmChangeBody = z.object({ note: optionalText(500).optional() }).strict();
export const rejectChangeBody = z.object({ reason: text(500) }).strict();

const personRef = z.object({ id: z.string(), name: z.string() });
type Warning = keyof typeof ACCOUNT_CHANGE_WARNINGS;
export const accountChangeWarningSchema = z.enum(Object.keys(ACCOUNT_CHANGE_WARNINGS) as [Warning, ...Warning[]]);
export const accountChangeSchema = z.object({
  id: z.string(),
  kind: z.enum(ACCOUNT_CHANGE_KINDS),
  status: z.enum(ACCOUNT_CHANGE_STATUSES),
  user: z.object({ id: z.string(), fullName: z.string(), username: z.string(), unitName: z.string() }),
  payload: z.object({
    roles: z.array(z.enum(ROLES)).optional(),
    clearance: z.enum(CLEARANCES).optional(),
    fromClearance: z.enum(CLEARANCES).optional(),
    unitId: z.string().optional(),
    unitName: z.string().optional(),
    /** For a position change (issue 13): the position given, and the one it replaces. */
    positionName: z.string().optional(),
    positionKind: z.enum(POSITION_KINDS).optional(),
    fromPositionName: z.string().optional(),
  }),
  reason: z.string().nullable(),
  decisionRef: z.string().nullable(),
  requestedBy: personRef,
  requestedAt: z.string(),
  decidedBy: personRef.nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  canConfirm: z.boolean(),
  waitingFor: z.enum(['person', 'confirmer']).nullable(),
});
export const accountChangeRowSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.enum(ACCOUNT_CHANGE_KINDS),
  status: z.enum(ACCOUNT_CHANGE_STATUSES),
  reason: z.string().nullable(),
  decisionRef: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

/** What the payload shows: roles (for a role change, the ones added), levels, the new unit. */
function toPayload(kind: string, p: ChangePayload): z.infer<typeof accountChangeSchema>['payload'] {
  const roles = kind === 'roles' ? p.added : kind === 'account' ? p.roles : undefined;
  return {
    ...(roles ? { roles } : {}),
    ...(p.clearance ? { clearance: p.clearance as Clearance } : {}),
    ...(p.fromClearance ? { fromClearance: p.fromClearance as Clearance } : {}),
    ...(p.unitId ? { unitId: p.unitId } : {}),
    ...(p.unitName ? { unitName: p.unitName } : {}),
    ...(p.positionName ? { positionName: p.positionName } : {}),
    ...(isPositionKind(p.positionKind) ? { positionKind: p.positionKind } : {}),
    ...(p.fromPositionName ? { fromPositionName: p.fromPositionName } : {}),
  };
}

type Kind = z.infer<typeof accountChangeSchema>['kind'];
type Status = z.infer<typeof accountChangeSchema>['status'];

export const toAccountChange = (x: {
  row: ChangeListRow;
  payload: ChangePayload;
  canConfirm: boolean;
  waitingFor: 'person' | 'confirmer' | null;
}): z.infer<typeof accountChangeSchema> => ({
  id: x.row.id,
  kind: x.row.kind as Kind,
  status: x.row.status as Status,
  user: { id: x.row.user_id, fullName: x.row.user_full_name, username: x.row.user_username, unitName: x.row.user_unit_name },
  payload: toPayload(x.row.kind, x.payload),
  reason: x.row.reason,
  decisionRef: x.row.decision_ref,
  requestedBy: { id: x.row.requested_by, name: x.row.requester_name },
  requestedAt: x.row.requested_at,
  decidedBy: x.row.decided_by ? { id: x.row.decided_by, name: x.row.decider_name ?? '' } : null,
  decidedAt: x.row.decided_at,
  decisionNote: x.row.decision_note,
  canConfirm: x.canConfirm,
  waitingFor: x.waitingFor,
});

export const toAccountChangeRow = (c: AccountChangeRow): z.infer<typeof accountChangeRowSchema> => ({
  id: c.id,
  userId: c.user_id,
  kind: c.kind as Kind,
  status: c.status as Status,
  reason: c.reason,
  decisionRef: c.decision_ref,
  requestedAt: c.requested_at,
  decidedAt: c.decided_at,
  decisionNote: c.decision_note,
});

export const peopleQuery = z
  .object({
    q: optionalText(100).optional(),
    unitId: idSchema.optional(),
    level: z.enum(LEVELS).optional(),
  })
  .strict();

export const personSchema = z.object({
  id: z.string(),
  fullName: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  position: z.string(),
  held: z.boolean(),
  cleared: z.boolean().optional(),
});
