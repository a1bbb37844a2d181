import { LEVEL_TABLE, type Clearance, type ItemKind, type Level, type Role, type ShorterPeriod } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { SecretItemRow } from '../../platform/db/schema';
import { commonErrors } from '../../platform/errors';
import { findCatalogItem } from '../catalog/catalog.repository';
import { requireHandling } from '../items/handling';
import { itemSearchText, loadItem, today, transition } from '../items/item-steps';
import { itemErrors, ruleError } from '../items/items.errors';
import * as repo from '../items/items.repository';
import { periodOfItem } from '../items/item-period';
import { checkApproval, checkClassificationProposal, type ItemStatus } from '../items/items.rules';
import { approverOf } from '../items/row-access';
import { insertNotifications } from '../notifications/notifications.repository';

// Classification: the officer drafts an item with its proposal (tờ trình), whoever may decide it
// approves or returns it (checkApproval, items.rules), and the drafter revises a returned one.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Tx = AppDeps['dbh']['db'];

export interface RecipientInput {
  kind: 'user' | 'unit' | 'outside';
  userId?: string | undefined;
  unitId?: string | undefined;
  outsideName?: string | undefined;
  copies: number;
  addresseeOnly?: boolean | undefined;
}

export interface DraftInput {
  kind: ItemKind;
  docType: string;
  summary: string;
  field: string;
  level: Level;
  catalogItemIds: string[];
  recipients: RecipientInput[];
  copyCount: number;
  copyAllowed: boolean;
  shorterPeriod?: ShorterPeriod | undefined;
  recallRequired?: boolean | undefined;
}

/**
 * The catalogue basis and the "Nơi nhận" rows of a draft, checked against what exists: shared by
 * creating and editing a draft, so both accept exactly the same input.
 */
async function draftParts(deps: Pick<Deps, 'ids'>, tx: Tx, itemId: string, input: DraftInput) {
  const basis = [];
  for (const id of input.catalogItemIds) {
    const c = await findCatalogItem(tx, id);
    if (!c) throw itemErrors.catalogItemNotFound({ id });
    basis.push({ catalogItemId: c.id, level: c.level as Level, field: c.field });
  }
  // The highest-level basis is the one recorded (mixed content takes the highest level).
  const primary = [...basis].sort(
    (a, b) => ['CONFIDENTIAL', 'SECRET', 'TOP_SECRET'].indexOf(b.level) - ['CONFIDENTIAL', 'SECRET', 'TOP_SECRET'].indexOf(a.level),
  )[0];
  const recipientRows: repo.RecipientRow[] = [];
  for (const [i, r] of input.recipients.entries()) {
    if (r.kind === 'user' && !(r.userId && (await repo.findActiveUserName(tx, r.userId)))) throw itemErrors.recipientNotFound({ position: i + 1 });
    if (r.kind === 'unit' && !(r.unitId && (await repo.findOpenUnitName(tx, r.unitId)))) throw itemErrors.recipientNotFound({ position: i + 1 });
    recipientRows.push({
      id: deps.ids(),
      item_id: itemId,
      position: i + 1,
      kind: r.kind,
      user_id: r.kind === 'user' ? r.userId! : null,
      unit_id: r.kind === 'unit' ? r.unitId! : null,
      outside_name: r.kind === 'outside' ? (r.outsideName ?? null) : null,
      copies: r.copies,
      addressee_only: r.addresseeOnly && r.kind === 'user' ? 1 : 0,
    });
  }
  return { basis, primary, recipientRows };
}

