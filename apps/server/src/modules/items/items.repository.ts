import type { Kysely, Selectable } from 'kysely';
import type { CopyRow, CustodyEventsTable, Database, SecretItemRow } from '../../platform/db/schema';
import { isUniqueViolation } from '../../platform/db/dialect';
import { ATTACHMENT_ACCESS_SUFFIXES, ATTACHMENT_ACTION_PREFIX, CONTENT_ACCESS_ACTIONS } from './items.rules';

type Db = Kysely<Database>;
export type RecipientRow = Selectable<Database['item_recipients']>;
export type CustodyEventRow = Selectable<CustodyEventsTable>;

export async function insertItem(tx: Db, row: SecretItemRow): Promise<void> {
  await tx.insertInto('secret_items').values(row).execute();
}

export async function findItem(db: Db, id: string): Promise<SecretItemRow | undefined> {
  return db.selectFrom('secret_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setItemState(
  tx: Db,
  id: string,
  state: string,
  at: string,
  extra: Partial<Pick<SecretItemRow, 'return_reason' | 'approver_id'>> = {},
): Promise<void> {
  await tx
    .updateTable('secret_items')
    .set({ state, updated_at: at, ...extra })
    .where('id', '=', id)
    .execute();
}

export async function recordClassification(
  tx: Db,
  id: string,
  f: { level: string; classifiedOn: string; protectionEnd: string | null; approverId: string; at: string },
): Promise<void> {
  await tx
    .updateTable('secret_items')
    .set({
      state: 'classified',
      level: f.level,
      classified_on: f.classifiedOn,
      protection_end: f.protectionEnd,
      approver_id: f.approverId,
      return_reason: null,
      updated_at: f.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function recordIssue(
  tx: Db,
  id: string,
  f: { number: string; symbol: string; numberSymbol: string; documentDate: string; signerName: string; searchText: string; at: string },
): Promise<void> {
  await tx
    .updateTable('secret_items')
    .set({
      state: 'issued',
      number: f.number,
      symbol: f.symbol,
      number_symbol: f.numberSymbol,
      document_date: f.documentDate,
      signer_name: f.signerName,
      search_text: f.searchText,
      updated_at: f.at,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertRecipients(tx: Db, rows: RecipientRow[]): Promise<void> {
  if (rows.length) await tx.insertInto('item_recipients').values(rows).execute();
}

export async function findRecipients(db: Db, itemId: string): Promise<(RecipientRow & { user_name: string | null; unit_name: string | null })[]> {
  return db
    .selectFrom('item_recipients')
    .leftJoin('users', 'users.id', 'item_recipients.user_id')
    .leftJoin('units', 'units.id', 'item_recipients.unit_id')
    .selectAll('item_recipients')
    .select(['users.full_name as user_name', 'units.name as unit_name'])
    .where('item_recipients.item_id', '=', itemId)
    .orderBy('item_recipients.position')
    .execute();
}

export async function findAssignedUserIds(db: Db, itemId: string): Promise<string[]> {
  return (await db.selectFrom('item_assignments').select('user_id').where('item_id', '=', itemId).execute()).map((r) => r.user_id);
}

export async function findDelegations(db: Db, userId: string) {
  return db.selectFrom('delegations').selectAll().where('delegate_id', '=', userId).where('revoked_at', 'is', null).execute();
}

export async function insertCopies(tx: Db, rows: CopyRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100)
    await tx
      .insertInto('copies')
      .values(rows.slice(i, i + 100))
      .execute();
}

export async function findCopiesOfItem(db: Db, itemId: string): Promise<CopyRow[]> {
  return db.selectFrom('copies').selectAll().where('item_id', '=', itemId).orderBy('origin').orderBy('seq_no').execute();
}

export async function findCopiesByIds(db: Db, ids: readonly string[]): Promise<CopyRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('copies').selectAll().where('id', 'in', ids).orderBy('seq_no').execute();
}

export async function saveCopyCustody(
  tx: Db,
  c: Pick<
    CopyRow,
    | 'id'
    | 'status'
    | 'holder_kind'
    | 'holder_user_id'
    | 'holder_unit_id'
    | 'holder_outside'
    | 'pending_kind'
    | 'pending_user_id'
    | 'pending_unit_id'
    | 'pending_outside'
    | 'updated_at'
  >,
): Promise<void> {
  const { id, ...fields } = c;
  await tx.updateTable('copies').set(fields).where('id', '=', id).execute();
}

export async function markCopyAddressee(tx: Db, copyId: string, userId: string): Promise<void> {
  await tx.updateTable('copies').set({ addressee_user_id: userId }).where('id', '=', copyId).execute();
}

export async function insertCustodyEvent(tx: Db, row: CustodyEventRow, copyIds: readonly string[]): Promise<void> {
  await tx.insertInto('custody_events').values(row).execute();
  if (copyIds.length)
    await tx
      .insertInto('custody_event_copies')
      .values(copyIds.map((copy_id) => ({ event_id: row.id, copy_id })))
      .execute();
}

export async function findCustodyEvent(db: Db, id: string): Promise<CustodyEventRow | undefined> {
  return db.selectFrom('custody_events').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findCopyIdsOfEvent(db: Db, eventId: string): Promise<string[]> {
  return (await db.selectFrom('custody_event_copies').select('copy_id').where('event_id', '=', eventId).execute()).map((r) => r.copy_id);
}

export async function confirmCustodyEvent(tx: Db, id: string, by: string, at: string): Promise<void> {
  await tx.updateTable('custody_events').set({ confirmed_at: at, confirmed_by: by }).where('id', '=', id).execute();
}

export async function findItemHistory(db: Db, itemId: string) {
  return db
    .selectFrom('custody_events')
    .leftJoin('users', 'users.id', 'custody_events.actor_id')
    .selectAll('custody_events')
    .select('users.full_name as actor_name')
    .where('custody_events.item_id', '=', itemId)
    .orderBy('custody_events.occurred_at')
    .orderBy('custody_events.id')
    .execute();
}

/** The scans of signed receipt pages attached to an item's custody events (one per event at most). */
export async function findReceiptScans(db: Db, itemId: string) {
  return db
    .selectFrom('item_attachments')
    .select(['id', 'custody_event_id', 'file_name', 'size'])
    .where('item_id', '=', itemId)
    .where('purpose', '=', 'receipt_scan')
    .where('removed_at', 'is', null)
    .execute();
}

/** "Tôi đang giữ": copies a user holds, or is about to receive. */
export async function findCopiesForUser(db: Db, userId: string) {
  return db
    .selectFrom('copies')
    .innerJoin('secret_items', 'secret_items.id', 'copies.item_id')
    .select([
      'copies.id',
      'copies.label',
      'copies.status',
      'copies.item_id',
      'copies.holder_user_id',
      'copies.pending_user_id',
      'secret_items.number_symbol',
      'secret_items.doc_type',
      'secret_items.level',
      'secret_items.document_date',
      'secret_items.issuer',
    ])
    .where((eb) => eb.or([eb('copies.holder_user_id', '=', userId), eb('copies.pending_user_id', '=', userId)]))
    .where('copies.status', 'not in', ['destroyed'])
    .orderBy('copies.updated_at', 'desc')
    .limit(500)
    .execute();
}

/** Open transfers waiting for this user's signature, or their unit's when they sign for it. */
export async function findPendingTransfersFor(db: Db, userId: string, unitId: string | null) {
  return db
    .selectFrom('custody_events')
    .innerJoin('secret_items', 'secret_items.id', 'custody_events.item_id')
    .select([
      'custody_events.id',
      'custody_events.kind',
      'custody_events.occurred_at',
      'custody_events.from_label',
      'custody_events.item_id',
      'secret_items.number_symbol',
      'secret_items.level',
    ])
    .where((eb) =>
      unitId
        ? eb.or([eb('custody_events.to_user_id', '=', userId), eb('custody_events.to_unit_id', '=', unitId)])
        : eb('custody_events.to_user_id', '=', userId),
    )
    .where('custody_events.confirmed_at', 'is', null)
    .where('custody_events.kind', 'in', ['hand_over', 'issue_internal', 'receive_pass'])
    .orderBy('custody_events.occurred_at')
    .execute();
}

export interface ItemListFilter {
  state?: string | undefined;
  drafterId?: string | undefined;
}

/** Every proposal waiting for a decision, newest first (few at any time; items_state index). */
export async function findProposedItems(db: Db) {
  return db.selectFrom('secret_items').selectAll().where('state', '=', 'proposed').orderBy('created_at', 'desc').orderBy('id').execute();
}

/** Work lists ("chờ phê duyệt", "chờ phát hành", my drafts), newest first. */
export async function listItems(db: Db, f: ItemListFilter, limit: number, offset: number) {
  let q = db.selectFrom('secret_items');
  if (f.state) q = q.where('state', '=', f.state);
  if (f.drafterId) q = q.where('drafter_id', '=', f.drafterId);
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

// ---- editing a draft ---------------------------------------------------------------------------

export type DraftFields = Pick<
  SecretItemRow,
  | 'state'
  | 'kind'
  | 'doc_type'
  | 'summary'
  | 'field'
  | 'proposed_level'
  | 'catalog_item_id'
  | 'shorter_period'
  | 'copies_planned'
  | 'copy_allowed'
  | 'recall_required'
  | 'search_text'
  | 'updated_at'
>;

export async function updateDraftItem(tx: Db, id: string, f: DraftFields): Promise<void> {
  await tx.updateTable('secret_items').set(f).where('id', '=', id).execute();
}

/** Recipients of a draft are replaced as a whole when the draft is edited. */
export async function deleteRecipients(tx: Db, itemId: string): Promise<void> {
  await tx.deleteFrom('item_recipients').where('item_id', '=', itemId).execute();
}

// ---- need-to-know assignments --------------------------------------------------------------------

export async function findAssignment(db: Db, itemId: string, userId: string) {
  return db.selectFrom('item_assignments').selectAll().where('item_id', '=', itemId).where('user_id', '=', userId).executeTakeFirst();
}

/** False when the assignment already exists (a concurrent request made it first). */
export async function insertAssignment(tx: Db, row: { item_id: string; user_id: string; assigned_by: string; assigned_at: string }): Promise<boolean> {
  try {
    await tx.insertInto('item_assignments').values(row).execute();
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

export async function deleteAssignment(tx: Db, itemId: string, userId: string): Promise<void> {
  await tx.deleteFrom('item_assignments').where('item_id', '=', itemId).where('user_id', '=', userId).execute();
}

/** Assignments of an item with the names of the assignee and of the head who assigned. */
export async function findAssignmentsWithNames(db: Db, itemId: string) {
  return db
    .selectFrom('item_assignments')
    .innerJoin('users as assignee', 'assignee.id', 'item_assignments.user_id')
    .innerJoin('users as assigner', 'assigner.id', 'item_assignments.assigned_by')
    .select([
      'item_assignments.user_id',
      'assignee.full_name as user_name',
      'item_assignments.assigned_by',
      'assigner.full_name as assigned_by_name',
      'item_assignments.assigned_at',
    ])
    .where('item_assignments.item_id', '=', itemId)
    .orderBy('item_assignments.assigned_at')
    .orderBy('item_assignments.user_id')
    .execute();
}

/** A would-be assignee: whether active, their unit, roles and clearance. */
export async function findAssignee(db: Db, userId: string) {
  const u = await db.selectFrom('users').select(['id', 'active', 'unit_id', 'clearance']).where('id', '=', userId).executeTakeFirst();
  if (!u) return undefined;
  const roles = await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute();
  return { ...u, roles: roles.map((r) => r.role) };
}

/** The unit of each user (for "the unit of a user who holds a copy"). */
export async function findUnitsOfUsers(db: Db, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  return (
    await db
      .selectFrom('users')
      .select('unit_id')
      .distinct()
      .where('id', 'in', [...new Set(userIds)])
      .execute()
  ).map((r) => r.unit_id);
}

// ---- people and places an item's stages name ---------------------------------------------------

/** The name of an active user (a recipient, a receiver, the signer), or undefined. */
export async function findActiveUserName(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('users').select('full_name').where('id', '=', id).where('active', '=', 1).executeTakeFirst())?.full_name;
}

/** The name of an open unit, or undefined. */
export async function findOpenUnitName(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('units').select('name').where('id', '=', id).where('closed_at', 'is', null).executeTakeFirst())?.name;
}

/** A receiver's clearance (a user row, active or not), or undefined when there is no such user. */
export async function findUserClearance(db: Db, id: string): Promise<{ clearance: string } | undefined> {
  return db.selectFrom('users').select('clearance').where('id', '=', id).executeTakeFirst();
}

/** The unit of a user, or null when there is no such user. */
export async function findUnitOfUser(db: Db, id: string): Promise<string | null> {
  return (await db.selectFrom('users').select('unit_id').where('id', '=', id).executeTakeFirst())?.unit_id ?? null;
}

/** The agency's own unit(s): the roots of the unit tree. */
export async function findAgencyUnitIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('units').select('id').where('parent_id', 'is', null).execute()).map((u) => u.id);
}

/** The name of the agency (the root unit), the sender printed on envelopes; undefined before set-up. */
export async function findAgencyName(db: Db): Promise<string | undefined> {
  return (await db.selectFrom('units').select('name').where('parent_id', 'is', null).executeTakeFirst())?.name;
}

/** The roles of a user. */
export async function findRolesOf(db: Db, userId: string): Promise<string[]> {
  return (await db.selectFrom('user_roles').select('role').where('user_id', '=', userId).execute()).map((r) => r.role);
}

/**
 * Who might decide a proposal of this field: active heads of the agency's own unit and active
 * delegates of the field. Candidates only: checkApproval decides each.
 */
export async function findDeciderCandidates(db: Db, field: string) {
  return db
    .selectFrom('users')
    .select(['users.id', 'users.unit_id', 'users.clearance'])
    .where('users.active', '=', 1)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('users.id', 'in', eb.selectFrom('user_roles').select('user_roles.user_id').where('user_roles.role', '=', 'head')),
          eb('users.unit_id', 'in', eb.selectFrom('units').select('units.id').where('units.parent_id', 'is', null)),
        ]),
        eb(
          'users.id',
          'in',
          eb.selectFrom('delegations').select('delegations.delegate_id').where('delegations.revoked_at', 'is', null).where('delegations.field', '=', field),
        ),
      ]),
    )
    .execute();
}

