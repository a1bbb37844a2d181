import type { Kysely, Selectable } from 'kysely';
import type { CopyRow, CustodyEventsTable, Database, SecretItemRow } from '../../platform/db/schema';

type Db = Kysely<Database>;
export type RecipientRow = Selectable<Database['item_recipients']>;
export type CustodyEventRow = Selectable<CustodyEventsTable>;

export async function insertItem(tx: Db, row: SecretItemRow): Promise<void> {
  await tx.insertInto('secret_items').values(row).execute();
}

export async function findItem(db: Db, id: string): Promise<SecretItemRow | undefined> {
  return db.selectFrom('secret_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setItemState(tx: Db, id: string, state: string, at: string, extra: Partial<Pick<SecretItemRow, 'return_reason' | 'approver_id'>> = {}): Promise<void> {
  await tx.updateTable('secret_items').set({ state, updated_at: at, ...extra }).where('id', '=', id).execute();
}

export async function recordClassification(
  tx: Db,
  id: string,
  f: { level: string; classifiedOn: string; protectionEnd: string | null; approverId: string; at: string },
): Promise<void> {
  await tx
    .updateTable('secret_items')
    .set({ state: 'classified', level: f.level, classified_on: f.classifiedOn, protection_end: f.protectionEnd, approver_id: f.approverId, return_reason: null, updated_at: f.at })
    .where('id', '=', id)
    .execute();
}

export async function recordIssue(tx: Db, id: string, f: { number: string; symbol: string; numberSymbol: string; documentDate: string; signerName: string; searchText: string; at: string }): Promise<void> {
  await tx
    .updateTable('secret_items')
    .set({ state: 'issued', number: f.number, symbol: f.symbol, number_symbol: f.numberSymbol, document_date: f.documentDate, signer_name: f.signerName, search_text: f.searchText, updated_at: f.at })
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
  for (let i = 0; i < rows.length; i += 100) await tx.insertInto('copies').values(rows.slice(i, i + 100)).execute();
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
  c: Pick<CopyRow, 'id' | 'status' | 'holder_kind' | 'holder_user_id' | 'holder_unit_id' | 'holder_outside' | 'pending_kind' | 'pending_user_id' | 'pending_unit_id' | 'pending_outside' | 'updated_at'>,
): Promise<void> {
  const { id, ...fields } = c;
  await tx.updateTable('copies').set(fields).where('id', '=', id).execute();
}

export async function markCopyAddressee(tx: Db, copyId: string, userId: string): Promise<void> {
  await tx.updateTable('copies').set({ addressee_user_id: userId }).where('id', '=', copyId).execute();
}

export async function insertCustodyEvent(tx: Db, row: CustodyEventRow, copyIds: readonly string[]): Promise<void> {
  await tx.insertInto('custody_events').values(row).execute();
  if (copyIds.length) await tx.insertInto('custody_event_copies').values(copyIds.map((copy_id) => ({ event_id: row.id, copy_id }))).execute();
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
    .select(['custody_events.id', 'custody_events.kind', 'custody_events.occurred_at', 'custody_events.from_label', 'custody_events.item_id', 'secret_items.number_symbol', 'secret_items.level'])
    .where((eb) => (unitId ? eb.or([eb('custody_events.to_user_id', '=', userId), eb('custody_events.to_unit_id', '=', unitId)]) : eb('custody_events.to_user_id', '=', userId)))
    .where('custody_events.confirmed_at', 'is', null)
    .where('custody_events.kind', 'in', ['hand_over', 'issue_internal', 'receive_pass'])
    .orderBy('custody_events.occurred_at')
    .execute();
}

export interface ItemListFilter {
  state?: string | undefined;
  drafterId?: string | undefined;
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
