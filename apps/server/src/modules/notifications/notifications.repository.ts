import type { Kysely } from 'kysely';
import type { Database, NotificationsTable } from '../../platform/db/schema';
import type { Selectable } from 'kysely';

type Db = Kysely<Database>;
export type NotificationRow = Selectable<NotificationsTable>;

// Every query starts from the user: notifications_user_idx (user_id, read_at, created_at).

export async function listForUser(db: Db, userId: string, f: { unreadOnly: boolean }, limit: number, offset: number) {
  let q = db.selectFrom('notifications').where('user_id', '=', userId);
  if (f.unreadOnly) q = q.where('read_at', 'is', null);
  const [rows, total, unread] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n), unread: Number(unread.n) };
}

/** The user's own notification, or nothing: another user's is never found. */
export async function findOwn(db: Db, userId: string, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
}

export async function markRead(tx: Db, userId: string, id: string, at: string): Promise<void> {
  await tx.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).execute();
}

/** Marks every unread notification of the user; returns how many. */
export async function markAllRead(tx: Db, userId: string, at: string): Promise<number> {
  const r = await tx.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * The one way a notice is written, inside the caller's transaction: `message` names what happened
 * (kinds, levels, names of people and units) and never secret content.
 */
export async function insertNotifications(
  tx: Db,
  rows: readonly { id: string; userId: string; kind: string; subjectType: string | null; subjectId: string | null; message: string; createdAt: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('notifications')
    .values(
      rows.map((r) => ({
        id: r.id,
        user_id: r.userId,
        kind: r.kind,
        subject_type: r.subjectType,
        subject_id: r.subjectId,
        message: r.message,
        created_at: r.createdAt,
        read_at: null,
      })),
    )
    .execute();
}
