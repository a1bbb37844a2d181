import { isCivilDate, LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { CopyRow, SecretItemRow } from '../../platform/db/schema';
import { idSchema } from '../../platform/validation';

// The item and copy shapes every stage's routes answer with (items, classification, dispatch,
// copies): one definition, so a field cannot leak through one module's reply and not another's.

export const civilDate = z.string().refine(isCivilDate, 'Ngày không hợp lệ (yyyy-mm-dd).');
export const idParam = z.object({ id: idSchema }).strict();

export const shorterPeriod = z.union([
  z
    .object({
      years: z.number().int().min(0).max(30).optional(),
      months: z.number().int().min(0).max(360).optional(),
      days: z.number().int().min(0).max(11000).optional(),
    })
    .strict(),
  z.object({ until: civilDate }).strict(),
]);

export const itemSchema = z.object({
  id: z.string(),
  origin: z.string(),
  kind: z.string(),
  state: z.string(),
  docType: z.string(),
  level: z.enum(LEVELS).nullable(),
  proposedLevel: z.enum(LEVELS).nullable(),
  field: z.string().nullable(),
  catalogItemId: z.string().nullable(),
  numberSymbol: z.string().nullable(),
  documentDate: z.string().nullable(),
  signerName: z.string().nullable(),
  issuer: z.string().nullable(),
  classifiedOn: z.string().nullable(),
  protectionEnd: z.string().nullable(),
  copiesPlanned: z.number(),
  copyAllowed: z.boolean(),
  addresseeOnly: z.boolean(),
  namedAddresseeId: z.string().nullable(),
  recallRequired: z.boolean(),
  unitId: z.string(),
  drafterId: z.string().nullable(),
  approverId: z.string().nullable(),
  returnReason: z.string().nullable(),
  createdAt: z.string(),
  /** The shorter protection period proposed or decided (null: the level's base period). */
  shorterPeriod: shorterPeriod.nullable(),
});

// The summary is content: it never travels with an item's metadata (toItem); it is read through
// /content, and a work-list row carries it only as the one content decision shows it (toItemListRow).
export const toItem = (i: SecretItemRow): z.infer<typeof itemSchema> => ({
  id: i.id,
  origin: i.origin,
  kind: i.kind,
  state: i.state,
  docType: i.doc_type,
  level: i.level as z.infer<typeof itemSchema>['level'],
  proposedLevel: i.proposed_level as z.infer<typeof itemSchema>['proposedLevel'],
  field: i.field,
  catalogItemId: i.catalog_item_id,
  shorterPeriod: i.shorter_period ? (JSON.parse(i.shorter_period) as z.infer<typeof shorterPeriod>) : null,
  numberSymbol: i.number_symbol,
  documentDate: i.document_date,
  signerName: i.signer_name,
  issuer: i.issuer,
  classifiedOn: i.classified_on,
  protectionEnd: i.protection_end,
  copiesPlanned: i.copies_planned,
  copyAllowed: i.copy_allowed === 1,
  addresseeOnly: i.addressee_only === 1,
  namedAddresseeId: i.named_addressee_id,
  recallRequired: i.recall_required === 1,
  unitId: i.unit_id,
  drafterId: i.drafter_id,
  approverId: i.approver_id,
  returnReason: i.return_reason,
  createdAt: i.created_at,
});

/**
 * A work-list row: the item's metadata and its summary as the one content decision shows it
 * (items.rules summaryShown): the text, or null with `summaryHidden` when this viewer may not read
 * it (null and not hidden: none is shown for the level, Tuyệt mật).
 */
export const itemListRowSchema = itemSchema.extend({ summary: z.string().nullable(), summaryHidden: z.boolean() });

export const toItemListRow = (i: SecretItemRow & { shownSummary: string | null; summaryHidden: boolean }): z.infer<typeof itemListRowSchema> => ({
  ...toItem(i),
  summary: i.shownSummary,
  summaryHidden: i.summaryHidden,
});

export const copySchema = z.object({
  id: z.string(),
  label: z.string(),
  status: z.string(),
  holderKind: z.string(),
  holderUserId: z.string().nullable(),
  holderUnitId: z.string().nullable(),
  holderOutside: z.string().nullable(),
  pendingUserId: z.string().nullable(),
  pendingUnitId: z.string().nullable(),
  pendingOutside: z.string().nullable(),
});
export const toCopy = (c: CopyRow): z.infer<typeof copySchema> => ({
  id: c.id,
  label: c.label,
  status: c.status,
  holderKind: c.holder_kind,
  holderUserId: c.holder_user_id,
  holderUnitId: c.holder_unit_id,
  holderOutside: c.holder_outside,
  pendingUserId: c.pending_user_id,
  pendingUnitId: c.pending_unit_id,
  pendingOutside: c.pending_outside,
});
