import { civilDateInVietnam, isPositionKind, type Level } from '@khomat/policy';
import type { Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { isActorAgencyHead, isAgencyUnit, positionKindOf } from '../org/org.repository';
import { delegationScopeOf } from '../delegations/delegations.repository';
import * as repo from './items.repository';
import { checkApproval, readsAnySummary, rowContentAccess, type ItemStatus, type RowAccessReason, type RowViewer } from './items.rules';

// The one content decision asked for a page of rows at once (register lists, search hits, printed
// registers): the facts rowContentAccess needs are loaded for the whole page in four queries,
// scoped to the viewer (their copies, their unit's copies, their recipient rows, their
// assignments), never one query per row.

type Db = AppDeps['dbh']['db'];

/** A row to decide: the item it shows, its level, and for a register row the unit that keeps it. */
export interface RowRef {
  itemId: string;
  level: string;
  /** register_entries.unit_id for a register row; undefined outside a register. */
  keeperUnitId?: string | null;
}

export interface RowDecision {
  allowed: boolean;
  reason: RowAccessReason;
}

/** The approver facts of checkApproval for this actor (position, delegations, head of the agency itself). */
export async function approverOf(db: Db, actor: Actor) {
  const delegations = (await repo.findDelegations(db, actor.userId)).map(delegationScopeOf);
  const user = await db.selectFrom('users').select('position_id').where('id', '=', actor.userId).executeTakeFirst();
  const kind = await positionKindOf(db, user?.position_id);
  return {
    id: actor.userId,
    roles: actor.roles,
    clearance: actor.clearance,
    isAgencyHead: await isActorAgencyHead(db, actor),
    positionKind: isPositionKind(kind) ? kind : null,
    delegations,
  };
}

/** The viewer as the rule sees them: a head reads for their unit; a clerk of the agency keeps its registers. */
export async function rowViewerOf(db: Db, actor: Actor): Promise<RowViewer> {
  return {
    id: actor.userId,
    roles: actor.roles,
    clearance: actor.clearance,
    unitId: actor.unitId,
    isHeadOfUnit: actor.roles.includes('head'),
    isAgencyClerk: actor.roles.includes('clerk') && (await isAgencyUnit(db, actor.unitId)),
  };
}

/** rowContentAccess for each row, in order; the facts batch-loaded for the page. */
export async function rowAccessFor(db: Db, deps: Pick<AppDeps, 'clock'>, actor: Actor, rows: readonly RowRef[], viewer?: RowViewer): Promise<RowDecision[]> {
  const v = viewer ?? (await rowViewerOf(db, actor));
  const empty = { addresseeOnly: false, holderIds: [] as string[], recipientIds: [] as string[], assignedIds: [] as string[] };
  // Role or clearance refuses every row: no facts needed (the rule still gives the reason).
  if (!readsAnySummary(v) || rows.length === 0)
    return rows.map((r) => rowContentAccess(v, { ...empty, level: r.level as Level, keeperUnitId: r.keeperUnitId }));
  const ids = [...new Set(rows.map((r) => r.itemId))];
  const [items, copies, recipients, assigned] = await Promise.all([
    db
      .selectFrom('secret_items')
      .select(['id', 'state', 'addressee_only', 'named_addressee_id', 'drafter_id', 'field', 'proposed_level'])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('copies')
      .select(['item_id', 'holder_user_id', 'holder_unit_id'])
      .where('item_id', 'in', ids)
      .where('status', 'not in', ['destroyed', 'lost'])
      .where((eb) => eb.or([eb('holder_user_id', '=', actor.userId), eb('holder_unit_id', '=', actor.unitId)]))
      .execute(),
    db
      .selectFrom('item_recipients')
      .select(['item_id', 'user_id', 'unit_id'])
      .where('item_id', 'in', ids)
      .where((eb) => eb.or([eb('user_id', '=', actor.userId), eb('unit_id', '=', actor.unitId)]))
      .execute(),
    db.selectFrom('item_assignments').select('item_id').where('item_id', 'in', ids).where('user_id', '=', actor.userId).execute(),
  ]);
  const push = (m: Map<string, string[]>, k: string, ...vals: (string | null)[]) => {
    const list = m.get(k) ?? [];
    for (const x of vals) if (x) list.push(x);
    m.set(k, list);
  };
  const holders = new Map<string, string[]>();
  for (const c of copies) push(holders, c.item_id, c.holder_user_id, c.holder_unit_id);
  const recips = new Map<string, string[]>();
  for (const r of recipients) push(recips, r.item_id, r.user_id, r.unit_id);
  const assignedTo = new Set(assigned.map((a) => a.item_id));
  const byId = new Map(items.map((i) => [i.id, i]));
  // Deciding a proposal reads it: checkApproval per proposed item, the approver loaded once.
  const proposed = items.filter((i) => i.state === 'proposed');
  const approver = proposed.length ? await approverOf(db, actor) : undefined;
  const today = civilDateInVietnam(deps.clock.now());
  return rows.map((r) => {
    const i = byId.get(r.itemId);
    const level = r.level as Level;
    const decides =
      !!approver &&
      i?.state === 'proposed' &&
      checkApproval({ approver, item: { status: 'proposed' as ItemStatus, drafterId: i.drafter_id ?? '', field: i.field ?? '', level }, today }).ok;
    return rowContentAccess(v, {
      level,
      addresseeOnly: i?.addressee_only === 1,
      namedAddresseeId: i?.named_addressee_id ?? null,
      holderIds: holders.get(r.itemId) ?? [],
      recipientIds: recips.get(r.itemId) ?? [],
      assignedIds: assignedTo.has(r.itemId) ? [actor.userId] : [],
      keeperUnitId: r.keeperUnitId,
      proposalPhase: !!i && ['draft', 'proposed', 'returned', 'classified'].includes(i.state),
      drafterId: i?.drafter_id ?? null,
      viewerDecides: decides,
    });
  });
}

/**
 * The items this viewer has need-to-know on (of `among` only, when given), as a subquery (search:
 * which hidden-summary rows may still be matched by their summary words). The same facts as
 * rowAccessFor, read the other way.
 * Left out on purpose, because they cannot give a register row a summary to match: the
 * proposal's drafter and decider (register rows exist only once an item is issued or received)
 * and addressee-only items (registered from the envelope's outer marks, without a summary).
 */
export function needToKnowItems(db: Db, actor: Actor, among?: readonly string[]) {
  const head = actor.roles.includes('head');
  const ids = among ? [...among] : [];
  return db
    .selectFrom('copies')
    .select('copies.item_id')
    .$if(!!among, (q) => q.where('copies.item_id', 'in', ids))
    .where('copies.status', 'not in', ['destroyed', 'lost'])
    .where((eb) =>
      head
        ? eb.or([eb('copies.holder_user_id', '=', actor.userId), eb('copies.holder_unit_id', '=', actor.unitId)])
        : eb('copies.holder_user_id', '=', actor.userId),
    )
    .union(
      db
        .selectFrom('item_recipients')
        .select('item_recipients.item_id')
        .$if(!!among, (q) => q.where('item_recipients.item_id', 'in', ids))
        .where((eb) =>
          head
            ? eb.or([eb('item_recipients.user_id', '=', actor.userId), eb('item_recipients.unit_id', '=', actor.unitId)])
            : eb('item_recipients.user_id', '=', actor.userId),
        ),
    )
    .union(
      db
        .selectFrom('item_assignments')
        .select('item_assignments.item_id')
        .$if(!!among, (q) => q.where('item_assignments.item_id', 'in', ids))
        .where('item_assignments.user_id', '=', actor.userId),
    );
}

/** needToKnowItems asked of the given items only: which of them this viewer has need-to-know on. */
export async function needToKnowAmong(db: Db, actor: Actor, itemIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(itemIds)];
  if (ids.length === 0) return new Set();
  return new Set((await needToKnowItems(db, actor, ids).execute()).map((r) => r.item_id));
}
