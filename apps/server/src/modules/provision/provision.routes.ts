import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema } from '../../platform/validation';
import * as uc from './provision.usecases';

// HTTP only: parse, call the use case, shape the reply. The response schemas say what leaves.

const envelopeSchema = z.object({
  layer: z.enum(['outer', 'inner']),
  ordinaryAddress: z.boolean(),
  numberSymbol: z.string().nullable(),
  recipientName: z.string().nullable(),
  marks: z.array(z.object({ code: z.string(), text: z.string() })),
  sealed: z.boolean(),
});

const viewSchema = z.object({
  provision: z
    .object({
      id: z.string(),
      recipient: z.string(),
      executedAt: z.string(),
      executedBy: z.object({ id: z.string(), name: z.string() }),
      custodyEventId: z.string(),
      registerNumber: z.number().nullable(),
      registerYear: z.number().nullable(),
      receivedAt: z.string().nullable(),
      closedAt: z.string().nullable(),
    })
    .nullable(),
  can: z.object({ execute: z.boolean(), printLetter: z.boolean(), recordReceipt: z.boolean(), printEnvelopes: z.boolean() }),
});

type View = z.infer<typeof viewSchema>;

export function provisionRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['provision'];
    const params = z.object({ id: idSchema }).strict();

    app.get(
      '/api/requests/:id/provision',
      { schema: { tags, params, response: { 200: viewSchema } } },
      async (req) => (await uc.provisionOfRequest(deps, req.actor, req.params.id)) as View,
    );
    app.post(
      '/api/requests/:id/provision',
      { schema: { tags, params, response: { 200: viewSchema.extend({ envelopes: z.array(envelopeSchema) }) } } },
      async (req) => {
        const done = await uc.executeProvision(deps, req.actor, req.params.id);
        return { ...((await uc.provisionOfRequest(deps, req.actor, req.params.id)) as View), envelopes: done.envelopes };
      },
    );
    app.get('/api/requests/:id/letter.pdf', { schema: { tags, params } }, async (req, reply) => {
      const { pdf, fileName } = await uc.printLetter(deps, req.actor, req.params.id);
      reply.header('content-type', 'application/pdf');
      reply.header('content-disposition', `attachment; filename="${fileName}"`);
      reply.header('cache-control', 'no-store');
      return Buffer.from(pdf);
    });
    app.get('/api/requests/:id/provision/envelopes.pdf', { schema: { tags, params } }, async (req, reply) => {
      const pdf = await uc.printProvisionEnvelopes(deps, req.actor, req.params.id);
      reply.header('content-type', 'application/pdf');
      reply.header('content-disposition', `attachment; filename="nhan-bi-${req.params.id.slice(0, 8)}.pdf"`);
      reply.header('cache-control', 'no-store');
      return Buffer.from(pdf);
    });
  };
}
