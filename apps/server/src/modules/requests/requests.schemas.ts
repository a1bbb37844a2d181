import { isCivilDate, compareDates } from '@khomat/policy';
import { z } from 'zod';
import { idSchema, text } from '../../platform/validation';
import { REQUEST_TYPES, type RequestType } from './requests.rules';

// The type-specific fields of a request (the `details` JSON), one Zod schema per type: used at the
// edge (the route's body) and again by the use case before anything is written, so a caller
// without HTTP (the CLI, a later flow) meets the same rules.

export const civilDate = z.string().refine(isCivilDate, 'Ngày không hợp lệ (yyyy-mm-dd).');

/** Nơi nhận of copies: a person or a unit of the agency, or a body outside it. */
export const recipientSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), userId: idSchema }).strict(),
  z.object({ kind: z.literal('unit'), unitId: idSchema }).strict(),
  z.object({ kind: z.literal('outside'), name: text(300) }).strict(),
]);
export type RequestRecipient = z.infer<typeof recipientSchema>;

const quantity = z.number().int().min(1).max(100);
const recipients = z.array(recipientSchema).min(1).max(50);

/** Sao y, sao lục (copy), chụp (photograph), trích sao (extract): how many, for whom. */
const copyDetails = z.object({ form: z.enum(['sao_y', 'sao_luc']), quantity, recipients }).strict();
const photographDetails = z.object({ quantity, recipients, subject: text(500).optional() }).strict();
const extractDetails = z.object({ part: text(1000), quantity, recipients }).strict();

/**
 * Mẫu 17 (đề nghị cung cấp, chuyển giao): the requesting body, its representative and their
 * identity document, what is asked, and the commitment to protect it. A foreign party also gives
 * the representative's nationality and position (Luật 29/2018 Đ.16 k.2).
 */
const provideBase = {
  requestingBody: text(300),
  representative: text(200),
  idDocument: text(100),
  whatAsked: text(2000),
  commitment: z.literal(true, { message: 'Cần có cam kết bảo vệ bí mật nhà nước được cung cấp.' }),
  quantity: quantity.optional(),
};
const provideDomesticDetails = z.object({ ...provideBase, representativePosition: text(200).optional() }).strict();
const provideForeignDetails = z.object({ ...provideBase, nationality: text(100), representativePosition: text(200) }).strict();

/** Mang ra khỏi nơi lưu giữ (Luật 29/2018 Đ.14): where, from when to when, how it is protected. */
const takeOutBase = { place: text(300), from: civilDate, to: civilDate, protectionMeasures: text(2000) };
const periodInOrder = (d: { from: string; to: string }) => !isCivilDate(d.from) || !isCivilDate(d.to) || compareDates(d.from, d.to) <= 0;
const takeOutDomesticDetails = z
  .object(takeOutBase)
  .strict()
  .refine(periodInOrder, { message: 'Ngày mang về phải sau hoặc bằng ngày mang ra.', path: ['to'] });
const takeOutAbroadDetails = z
  .object({ ...takeOutBase, country: text(100) })
  .strict()
  .refine(periodInOrder, { message: 'Ngày mang về phải sau hoặc bằng ngày mang ra.', path: ['to'] });

export const DETAILS_SCHEMAS = {
  copy: copyDetails,
  photograph: photographDetails,
  extract: extractDetails,
  provide_domestic: provideDomesticDetails,
  provide_foreign: provideForeignDetails,
  take_out_domestic: takeOutDomesticDetails,
  take_out_abroad: takeOutAbroadDetails,
} as const satisfies Record<RequestType, z.ZodType>;

export type RequestDetails = { [T in RequestType]: z.infer<(typeof DETAILS_SCHEMAS)[T]> }[RequestType];

/** The details of one type, parsed; the issues when they do not fit. */
export function parseDetails(
  type: RequestType,
  details: unknown,
): { ok: true; value: RequestDetails } | { ok: false; issues: { path: string; message: string }[] } {
  const r = DETAILS_SCHEMAS[type].safeParse(details);
  if (r.success) return { ok: true, value: r.data as RequestDetails };
  return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
}

/** The requested quantity, where the type has one. */
export function requestedQuantity(details: unknown): number | null {
  const q = (details as { quantity?: unknown } | null)?.quantity;
  return typeof q === 'number' ? q : null;
}

export const requestTypeSchema = z.enum(REQUEST_TYPES);

export const draftBodySchema = z
  .object({
    type: requestTypeSchema,
    itemId: idSchema,
    copyIds: z.array(idSchema).max(100).optional(),
    purpose: text(2000),
    details: z.record(z.string(), z.unknown()),
  })
  .strict();
export type DraftBody = z.infer<typeof draftBodySchema>;

export const approveBodySchema = z
  .object({
    deadline: civilDate,
    quantity: quantity.optional(),
    recipients: recipients.optional(),
    note: text(2000).optional(),
  })
  .strict();

/** The reason is checked by the rule (request.reason_required), so that a refusal without one is a stable code. */
export const refuseBodySchema = z.object({ reason: z.string().max(2000).optional() }).strict();

export const outsideDecisionBodySchema = z
  .object({
    outcome: z.enum(['approved', 'refused']),
    authority: text(300),
    number: text(100),
    date: civilDate,
    signer: text(200),
    deadline: civilDate.optional(),
    quantity: quantity.optional(),
    recipients: recipients.optional(),
    reason: z.string().max(2000).optional(),
  })
  .strict();
