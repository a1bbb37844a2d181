import { CLEARANCES, LEVELS, ROLES } from '@khomat/policy';
import { z } from 'zod';
import type { UnitRow } from '../../platform/db/schema';
import { accountFields, passwordSchema, usernameSchema } from '../auth/auth.schemas';
import { idSchema, optionalText, text } from '../../platform/validation';
import type { UserListRow } from './org.repository';

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

export const toUser = (u: UserListRow): z.infer<typeof userSchema> => ({
  id: u.id,
  username: u.username,
  fullName: u.full_name,
  unitId: u.unit_id,
  unitName: u.unit_name,
  position: u.position,
  roles: u.roles,
  clearance: u.clearance as z.infer<typeof userSchema>['clearance'],
  active: u.active === 1,
  totpEnabled: u.totp_enabled === 1,
  lockedUntil: u.locked_until,
  createdAt: u.created_at,
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
  .object({ username: usernameSchema, fullName: text(120), unitId: idSchema, position: text(120), roles: rolesSchema, password: passwordSchema })
  .strict();

export const updateUserBody = z
  .object({ fullName: text(120).optional(), unitId: idSchema.optional(), position: text(120).optional(), roles: rolesSchema.optional() })
  .strict();

export const resetPasswordBody = z.object({ newPassword: passwordSchema }).strict();
export const clearanceBody = z.object({ clearance: z.enum(CLEARANCES), reason: text(500) }).strict();

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
  cleared: z.boolean().optional(),
});
