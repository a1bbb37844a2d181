import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema } from '../../platform/validation';
import type { AttachmentView } from './attachments.repository';
import { contentDisposition } from './attachments.rules';
import * as uc from './attachments.usecases';

const fileSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedAt: z.string(),
  uploadedBy: z.object({ id: z.string(), name: z.string() }),
});

const toFile = (a: AttachmentView): z.infer<typeof fileSchema> => ({
  id: a.id,
  fileName: a.file_name,
  mediaType: a.media_type,
  size: Number(a.size),
  sha256: a.sha256,
  uploadedAt: a.uploaded_at,
  uploadedBy: { id: a.uploaded_by, name: a.uploader_name ?? '' },
});

const idParam = z.object({ id: idSchema }).strict();
// The file id is checked in the use case, after the permission check (any string of a sane size here).
const fileParams = z.object({ id: idSchema, attachmentId: z.string().min(1).max(100) }).strict();
// ?name= is URL-encoded UTF-8 (Fastify decodes it); ?type= is optional (else from the extension).
const uploadQuery = z.object({ name: z.string().max(1000).optional(), type: z.string().max(200).optional() }).strict();

function uploadBodyOf(req: FastifyRequest): uc.UploadBody {
  if (req.body instanceof Readable) {
    const len = req.headers['content-length'];
    return { kind: 'stream', stream: req.body, declaredLength: typeof len === 'string' && /^\d{1,15}$/.test(len) ? Number(len) : undefined };
  }
  return req.body === undefined ? { kind: 'none' } : { kind: 'other' };
}

/** Runs an upload; when it is refused before the whole body was read, the connection is not reused. */
export async function upload<T>(req: FastifyRequest, reply: FastifyReply, run: (body: uc.UploadBody) => Promise<T>): Promise<T> {
  const body = uploadBodyOf(req);
  try {
    return await run(body);
  } catch (e) {
    if (body.kind === 'stream' && !body.stream.readableEnded) reply.header('connection', 'close');
    throw e;
  }
}

/**
 * Sends a decrypted file. Its length is known, so a client sees a transfer cut short as
 * incomplete; if decryption fails midway (a damaged or altered file) Fastify destroys the socket,
 * so the download never ends as a clean success.
 */
export function sendFile(reply: FastifyReply, file: Pick<AttachmentView, 'media_type' | 'size' | 'file_name'>, stream: Readable) {
  // Decryption runs ahead while the read is audited: it may have failed already.
  if (stream.errored) throw stream.errored;
  reply.header('content-type', file.media_type);
  reply.header('content-length', String(file.size));
  reply.header('content-disposition', contentDisposition(file.file_name));
  reply.header('cache-control', 'no-store');
  reply.header('x-content-type-options', 'nosniff');
  // Failing before the first byte becomes a JSON error (the error handler answers): it must not
  // be announced as the file, nor saved under its name.
  stream.once('error', () => {
    if (reply.raw.headersSent) return;
    for (const h of ['content-type', 'content-length', 'content-disposition']) reply.removeHeader(h);
  });
  return reply.send(stream);
}

export function attachmentsRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    // Uploads are the raw file as the request body. This parser hands the request stream on
    // untouched — nothing is buffered, so Fastify's bodyLimit does not apply; the use case
    // enforces KHOMAT_MAX_UPLOAD_MB while streaming. Registered in this plugin only
    // (encapsulated): no other route of the server accepts application/octet-stream.
    fastify.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['attachments'];

    app.post('/api/items/:id/attachments', { schema: { tags, params: idParam, querystring: uploadQuery, response: { 200: fileSchema } } }, async (req, reply) =>
      toFile(await upload(req, reply, (body) => uc.addContentFile(deps, req.actor, req.params.id, { ...req.query, body }))),
    );
    app.get(
      '/api/items/:id/attachments',
      { schema: { tags, params: idParam, response: { 200: z.object({ files: z.array(fileSchema), count: z.number() }) } } },
      async (req) => {
        const r = await uc.listContentFiles(deps, req.actor, req.params.id);
        return { files: r.files.map(toFile), count: r.count };
      },
    );
    app.get('/api/items/:id/attachments/:attachmentId', { schema: { tags, params: fileParams } }, async (req, reply) => {
      const { file, stream } = await uc.openContentFile(deps, req.actor, req.params.id, req.params.attachmentId);
      return sendFile(reply, file, stream);
    });
    app.delete(
      '/api/items/:id/attachments/:attachmentId',
      { schema: { tags, params: fileParams, response: { 200: z.object({ id: z.string(), removedAt: z.string() }) } } },
      async (req) => uc.removeContentFile(deps, req.actor, req.params.id, req.params.attachmentId),
    );

    app.post(
      '/api/custody/:id/receipt-scan',
      { schema: { tags: ['custody'], params: idParam, querystring: uploadQuery, response: { 200: fileSchema } } },
      async (req, reply) => toFile(await upload(req, reply, (body) => uc.addReceiptScan(deps, req.actor, req.params.id, { ...req.query, body }))),
    );
    app.get('/api/custody/:id/receipt-scan', { schema: { tags: ['custody'], params: idParam } }, async (req, reply) => {
      const { file, stream } = await uc.openReceiptScan(deps, req.actor, req.params.id);
      return sendFile(reply, file, stream);
    });
  };
}
