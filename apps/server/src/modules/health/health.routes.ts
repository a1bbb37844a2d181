import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';

export function healthRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    fastify.withTypeProvider<ZodTypeProvider>().get(
      '/api/health',
      { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['sqlite', 'postgres']) }) } } },
      async () => {
        await sql`select 1`.execute(deps.dbh.db);
        return { status: 'ok' as const, db: deps.dbh.dialect };
      },
    );
  };
}