/** An officer drafts an item with the classification proposal (tờ trình / phiếu trình). */
export async function createDraft(deps: Deps, actor: Actor | null, input: DraftInput) {
  requirePermission(actor, 'item.draft');
  // Nobody drafts above their own clearance: they could not open what they wrote.
  await requireHandling(deps.dbh.db, actor, 'draft', input.level);
  return deps.dbh.db.transaction().execute(async (tx) => {
    const itemId = deps.ids();
    const { primary, recipientRows } = await draftParts(deps, tx, itemId, input);
    // "Chỉ người có tên mới được bóc bì" is a mark on one recipient's envelope, not on the item
    // the agency itself drafted: it is kept per recipient (item_recipients.addressee_only).
    const now = deps.clock.now().toISOString();
    const row: SecretItemRow = {
      id: itemId,
      origin: 'internal',
      kind: input.kind,
      state: 'draft',
      doc_type: input.docType,
      summary: input.summary,
      field: input.field,
      proposed_level: input.level,
      level: null,
      catalog_item_id: primary?.catalogItemId ?? null,
      shorter_period: input.shorterPeriod ? JSON.stringify(input.shorterPeriod) : null,
      classified_on: null,
      protection_end: null,
      copies_planned: input.copyCount,
      copy_allowed: input.copyAllowed ? 1 : 0,
      addressee_only: 0,
      named_addressee_id: null,
      recall_required: input.recallRequired ? 1 : 0,
      number: null,
      symbol: null,
      number_symbol: null,
      document_date: null,
      signer_name: null,
      issuer: null,
      unit_id: actor.unitId,
      drafter_id: actor.userId,
      approver_id: null,
      return_reason: null,
      summary_agreed_by: null,
      summary_agreed_at: null,
      source_item_id: null,
      search_text: '',
      created_at: now,
      updated_at: now,
    };
    row.search_text = itemSearchText(row);
    await repo.insertItem(tx, row);
    await repo.insertRecipients(tx, recipientRows);
    // Details carry no summary: the audit trail is metadata only.
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.drafted',
      subjectType: 'item',
      subjectId: itemId,
      details: { kind: input.kind, proposedLevel: input.level, recipients: recipientRows.length, copies: input.copyCount },
    });
    return row;
  });
}

async function proposalOf(tx: Tx, item: SecretItemRow) {
  const recipients = await repo.findRecipients(tx, item.id);
  const basis = item.catalog_item_id ? await findCatalogItem(tx, item.catalog_item_id) : undefined;
  return {
    kind: item.kind as ItemKind,
    level: item.proposed_level as Level | null,
    catalogBasis: basis ? [{ catalogItemId: basis.id, level: basis.level as Level }] : [],
    recipients: recipients.map((r) => ({ kind: r.kind as 'user' | 'unit' | 'outside', id: r.user_id ?? r.unit_id ?? r.outside_name ?? '' })),
    copyCount: item.copies_planned,
    copyAllowed: item.copy_allowed === 1,
    shorterPeriod: item.shorter_period ? (JSON.parse(item.shorter_period) as ShorterPeriod) : null,
  };
}

export async function proposeItem(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'item.draft');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, id);
    if (item.drafter_id !== actor.userId) throw itemErrors.notDrafter();
    await requireHandling(tx, actor, 'propose', (item.proposed_level ?? 'TOP_SECRET') as Level);
    const next = transition(item.state, 'propose');
    const check = checkClassificationProposal(await proposalOf(tx, item), today(deps));
    if (!check.ok) throw ruleError(check.code, { issues: check.issues });
    const now = deps.clock.now().toISOString();
    await repo.setItemState(tx, id, next, now);
    // Whoever may decide it is told: the agency's head and the delegates of its field (metadata
    // only in the notice: the kind of document, its proposed level and field — never its summary).
    const proposed = (await repo.findItem(tx, id))!;
    const deciders = await decidersOf(tx, deps, proposed);
    const message = `Đề xuất xác định độ mật «${item.doc_type}» (${LEVEL_TABLE[(item.proposed_level ?? 'TOP_SECRET') as Level].labelVi}, lĩnh vực ${item.field ?? '—'}) đang chờ phê duyệt.`;
    await insertNotifications(
      tx,
      deciders.map((userId) => ({ id: deps.ids(), userId, kind: 'proposal_waiting', subjectType: 'item', subjectId: id, message, createdAt: now })),
    );
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.proposed',
      subjectType: 'item',
      subjectId: id,
      details: { level: item.proposed_level, notified: deciders.length },
    });
    return proposed;
  });
}

