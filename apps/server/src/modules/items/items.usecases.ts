import { rolesAllow, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { SecretItemRow } from '../../platform/db/schema';
import { commonErrors } from '../../platform/errors';
import { approvalCheck, proposalsFor } from '../classification/classification.usecases';
import { periodReasonOf } from './item-period';
import { loadItem } from './item-steps';
import { itemErrors } from './items.errors';
import * as repo from './items.repository';
import { rowAccessFor, rowViewerOf } from './row-access';
import { rowContentAccess, itemEventDetails, itemEventVisible, summaryShown, type ItemStatus } from './items.rules';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Tx = AppDeps['dbh']['db'];

// ---- reading -----------------------------------------------------------------------------------

async function accessFacts(tx: Tx, item: SecretItemRow) {
  const copies = await repo.findCopiesOfItem(tx, item.id);
  const live = copies.filter((c) => c.status !== 'destroyed' && c.status !== 'lost');
  const holderIds = live.flatMap((c) => [c.holder_user_id, c.holder_unit_id].filter((x): x is string => !!x));
  const recipients = await repo.findRecipients(tx, item.id);
  // Copies in transit are not yet the receiver's: they open the content once they have signed.
  return {
    copies,
    recipients,
    content: {
      level: (item.level ?? item.proposed_level ?? 'TOP_SECRET') as Level,
      addresseeOnly: item.addressee_only === 1,
      namedAddresseeId: item.named_addressee_id,
      holderIds,
      recipientIds: recipients.flatMap((r) => [r.user_id, r.unit_id].filter((x): x is string => !!x)),
      assignedIds: await repo.findAssignedUserIds(tx, item.id),
    },
  };
}

/**
 * Need-to-know (DESIGN.md principle 2; items.rules canReadContent), plus the proposal's own people:
 * its drafter, and while it is proposed whoever may decide it (checkApproval: the head of the
 * agency, or a deputy delegated for its field — not every head of a department).
 */
export async function contentAccess(tx: Tx, deps: Pick<Deps, 'clock'>, actor: Actor, item: SecretItemRow) {
  const facts = await accessFacts(tx, item);
  // Before issue the drafter, and while it is proposed whoever may decide it, read the proposal.
  const proposalPhase = ['draft', 'proposed', 'returned', 'classified'].includes(item.state);
  const viewerDecides = item.state === 'proposed' && item.drafter_id !== actor.userId && (await approvalCheck(tx, deps, actor, item)).ok;
  const decision = rowContentAccess(await rowViewerOf(tx, actor), { ...facts.content, proposalPhase, drafterId: item.drafter_id, viewerDecides });
  return { ...decision, facts };
}

export async function getItem(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'item.view');
  const db = deps.dbh.db;
  const item = await loadItem(db, id);
  const access = await contentAccess(db, deps, actor, item);
  // Metadata: register keepers and inspectors see every item; others only what they may read.
  if (!rolesAllow(actor.roles, 'item.metadata.read') && !access.allowed) throw commonErrors.forbidden({ reason: access.reason });
  const copies = access.facts.copies;
  const [history, receiptScans, names, assignments, events, periodReason] = await Promise.all([
    repo.findItemHistory(db, id),
    repo.findReceiptScans(db, id),
    repo.findNames(
      db,
      [item.drafter_id, item.approver_id, ...copies.flatMap((c) => [c.holder_user_id, c.pending_user_id])].filter((x): x is string => !!x),
      copies.flatMap((c) => [c.holder_unit_id, c.pending_unit_id]).filter((x): x is string => !!x),
    ),
    // Who else was given need-to-know is itself need-to-know: only for those who may read it.
    access.allowed ? repo.findAssignmentsWithNames(db, id) : Promise.resolve([]),
    itemEvents(db, actor, id),
    periodReasonOf(db, item),
  ]);
  const person = (userId: string | null) => (userId ? { id: userId, name: names.users.get(userId) ?? userId } : null);
  const nameOf = (kind: string | null, userId: string | null, unitId: string | null, outside: string | null) =>
    kind === 'user' && userId
      ? (names.users.get(userId) ?? null)
      : kind === 'unit' && unitId
        ? (names.units.get(unitId) ?? null)
        : kind === 'outside'
          ? outside
          : null;
  return {
    item,
    copies: copies.map((c) => ({
      ...c,
      holderName: nameOf(c.holder_kind, c.holder_user_id, c.holder_unit_id, c.holder_outside),
      pendingName: nameOf(c.pending_kind, c.pending_user_id, c.pending_unit_id, c.pending_outside),
    })),
    recipients: access.facts.recipients,
    history,
    receiptScans,
    canReadContent: access.allowed,
    accessReason: access.reason,
    /** May this person approve or return the proposal now (the page offers the buttons only then)? */
    canDecide: item.state === 'proposed' && (await approvalCheck(db, deps, actor, item)).ok,
    drafter: person(item.drafter_id),
    // approver_id also records who returned a proposal; it names an approver once the item is classified.
    approver: item.classified_on !== null ? person(item.approver_id) : null,
    assignments: assignments.map((a) => ({
      userId: a.user_id,
      name: a.user_name,
      assignedBy: { id: a.assigned_by, name: a.assigned_by_name },
      assignedAt: a.assigned_at,
    })),
    events: events.events,
    eventsTruncated: events.truncated,
    /** Where the protection period comes from (catalogue row, decided period, level's default). */
    periodReason,
  };
}