/** Active security officers, and active heads of these units (who answer for an incident there). */
export async function findSecurityOfficersAndHeadsOf(db: Db, unitIds: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select('users.id')
    .distinct()
    .where('users.active', '=', 1)
    .where((eb) => eb.or([eb('user_roles.role', '=', 'security_officer'), eb.and([eb('user_roles.role', '=', 'head'), eb('users.unit_id', 'in', unitIds)])]))
    .execute();
  return rows.map((u) => u.id);
}

// ---- names for the item page ---------------------------------------------------------------------

/** Display names of users and units, active or not (a copy may sit with someone who has since left). */
export async function findNames(db: Db, userIds: readonly string[], unitIds: readonly string[]) {
  const [users, units] = await Promise.all([
    userIds.length
      ? db
          .selectFrom('users')
          .select(['id', 'full_name as name'])
          .where('id', 'in', [...new Set(userIds)])
          .execute()
      : [],
    unitIds.length
      ? db
          .selectFrom('units')
          .select(['id', 'name'])
          .where('id', 'in', [...new Set(unitIds)])
          .execute()
      : [],
  ]);
  return { users: new Map(users.map((u) => [u.id, u.name])), units: new Map(units.map((u) => [u.id, u.name])) };
}

/** Most events an item page shows; the page says when there are more. */
export const ITEM_EVENTS_LIMIT = 1000;

