import { z } from 'zod';

// Shared edge validation. PostgreSQL rejects NUL in text, and control characters have no place
// in names, codes or reasons shown on printed registers: refuse them here, with a clear message.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export const idSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'Mã định danh không hợp lệ.');

export function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'Không được để trống.')
    .max(max, `Tối đa ${max} ký tự.`)
    .refine((s) => !CONTROL.test(s), 'Có ký tự điều khiển không hợp lệ.');
}

/** Free text that may be empty (filters). */
export function optionalText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL.test(s), 'Có ký tự điều khiển không hợp lệ.');
}
