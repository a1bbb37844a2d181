import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema, text } from '../../platform/validation';
import { idParam } from '../items/items.schemas';
import * as uc from './copies.usecases';

/** Internal hand-over of copies, the receiver's signature, and "Tôi đang giữ". */
export function copiesRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/api/custody/hand-over',
      {
        schema: {
          tags: ['custody'],
          body: z
            .object({
              copyIds: z.array(idSchema).min(1).max(1000),
              to: z.object({ kind: z.enum(['user', 'unit']), id: idSchema }).strict(),
              note: text(1000).optional(),
            })
            .strict(),
          response: { 200: z.object({ eventId: z.string(), registerNumber: z.number(), year: z.number() }) },
        },
      },
      async (req) => {
        const r = await uc.handOverCopies(deps, req.actor, req.body);
        return { eventId: r.eventId, registerNumber: r.entry.number, year: r.entry.year };
      },
    );
    app.post(
      '/api/custody/:id/confirm',
      { schema: { tags: ['custody'], params: idParam, response: { 200: z.object({ eventId: z.string(), confirmedAt: z.string() }) } } },
      async (req) => uc.confirmReceipt(deps, req.actor, req.params.id),
    );
    app.get(
      '/api/my/copies',
      {
        schema: {
          tags: ['custody'],
          response: {
            200: z.object({
              copies: z.array(
                z.object({
                  id: z.string(),
                  label: z.string(),
                  status: z.string(),
                  itemId: z.string(),
                  numberSymbol: z.string().nullable(),
                  docType: z.string(),
                  level: z.string().nullable(),
                  documentDate: z.string().nullable(),
                  issuer: z.string().nullable(),
                  incoming: z.boolean(),
                }),
              ),
              pending: z.array(
                z.object({
                  eventId: z.string(),
                  kind: z.string(),
                  occurredAt: z.string(),
                  from: z.string().nullable(),
                  itemId: z.string(),
                  numberSymbol: z.string().nullable(),
                  level: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => {
        const r = await uc.myCopies(deps, req.actor);
        return {
          copies: r.copies.map((c) => ({
            id: c.id,
            label: c.label,
            status: c.status,
            itemId: c.item_id,
            numberSymbol: c.number_symbol,
            docType: c.doc_type,
            level: c.level,
            documentDate: c.document_date,
            issuer: c.issuer,
            incoming: c.pending_user_id !== null && c.holder_user_id !== c.pending_user_id,
          })),
          pending: r.pending.map((p) => ({
            eventId: p.id,
            kind: p.kind,
            occurredAt: p.occurred_at,
            from: p.from_label,
            itemId: p.item_id,
            numberSymbol: p.number_symbol,
            level: p.level,
          })),
        };
      },
    );
  };
}
