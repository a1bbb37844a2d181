import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { notificationErrors } from './notifications.errors';
import * as repo from './notifications.repository';

// A person's notices (e.g. a damaged envelope on receipt, NĐ 26/2020 Đ.4 k.2): each user sees
// and marks only their own. Marking read changes state, so it is audited — with ids and counts,
// never the message text.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock'>;

/**
 * Everyone reads their own notices — a held account too (its secret roles are suspended), so the
 * person learns what changed on their account and that it awaits confirmation.
 */
function requireOwnNotices(actor: Actor | null | undefined): asserts actor is Actor {
  if (actor?.held) return;
  requirePermission(actor, 'notification.read');
}

export async function listNotifications(deps: Deps, actor: Actor | null, f: { unreadOnly: boolean; page: number; pageSize: number }) {
  requireOwnNotices(actor);
  const r = await repo.listForUser(deps.dbh.db, actor.userId, { unreadOnly: f.unreadOnly }, f.pageSize, (f.page - 1) * f.pageSize);
  return { ...r, page: f.page, pageSize: f.pageSize };
}

/** Marks one of the caller's notifications read; marking it again changes nothing. */
export async function markNotificationRead(deps: Deps, actor: Actor | null, id: string) {
  requireOwnNotices(actor);
  return deps.dbh.db.transaction().execute(async (tx) => {
    const n = await repo.findOwn(tx, actor.userId, id);
    if (!n) throw notificationErrors.notFound({ id });
    if (n.read_at) return { id: n.id, readAt: n.read_at };
    const at = deps.clock.now().toISOString();
    await repo.markRead(tx, actor.userId, id, at);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'notification.read', subjectType: 'notification', subjectId: id, details: { kind: n.kind } });
    return { id: n.id, readAt: at };
  });
}

export async function markAllNotificationsRead(deps: Deps, actor: Actor | null) {
  requireOwnNotices(actor);
  return deps.dbh.db.transaction().execute(async (tx) => {
    const marked = await repo.markAllRead(tx, actor.userId, deps.clock.now().toISOString());
    // Nothing marked, nothing changed: no audit event.
    if (marked > 0)
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'notification.read',
        subjectType: 'user',
        subjectId: actor.userId,
        details: { all: true, marked },
      });
    return { marked };
  });
}
