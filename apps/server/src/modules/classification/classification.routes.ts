import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ITEM_KINDS, LEVELS } from '@khomat/policy';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema, text } from '../../platform/validation';
import { idParam, itemSchema, shorterPeriod, toItem } from '../items/items.schemas';
import * as uc from './classification.usecases';

const recipientBody = z
  .object({
    kind: z.enum(['user', 'unit', 'outside']),
    userId: idSchema.optional(),
    unitId: idSchema.optional(),
    outsideName: text(300).optional(),
    copies: z.number().int().min(1).max(1000),
    addresseeOnly: z.boolean().optional(),
  })
  .strict()
  .refine((r) => (r.kind === 'user' ? !!r.userId : r.kind === 'unit' ? !!r.unitId : !!r.outsideName), 'Nơi nhận thiếu người, đơn vị hoặc tên cơ quan.');

export const draftBody = z
  .object({
    kind: z.enum(ITEM_KINDS),
    docType: text(100),
    summary: text(2000),
    field: text(200),
    level: z.enum(LEVELS),
    catalogItemIds: z.array(idSchema).min(1).max(20),
    recipients: z.array(recipientBody).min(1).max(200),
    copyCount: z.number().int().min(1).max(1000),
    copyAllowed: z.boolean(),
    shorterPeriod: shorterPeriod.optional(),
    recallRequired: z.boolean().optional(),
  })
  .strict();

/** Drafting an item and deciding its classification (tờ trình, phê duyệt, trả lại): under /api/items. */
export function classificationRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['items'];
    const one = { 200: itemSchema };

    app.post('/api/items', { schema: { tags, body: draftBody, response: one } }, async (req) => toItem(await uc.createDraft(deps, req.actor, req.body)));
    app.post('/api/items/:id/propose', { schema: { tags, params: idParam, response: one } }, async (req) =>
      toItem(await uc.proposeItem(deps, req.actor, req.params.id)),
    );
    app.post('/api/items/:id/approve', { schema: { tags, params: idParam, response: one } }, async (req) =>
      toItem(await uc.approveItem(deps, req.actor, req.params.id)),
    );
    app.post('/api/items/:id/return', { schema: { tags, params: idParam, body: z.object({ reason: text(1000) }).strict(), response: one } }, async (req) =>
      toItem(await uc.returnItem(deps, req.actor, req.params.id, req.body.reason)),
    );
    app.patch('/api/items/:id', { schema: { tags, params: idParam, body: draftBody, response: one } }, async (req) =>
      toItem(await uc.updateDraft(deps, req.actor, req.params.id, req.body)),
    );
    app.post('/api/items/:id/revise', { schema: { tags, params: idParam, response: one } }, async (req) =>
      toItem(await uc.reviseItem(deps, req.actor, req.params.id)),
    );
  };
}
