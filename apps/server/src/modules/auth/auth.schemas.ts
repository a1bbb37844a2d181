import { CLEARANCES, ROLES, POSITION_KINDS } from '@khomat/policy';
import { z } from 'zod';
import { text } from '../../platform/validation';

/** What any account view shows of a person: who, where, which roles and clearance. */
export const accountFields = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  unitId: z.string(),
  unitName: z.string(),
  position: z.string(),
  /** The position held (chức vụ) and its kind (packages/policy POSITION_KINDS). */
  positionId: z.string().nullable(),
  positionKind: z.enum(POSITION_KINDS).nullable(),
  roles: z.array(z.enum(ROLES)),
  clearance: z.enum(CLEARANCES),
  totpEnabled: z.boolean(),
});

export const meSchema = accountFields.extend({
  mustChangePassword: z.boolean(),
  permissions: z.array(z.string()),
  hold: z.object({ kinds: z.array(z.string()) }).nullable(),
});

export const sessionStateSchema = z.union([
  z.object({ authenticated: z.literal(false) }),
  z.object({ authenticated: z.literal(true), stage: z.enum(['totp', 'enrol', 'full']), csrfToken: z.string(), user: meSchema }),
]);

export const usernameSchema = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, gạch dưới, gạch ngang.');

export const passwordSchema = z.string().min(1).max(256);

export const loginBody = z.object({ username: text(64), password: passwordSchema }).strict();
export const totpBody = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'Mã gồm 6 chữ số.'),
  })
  .strict();
export const changePasswordBody = z.object({ currentPassword: passwordSchema, newPassword: passwordSchema }).strict();
export const enrolmentReply = z.object({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string() });
export const okReply = z.object({ ok: z.literal(true) });
