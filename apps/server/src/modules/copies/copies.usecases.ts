import { clearanceCovers, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { CopyRow } from '../../platform/db/schema';
import { custodyStateOf, rowWithState } from '../items/custody-mapping';
import { requireHandling } from '../items/handling';
import { holderLabel, loadItem, today } from '../items/item-steps';
import { itemErrors, ruleError } from '../items/items.errors';
import * as repo from '../items/items.repository';
import { writeRegisterEntry } from '../registers/register-entry';
import { recordEntryReceipt } from '../registers/registers.repository';
import { applyCustodyEvent, type Holder } from './copies.rules';
import { orgErrors } from '../org/org.errors';
import { isHeld } from '../org/org.repository';

// Copies move inside the agency by hand-over (sổ chuyển giao): the holder hands them over, the
// receiver signs for them in KhoMật; "Tôi đang giữ" lists what a person holds or is about to.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Tx = AppDeps['dbh']['db'];

async function mayActForHolder(tx: Tx, actor: Actor, copy: CopyRow): Promise<boolean> {
  if (copy.holder_kind === 'user') return copy.holder_user_id === actor.userId;
  // A unit's copies are moved by its clerk or head.
  if (copy.holder_kind === 'unit') return copy.holder_unit_id === actor.unitId && (actor.roles.includes('clerk') || actor.roles.includes('head'));
  void tx;
  return false;
}

export async function handOverCopies(
  deps: Deps,
  actor: Actor | null,
  input: { copyIds: string[]; to: { kind: 'user' | 'unit'; id: string }; note?: string | undefined },
) {
  requirePermission(actor, 'custody.hand_over');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const copies = await repo.findCopiesByIds(tx, [...new Set(input.copyIds)]);
    if (copies.length !== new Set(input.copyIds).size) throw itemErrors.copyNotFound();
    const itemIds = new Set(copies.map((c) => c.item_id));
    if (itemIds.size !== 1) throw ruleError('copy.transition_not_allowed', { reason: 'one_item_per_hand_over' });
    const item = await loadItem(tx, copies[0]!.item_id);
    for (const c of copies) if (!(await mayActForHolder(tx, actor, c))) throw ruleError('copy.not_holder', { copy: c.label });
    await requireHandling(tx, actor, 'hand_over', item.level as Level);
    const toLabel = await holderLabel(tx, input.to);
    if (toLabel === input.to.id) throw itemErrors.recipientNotFound();
    if (input.to.kind === 'user') {
      const u = await repo.findUserClearance(tx, input.to.id);
      if (!u || !clearanceCovers(u.clearance as Actor['clearance'], item.level as Level)) throw itemErrors.clearanceTooLow();
      if (await isHeld(tx, input.to.id)) throw orgErrors.receiverHeld(); // issue 11: they could not open it now
      // Addressee-only: nobody but the named person may end up holding it.
      if (item.addressee_only === 1 && item.named_addressee_id !== input.to.id) throw ruleError('copy.invalid_holder', { reason: 'addressee_only' });
    } else if (item.addressee_only === 1) throw ruleError('copy.invalid_holder', { reason: 'addressee_only' });
    // A copy under "Chỉ người có tên mới được bóc bì" goes to its named person and nobody else.
    for (const c of copies) {
      if (c.addressee_user_id && !(input.to.kind === 'user' && input.to.id === c.addressee_user_id))
        throw ruleError('copy.invalid_holder', { reason: 'addressee_only', copy: c.label });
    }
    const now = deps.clock.now().toISOString();
    for (const c of copies) {
      const r = applyCustodyEvent(custodyStateOf(c), { type: 'hand_over', to: input.to });
      if (!r.ok) throw ruleError(r.code, { copy: c.label });
      await repo.saveCopyCustody(tx, rowWithState(c, r.state, now));
    }
    const eventId = deps.ids();
    const fromLabel = await holderLabel(tx, custodyStateOf(copies[0]!).holder);
    await repo.insertCustodyEvent(
      tx,
      {
        id: eventId,
        item_id: item.id,
        kind: 'hand_over',
        occurred_at: now,
        actor_id: actor.userId,
        from_label: fromLabel,
        to_label: toLabel,
        to_user_id: input.to.kind === 'user' ? input.to.id : null,
        to_unit_id: input.to.kind === 'unit' ? input.to.id : null,
        envelope_state: null,
        note: input.note ?? null,
        confirmed_at: null,
        confirmed_by: null,
      },
      copies.map((c) => c.id),
    );
    const entry = await writeRegisterEntry(deps, tx, actor, {
      register: 'transfer',
      item,
      custodyEventId: eventId,
      recipient: toLabel,
      quantity: copies.length,
      copyLabels: copies.map((c) => c.label).join(', '),
      entryDate: today(deps),
      note: input.note ?? null,
    });
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'custody.handed_over',
      subjectType: 'item',
      subjectId: item.id,
      details: { eventId, copies: copies.length, to: input.to, registerNumber: entry.number },
    });
    return { eventId, entry };
  });
}

/** The receiver signs for copies in transit to them (or to their unit: its clerk or head signs). */
export async function confirmReceipt(deps: Deps, actor: Actor | null, eventId: string) {
  requirePermission(actor, 'custody.mine');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const ev = await repo.findCustodyEvent(tx, eventId);
    if (!ev) throw itemErrors.transferNotFound();
    if (ev.confirmed_at) throw itemErrors.alreadyConfirmed();
    const forMe =
      ev.to_user_id === actor.userId ||
      (ev.to_unit_id !== null && ev.to_unit_id === actor.unitId && (actor.roles.includes('clerk') || actor.roles.includes('head')));
    if (!forMe) throw ruleError('copy.not_pending_holder');
    const by: Holder = ev.to_user_id ? { kind: 'user', id: ev.to_user_id } : { kind: 'unit', id: ev.to_unit_id! };
    const now = deps.clock.now().toISOString();
    const copies = await repo.findCopiesByIds(tx, await repo.findCopyIdsOfEvent(tx, eventId));
    for (const c of copies) {
      const r = applyCustodyEvent(custodyStateOf(c), { type: 'confirm_receipt', by });
      if (!r.ok) throw ruleError(r.code, { copy: c.label });
      await repo.saveCopyCustody(tx, rowWithState(c, r.state, now));
    }
    await repo.confirmCustodyEvent(tx, eventId, actor.userId, now);
    const me = await repo.findActiveUserName(tx, actor.userId);
    // The register's "ký nhận" column: who signed and when.
    await recordEntryReceipt(tx, eventId, me ?? actor.userId, now);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'custody.receipt_confirmed',
      subjectType: 'item',
      subjectId: ev.item_id,
      details: { eventId, copies: copies.length },
    });
    return { eventId, confirmedAt: now };
  });
}

export async function myCopies(deps: Deps, actor: Actor | null) {
  requirePermission(actor, 'custody.mine');
  // A unit's clerk or head signs for what is sent to the unit (same rule as confirmReceipt).
  const signsForUnit = actor.roles.includes('clerk') || actor.roles.includes('head');
  const [copies, pending] = await Promise.all([
    repo.findCopiesForUser(deps.dbh.db, actor.userId),
    repo.findPendingTransfersFor(deps.dbh.db, actor.userId, signsForUnit ? actor.unitId : null),
  ]);
  return { copies, pending };
}
