import { sql, type Kysely } from 'kysely';
import type { Database, RequestDecisionRow, RequestRow } from '../../platform/db/schema';

// Intention-named queries of the requests module; the use cases own the transactions.

type Db = Kysely<Database>;

export async function insertRequest(tx: Db, row: RequestRow): Promise<void> {
  await tx.insertInto('requests').values(row).execute();
}

export async function findRequest(db: Db, id: string): Promise<RequestRow | undefined> {
  return db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findDecision(db: Db, requestId: string): Promise<RequestDecisionRow | undefined> {
  return db.selectFrom('request_decisions').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

export async function replaceDraft(
  tx: Db,
  id: string,
  f: Pick<RequestRow, 'type' | 'item_id' | 'copy_ids' | 'purpose' | 'details' | 'updated_at'>,
): Promise<void> {
  await tx.updateTable('requests').set(f).where('id', '=', id).where('status', '=', 'draft').execute();
}

/**
 * Moves a request from one status to the next only if it is still in the first: the answer is
 * whether it moved (a concurrent decision that got there first leaves it unmoved).
 */
export async function moveStatus(
  tx: Db,
  id: string,
  from: string,
  to: string,
  f: Partial<Pick<RequestRow, 'route' | 'submitted_at' | 'closed_at'>> & { updated_at: string },
): Promise<boolean> {
  const r = await tx
    .updateTable('requests')
    .set({ status: to, ...f })
    .where('id', '=', id)
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertDecision(tx: Db, row: RequestDecisionRow): Promise<void> {
  await tx.insertInto('request_decisions').values(row).execute();
}

/** What a request needs of its item: level, field, whether it may be copied; the summary only for the page's content decision. */
export async function findItemFacts(db: Db, itemId: string) {
  return db
    .selectFrom('secret_items')
    .select(['id', 'level', 'field', 'copy_allowed', 'summary', 'doc_type', 'number_symbol', 'state', 'unit_id'])
    .where('id', '=', itemId)
    .executeTakeFirst();
}

/** Of these copy ids, those that are live copies of the item. */
export async function findLiveCopyIds(db: Db, itemId: string, copyIds: readonly string[]): Promise<string[]> {
  if (copyIds.length === 0) return [];
  const rows = await db
    .selectFrom('copies')
    .select('id')
    .where('item_id', '=', itemId)
    .where('id', 'in', [...copyIds])
    .where('status', 'not in', ['destroyed', 'lost'])
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Who keeps a request's copies: their holders now and, once a take-out carried them out, the
 * keeper they go back to (take_outs.return_to), once a provision sent them, the văn thư who sent
 * them — the keeper of an approved request's copies sees it.
 */
export async function findCopyKeepers(db: Db, requestId: string, copyIds: readonly string[]): Promise<{ userId: string | null; unitId: string | null }[]> {
  const holders = copyIds.length
    ? await db
        .selectFrom('copies')
        .select(['holder_user_id', 'holder_unit_id'])
        .where('id', 'in', [...copyIds])
        .execute()
    : [];
  const back = await db.selectFrom('take_outs').select(['return_to_kind', 'return_to_id']).where('request_id', '=', requestId).execute();
  const sent = await db.selectFrom('provisions').select('executed_by').where('request_id', '=', requestId).execute();
  return [
    ...holders.map((h) => ({ userId: h.holder_user_id, unitId: h.holder_unit_id })),
    ...back.map((b) => ({ userId: b.return_to_kind === 'user' ? b.return_to_id : null, unitId: b.return_to_kind === 'unit' ? b.return_to_id : null })),
    // The văn thư who sent a provision's copies out (modules/provision) still answers for them.
    ...sent.map((p) => ({ userId: p.executed_by, unitId: null })),
  ];
}

export interface ListedRequest extends RequestRow {
  level: string | null;
  field: string | null;
  doc_type: string;
  number_symbol: string | null;
  requester_name: string;
}

const listed = (db: Db) =>
  db
    .selectFrom('requests')
    .innerJoin('secret_items', 'secret_items.id', 'requests.item_id')
    .innerJoin('users', 'users.id', 'requests.requester_id')
    .selectAll('requests')
    .select(['secret_items.level', 'secret_items.field', 'secret_items.doc_type', 'secret_items.number_symbol', 'users.full_name as requester_name']);

/** A list row: the request's own columns a list shows (not its purpose or details), its item's level and field, the requester's name. */
export type ListRowSource = Pick<RequestRow, 'id' | 'type' | 'status' | 'route' | 'item_id' | 'requester_id' | 'created_at' | 'submitted_at'> & {
  level: string | null;
  field: string | null;
  doc_type: string;
  number_symbol: string | null;
  requester_name: string;
};

/**
 * What the waiting requests are, as groups of the facts the authority table decides on: type,
 * the item's level and field, where it is decided, and whether it is the viewer's own — with how
 * many in each. The rule is asked once per group, not per request (the navigation's count reads
 * only this; requests_status_idx).
 */
export interface SubmittedGroup {
  type: string;
  level: string | null;
  field: string | null;
  route: string | null;
  own: number;
  n: number;
}

export async function countSubmittedByGroup(db: Db, viewerId: string): Promise<SubmittedGroup[]> {
  const own = sql<number>`case when requests.requester_id = ${viewerId} then 1 else 0 end`;
  const rows = await db
    .selectFrom('requests')
    .innerJoin('secret_items', 'secret_items.id', 'requests.item_id')
    .select(['requests.type', 'secret_items.level', 'secret_items.field', 'requests.route', own.as('own'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('requests.status', '=', 'submitted')
    // By position: the own-or-not expression carries the viewer's id as a parameter, which
    // PostgreSQL would not match between the select list and a repeated group-by expression.
    .groupBy(sql`1, 2, 3, 4, 5`)
    .execute();
  return rows.map((r) => ({ ...r, own: Number(r.own), n: Number(r.n) }));
}

/**
 * One page of the requests waiting for this viewer, oldest first: those of the groups the rule
 * gave them (`groups`, or every group but their own requests when `all`), read in
 * requests_status_idx order so that a page stops after its rows.
 */
export async function findSubmittedPage(
  db: Db,
  viewerId: string,
  only: { all: true } | { all: false; groups: readonly Pick<SubmittedGroup, 'type' | 'level' | 'field' | 'route'>[] },
  limit: number,
  offset: number,
): Promise<ListRowSource[]> {
  // The page's ids first: from requests_status_idx alone when every group is kept (status,
  // submitted_at, id, requester_id), else with each row's item facts — a deep page skips entries,
  // not joined rows. Then only the page's rows are read and joined.
  let ids = db.selectFrom('requests').select('requests.id').where('requests.status', '=', 'submitted').where('requests.requester_id', '<>', viewerId);
  if (!only.all) {
    const groups = only.groups;
    ids = ids
      .innerJoin('secret_items', 'secret_items.id', 'requests.item_id')
      .where((eb) =>
        eb.or(
          groups.map((g) =>
            eb.and([
              eb('requests.type', '=', g.type),
              g.route === null ? eb('requests.route', 'is', null) : eb('requests.route', '=', g.route),
              g.level === null ? eb('secret_items.level', 'is', null) : eb('secret_items.level', '=', g.level),
              g.field === null ? eb('secret_items.field', 'is', null) : eb('secret_items.field', '=', g.field),
            ]),
          ),
        ),
      );
  }
  const pageIds = ids.orderBy('requests.submitted_at').orderBy('requests.id').limit(limit).offset(offset);
  return db
    .selectFrom('requests')
    .innerJoin('secret_items', 'secret_items.id', 'requests.item_id')
    .innerJoin('users', 'users.id', 'requests.requester_id')
    .select([
      'requests.id',
      'requests.type',
      'requests.status',
      'requests.route',
      'requests.item_id',
      'requests.requester_id',
      'requests.created_at',
      'requests.submitted_at',
      'secret_items.level',
      'secret_items.field',
      'secret_items.doc_type',
      'secret_items.number_symbol',
      'users.full_name as requester_name',
    ])
    .where('requests.id', 'in', pageIds)
    .orderBy('requests.submitted_at')
    .orderBy('requests.id')
    .execute();
}

/**
 * The requester's own requests, newest first. The page's ids are found in requests_requester_idx
 * (requester, created_at, id) alone — a deep page skips index entries, not joined rows — and only
 * the page's rows are then read and joined.
 */
export async function findByRequester(db: Db, userId: string, limit: number, offset: number): Promise<{ rows: ListedRequest[]; total: number }> {
  const pageIds = db
    .selectFrom('requests')
    .select('requests.id')
    .where('requests.requester_id', '=', userId)
    .orderBy('requests.created_at', 'desc')
    .orderBy('requests.id', 'desc')
    .limit(limit)
    .offset(offset);
  const [rows, total] = await Promise.all([
    listed(db).where('requests.id', 'in', pageIds).orderBy('requests.created_at', 'desc').orderBy('requests.id', 'desc').execute(),
    db
      .selectFrom('requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('requester_id', '=', userId)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export async function findListedRequest(db: Db, id: string): Promise<ListedRequest | undefined> {
  return listed(db).where('requests.id', '=', id).executeTakeFirst();
}

/** Deadlines of these requests' approvals (for the status as of today). */
export async function findDeadlines(db: Db, requestIds: readonly string[]): Promise<Map<string, string | null>> {
  if (requestIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('request_decisions')
    .select(['request_id', 'deadline'])
    .where('request_id', 'in', [...requestIds])
    .execute();
  return new Map(rows.map((r) => [r.request_id, r.deadline]));
}

/**
 * Those who might decide something in the agency: active holders of the head role, and active
 * holders of a delegation not revoked. The rule (checkDecider) then answers for each request.
 */
export async function findDeciderCandidates(db: Db): Promise<{ id: string; unit_id: string; clearance: string }[]> {
  return db
    .selectFrom('users')
    .select(['users.id', 'users.unit_id', 'users.clearance'])
    .where('users.active', '=', 1)
    .where((eb) =>
      eb.or([
        eb('users.id', 'in', eb.selectFrom('user_roles').select('user_roles.user_id').where('user_roles.role', '=', 'head')),
        eb('users.id', 'in', eb.selectFrom('delegations').select('delegations.delegate_id').where('delegations.revoked_at', 'is', null)),
      ]),
    )
    .execute();
}

/** Active security officers (told of a request routed to a higher authority, with the agency head). */
export async function findSecurityOfficers(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('users.id')
    .where('users.active', '=', 1)
    .where('user_roles.role', '=', 'security_officer')
    .execute();
  return rows.map((r) => r.id);
}

export async function findRolesOf(db: Db, userId: string): Promise<string[]> {
  return (await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute()).map((r) => r.role);
}

export async function findUserName(db: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  return (await db.selectFrom('users').select('full_name').where('id', '=', id).executeTakeFirst())?.full_name ?? null;
}
