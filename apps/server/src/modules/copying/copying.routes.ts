import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import * as uc from './verify.usecases';

const traceSchema = z.object({
  verificationId: z.string(),
  item: z.object({
    id: z.string(),
    numberSymbol: z.string().nullable(),
    documentDate: z.string().nullable(),
    docType: z.string(),
    level: z.string().nullable(),
    /** Null with summaryHidden when the one content decision does not let this viewer read it. */
    summary: z.string().nullable(),
    summaryHidden: z.boolean(),
  }),
  copy: z.object({ id: z.string(), number: z.number(), total: z.number(), label: z.string(), status: z.string() }),
  holder: z.object({ kind: z.string(), name: z.string().nullable(), unitName: z.string().nullable() }),
});

const toTrace = (t: uc.CopyTrace): z.infer<typeof traceSchema> => ({
  verificationId: t.verificationId,
  item: { ...t.item },
  copy: { ...t.copy },
  holder: { ...t.holder },
});

function imageOf(req: FastifyRequest): uc.TraceImage {
  return req.body instanceof Readable ? { kind: 'stream', stream: req.body } : { kind: 'none' };
}

/** Verifying a printed copy from its verification id or a photo or scan of a page (issue 13 point 4). */
export function copyingRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    // The photo or scan is the raw request body (the web client sends the file as it is, like an
    // attachment upload). Every content type, JSON included, is handed on as the request stream:
    // the use case reads it into memory up to its limit and the decoder recognises JPEG and PNG
    // by their bytes, so a wrong type gets the copying module's own error — or, for someone who
    // may not trace copies, the same answer as everything else (no parser error before the use
    // case decides). In this plugin only: other routes keep their parsers.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['copying'];

    app.get(
      '/api/copies/verify/:id',
      {
        schema: {
          tags,
          summary: 'Tra cứu bản sao theo mã kiểm tra (cán bộ bảo mật, Thủ trưởng cơ quan; người khác: 404 như mã không tồn tại)',
          params: z.object({ id: z.string().max(200) }).strict(),
          response: { 200: traceSchema },
        },
      },
      async (req) => toTrace(await uc.lookUpCopy(deps, req.actor, req.params.id)),
    );

    const summary = 'Tra cứu bản sao từ ảnh chụp, bản quét một trang (thân yêu cầu: ảnh JPEG hoặc PNG, tối đa 20 MB)';
    app.post('/api/copies/verify', { schema: { tags, summary, response: { 200: traceSchema } } }, async (req, reply) => {
      const image = imageOf(req);
      try {
        return toTrace(await uc.lookUpCopyFromImage(deps, req.actor, image));
      } catch (e) {
        // Refused before the whole image was read: the connection is not reused.
        if (image.kind === 'stream' && !image.stream.readableEnded) reply.header('connection', 'close');
        throw e;
      }
    });
  };
}
