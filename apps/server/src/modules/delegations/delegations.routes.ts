import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AUTHORITY_OPERATIONS, LEVELS, isCivilDate } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import type { Database } from '../../platform/db/schema';
import { idSchema, text } from '../../platform/validation';
import { levelsOf, operationsOf } from './delegations.repository';
import * as uc from './delegations.usecases';

type DelegationRow = Database['delegations'];

const civilDate = z.string().refine(isCivilDate, 'Ngày không hợp lệ (yyyy-mm-dd).');

const delegationSchema = z.object({
  id: z.string(),
  delegate: z.object({ id: z.string(), name: z.string() }),
  operations: z.array(z.enum(AUTHORITY_OPERATIONS)),
  levels: z.array(z.enum(LEVELS)),
  field: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  decisionRef: z.string(),
  grantedBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

type Row = DelegationRow & { delegate_name?: string; granted_by_name?: string };

const toDelegation = (r: Row): z.infer<typeof delegationSchema> => ({
  id: r.id,
  delegate: { id: r.delegate_id, name: r.delegate_name ?? '' },
  operations: operationsOf(r),
  levels: levelsOf(r),
  field: r.field,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  decisionRef: r.decision_ref,
  grantedBy: { id: r.granted_by, name: r.granted_by_name ?? '' },
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export function delegationsRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['delegations'];
    app.get('/api/delegations', { schema: { tags, response: { 200: z.object({ items: z.array(delegationSchema) }) } } }, async (req) => ({
      items: (await uc.listDelegations(deps, req.actor)).map(toDelegation),
    }));
    app.post(
      '/api/delegations',
      {
        schema: {
          tags,
          body: z
            .object({
              delegateId: idSchema,
              // Omitted: classification at every level (as before issue 13).
              operations: z.array(z.enum(AUTHORITY_OPERATIONS)).min(1).max(AUTHORITY_OPERATIONS.length).optional(),
              levels: z.array(z.enum(LEVELS)).min(1).max(LEVELS.length).optional(),
              field: text(200),
              validFrom: civilDate,
              validTo: civilDate,
              decisionRef: text(200),
            })
            .strict(),
          response: { 201: delegationSchema },
        },
      },
      async (req, reply) => reply.status(201).send(toDelegation(await uc.grantDelegation(deps, req.actor, req.body))),
    );
    app.post(
      '/api/delegations/:id/revoke',
      { schema: { tags, params: z.object({ id: idSchema }).strict(), body: z.object({ reason: text(500) }).strict(), response: { 200: delegationSchema } } },
      async (req) => toDelegation(await uc.revokeDelegation(deps, req.actor, req.params.id, req.body.reason)),
    );
  };
}
