import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import type { CatalogItemRow } from '../../platform/db/schema';
import { idSchema, optionalText } from '../../platform/validation';
import * as uc from './catalog.usecases';
import { catalogReference } from './catalog.rules';

export const catalogItemSchema = z.object({
  id: z.string(),
  decisionNumber: z.string(),
  decisionDate: z.string(),
  field: z.string(),
  article: z.string(),
  clause: z.string().nullable(),
  point: z.string().nullable(),
  reference: z.string(),
  description: z.string(),
  level: z.enum(LEVELS),
  shorterPeriodYears: z.number().nullable(),
  sample: z.boolean(),
});

export const toCatalogItem = (r: CatalogItemRow): z.infer<typeof catalogItemSchema> => ({
  id: r.id,
  decisionNumber: r.decision_number,
  decisionDate: r.decision_date,
  field: r.field,
  article: r.article,
  clause: r.clause,
  point: r.point,
  reference: catalogReference({ article: r.article, clause: r.clause, point: r.point, decisionNumber: r.decision_number }),
  description: r.description,
  level: r.level as z.infer<typeof catalogItemSchema>['level'],
  shorterPeriodYears: r.shorter_period ? ((JSON.parse(r.shorter_period) as { years?: number }).years ?? null) : null,
  sample: r.sample === 1,
});

export function catalogRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['catalog'];
    app.get(
      '/api/catalog',
      {
        schema: {
          tags,
          querystring: z
            .object({
              q: optionalText(200).optional(),
              field: optionalText(200).optional(),
              level: z.enum(LEVELS).optional(),
              page: z.coerce.number().int().min(1).max(10_000).default(1),
              pageSize: z.coerce.number().int().min(1).max(200).default(50),
            })
            .strict(),
          response: { 200: z.object({ items: z.array(catalogItemSchema), total: z.number(), page: z.number(), pageSize: z.number() }) },
        },
      },
      async (req) => {
        const r = await uc.searchCatalog(deps, req.actor, req.query);
        return { ...r, items: r.items.map(toCatalogItem) };
      },
    );
    app.get('/api/catalog/fields', { schema: { tags, response: { 200: z.object({ items: z.array(z.string()) }) } } }, async (req) => ({
      items: await uc.listFields(deps, req.actor),
    }));
    app.get('/api/catalog/:id', { schema: { tags, params: z.object({ id: idSchema }).strict(), response: { 200: catalogItemSchema } } }, async (req) =>
      toCatalogItem(await uc.getCatalogItem(deps, req.actor, req.params.id)),
    );
    app.post(
      '/api/catalog/import',
      {
        bodyLimit: 5 * 1024 * 1024,
        schema: {
          tags,
          body: z
            .object({
              format: z.enum(['csv', 'json']),
              content: z
                .string()
                .min(1)
                .max(5 * 1024 * 1024),
              sample: z.boolean().optional(),
            })
            .strict(),
          response: { 200: z.object({ imported: z.number() }) },
        },
      },
      async (req) => uc.importCatalog(deps, req.actor, req.body),
    );
    app.post('/api/catalog/remove-sample', { schema: { tags, response: { 200: z.object({ removed: z.number() }) } } }, async (req) =>
      uc.removeSampleCatalog(deps, req.actor),
    );
  };
}
