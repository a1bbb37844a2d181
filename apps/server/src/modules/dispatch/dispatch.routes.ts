import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ITEM_KINDS, LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema, text } from '../../platform/validation';
import { civilDate, copySchema, idParam, itemSchema, toCopy, toItem } from '../items/items.schemas';
import * as uc from './dispatch.usecases';
import { printEnvelopeLabels } from './envelopes.usecases';

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

const envelopeSchema = z.object({
  layer: z.enum(['outer', 'inner']),
  ordinaryAddress: z.boolean(),
  numberSymbol: z.string().nullable(),
  recipientName: z.string().nullable(),
  marks: z.array(z.object({ code: z.string(), text: z.string() })),
  sealed: z.boolean(),
});

/** Issue and dispatch, envelopes, receipts from outside bodies, and registering what arrives from outside. */
export function dispatchRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['items'];

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
    // ?perCopy=1: the clerk splits a recipient's copies into one envelope each.
    const envelopeQuery = z.object({ perCopy: z.enum(['0', '1']).optional() }).strict();
    app.get('/api/items/:id/envelopes.pdf', { schema: { tags, params: idParam, querystring: envelopeQuery } }, async (req, reply) => {
      const pdf = await printEnvelopeLabels(deps, req.actor, req.params.id, { perCopy: req.query.perCopy === '1' });
      reply.header('content-type', 'application/pdf');
      reply.header('content-disposition', `attachment; filename="nhan-bi-${req.params.id.slice(0, 8)}.pdf"`);
      reply.header('cache-control', 'no-store');
      return Buffer.from(pdf);
    });
    app.post(
      '/api/custody/:id/outside-receipt',
      { schema: { tags: ['custody'], params: idParam, body: z.object({ receivedBy: text(200) }).strict(), response: { 200: z.object({ eventId: z.string(), confirmedAt: z.string() }) } } },
      async (req) => uc.recordOutsideReceipt(deps, req.actor, req.params.id, req.body),
    );
  };
}
