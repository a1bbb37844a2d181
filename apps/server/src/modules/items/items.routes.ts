import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema } from '../../platform/validation';
import { COPY_STATUSES } from '../copies/copies.rules';
import * as uc from './items.usecases';
import { assignItem, unassignItem } from './assignments.usecases';
import { unitHoldings } from './holdings.usecases';
import { ITEM_STATUSES } from './items.rules';
import { copySchema, idParam, itemListRowSchema, itemSchema, toCopy, toItem, toItemListRow } from './items.schemas';

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

export function itemsRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['items'];

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
          response: { 200: z.object({ items: z.array(itemListRowSchema), total: z.number(), page: z.number(), pageSize: z.number() }) },
        },
      },
      async (req) => {
        const r = await uc.listItems(deps, req.actor, { ...req.query, mine: req.query.mine === 'true', decide: req.query.decide === 'true' });
        return { ...r, items: r.items.map(toItemListRow) };
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
                z.object({
                  kind: z.string(),
                  name: z.string(),
                  userId: z.string().nullable(),
                  unitId: z.string().nullable(),
                  copies: z.number(),
                  addresseeOnly: z.boolean(),
                }),
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
              /** Why protection ends when it does ("Thời hạn 3 năm theo danh mục …"); null before classification. */
              periodReason: z.string().nullable(),
            }),
          },
        },
      },
      async (req) => {
        const r = await uc.getItem(deps, req.actor, req.params.id);
        return {
          item: toItem(r.item),
          copies: r.copies.map((c) => ({ ...toCopy(c), holderName: c.holderName, pendingName: c.pendingName })),
          recipients: r.recipients.map((x) => ({
            kind: x.kind,
            name: x.user_name ?? x.unit_name ?? x.outside_name ?? '',
            userId: x.user_id,
            unitId: x.unit_id,
            copies: x.copies,
            addresseeOnly: x.addressee_only === 1,
          })),
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
          periodReason: r.periodReason,
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
          response: {
            200: z.object({
              unit: z.object({ id: z.string(), name: z.string() }),
              rows: z.array(holdingSchema),
              total: z.number(),
              page: z.number(),
              pageSize: z.number(),
            }),
          },
        },
      },
      async (req) => unitHoldings(deps, req.actor, req.params.id, req.query),
    );
    app.get(
      '/api/items/:id/content',
      { schema: { tags, params: idParam, response: { 200: z.object({ summary: z.string().nullable(), docType: z.string(), reason: z.string() }) } } },
      async (req) => uc.readContent(deps, req.actor, req.params.id),
    );
  };
}
