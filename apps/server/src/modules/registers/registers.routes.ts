import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LEVELS, REGISTERS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema, text } from '../../platform/validation';
import * as uc from './registers.usecases';

const entrySchema = z.object({
  id: z.string(),
  register: z.string(),
  year: z.number(),
  number: z.number(),
  volume: z.number(),
  entryDate: z.string(),
  itemId: z.string(),
  numberSymbol: z.string().nullable(),
  documentDate: z.string().nullable(),
  docType: z.string().nullable(),
  summary: z.string().nullable(),
  /** A summary this viewer may not read (the one content decision): shown as SUMMARY_HIDDEN_VI. */
  summaryHidden: z.boolean(),
  level: z.enum(LEVELS),
  signer: z.string().nullable(),
  issuer: z.string().nullable(),
  recipient: z.string().nullable(),
  quantity: z.number(),
  copyLabels: z.string().nullable(),
  receivedBy: z.string().nullable(),
  receivedAt: z.string().nullable(),
  /** The day an outside body signed, as its returned receipt says (receivedAt: when it was recorded). */
  receivedOn: z.string().nullable(),
  note: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

type EntryRow = Awaited<ReturnType<typeof uc.listEntries>>['items'][number];
const toEntry = (e: EntryRow): z.infer<typeof entrySchema> => ({
  id: e.id,
  register: e.register,
  year: Number(e.year),
  number: Number(e.number),
  volume: Number(e.volume),
  entryDate: e.entry_date,
  itemId: e.item_id,
  numberSymbol: e.number_symbol,
  documentDate: e.document_date,
  docType: e.doc_type,
  summary: e.summary,
  summaryHidden: e.summaryHidden,
  level: e.level as z.infer<typeof entrySchema>['level'],
  signer: e.signer,
  issuer: e.issuer,
  recipient: e.recipient,
  quantity: Number(e.quantity),
  copyLabels: e.copy_labels,
  receivedBy: e.received_by,
  receivedAt: e.received_at,
  receivedOn: e.received_on,
  note: e.note,
  cancelledAt: e.cancelled_at,
  cancelReason: e.cancel_reason,
});

/** A downloaded register: the file, its type and name, and no caching anywhere (secret metadata). */
function sendFile(reply: FastifyReply, f: uc.RegisterFile) {
  return reply
    .header('content-type', f.contentType)
    .header('content-disposition', `attachment; filename="${f.filename}"`)
    .header('cache-control', 'no-store')
    .send(Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength));
}

const printQuery = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100),
    fromNumber: z.coerce.number().int().min(1).max(100_000_000).optional(),
    toNumber: z.coerce.number().int().min(1).max(100_000_000).optional(),
  })
  .strict();

const registerYear = z.object({ register: z.enum(REGISTERS), year: z.coerce.number().int().min(2000).max(2100) }).strict();

export function registersRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['registers'];
    app.get(
      '/api/registers/:register',
      {
        schema: {
          tags,
          params: z.object({ register: z.enum(REGISTERS) }).strict(),
          querystring: z
            .object({
              year: z.coerce.number().int().min(2000).max(2100),
              level: z.enum(LEVELS).optional(),
              unitId: idSchema.optional(),
              page: z.coerce.number().int().min(1).max(100_000).default(1),
              pageSize: z.coerce.number().int().min(1).max(200).default(50),
            })
            .strict(),
          response: {
            200: z.object({
              items: z.array(entrySchema),
              total: z.number(),
              page: z.number(),
              pageSize: z.number(),
              locked: z.boolean(),
              summaryShown: z.boolean(),
            }),
          },
        },
      },
      async (req) => {
        const r = await uc.listEntries(deps, req.actor, { register: req.params.register, ...req.query });
        return { ...r, items: r.items.map(toEntry) };
      },
    );
    app.post(
      '/api/registers/entries/:id/cancel',
      { schema: { tags, params: z.object({ id: idSchema }).strict(), body: z.object({ reason: text(500) }).strict(), response: { 200: entrySchema } } },
      async (req) => toEntry(await uc.cancelEntry(deps, req.actor, req.params.id, req.body.reason)),
    );
    // Printing and export: register.export (clerk, security officer, inspector), audited.
    const registerParam = z.object({ register: z.enum(REGISTERS) }).strict();
    app.get('/api/registers/:register/print.pdf', { schema: { tags, params: registerParam, querystring: printQuery } }, async (req, reply) =>
      sendFile(reply, await uc.printRegisterPdf(deps, req.actor, { register: req.params.register, ...req.query })),
    );
    for (const format of ['xlsx', 'csv'] as const) {
      app.get(`/api/registers/:register/export.${format}`, { schema: { tags, params: registerParam, querystring: printQuery } }, async (req, reply) =>
        sendFile(reply, await uc.exportRegister(deps, req.actor, { register: req.params.register, ...req.query }, format)),
      );
    }
    for (const action of ['lock', 'unlock'] as const) {
      app.post(
        `/api/registers/:register/:year/${action}`,
        {
          schema: {
            tags,
            params: registerYear,
            body: z.object({ reason: text(500) }).strict(),
            response: { 200: z.object({ register: z.string(), year: z.number(), locked: z.boolean() }) },
          },
        },
        async (req) => uc.setLock(deps, req.actor, req.params.register, req.params.year, action === 'lock', req.body.reason),
      );
    }
  };
}