/** Who may decide this proposal now (checkApproval on each candidate): heads of the agency and active delegates of its field. */
async function decidersOf(tx: Tx, deps: Pick<Deps, 'clock'>, item: SecretItemRow): Promise<string[]> {
  const candidates = await repo.findDeciderCandidates(tx, item.field ?? '');
  const out: string[] = [];
  for (const u of candidates) {
    const roles = (await repo.findRolesOf(tx, u.id)) as Role[];
    const check = await approvalCheck(tx, deps, { userId: u.id, roles, clearance: u.clearance as Clearance, unitId: u.unit_id }, item);
    if (check.ok) out.push(u.id);
  }
  return out;
}

/** checkApproval for this actor and item, today: the one answer to "may this person decide it?". */
export async function approvalCheck(tx: Tx, deps: Pick<Deps, 'clock'>, actor: Actor, item: SecretItemRow) {
  return checkApproval({
    approver: await approverOf(tx, actor),
    item: {
      status: item.state as ItemStatus,
      drafterId: item.drafter_id ?? '',
      field: item.field ?? '',
      level: (item.proposed_level ?? 'TOP_SECRET') as Level,
    },
    today: today(deps),
  });
}

async function decide(deps: Deps, actor: Actor | null, id: string, decision: { approve: true } | { approve: false; reason: string }) {
  requirePermission(actor, 'item.decide');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, id);
    const check = await approvalCheck(tx, deps, actor, item);
    if (!check.ok) throw check.code === 'item.approver_not_authorised' ? commonErrors.forbidden({ reason: check.code }) : ruleError(check.code);
    const now = deps.clock.now().toISOString();
    if (!decision.approve) {
      transition(item.state, 'return');
      await repo.setItemState(tx, id, 'returned', now, { return_reason: decision.reason, approver_id: actor.userId });
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'item.returned',
        subjectType: 'item',
        subjectId: id,
        details: { reason: decision.reason, via: check.via },
      });
      return (await repo.findItem(tx, id))!;
    }
    transition(item.state, 'approve');
    const classifiedOn = today(deps);
    const level = item.proposed_level as Level;
    // The period comes from its basis: the catalogue row's own period, the decided shorter one, or
    // the level's — the shortest applicable (protectionPeriodFromBasis).
    const end = await periodOfItem(tx, item, level, classifiedOn);
    if (!end.ok) throw ruleError(end.code);
    await repo.recordClassification(tx, id, { level, classifiedOn, protectionEnd: end.end, approverId: actor.userId, at: now });
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.classified',
      subjectType: 'item',
      subjectId: id,
      details: { level, classifiedOn, protectionEnd: end.end, periodBasis: end.basis?.source ?? null, via: check.via },
    });
    return (await repo.findItem(tx, id))!;
  });
}

export const approveItem = (deps: Deps, actor: Actor | null, id: string) => decide(deps, actor, id, { approve: true });
export const returnItem = (deps: Deps, actor: Actor | null, id: string, reason: string) => decide(deps, actor, id, { approve: false, reason });

/** A revised draft after a return goes back to 'draft' for the drafter. */
export async function reviseItem(deps: Deps, actor: Actor | null, id: string) {
  requirePermission(actor, 'item.draft');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, id);
    if (item.drafter_id !== actor.userId) throw itemErrors.notDrafter();
    const next = transition(item.state, 'revise');
    await repo.setItemState(tx, id, next, deps.clock.now().toISOString());
    await deps.audit.append(tx, { actorId: actor.userId, action: 'item.revised', subjectType: 'item', subjectId: id });
    return (await repo.findItem(tx, id))!;
  });
}