/**
 * The item's audit trail, oldest first, through audit_subject_idx (subject_id, seq). Content reads
 * and refusals are left out in SQL unless asked for, so they never crowd out the lifecycle.
 */
export async function findItemEvents(db: Db, itemId: string, opts: { includeContentAccess: boolean; limit: number }) {
  let q = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_id')
    .select([
      'audit_events.seq',
      'audit_events.occurred_at',
      'audit_events.action',
      'audit_events.actor_id',
      'users.full_name as actor_name',
      'audit_events.details',
    ])
    .where('audit_events.subject_id', '=', itemId)
    .where('audit_events.subject_type', '=', 'item');
  if (!opts.includeContentAccess) {
    // A superset of isContentAccessAction (LIKE is looser than the rule's pattern): hiding more is safe.
    q = q
      .where('audit_events.action', 'not in', [...CONTENT_ACCESS_ACTIONS])
      .where((eb) =>
        eb.not(
          eb.and([
            eb('audit_events.action', 'like', `${ATTACHMENT_ACTION_PREFIX}%`),
            eb.or(ATTACHMENT_ACCESS_SUFFIXES.map((s) => eb('audit_events.action', 'like', `%${s}`))),
          ]),
        ),
      );
  }
  return q.orderBy('audit_events.seq').limit(opts.limit).execute();
}

