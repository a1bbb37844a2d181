import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema } from '../../platform/validation';
import { sendFile, upload } from '../attachments/attachments.routes';
import { REQUEST_SCAN_KINDS } from './request-scans.rules';
import * as uc from './request-scans.usecases';

// The scans kept with a request: the raw file as the body (as for a receipt scan), the download
// decrypted. The kind is checked in the use case, after the permission.
export function requestScansRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    // Raw uploads in this plugin only (encapsulated), streamed untouched to the use case.
    fastify.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['requests'];
    const params = z.object({ id: idSchema, kind: z.string().min(1).max(40) }).strict();
    const uploadQuery = z.object({ name: z.string().max(1000).optional(), type: z.string().max(200).optional() }).strict();
    const scanSchema = z.object({ kind: z.enum(REQUEST_SCAN_KINDS), fileName: z.string(), size: z.number(), uploadedAt: z.string() });

    app.post('/api/requests/:id/scans/:kind', { schema: { tags, params, querystring: uploadQuery, response: { 200: scanSchema } } }, async (req, reply) =>
      upload(req, reply, (body) => uc.uploadRequestScan(deps, req.actor, req.params.id, req.params.kind, { ...req.query, body })),
    );
    app.get('/api/requests/:id/scans/:kind', { schema: { tags, params } }, async (req, reply) => {
      const { file, stream } = await uc.openRequestScan(deps, req.actor, req.params.id, req.params.kind);
      return sendFile(reply, file, stream);
    });
  };
}
