import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema } from '../../platform/validation';
import { contentDisposition } from '../attachments/attachments.rules';
import { COPY_EXECUTION_FORMS } from './copy-execution.rules';
import * as uc from './copy-execution.usecases';

// HTTP only: parse, call the use case, shape the reply. The response schemas say what leaves.

/** Free text checked for emptiness by the rules (a coded, audited refusal), not here. */
export const executeBodySchema = z
  .object({
    form: z.enum(COPY_EXECUTION_FORMS),
    quantity: z.number().int().min(1).max(100),
    equipment: z.string().max(500),
    spoiled: z.number().int().min(0).max(100),
    spoiledNote: z.string().max(1000).optional(),
    partLevel: z.enum(LEVELS).optional(),
  })
  .strict();

const itemBrief = z.object({ id: z.string(), docType: z.string(), numberSymbol: z.string().nullable(), level: z.enum(LEVELS).nullable() });

const viewSchema = z.object({
  type: z.enum(['copy', 'photograph', 'extract']),
  forms: z.array(z.enum(COPY_EXECUTION_FORMS)),
  requestedForm: z.enum(COPY_EXECUTION_FORMS).nullable(),
  approvedQuantity: z.number().nullable(),
  sourceLevel: z.enum(LEVELS).nullable(),
  electronicOriginal: z.boolean(),
  execution: z
    .object({
      id: z.string(),
      form: z.enum(COPY_EXECUTION_FORMS),
      equipment: z.string(),
      quantity: z.number(),
      spoiled: z.number(),
      spoiledNote: z.string().nullable(),
      executedBy: z.object({ id: z.string(), name: z.string() }),
      executedAt: z.string(),
      filesProduced: z.boolean(),
      photoRecord: z.boolean(),
      extract: itemBrief.nullable(),
      copies: z.array(
        z.object({
          id: z.string(),
          number: z.number(),
          label: z.string(),
          status: z.string(),
          holder: z.string(),
          verificationId: z.string().nullable(),
          hasFile: z.boolean(),
          canDownload: z.boolean(),
        }),
      ),
    })
    .nullable(),
  can: z.object({ execute: z.boolean() }),
});
type View = z.infer<typeof viewSchema>;

function sendPdf(reply: FastifyReply, f: { stream: Readable; size: number; fileName: string }) {
  // Decryption runs ahead while the read is audited: it may have failed already.
  if (f.stream.errored) throw f.stream.errored;
  reply.header('content-type', 'application/pdf');
  reply.header('content-length', String(f.size));
  reply.header('content-disposition', contentDisposition(f.fileName));
  reply.header('cache-control', 'no-store');
  reply.header('x-content-type-options', 'nosniff');
  f.stream.once('error', () => {
    if (reply.raw.headersSent) return;
    for (const h of ['content-type', 'content-length', 'content-disposition']) reply.removeHeader(h);
  });
  return reply.send(f.stream);
}

/** Carrying out an approved copy / photograph / extract request, its copies' files and the Mẫu 13 record. */
export function copyExecutionRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['copying'];
    const params = z.object({ id: idSchema }).strict();
    const view = async (actor: Parameters<typeof uc.copyExecutionOfRequest>[1], id: string) => (await uc.copyExecutionOfRequest(deps, actor, id)) as View;

    app.get('/api/requests/:id/copy-execution', { schema: { tags, params, response: { 200: viewSchema } } }, async (req) => view(req.actor, req.params.id));
    app.post('/api/requests/:id/copy-execution', { schema: { tags, params, body: executeBodySchema, response: { 200: viewSchema } } }, async (req) => {
      await uc.executeCopyRequest(deps, req.actor, req.params.id, req.body);
      return view(req.actor, req.params.id);
    });
    app.get('/api/requests/:id/photo-record', { schema: { tags, params } }, async (req, reply) =>
      sendPdf(reply, await uc.openPhotoRecord(deps, req.actor, req.params.id)),
    );
    app.get('/api/copies/:id/file', { schema: { tags, params } }, async (req, reply) => sendPdf(reply, await uc.openCopyFile(deps, req.actor, req.params.id)));
    app.get(
      '/api/items/:id/copy-links',
      { schema: { tags, params, response: { 200: z.object({ source: itemBrief.nullable(), extracts: z.array(itemBrief) }) } } },
      async (req) => {
        const r = await uc.itemCopyLinks(deps, req.actor, req.params.id);
        return r as { source: z.infer<typeof itemBrief> | null; extracts: z.infer<typeof itemBrief>[] };
      },
    );
  };
}
