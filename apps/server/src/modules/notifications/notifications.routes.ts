import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { idSchema } from '../../platform/validation';
import type { NotificationRow } from './notifications.repository';
import * as uc from './notifications.usecases';

const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  message: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

const toNotification = (n: NotificationRow): z.infer<typeof notificationSchema> => ({
  id: n.id,
  kind: n.kind,
  message: n.message,
  subjectType: n.subject_type,
  subjectId: n.subject_id,
  createdAt: n.created_at,
  readAt: n.read_at,
});

export function notificationsRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['notifications'];
    app.get(
      '/api/notifications',
      {
        schema: {
          tags,
          querystring: z
            .object({
              unreadOnly: z.enum(['true', 'false']).optional(),
              page: z.coerce.number().int().min(1).max(100_000).default(1),
              pageSize: z.coerce.number().int().min(1).max(200).default(50),
            })
            .strict(),
          response: { 200: z.object({ rows: z.array(notificationSchema), unread: z.number(), total: z.number(), page: z.number(), pageSize: z.number() }) },
        },
      },
      async (req) => {
        const r = await uc.listNotifications(deps, req.actor, {
          unreadOnly: req.query.unreadOnly === 'true',
          page: req.query.page,
          pageSize: req.query.pageSize,
        });
        return { ...r, rows: r.rows.map(toNotification) };
      },
    );
    app.post('/api/notifications/read-all', { schema: { tags, response: { 200: z.object({ marked: z.number() }) } } }, async (req) =>
      uc.markAllNotificationsRead(deps, req.actor),
    );
    app.post(
      '/api/notifications/:id/read',
      { schema: { tags, params: z.object({ id: idSchema }).strict(), response: { 200: z.object({ id: z.string(), readAt: z.string() }) } } },
      async (req) => uc.markNotificationRead(deps, req.actor, req.params.id),
    );
  };
}
