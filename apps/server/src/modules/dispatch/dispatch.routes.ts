import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ITEM_KINDS, LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema, text } from '../../platform/validation';
import { civilDate, copySchema, idParam, itemSchema, toCopy, toItem } from '../items/items.schemas';
import * as uc from './dispatch.usecases';
import { printEnvelopeLabels } from './envelopes.usecases';
import * as summary from './addressee-summary.usecases';

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
    /** The document says it may not be copied or photographed (không được sao, chụp). */
    copyForbidden: z.boolean().optional(),
    to: z.object({ kind: z.enum(['user', 'unit']), id: idSchema }).strict(),
    note: text(1000).optional(),
    /** The day the paper arrived when registered later (ngày đến); today when absent. */
    arrivalDate: civilDate.optional(),
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
              copies: z.array(
                z.object({
                  copyId: z.string(),
                  label: z.string(),
                  recipient: z.string(),
                  registerNumber: z.number().nullable(),
                  envelopes: z.array(envelopeSchema),
                }),
              ),
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
      {
        schema: {
          tags,
          body: incomingBody,
          response: { 200: z.object({ item: itemSchema, registerNumber: z.number(), year: z.number(), copies: z.array(copySchema) }) },
        },
      },
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
      {
        schema: {
          tags: ['custody'],
          params: idParam,
          body: z.object({ receivedBy: text(200), receivedOn: civilDate.optional() }).strict(),
          response: { 200: z.object({ eventId: z.string(), confirmedAt: z.string() }) },
        },
      },
      async (req) => uc.recordOutsideReceipt(deps, req.actor, req.params.id, req.body),
    );
    // The summary of an addressee-only envelope, once its named person has opened it.
    const decision = z.object({ allowed: z.boolean(), via: z.enum(['named_addressee', 'clerk_with_agreement']).nullable(), refusal: z.string().nullable() });
    app.get(
      '/api/items/:id/summary-completion',
      { schema: { tags, params: idParam, response: { 200: z.object({ agree: decision, complete: decision, agreed: z.boolean() }) } } },
      async (req) => summary.summaryOptions(deps, req.actor, req.params.id),
    );
    app.post('/api/items/:id/summary-agreement', { schema: { tags, params: idParam, response: { 200: z.object({ agreedAt: z.string() }) } } }, async (req) =>
      summary.agreeToClerkSummary(deps, req.actor, req.params.id),
    );
    app.post(
      '/api/items/:id/summary',
      {
        schema: {
          tags,
          params: idParam,
          body: z.object({ summary: text(2000) }).strict(),
          response: { 200: z.object({ via: z.enum(['named_addressee', 'clerk_with_agreement']), registerEntries: z.number() }) },
        },
      },
      async (req) => summary.completeSummary(deps, req.actor, req.params.id, req.body),
    );
  };
}
