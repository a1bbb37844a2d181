import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema } from '../../platform/validation';
import { REQUEST_SCAN_KINDS } from './request-scans.rules';
import { REQUEST_STATUSES, REQUEST_TYPES } from './requests.rules';
import { approveBodySchema, draftBodySchema, outsideDecisionBodySchema, recipientSchema, refuseBodySchema } from './requests.schemas';
import * as uc from './requests.usecases';

// HTTP only: parse, call the use case, shape the reply. The response schemas say what leaves.

const person = z.object({ id: z.string(), name: z.string() });

const listRowSchema = z.object({
  id: z.string(),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(REQUEST_STATUSES),
  route: z.enum(['agency', 'higher_authority']).nullable(),
  itemId: z.string(),
  item: z.object({ docType: z.string(), numberSymbol: z.string().nullable() }),
  level: z.enum(LEVELS).nullable(),
  requester: person,
  createdAt: z.string(),
  submittedAt: z.string().nullable(),
});

const requestSchema = z.object({
  id: z.string(),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(REQUEST_STATUSES),
  route: z.enum(['agency', 'higher_authority']).nullable(),
  outsideAuthority: z.string().nullable(),
  item: z.object({
    id: z.string(),
    docType: z.string(),
    numberSymbol: z.string().nullable(),
    level: z.enum(LEVELS).nullable(),
    summary: z.string().nullable(),
    summaryHidden: z.boolean(),
  }),
  copyIds: z.array(z.string()),
  requester: person,
  purpose: z.string(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  decision: z
    .object({
      outcome: z.enum(['approved', 'refused']),
      via: z.enum(['position', 'delegation', 'outside']),
      decidedBy: person.nullable(),
      recordedBy: person,
      reason: z.string().nullable(),
      quantity: z.number().nullable(),
      recipients: z.array(recipientSchema).nullable(),
      deadline: z.string().nullable(),
      outside: z.object({ authority: z.string(), number: z.string(), date: z.string(), signer: z.string() }).nullable(),
      decidedAt: z.string(),
    })
    .nullable(),
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    cancel: z.boolean(),
    decide: z.boolean(),
    recordOutside: z.boolean(),
    uploadScans: z.array(z.enum(REQUEST_SCAN_KINDS)),
  }),
  /** The scans kept with the request (the page only, never lists). */
  scans: z.array(z.object({ kind: z.enum(REQUEST_SCAN_KINDS), fileName: z.string(), size: z.number(), uploadedAt: z.string() })),
});

type View = z.infer<typeof requestSchema>;
const view = (v: Awaited<ReturnType<typeof uc.getRequest>>): View => v as View;

export function requestsRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['requests'];
    const params = z.object({ id: idSchema }).strict();
    const page = async (actor: Parameters<typeof uc.getRequest>[1], id: string) => view(await uc.getRequest(deps, actor, id));

    app.get(
      '/api/requests',
      {
        schema: {
          tags,
          querystring: z
            .object({
              page: z.coerce.number().int().min(1).max(100_000).default(1),
              pageSize: z.coerce.number().int().min(1).max(200).default(50),
            })
            .strict(),
          response: { 200: z.object({ items: z.array(listRowSchema), total: z.number() }) },
        },
      },
      async (req) =>
        uc.listMine(deps, req.actor, { limit: req.query.pageSize, offset: (req.query.page - 1) * req.query.pageSize }) as Promise<{
          items: z.infer<typeof listRowSchema>[];
          total: number;
        }>,
    );
    app.get(
      '/api/requests/inbox',
      {
        schema: {
          tags,
          querystring: z
            .object({
              page: z.coerce.number().int().min(1).max(100_000).default(1),
              pageSize: z.coerce.number().int().min(1).max(200).default(50),
            })
            .strict(),
          response: { 200: z.object({ items: z.array(listRowSchema), total: z.number() }) },
        },
      },
      async (req) => {
        const r = await uc.listInbox(deps, req.actor, { limit: req.query.pageSize, offset: (req.query.page - 1) * req.query.pageSize });
        return r as { items: z.infer<typeof listRowSchema>[]; total: number };
      },
    );
    app.get('/api/requests/inbox/count', { schema: { tags, response: { 200: z.object({ count: z.number() }) } } }, async (req) => ({
      count: await uc.countInbox(deps, req.actor),
    }));
    app.get('/api/requests/:id', { schema: { tags, params, response: { 200: requestSchema } } }, async (req) => page(req.actor, req.params.id));
    app.post('/api/requests', { schema: { tags, body: draftBodySchema, response: { 201: requestSchema } } }, async (req, reply) =>
      reply.status(201).send(await page(req.actor, await uc.createRequest(deps, req.actor, req.body))),
    );
    app.put('/api/requests/:id', { schema: { tags, params, body: draftBodySchema, response: { 200: requestSchema } } }, async (req) =>
      page(req.actor, await uc.editRequest(deps, req.actor, req.params.id, req.body)),
    );
    app.post('/api/requests/:id/submit', { schema: { tags, params, response: { 200: requestSchema } } }, async (req) =>
      page(req.actor, await uc.submitRequest(deps, req.actor, req.params.id)),
    );
    app.post('/api/requests/:id/cancel', { schema: { tags, params, response: { 200: requestSchema } } }, async (req) =>
      page(req.actor, await uc.cancelRequest(deps, req.actor, req.params.id)),
    );
    app.post('/api/requests/:id/approve', { schema: { tags, params, body: approveBodySchema, response: { 200: requestSchema } } }, async (req) =>
      page(req.actor, await uc.decideRequest(deps, req.actor, req.params.id, { outcome: 'approved', ...req.body })),
    );
    app.post('/api/requests/:id/refuse', { schema: { tags, params, body: refuseBodySchema, response: { 200: requestSchema } } }, async (req) =>
      page(req.actor, await uc.decideRequest(deps, req.actor, req.params.id, { outcome: 'refused', reason: req.body.reason })),
    );
    app.post(
      '/api/requests/:id/outside-decision',
      { schema: { tags, params, body: outsideDecisionBodySchema, response: { 200: requestSchema } } },
      async (req) => page(req.actor, await uc.recordOutsideDecision(deps, req.actor, req.params.id, req.body)),
    );
  };
}
