import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isCivilDate, ITEM_KINDS, LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../app/context';
import type { CopyRow, SecretItemRow } from '../../platform/db/schema';
import { idSchema, text } from '../../platform/validation';
import { COPY_STATUSES } from '../copies/copies.rules';
import * as uc from './items.usecases';
import { assignItem, unassignItem } from './assignments.usecases';
import { printEnvelopeLabels } from './envelopes.usecases';
import { unitHoldings } from './holdings.usecases';
import { ITEM_STATUSES } from './items.rules';

const civilDate = z.string().refine(isCivilDate, 'Ngày không hợp lệ (yyyy-mm-dd).');
const idParam = z.object({ id: idSchema }).strict();

const recipientBody = z
  .object({
    kind: z.enum(['user', 'unit', 'outside']),
    userId: idSchema.optional(),
    unitId: idSchema.optional(),
    outsideName: text(300).optional(),
    copies: z.number().int().min(1).max(1000),
    addresseeOnly: z.boolean().optional(),
  })
  .strict()
  .refine((r) => (r.kind === 'user' ? !!r.userId : r.kind === 'unit' ? !!r.unitId : !!r.outsideName), 'Nơi nhận thiếu người, đơn vị hoặc tên cơ quan.');

const shorterPeriod = z.union([
  z.object({ years: z.number().int().min(0).max(30).optional(), months: z.number().int().min(0).max(360).optional(), days: z.number().int().min(0).max(11000).optional() }).strict(),
  z.object({ until: civilDate }).strict(),
]);

export const draftBody = z
  .object({
    kind: z.enum(ITEM_KINDS),
    docType: text(100),
    summary: text(2000),
    field: text(200),
    level: z.enum(LEVELS),
    catalogItemIds: z.array(idSchema).min(1).max(20),
    recipients: z.array(recipientBody).min(1).max(200),
    copyCount: z.number().int().min(1).max(1000),
    copyAllowed: z.boolean(),
    shorterPeriod: shorterPeriod.optional(),
    recallRequired: z.boolean().optional(),
  })
  .strict();

export const incomingBody = z
  .object({
    issuer: text(300),
    numberSymbol: text(100),
    documentDate: civilDate,
    docType: text(100),
    kind: z.enum(ITEM_KINDS),
    summary: text(2000).optional(),
    level: z.enum(LEVELS),
    copies: z.number().int().min(1).max(1000),
    addresseeOnly: z.boolean(),
    envelopeState: z.enum(['intact', 'damaged', 'opened']),
    recallRequired: z.boolean().optional(),
    to: z.object({ kind: z.enum(['user', 'unit']), id: idSchema }).strict(),
    note: text(1000).optional(),
  })
  .strict();

