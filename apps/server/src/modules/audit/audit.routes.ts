import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import * as uc from './audit.usecases';
import { idSchema } from '../../platform/validation';

const isoDate = z.string().datetime({ offset: true });

export const auditQuery = z
  .object({
    actorId: idSchema.optional(),
    action: z
      .string()
      .regex(/^[a-z_.]{1,100}$/)
      .optional(),
    subjectId: idSchema.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const eventSchema = z.object({
  seq: z.number(),
  occurredAt: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export function auditRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['audit'];
    const filterOf = (q: z.infer<typeof auditQuery>) => ({
      actorId: q.actorId,
      action: q.action,
      subjectId: q.subjectId,
      from: q.from ? new Date(q.from).toISOString() : undefined,
      to: q.to ? new Date(q.to).toISOString() : undefined,
    });

    app.get(
      '/api/audit',
      {
        schema: {
          tags,
          querystring: auditQuery,
          response: { 200: z.object({ items: z.array(eventSchema), total: z.number(), page: z.number(), pageSize: z.number() }) },
        },
      },
      async (req) => {
        const r = await uc.queryAudit(deps, req.actor, filterOf(req.query), req.query.page, req.query.pageSize);
        return {
          ...r,
          items: r.items.map((e) => ({
            seq: Number(e.seq),
            occurredAt: e.occurred_at,
            actorId: e.actor_id,
            actorName: e.actor_name,
            action: e.action,
            subjectType: e.subject_type,
            subjectId: e.subject_id,
            details: JSON.parse(e.details) as Record<string, unknown>,
          })),
        };
      },
    );

    app.get('/api/audit/actions', { schema: { tags, response: { 200: z.object({ items: z.array(z.string()) }) } } }, async (req) => ({
      items: await uc.listActions(deps, req.actor),
    }));

    app.get('/api/audit/export.csv', { schema: { tags, querystring: auditQuery.omit({ page: true, pageSize: true }) } }, async (req, reply) => {
      const csv = await uc.exportAuditCsv(deps, req.actor, filterOf({ ...req.query, page: 1, pageSize: 1 }));
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('cache-control', 'no-store');
      reply.header('content-disposition', `attachment; filename="${uc.auditExportFileName(deps.clock.now())}"`);
      return csv;
    });

    app.get(
      '/api/audit/verify',
      {
        schema: {
          tags,
          response: {
            200: z.object({
              ok: z.boolean(),
              count: z.number(),
              headSeq: z.number().optional(),
              checkpoints: z.number().optional(),
              /** Checkpoints of the anchor file found in the database (null: no anchor file compared). */
              anchored: z.number().nullable().optional(),
              /** The latest signed checkpoint, with the short code written in the paper register. */
              lastCheckpoint: z.object({ seq: z.number(), signedAt: z.string(), code: z.string() }).nullable().optional(),
              badSeq: z.number().nullable().optional(),
              reason: z.string().optional(),
            }),
          },
        },
      },
      async (req) => {
        const r = await uc.verifyChain(deps, req.actor);
        if (!r.ok) return { ok: false, count: r.count, badSeq: r.badSeq, reason: r.reason };
        return { ok: true, count: r.count, headSeq: r.headSeq, checkpoints: r.checkpoints, anchored: r.anchored, lastCheckpoint: r.lastCheckpoint };
      },
    );
  };
}