/**
 * The drafter edits a draft, or a returned proposal, as a whole (full replacement, recipients
 * included). Editing a returned proposal revises it at once: it goes back to 'draft' in the same
 * transaction. The edited proposal must pass the same check as when it is proposed.
 */
export async function updateDraft(deps: Deps, actor: Actor | null, id: string, input: DraftInput) {
  requirePermission(actor, 'item.draft');
  await requireHandling(deps.dbh.db, actor, 'draft', input.level);
  return deps.dbh.db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, id);
    if (item.drafter_id !== actor.userId) throw itemErrors.notDrafter();
    if (item.state !== 'draft' && item.state !== 'returned') throw itemErrors.notEditable({ state: item.state });
    const { basis, primary, recipientRows } = await draftParts(deps, tx, id, input);
    const check = checkClassificationProposal(
      {
        kind: input.kind,
        level: input.level,
        catalogBasis: basis.map((b) => ({ catalogItemId: b.catalogItemId, level: b.level })),
        recipients: recipientRows.map((r) => ({ kind: r.kind as 'user' | 'unit' | 'outside', id: r.user_id ?? r.unit_id ?? r.outside_name ?? '' })),
        copyCount: input.copyCount,
        copyAllowed: input.copyAllowed,
        shorterPeriod: input.shorterPeriod ?? null,
      },
      today(deps),
    );
    if (!check.ok) throw ruleError(check.code, { issues: check.issues });
    const revised = item.state === 'returned';
    const state = revised ? transition(item.state, 'revise') : item.state;
    const now = deps.clock.now().toISOString();
    const fields: repo.DraftFields = {
      state,
      kind: input.kind,
      doc_type: input.docType,
      summary: input.summary,
      field: input.field,
      proposed_level: input.level,
      catalog_item_id: primary?.catalogItemId ?? null,
      shorter_period: input.shorterPeriod ? JSON.stringify(input.shorterPeriod) : null,
      copies_planned: input.copyCount,
      copy_allowed: input.copyAllowed ? 1 : 0,
      recall_required: input.recallRequired ? 1 : 0,
      // Indexed as at issue: a Tuyệt mật proposal's summary is left out.
      search_text: itemSearchText({ ...item, doc_type: input.docType, summary: input.summary, level: input.level }),
      updated_at: now,
    };
    await repo.updateDraftItem(tx, id, fields);
    await repo.deleteRecipients(tx, id);
    await repo.insertRecipients(tx, recipientRows);
    if (revised)
      await deps.audit.append(tx, { actorId: actor.userId, action: 'item.revised', subjectType: 'item', subjectId: id, details: { withEdit: true } });
    // Metadata only, as for item.drafted: never the summary.
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.draft_updated',
      subjectType: 'item',
      subjectId: id,
      details: { kind: input.kind, proposedLevel: input.level, recipients: recipientRows.length, copies: input.copyCount, revised },
    });
    return (await repo.findItem(tx, id))!;
  });
}

// ---- proposals to decide ------------------------------------------------------------------------

/**
 * Proposals waiting for a decision that this person may take now (checkApproval, the one rule),
 * and with includeOwn their own waiting proposals too. Waiting proposals are few at any time, so
 * they are read whole and the rule runs on each.
 */
export async function proposalsFor(deps: Deps, actor: Actor, opts: { includeOwn: boolean }, limit: number, offset: number) {
  const db = deps.dbh.db;
  const approver = await approverOf(db, actor);
  const day = today(deps);
  const waiting = await repo.findProposedItems(db);
  const items = waiting.filter(
    (it) =>
      (opts.includeOwn && it.drafter_id === actor.userId) ||
      checkApproval({
        approver,
        item: { status: 'proposed', drafterId: it.drafter_id ?? '', field: it.field ?? '', level: (it.proposed_level ?? 'TOP_SECRET') as Level },
        today: day,
      }).ok,
  );
  return { items: items.slice(offset, offset + limit), total: items.length };
}