// ---- unit holdings ("đơn vị đang giữ") -----------------------------------------------------------

const GONE_STATUSES = ['destroyed', 'lost'];

/**
 * Ids of the copies a unit answers for, each branch on an index: held by the unit
 * (copies_unit_idx), held by an active member (users_unit_idx → copies_user_idx), on their way to
 * a member (custody_pending_user_idx on to_user_id) or to the unit itself (the same index: open
 * transfers with no user receiver, to_user_id is null and confirmed_at is null, are few).
 * Candidates only: holdingsPredicate decides.
 */
function holdingCandidateIds(db: Db, unitId: string, status: string | undefined) {
  const members = db.selectFrom('users').select('users.id').where('users.unit_id', '=', unitId).where('users.active', '=', 1);
  const byStatus = status ? (['=', status] as const) : (['not in', GONE_STATUSES] as const);
  let q = db
    .selectFrom('copies')
    .select('copies.id')
    .where('copies.holder_unit_id', '=', unitId)
    .where('copies.status', byStatus[0], byStatus[1])
    .unionAll(db.selectFrom('copies').select('copies.id').where('copies.holder_user_id', 'in', members).where('copies.status', byStatus[0], byStatus[1]));
  if (!status || status === 'in_transit') {
    const openTransfers = db
      .selectFrom('custody_events')
      .innerJoin('custody_event_copies', 'custody_event_copies.event_id', 'custody_events.id')
      .select('custody_event_copies.copy_id as id')
      .where('custody_events.confirmed_at', 'is', null);
    q = q
      .unionAll(openTransfers.where('custody_events.to_user_id', 'in', members))
      .unionAll(openTransfers.where('custody_events.to_user_id', 'is', null).where('custody_events.to_unit_id', '=', unitId));
  }
  return q;
}

