import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';

const healthSchema = z.object({
  status: z.literal('ok'),
  db: z.enum(['sqlite', 'postgres']),
  /** `full` while writes are refused for lack of space (reads still work), with when that was seen. */
  storage: z.enum(['ok', 'full']),
  fullSince: z.string().optional(),
  fullLastSeen: z.string().optional(),
});

export function healthRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    fastify
      .withTypeProvider<ZodTypeProvider>()
      .get('/api/health', { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: healthSchema } } }, async () => {
        await sql`select 1`.execute(deps.dbh.db);
        return { status: 'ok' as const, db: deps.dbh.dialect, ...(await deps.storage.state()) };
      });
  };
}
