import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { sessionStateSchema, usernameSchema, passwordSchema } from '../auth/auth.schemas';
import { setSessionCookie } from '../auth/auth.routes';
import { isInitialized, setupFromWeb } from './setup.usecases';
import { text } from '../../platform/validation';

export const setupBody = z
  .object({
    agency: z.object({ name: text(200), code: text(32), parentBody: text(200) }).strict(),
    admin: z.object({ username: usernameSchema, fullName: text(120), position: text(120), password: passwordSchema }).strict(),
    // Thủ trưởng cơ quan (issue 11): the first confirmer of account changes.
    head: z.object({ username: usernameSchema, fullName: text(120), position: text(120), password: passwordSchema }).strict(),
  })
  .strict()
  .refine((b) => b.admin.username.toLowerCase() !== b.head.username.toLowerCase(), {
    message: 'Quản trị viên và Thủ trưởng cơ quan phải là hai tài khoản khác nhau.',
    path: ['head', 'username'],
  });

export function setupRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['setup'];
    app.get('/api/setup/status', { config: { access: 'public' }, schema: { tags, response: { 200: z.object({ initialized: z.boolean() }) } } }, async () => ({
      initialized: await isInitialized(deps),
    }));
    app.post(
      '/api/setup',
      {
        config: { access: 'public', csrfExempt: true, rateLimit: { max: 10, timeWindow: 60_000 } },
        schema: { tags, body: setupBody, response: { 200: sessionStateSchema } },
      },
      async (req, reply) => {
        const { token, state } = await setupFromWeb(deps, req.body);
        setSessionCookie(reply, deps, token);
        return state;
      },
    );
  };
}