/** The item's lifecycle from the audit trail; details through the per-action allow-list. */
async function itemEvents(db: Tx, actor: Actor, id: string) {
  const includeContentAccess = itemEventVisible('item.content_read', actor.roles);
  const rows = await repo.findItemEvents(db, id, { includeContentAccess, limit: repo.ITEM_EVENTS_LIMIT + 1 });
  const events = rows
    .slice(0, repo.ITEM_EVENTS_LIMIT)
    .filter((e) => itemEventVisible(e.action, actor.roles))
    .map((e) => ({
      at: e.occurred_at,
      action: e.action,
      actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? e.actor_id } : null,
      details: itemEventDetails(e.action, parseDetails(e.details)),
    }));
  return { events, truncated: rows.length > repo.ITEM_EVENTS_LIMIT };
}

function parseDetails(json: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Refuses a content read after writing its refusal event (in its own transaction: a refused attempt
 * is a security event worth keeping), whoever is refused — the administrator and the inspector
 * included, whose role alone refuses them (metadata_only_role), with the reason.
 */
export async function refuseContent(
  deps: Pick<Deps, 'dbh' | 'audit'>,
  actor: Actor,
  refusal: { action: 'item.content_refused' | 'item.attachment_refused'; itemId: string; reason: string; details?: Record<string, unknown> },
): Promise<never> {
  await deps.dbh.db.transaction().execute((tx) =>
    deps.audit.append(tx, {
      actorId: actor.userId,
      action: refusal.action,
      subjectType: 'item',
      subjectId: refusal.itemId,
      details: { ...refusal.details, reason: refusal.reason },
    }),
  );
  // A role that never reads content keeps its stable permission refusal; others the content one.
  if (!rolesAllow(actor.roles, 'item.content.read')) throw commonErrors.forbidden({ permission: 'item.content.read', reason: refusal.reason });
  throw itemErrors.contentForbidden({ reason: refusal.reason });
}

/**
 * The reason a role never opens content (admin, inspector, a held account), or null. Opening an
 * item's content or files asks this first (refusal audited, before the item is looked up, so it
 * says nothing of whether the item exists), then contentAccess.
 */
export function contentRoleRefusal(actor: Actor) {
  if (rolesAllow(actor.roles, 'item.content.read')) return null;
  const byRole = rowContentAccess(
    { id: actor.userId, roles: actor.roles, clearance: actor.clearance, unitId: actor.unitId },
    { level: 'CONFIDENTIAL', addresseeOnly: false, holderIds: [], recipientIds: [], assignedIds: [] },
  );
  return byRole.allowed ? ('no_content_role' as const) : byRole.reason;
}

/** Opening the content: allowed by need-to-know only. Every read is audited, and so is every refusal. */
export async function readContent(deps: Deps, actor: Actor | null, id: string) {
  if (!actor) throw commonErrors.unauthenticated();
  const byRole = contentRoleRefusal(actor);
  if (byRole) return refuseContent(deps, actor, { action: 'item.content_refused', itemId: id, reason: byRole });
  const db = deps.dbh.db;
  const item = await loadItem(db, id);
  const access = await contentAccess(db, deps, actor, item);
  if (!access.allowed) return refuseContent(deps, actor, { action: 'item.content_refused', itemId: id, reason: access.reason });
  await db
    .transaction()
    .execute((tx) =>
      deps.audit.append(tx, { actorId: actor.userId, action: 'item.content_read', subjectType: 'item', subjectId: id, details: { reason: access.reason } }),
    );
  return { summary: item.summary, docType: item.doc_type, reason: access.reason };
}

/**
 * Work lists. Register keepers, heads and inspectors see every item's metadata; anyone else only
 * what they drafted. Each row's summary is shown as a register row's is (issue 12 point 10): the
 * one content decision for the page of rows (rowAccessFor → rowContentAccess, summaryShown), so
 * the decider reads what they decide and nobody sees a summary the item page would refuse them.
 */
export async function listItems(
  deps: Deps,
  actor: Actor | null,
  f: { state?: ItemStatus | undefined; mine?: boolean | undefined; decide?: boolean | undefined; page: number; pageSize: number },
) {
  requirePermission(actor, 'item.view');
  const all = rolesAllow(actor.roles, 'item.metadata.read');
  const offset = (f.page - 1) * f.pageSize;
  // Proposals to decide: "chờ tôi phê duyệt" (decide), and for someone who sees only their own
  // items, those they may decide under a delegation besides their own proposals.
  const r =
    f.decide || (f.state === 'proposed' && !all && !f.mine)
      ? await proposalsFor(deps, actor, { includeOwn: !f.decide }, f.pageSize, offset)
      : await repo.listItems(deps.dbh.db, { state: f.state, drafterId: f.mine || !all ? actor.userId : undefined }, f.pageSize, offset);
  const levels = r.items.map((i) => i.level ?? i.proposed_level ?? 'TOP_SECRET');
  const access = await rowAccessFor(
    deps.dbh.db,
    deps,
    actor,
    r.items.map((i, n) => ({ itemId: i.id, level: levels[n]! })),
  );
  const items = r.items.map((i, n) => {
    const s = summaryShown({ summary: i.summary, level: levels[n]! }, access[n]!);
    return { ...i, shownSummary: s.summary, summaryHidden: s.hidden };
  });
  return { items, total: r.total, page: f.page, pageSize: f.pageSize };
}