function holdingsQuery(db: Db, unitId: string, status: string | undefined) {
  const members = db.selectFrom('users').select('users.id').where('users.unit_id', '=', unitId).where('users.active', '=', 1);
  return db
    .selectFrom('copies')
    .where('copies.id', 'in', holdingCandidateIds(db, unitId, status))
    .where((eb) =>
      eb.or([
        eb.and([
          eb.or([eb('copies.holder_unit_id', '=', unitId), eb('copies.holder_user_id', 'in', members)]),
          status ? eb('copies.status', '=', status) : eb('copies.status', 'not in', GONE_STATUSES),
        ]),
        // On its way to the unit or a member, from inside the agency.
        eb.and([
          eb('copies.status', '=', 'in_transit'),
          eb('copies.holder_kind', 'in', ['user', 'unit']),
          eb.or([eb('copies.pending_unit_id', '=', unitId), eb('copies.pending_user_id', 'in', members)]),
        ]),
      ]),
    )
    .$if(status !== undefined && status !== 'in_transit', (q) => q.where('copies.status', '=', status!));
}

/** One page of a unit's holdings, newest movement first. */
export async function findUnitHoldings(db: Db, unitId: string, status: string | undefined, limit: number, offset: number) {
  const base = holdingsQuery(db, unitId, status);
  const [rows, total] = await Promise.all([
    base
      .innerJoin('secret_items', 'secret_items.id', 'copies.item_id')
      .leftJoin('users as hu', 'hu.id', 'copies.holder_user_id')
      .leftJoin('units as hn', 'hn.id', 'copies.holder_unit_id')
      .leftJoin('users as pu', 'pu.id', 'copies.pending_user_id')
      .leftJoin('units as pn', 'pn.id', 'copies.pending_unit_id')
      .select([
        'copies.id',
        'copies.label',
        'copies.status',
        'copies.item_id',
        'copies.holder_kind',
        'copies.holder_user_id',
        'copies.holder_unit_id',
        'copies.pending_kind',
        'copies.pending_user_id',
        'copies.pending_unit_id',
        'copies.pending_outside',
        'copies.updated_at',
        'secret_items.number_symbol',
        'secret_items.doc_type',
        'secret_items.level',
        'hu.full_name as holder_user_name',
        'hn.name as holder_unit_name',
        'pu.full_name as pending_user_name',
        'pn.name as pending_unit_name',
      ])
      .orderBy('copies.updated_at', 'desc')
      .orderBy('copies.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The page query itself, for the query-plan test. */
export const unitHoldingsQueryForPlan = (db: Db, unitId: string, status?: string) => holdingsQuery(db, unitId, status).select('copies.id');
