import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isCivilDate, LEVELS, REGISTERS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema, optionalText } from '../../platform/validation';
import { ITEM_STATUSES } from '../items/items.rules';
import { searchRegisters } from './search.usecases';

const civilDate = z.string().refine(isCivilDate, 'Ngày không hợp lệ (yyyy-mm-dd).');

const hitSchema = z.object({
  id: z.string(),
  register: z.string(),
  year: z.number(),
  number: z.number(),
  entryDate: z.string(),
  itemId: z.string(),
  itemState: z.string(),
  numberSymbol: z.string().nullable(),
  documentDate: z.string().nullable(),
  docType: z.string().nullable(),
  summary: z.string().nullable(),
  summaryHidden: z.boolean(),
  level: z.enum(LEVELS),
  issuer: z.string().nullable(),
  recipient: z.string().nullable(),
  cancelledAt: z.string().nullable(),
});

export function searchRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    fastify.withTypeProvider<ZodTypeProvider>().get(
      '/api/search',
      {
        schema: {
          tags: ['search'],
          querystring: z
            .object({
              q: optionalText(200).optional(),
              register: z.enum(REGISTERS).optional(),
              year: z.coerce.number().int().min(2000).max(2100).optional(),
              level: z.enum(LEVELS).optional(),
              unitId: idSchema.optional(),
              state: z.enum(ITEM_STATUSES).optional(),
              from: civilDate.optional(),
              to: civilDate.optional(),
              page: z.coerce.number().int().min(1).max(10_000).default(1),
              pageSize: z.coerce.number().int().min(1).max(100).default(20),
            })
            .strict(),
          response: {
            200: z.object({
              items: z.array(hitSchema),
              total: z.number(),
              totalExact: z.boolean(),
              page: z.number(),
              pageSize: z.number(),
              summaryShown: z.boolean(),
            }),
          },
        },
      },
      async (req) => {
        const r = await searchRegisters(deps, req.actor, req.query);
        return {
          ...r,
          items: r.items.map((e) => ({
            id: e.id,
            register: e.register,
            year: Number(e.year),
            number: Number(e.number),
            entryDate: e.entry_date,
            itemId: e.item_id,
            itemState: e.item_state,
            numberSymbol: e.number_symbol,
            documentDate: e.document_date,
            docType: e.doc_type,
            summary: e.summary,
            summaryHidden: e.summaryHidden,
            level: e.level as (typeof LEVELS)[number],
            issuer: e.issuer,
            recipient: e.recipient,
            cancelledAt: e.cancelled_at,
          })),
        };
      },
    );
  };
}
