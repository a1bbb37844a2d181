import type { Kysely } from 'kysely';
import { HOLDING_KINDS, type AccountChangeKind, type AccountChangeStatus, type Role } from '@khomat/policy';
import type { AccountChangeRow, Database } from '../../platform/db/schema';
import { holdsUser } from './org.repository';

type Db = Kysely<Database>;

// Account changes waiting for a second person (migration 0006). Queries only; the rules are in
// packages/policy account-changes.ts and the use cases in account-changes.usecases.ts.

export async function insertChange(db: Db, row: AccountChangeRow): Promise<void> {
  await db.insertInto('account_changes').values(row).execute();
}

/** Pending changes of this kind for this person, oldest first (to be superseded by a newer one). */
export async function findPendingOfKind(db: Db, userId: string, kind: AccountChangeKind): Promise<AccountChangeRow[]> {
  return db
    .selectFrom('account_changes')
    .selectAll()
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('status', '=', 'pending')
    .orderBy('requested_at')
    .execute();
}

export async function findChange(db: Db, id: string): Promise<AccountChangeRow | undefined> {
  return db.selectFrom('account_changes').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Decides a pending change; returns false when it was no longer pending (decided meanwhile). */
export async function decideChange(
  db: Db,
  id: string,
  d: { status: Exclude<AccountChangeStatus, 'pending'>; by: string | null; at: string; note: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('account_changes')
    .set({ status: d.status, decided_by: d.by, decided_at: d.at, decision_note: d.note })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface ChangeListRow extends AccountChangeRow {
  user_full_name: string;
  user_username: string;
  user_unit_name: string;
  requester_name: string;
  decider_name: string | null;
}

export async function listChanges(db: Db, f: { pendingOnly: boolean }, limit: number, offset: number): Promise<{ rows: ChangeListRow[]; total: number }> {
  let base = db.selectFrom('account_changes');
  if (f.pendingOnly) base = base.where('account_changes.status', '=', 'pending');
  const [rows, total] = await Promise.all([
    base
      .innerJoin('users as u', 'u.id', 'account_changes.user_id')
      .innerJoin('units', 'units.id', 'u.unit_id')
      .innerJoin('users as r', 'r.id', 'account_changes.requested_by')
      .leftJoin('users as d', 'd.id', 'account_changes.decided_by')
      .selectAll('account_changes')
      .select([
        'u.full_name as user_full_name',
        'u.username as user_username',
        'units.name as user_unit_name',
        'r.full_name as requester_name',
        'd.full_name as decider_name',
      ])
      .orderBy('account_changes.requested_at', 'desc')
      .orderBy('account_changes.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** For the users list: pending holding kinds and a pending clearance raise, per user. */
export async function findPendingByUsers(
  db: Db,
  userIds: readonly string[],
): Promise<Map<string, { hold: AccountChangeKind[]; pendingClearance: string | null }>> {
  const out = new Map<string, { hold: AccountChangeKind[]; pendingClearance: string | null }>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('account_changes')
    .select(['user_id', 'kind', 'payload'])
    .where('user_id', 'in', [...userIds])
    .where('status', '=', 'pending')
    .orderBy('requested_at')
    .execute();
  for (const r of rows) {
    const e = out.get(r.user_id) ?? { hold: [], pendingClearance: null };
    const kind = r.kind as AccountChangeKind;
    if (HOLDING_KINDS.includes(kind) && !e.hold.includes(kind)) e.hold.push(kind);
    if (kind === 'clearance') e.pendingClearance = (JSON.parse(r.payload) as { clearance: string }).clearance;
    out.set(r.user_id, e);
  }
  for (const e of out.values()) e.hold.sort();
  return out;
}

/**
 * Active people with `role`; `rootUnitId` narrows to the agency itself (the root unit); `unheld`
 * leaves out accounts held by a pending change (they may not act in that role).
 */
export async function findActiveWithRole(db: Db, role: Role, rootUnitId?: string, f: { unheld?: boolean } = {}): Promise<{ id: string }[]> {
  let q = db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('users.id')
    .where('users.active', '=', 1)
    .where('user_roles.role', '=', role);
  if (rootUnitId) q = q.where('users.unit_id', '=', rootUnitId);
  if (f.unheld) {
    q = q.where((eb) => eb.not(holdsUser(eb)));
  }
  return q.orderBy('users.id').execute();
}

export interface LiveCopyHeld {
  label: string;
  level: string | null;
  number: string | null;
  symbol: string | null;
}

/**
 * Copies a person holds (alive: not destroyed, lost or returned to nobody) or that are on their
 * way to them (copies_user_idx): what they must hand over before the account can be closed.
 * Label, item number/symbol and level only — never the summary.
 */
export async function findLiveCopiesOf(db: Db, userId: string): Promise<LiveCopyHeld[]> {
  return db
    .selectFrom('copies')
    .innerJoin('secret_items', 'secret_items.id', 'copies.item_id')
    .select(['copies.label', 'secret_items.level', 'secret_items.number', 'secret_items.symbol'])
    .where((eb) =>
      eb.or([
        eb.and([eb('copies.holder_user_id', '=', userId), eb('copies.status', 'not in', ['destroyed', 'lost'])]),
        eb('copies.pending_user_id', '=', userId),
      ]),
    )
    .orderBy('copies.created_at')
    .orderBy('copies.id')
    .execute();
}