const itemSchema = z.object({
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

// The summary is content: it never travels with the metadata, only through /content.
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

const copySchema = z.object({
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
const toCopy = (c: CopyRow): z.infer<typeof copySchema> => ({
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

// The item page's copies carry who holds them and who is about to, by name.
const itemCopySchema = copySchema.extend({ holderName: z.string().nullable(), pendingName: z.string().nullable() });

const personRef = z.object({ id: z.string(), name: z.string() });
const assignmentSchema = z.object({ userId: z.string(), name: z.string(), assignedBy: personRef, assignedAt: z.string() });
const itemEventSchema = z.object({ at: z.string(), action: z.string(), actor: personRef.nullable(), details: z.record(z.string(), z.unknown()) });

const partySchema = z.object({ kind: z.enum(['user', 'unit']), id: z.string(), name: z.string() });
const holdingSchema = z.object({
  copyId: z.string(),
  label: z.string(),
  status: z.string(),
  itemId: z.string(),
  numberSymbol: z.string().nullable(),
  docType: z.string(),
  level: z.enum(LEVELS).nullable(),
  holder: partySchema,
  /** The receiver while the copy is in transit (added to the contract). */
  pending: partySchema.nullable(),
  since: z.string(),
});

const envelopeSchema = z.object({
  layer: z.enum(['outer', 'inner']),
  ordinaryAddress: z.boolean(),
  numberSymbol: z.string().nullable(),
  recipientName: z.string().nullable(),
  marks: z.array(z.object({ code: z.string(), text: z.string() })),
  sealed: z.boolean(),
});

export function itemsRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['items'];
    const one = { 200: itemSchema };

    app.post('/api/items', { schema: { tags, body: draftBody, response: one } }, async (req) => toItem(await uc.createDraft(deps, req.actor, req.body)));
    app.post('/api/items/:id/propose', { schema: { tags, params: idParam, response: one } }, async (req) => toItem(await uc.proposeItem(deps, req.actor, req.params.id)));
    app.post('/api/items/:id/approve', { schema: { tags, params: idParam, response: one } }, async (req) => toItem(await uc.approveItem(deps, req.actor, req.params.id)));
    app.post('/api/items/:id/return', { schema: { tags, params: idParam, body: z.object({ reason: text(1000) }).strict(), response: one } }, async (req) =>
      toItem(await uc.returnItem(deps, req.actor, req.params.id, req.body.reason)),
    );
    app.patch('/api/items/:id', { schema: { tags, params: idParam, body: draftBody, response: one } }, async (req) => toItem(await uc.updateDraft(deps, req.actor, req.params.id, req.body)));
    app.post('/api/items/:id/revise', { schema: { tags, params: idParam, response: one } }, async (req) => toItem(await uc.reviseItem(deps, req.actor, req.params.id)));
    app.post(
      '/api/items/:id/issue',
      {
        schema: {
          tags,
          params: idParam,
          body: z.object({ symbol: text(60), documentDate: civilDate, signerName: text(120) }).strict(),
          response: {
            200: z.object({
              item: itemSchema,
              copies: z.array(z.object({ copyId: z.string(), label: z.string(), recipient: z.string(), registerNumber: z.number().nullable(), envelopes: z.array(envelopeSchema) })),
            }),
          },
        },
      },
      async (req) => {
        const r = await uc.issueItem(deps, req.actor, req.params.id, req.body);
        return { item: toItem(r.item), copies: r.copies };
      },
    );
    app.post(
      '/api/items/incoming',
      { schema: { tags, body: incomingBody, response: { 200: z.object({ item: itemSchema, registerNumber: z.number(), year: z.number(), copies: z.array(copySchema) }) } } },
      async (req) => {
        const r = await uc.registerIncoming(deps, req.actor, req.body);
        return { item: toItem(r.item), registerNumber: r.entry.number, year: r.entry.year, copies: r.copies.map(toCopy) };
      },
    );
    app.get(
      '/api/items',
      {
        schema: {
          tags,
          querystring: z
            .object({
              state: z.enum(ITEM_STATUSES).optional(),
              mine: z.enum(['true', 'false']).optional(),
              /** Only the proposals this person may decide now (state is then 'proposed'). */
              decide: z.enum(['true', 'false']).optional(),
              page: z.coerce.number().int().min(1).max(100_000).default(1),
              pageSize: z.coerce.number().int().min(1).max(200).default(50),
            })
            .strict(),
          response: { 200: z.object({ items: z.array(itemSchema), total: z.number(), page: z.number(), pageSize: z.number() }) },
        },
      },
      async (req) => {
        const r = await uc.listItems(deps, req.actor, { ...req.query, mine: req.query.mine === 'true', decide: req.query.decide === 'true' });
        return { ...r, items: r.items.map(toItem) };
      },
    );
    app.get(
      '/api/items/:id',
      {
        schema: {
          tags,
          params: idParam,
          response: {
            200: z.object({
              item: itemSchema,
              copies: z.array(itemCopySchema),
              recipients: z.array(
                z.object({ kind: z.string(), name: z.string(), userId: z.string().nullable(), unitId: z.string().nullable(), copies: z.number(), addresseeOnly: z.boolean() }),
              ),
              history: z.array(
                z.object({
                  id: z.string(),
                  kind: z.string(),
                  occurredAt: z.string(),
                  actorName: z.string().nullable(),
                  from: z.string().nullable(),
                  to: z.string().nullable(),
                  envelopeState: z.string().nullable(),
                  confirmedAt: z.string().nullable(),
                  /** Who signed (or, for an outside body, the clerk who recorded its receipt). */
                  confirmedBy: z.string().nullable(),
                  /** The scan of the signed page, when one was attached (GET /api/custody/:id/receipt-scan). */
                  receiptScan: z.object({ id: z.string(), fileName: z.string(), size: z.number() }).nullable(),
                }),
              ),
              canReadContent: z.boolean(),
              canDecide: z.boolean(),
              drafter: personRef.nullable(),
              approver: personRef.nullable(),
              assignments: z.array(assignmentSchema),
              events: z.array(itemEventSchema),
              eventsTruncated: z.boolean(),
            }),
          },
        },
      },
      async (req) => {
        const r = await uc.getItem(deps, req.actor, req.params.id);
        return {
          item: toItem(r.item),
          copies: r.copies.map((c) => ({ ...toCopy(c), holderName: c.holderName, pendingName: c.pendingName })),
          recipients: r.recipients.map((x) => ({ kind: x.kind, name: x.user_name ?? x.unit_name ?? x.outside_name ?? '', userId: x.user_id, unitId: x.unit_id, copies: x.copies, addresseeOnly: x.addressee_only === 1 })),
          history: r.history.map((h) => {
            const scan = r.receiptScans.find((x) => x.custody_event_id === h.id);
            return {
              id: h.id,
              kind: h.kind,
              occurredAt: h.occurred_at,
              actorName: h.actor_name,
              from: h.from_label,
              to: h.to_label,
              envelopeState: h.envelope_state,
              confirmedAt: h.confirmed_at,
              confirmedBy: h.confirmed_by,
              receiptScan: scan ? { id: scan.id, fileName: scan.file_name, size: Number(scan.size) } : null,
            };
          }),
          canReadContent: r.canReadContent,
          canDecide: r.canDecide,
          drafter: r.drafter,
          approver: r.approver,
          assignments: r.assignments,
          events: r.events,
          eventsTruncated: r.eventsTruncated,
        };
      },
    );
    app.post(
      '/api/items/:id/assignments',
      {
        schema: {
          tags,
          params: idParam,
          body: z.object({ userId: idSchema }).strict(),
          response: { 201: z.object({ itemId: z.string(), userId: z.string(), assignedAt: z.string() }) },
        },
      },
      async (req, reply) => {
        const r = await assignItem(deps, req.actor, req.params.id, req.body.userId);
        return reply.code(201).send(r);
      },
    );
    app.delete(
      '/api/items/:id/assignments/:userId',
      {
        schema: {
          tags,
          params: z.object({ id: idSchema, userId: idSchema }).strict(),
          response: { 200: z.object({ itemId: z.string(), userId: z.string(), revokedAt: z.string() }) },
        },
      },
      async (req) => unassignItem(deps, req.actor, req.params.id, req.params.userId),
    );
    app.get(
      '/api/units/:id/holdings',
      {
        schema: {
          tags: ['custody'],
          params: idParam,
          querystring: z
            .object({
              status: z.enum(COPY_STATUSES).optional(),
              page: z.coerce.number().int().min(1).max(100_000).default(1),
              pageSize: z.coerce.number().int().min(1).max(200).default(50),
            })
            .strict(),
          response: { 200: z.object({ unit: z.object({ id: z.string(), name: z.string() }), rows: z.array(holdingSchema), total: z.number(), page: z.number(), pageSize: z.number() }) },
        },
      },
      async (req) => unitHoldings(deps, req.actor, req.params.id, req.query),
    );
    app.get('/api/items/:id/envelopes.pdf', { schema: { tags, params: idParam } }, async (req, reply) => {
      const pdf = await printEnvelopeLabels(deps, req.actor, req.params.id);
      reply.header('content-type', 'application/pdf');
      reply.header('content-disposition', `attachment; filename="nhan-bi-${req.params.id.slice(0, 8)}.pdf"`);
      reply.header('cache-control', 'no-store');
      return Buffer.from(pdf);
    });
    app.get('/api/items/:id/content', { schema: { tags, params: idParam, response: { 200: z.object({ summary: z.string().nullable(), docType: z.string(), reason: z.string() }) } } }, async (req) =>
      uc.readContent(deps, req.actor, req.params.id),
    );

    app.post(
      '/api/custody/hand-over',
      {
        schema: {
          tags: ['custody'],
          body: z.object({ copyIds: z.array(idSchema).min(1).max(1000), to: z.object({ kind: z.enum(['user', 'unit']), id: idSchema }).strict(), note: text(1000).optional() }).strict(),
          response: { 200: z.object({ eventId: z.string(), registerNumber: z.number(), year: z.number() }) },
        },
      },
      async (req) => {
        const r = await uc.handOverCopies(deps, req.actor, req.body);
        return { eventId: r.eventId, registerNumber: r.entry.number, year: r.entry.year };
      },
    );
    app.post('/api/custody/:id/confirm', { schema: { tags: ['custody'], params: idParam, response: { 200: z.object({ eventId: z.string(), confirmedAt: z.string() }) } } }, async (req) =>
      uc.confirmReceipt(deps, req.actor, req.params.id),
    );
    app.post(
      '/api/custody/:id/outside-receipt',
      { schema: { tags: ['custody'], params: idParam, body: z.object({ receivedBy: text(200) }).strict(), response: { 200: z.object({ eventId: z.string(), confirmedAt: z.string() }) } } },
      async (req) => uc.recordOutsideReceipt(deps, req.actor, req.params.id, req.body),
    );
    app.get(
      '/api/my/copies',
      {
        schema: {
          tags: ['custody'],
          response: {
            200: z.object({
              copies: z.array(z.object({ id: z.string(), label: z.string(), status: z.string(), itemId: z.string(), numberSymbol: z.string().nullable(), docType: z.string(), level: z.string().nullable(), documentDate: z.string().nullable(), issuer: z.string().nullable(), incoming: z.boolean() })),
              pending: z.array(z.object({ eventId: z.string(), kind: z.string(), occurredAt: z.string(), from: z.string().nullable(), itemId: z.string(), numberSymbol: z.string().nullable(), level: z.string().nullable() })),
            }),
          },
        },
      },
      async (req) => {
        const r = await uc.myCopies(deps, req.actor);
        return {
          copies: r.copies.map((c) => ({ id: c.id, label: c.label, status: c.status, itemId: c.item_id, numberSymbol: c.number_symbol, docType: c.doc_type, level: c.level, documentDate: c.document_date, issuer: c.issuer, incoming: c.pending_user_id !== null && c.holder_user_id !== c.pending_user_id })),
          pending: r.pending.map((p) => ({ eventId: p.id, kind: p.kind, occurredAt: p.occurred_at, from: p.from_label, itemId: p.item_id, numberSymbol: p.number_symbol, level: p.level })),
        };
      },
    );
  };
}
