import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema } from '../../platform/validation';
import { COPY_STATUSES } from '../copies/copies.rules';
import { TAKE_OUT_STATUSES } from './take-out.rules';
import { lossBodySchema, returnBodySchema } from './take-out.schemas';
import * as uc from './take-out.usecases';

// HTTP only: parse, call the use case, shape the reply. The response schemas say what leaves.

const person = z.object({ id: z.string(), name: z.string() });

const listRowSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  requestType: z.enum(['take_out_domestic', 'take_out_abroad']),
  item: z.object({ id: z.string(), docType: z.string(), numberSymbol: z.string().nullable(), level: z.enum(LEVELS).nullable() }),
  takenBy: person,
  takenAt: z.string(),
  dueDate: z.string(),
  overdue: z.boolean(),
});

const viewSchema = z.object({
  takeOut: z
    .object({
      id: z.string(),
      status: z.enum(TAKE_OUT_STATUSES),
      takenBy: person,
      takenAt: z.string(),
      dueDate: z.string(),
      overdue: z.boolean(),
      returnedAt: z.string().nullable(),
      returnReport: z.string().nullable(),
      copies: z.array(z.object({ id: z.string(), label: z.string(), status: z.enum(COPY_STATUSES) })),
    })
    .nullable(),
  can: z.object({ execute: z.boolean(), return: z.boolean(), reportLoss: z.boolean() }),
});

type View = z.infer<typeof viewSchema>;

export function takeOutRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['take-out'];
    const params = z.object({ id: idSchema }).strict();
    const ofRequest = async (actor: Parameters<typeof uc.takeOutOfRequest>[1], requestId: string) =>
      (await uc.takeOutOfRequest(deps, actor, requestId)) as View;

    app.get('/api/take-outs', { schema: { tags, response: { 200: z.object({ items: z.array(listRowSchema), total: z.number() }) } } }, async (req) => {
      const r = await uc.listTakeOuts(deps, req.actor);
      return r as { items: z.infer<typeof listRowSchema>[]; total: number };
    });
    app.get('/api/requests/:id/take-out', { schema: { tags, params, response: { 200: viewSchema } } }, async (req) => ofRequest(req.actor, req.params.id));
    app.post('/api/requests/:id/take-out', { schema: { tags, params, response: { 200: viewSchema } } }, async (req) => {
      await uc.executeTakeOut(deps, req.actor, req.params.id);
      return ofRequest(req.actor, req.params.id);
    });
    app.post('/api/take-outs/:id/return', { schema: { tags, params, body: returnBodySchema, response: { 200: viewSchema } } }, async (req) => {
      const requestId = await uc.returnTakeOut(deps, req.actor, req.params.id, req.body);
      return ofRequest(req.actor, requestId);
    });
    app.post(
      '/api/take-outs/:id/loss',
      { schema: { tags, params, body: lossBodySchema, response: { 200: z.object({ incidentId: z.string() }) } } },
      async (req) => ({
        incidentId: await uc.reportLoss(deps, req.actor, req.params.id, req.body),
      }),
    );
  };
}
