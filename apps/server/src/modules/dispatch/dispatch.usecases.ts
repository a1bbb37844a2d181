import { civilDateInVietnam, clearanceCovers, copyNumbersLabel, envelopeFor, type Envelope, type ItemKind, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { CopyRow, SecretItemRow } from '../../platform/db/schema';
import { applyCustodyEvent, openCustody, type Holder } from '../copies/copies.rules';
import { custodyStateOf, rowWithState } from '../items/custody-mapping';
import { requireHandling } from '../items/handling';
import { holderLabel, itemSearchText, loadItem, today, transition } from '../items/item-steps';
import { itemErrors, ruleError } from '../items/items.errors';
import * as repo from '../items/items.repository';
import { insertNotifications } from '../notifications/notifications.repository';
import { writeRegisterEntry } from '../registers/register-entry';
import { registerErrors } from '../registers/registers.errors';
import { allocateNumber, findEntriesOfEvent, recordEntryReceipt, registerYearState, type RegisterKind } from '../registers/registers.repository';
import { orgErrors } from '../org/org.errors';
import { isHeld } from '../org/org.repository';
import { closeProvisionOnReceipt } from '../provision/provision.usecases';
import { dispatchError } from './dispatch.errors';
import { checkEnteredDate, type EnteredDateFacts } from './dispatch.rules';

// Dispatch: the clerk numbers and sends an approved item (issue), records an outside body's
// signed receipt, and registers what arrives from outside (the incoming register).

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;

export interface IssueInput {
  symbol: string;
  documentDate: string;
  signerName: string;
}

export interface IssuedCopy {
  copyId: string;
  label: string;
  recipient: string;
  registerNumber: number | null;
  envelopes: Envelope[];
}

/**
 * The clerk numbers the approved item, makes its N original copies "Bản số k/N", and sends each
 * recipient its copies: internal ones are handed over (the receiver signs in KhoMật), outside
 * bodies are dispatched; each recipient's sending gets one line in the outgoing register, with
 * the number of copies and their numbers ("Bản số 2, 3/4"). Copies
 * beyond the recipients stay with the issuing unit (bản lưu).
 */
export async function issueItem(deps: Deps, actor: Actor | null, id: string, input: IssueInput) {
  requirePermission(actor, 'item.issue');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, id);
    if (item.state !== 'classified') throw itemErrors.notClassified({ state: item.state });
    // Numbering and sending: cleared for the level, the văn thư of the item's unit or of the agency.
    await requireHandling(tx, actor, 'issue', item.level as Level, item.unit_id);
    transition(item.state, 'issue');
    const now = deps.clock.now().toISOString();
    const day = today(deps);
    const n = await allocateNumber(tx, 'document', Number(day.slice(0, 4)));
    const numberSymbol = `${n}/${input.symbol}`;
    const recipients = await repo.findRecipients(tx, item.id);
    await repo.recordIssue(tx, id, {
      number: String(n),
      symbol: input.symbol,
      numberSymbol,
      documentDate: input.documentDate,
      signerName: input.signerName,
      searchText: itemSearchText(
        { ...item, number_symbol: numberSymbol },
        recipients.map((r) => r.user_name ?? r.unit_name ?? r.outside_name ?? ''),
      ),
      at: now,
    });
    const issued = (await repo.findItem(tx, id))!;
    const total = item.copies_planned;
    const clerk: Holder = { kind: 'user', id: actor.userId };
    const copies: CopyRow[] = Array.from({ length: total }, (_, k) => {
      const opened = openCustody(clerk);
      if (!opened.ok) throw ruleError(opened.code);
      return rowWithState(
        {
          id: deps.ids(),
          item_id: id,
          origin: 'original',
          seq_no: k + 1,
          total,
          label: `Bản số ${k + 1}/${total}`,
          status: 'held',
          holder_kind: 'user',
          holder_user_id: actor.userId,
          holder_unit_id: null,
          holder_outside: null,
          pending_kind: null,
          pending_user_id: null,
          pending_unit_id: null,
          pending_outside: null,
          place: null,
          addressee_user_id: null,
          verification_id: null,
          request_id: null,
          file_blob_id: null,
          created_at: now,
          updated_at: now,
        },
        opened.state,
        now,
      );
    });
    // Copies are written first; each movement then records which copies it carried.
    await repo.insertCopies(tx, copies);
    const out: IssuedCopy[] = [];
    let next = 0;
    const from = await holderLabel(tx, clerk);
    for (const r of recipients) {
      const to: Holder =
        r.kind === 'outside'
          ? { kind: 'outside', id: r.outside_name ?? '' }
          : r.kind === 'user'
            ? { kind: 'user', id: r.user_id! }
            : { kind: 'unit', id: r.unit_id! };
      if (to.kind === 'user') {
        const u = await repo.findUserClearance(tx, to.id);
        if (!u || !clearanceCovers(u.clearance as Actor['clearance'], issued.level as Level)) throw itemErrors.clearanceTooLow({ recipient: r.position });
        if (await isHeld(tx, to.id)) throw orgErrors.receiverHeld({ recipient: r.position });
      }
      const label = await holderLabel(tx, to);
      // One sending per recipient: its copies travel together (one envelope, unless the clerk
      // prints them apart), one custody event carries them all, and the outgoing register has one
      // line for the document sent to that recipient, with the quantity and the copy numbers.
      const sent = copies.slice(next, Math.min(total, next + r.copies));
      next += sent.length;
      if (sent.length === 0) continue;
      for (const copy of sent) {
        const res = applyCustodyEvent(custodyStateOf(copy), to.kind === 'outside' ? { type: 'dispatch', to } : { type: 'hand_over', to });
        if (!res.ok) throw ruleError(res.code);
        await repo.saveCopyCustody(tx, rowWithState(copy, res.state, now));
        if (r.addressee_only === 1 && to.kind === 'user') await repo.markCopyAddressee(tx, copy.id, to.id);
      }
      const eventId = deps.ids();
      await repo.insertCustodyEvent(
        tx,
        {
          id: eventId,
          item_id: id,
          kind: to.kind === 'outside' ? 'dispatch' : 'issue_internal',
          occurred_at: now,
          actor_id: actor.userId,
          from_label: from,
          to_label: label,
          to_user_id: to.kind === 'user' ? to.id : null,
          to_unit_id: to.kind === 'unit' ? to.id : null,
          envelope_state: null,
          note: null,
          confirmed_at: null,
          confirmed_by: null,
        },
        sent.map((c) => c.id),
      );
      const entry = await writeRegisterEntry(deps, tx, actor, {
        register: 'outgoing',
        item: issued,
        custodyEventId: eventId,
        recipient: label,
        quantity: sent.length,
        copyLabels: copyNumbersLabel(
          sent.map((c) => c.seq_no),
          total,
        ),
        entryDate: day,
      });
      const envelopes = envelopeFor({
        level: issued.level as Level,
        addresseeOnly: r.addressee_only === 1,
        recallRequired: issued.recall_required === 1,
        recipientName: to.kind === 'outside' ? null : label,
        numberSymbol,
      });
      for (const copy of sent) out.push({ copyId: copy.id, label: copy.label, recipient: label, registerNumber: entry.number, envelopes });
    }
    // Copies left after the recipients stay with the issuing unit (bản lưu).
    const unitHolder: Holder = { kind: 'unit', id: item.unit_id };
    for (let k = next; k < total; k++) {
      const c = copies[k]!;
      const opened = openCustody(unitHolder);
      if (!opened.ok) throw ruleError(opened.code);
      await repo.saveCopyCustody(tx, rowWithState(c, opened.state, now));
      out.push({ copyId: c.id, label: c.label, recipient: await holderLabel(tx, unitHolder), registerNumber: null, envelopes: [] });
    }
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.issued',
      subjectType: 'item',
      subjectId: id,
      details: { numberSymbol, copies: total, outgoingEntries: [...new Set(out.filter((o) => o.registerNumber !== null).map((o) => o.registerNumber))] },
    });
    return { item: (await repo.findItem(tx, id))!, copies: out };
  });
}

// ---- receipts and receiving from outside ---------------------------------------------------------

export interface IncomingInput {
  issuer: string;
  numberSymbol: string;
  documentDate: string;
  docType: string;
  kind: ItemKind;
  summary?: string | undefined;
  level: Level;
  copies: number;
  addresseeOnly: boolean;
  envelopeState: 'intact' | 'damaged' | 'opened';
  recallRequired?: boolean | undefined;
  /**
   * The issuer marked it not to be copied or photographed. Otherwise copying it is allowed with
   * the permission the authority table requires (a copy request), as for the agency's own items.
   */
  copyForbidden?: boolean | undefined;
  /** Who it is passed to: a user (the named person when addressee-only) or a unit. */
  to: { kind: 'user' | 'unit'; id: string };
  note?: string | undefined;
  /** The day the paper arrived, when it is registered later (ngày đến); today when absent. */
  arrivalDate?: string | undefined;
}

/** Throws the rule's refusal unless the entered date is possible (dispatch.rules ENTERED_DATE_RULES). */
function requireEnteredDate(f: EnteredDateFacts): void {
  const r = checkEnteredDate(f);
  if (!r.ok) throw dispatchError(r.code, { date: f.date });
}

/**
 * The clerk registers an item received from outside in the incoming register (the entry's number
 * is the "số đến") and passes it to the person or unit, who signs for it in KhoMật. An
 * addressee-only envelope is registered from its outer marks and stays closed: no summary is
 * recorded and only the named person can open the content. A damaged or opened envelope is
 * recorded and the head and the security officer are told at once (NĐ 26/2020 Đ.4 k.2).
 * A paper received earlier is registered with the day it arrived: that is the entry's date (the
 * register's "Ngày đến", and the register year it is numbered in); the audit keeps both that day
 * and the moment it was recorded.
 */
export async function registerIncoming(deps: Deps, actor: Actor | null, input: IncomingInput) {
  requirePermission(actor, 'item.receive');
  if (input.level === 'TOP_SECRET' && input.summary) throw registerErrors.topSecretSummary();
  await requireHandling(deps.dbh.db, actor, 'receive', input.level);
  if (input.addresseeOnly && input.to.kind !== 'user') throw ruleError('copy.invalid_holder', { reason: 'addressee_only_needs_person' });
  const arrivalDate = input.arrivalDate ?? today(deps);
  requireEnteredDate({ date: arrivalDate, today: today(deps), documentDate: input.documentDate });
  return deps.dbh.db.transaction().execute(async (tx) => {
    const now = deps.clock.now().toISOString();
    const toLabel = await holderLabel(tx, input.to);
    if (toLabel === input.to.id) throw itemErrors.recipientNotFound();
    if (input.to.kind === 'user') {
      const u = await repo.findUserClearance(tx, input.to.id);
      if (!u || !clearanceCovers(u.clearance as Actor['clearance'], input.level)) throw itemErrors.clearanceTooLow();
      if (await isHeld(tx, input.to.id)) throw orgErrors.receiverHeld();
    }
    const itemId = deps.ids();
    const item: SecretItemRow = {
      id: itemId,
      origin: 'incoming',
      kind: input.kind,
      state: 'received',
      doc_type: input.docType,
      summary: input.addresseeOnly || input.level === 'TOP_SECRET' ? null : (input.summary ?? null),
      field: null,
      proposed_level: null,
      level: input.level,
      catalog_item_id: null,
      shorter_period: null,
      classified_on: null,
      protection_end: null,
      copies_planned: input.copies,
      copy_allowed: input.copyForbidden ? 0 : 1,
      addressee_only: input.addresseeOnly ? 1 : 0,
      named_addressee_id: input.addresseeOnly ? input.to.id : null,
      recall_required: input.recallRequired ? 1 : 0,
      number: null,
      symbol: null,
      number_symbol: input.numberSymbol,
      document_date: input.documentDate,
      signer_name: null,
      issuer: input.issuer,
      unit_id: actor.unitId,
      drafter_id: null,
      approver_id: null,
      return_reason: null,
      summary_agreed_by: null,
      summary_agreed_at: null,
      source_item_id: null,
      search_text: '',
      created_at: now,
      updated_at: now,
    };
    item.search_text = itemSearchText(item, [toLabel]);
    await repo.insertItem(tx, item);
    const clerk: Holder = { kind: 'user', id: actor.userId };
    const copies: CopyRow[] = [];
    for (let k = 1; k <= input.copies; k++) {
      const opened = openCustody(clerk);
      if (!opened.ok) throw ruleError(opened.code);
      const moved = applyCustodyEvent(opened.state, { type: 'hand_over', to: input.to });
      if (!moved.ok) throw ruleError(moved.code);
      copies.push(
        rowWithState(
          {
            id: deps.ids(),
            item_id: itemId,
            origin: 'original',
            seq_no: k,
            total: input.copies,
            label: `Bản nhận ${k}/${input.copies}`,
            status: 'held',
            holder_kind: 'user',
            holder_user_id: actor.userId,
            holder_unit_id: null,
            holder_outside: null,
            pending_kind: null,
            pending_user_id: null,
            pending_unit_id: null,
            pending_outside: null,
            place: null,
            addressee_user_id: input.addresseeOnly ? input.to.id : null,
            created_at: now,
            updated_at: now,
            verification_id: null,
            request_id: null,
            file_blob_id: null,
          },
          moved.state,
          now,
        ),
      );
    }
    await repo.insertCopies(tx, copies);
    const eventId = deps.ids();
    await repo.insertCustodyEvent(
      tx,
      {
        id: eventId,
        item_id: itemId,
        kind: 'receive_pass',
        occurred_at: now,
        actor_id: actor.userId,
        from_label: input.issuer,
        to_label: toLabel,
        to_user_id: input.to.kind === 'user' ? input.to.id : null,
        to_unit_id: input.to.kind === 'unit' ? input.to.id : null,
        envelope_state: input.envelopeState,
        note: input.note ?? null,
        confirmed_at: null,
        confirmed_by: null,
      },
      copies.map((c) => c.id),
    );
    const entry = await writeRegisterEntry(deps, tx, actor, {
      register: 'incoming',
      item,
      custodyEventId: eventId,
      recipient: toLabel,
      quantity: input.copies,
      copyLabels: copies.map((c) => c.label).join(', '),
      entryDate: arrivalDate,
      note:
        input.envelopeState === 'intact'
          ? (input.note ?? null)
          : [input.envelopeState === 'damaged' ? 'Bì bị rách, hư hỏng' : 'Bì có dấu hiệu đã bị bóc mở', input.note].filter(Boolean).join('; '),
    });
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.received',
      subjectType: 'item',
      subjectId: itemId,
      details: {
        registerNumber: entry.number,
        level: input.level,
        copies: input.copies,
        addresseeOnly: input.addresseeOnly,
        envelope: input.envelopeState,
        arrivalDate,
        recordedAt: now,
      },
    });
    if (input.envelopeState !== 'intact') {
      // Who answers for it: the heads of the receiving unit and of the agency, and the security
      // officers — not every head of every unit (the notice names the document).
      const receivingUnit = input.to.kind === 'unit' ? input.to.id : await repo.findUnitOfUser(tx, input.to.id);
      const agencyUnits = await repo.findAgencyUnitIds(tx);
      const headUnits = [...new Set([...agencyUnits, ...(receivingUnit ? [receivingUnit] : [])])];
      const told = await repo.findSecurityOfficersAndHeadsOf(tx, headUnits);
      const message = `Bì tài liệu đến số ${entry.number}/${entry.year} (${input.numberSymbol}, ${input.issuer}) ${input.envelopeState === 'damaged' ? 'bị rách, hư hỏng' : 'có dấu hiệu đã bị bóc mở'} khi tiếp nhận.`;
      await insertNotifications(
        tx,
        told.map((userId) => ({ id: deps.ids(), userId, kind: 'envelope_damaged', subjectType: 'item', subjectId: itemId, message, createdAt: now })),
      );
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'incident.envelope_reported',
        subjectType: 'item',
        subjectId: itemId,
        details: { envelope: input.envelopeState, notified: told.length },
      });
    }
    return { item: (await repo.findItem(tx, itemId))!, entry, copies };
  });
}

/**
 * The clerk records an outside body's signed receipt for a dispatched copy, with the day they
 * signed as the returned receipt (phiếu gửi) says — today when not given. That day is neither
 * after today nor before the document's date or the day the copy was sent; the register prints
 * it, and the audit keeps it with the moment it was recorded.
 */
export async function recordOutsideReceipt(deps: Deps, actor: Actor | null, eventId: string, input: { receivedBy: string; receivedOn?: string | undefined }) {
  requirePermission(actor, 'item.issue');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const ev = await repo.findCustodyEvent(tx, eventId);
    if (!ev || ev.kind !== 'dispatch') throw itemErrors.transferNotFound();
    if (ev.confirmed_at) throw itemErrors.alreadyConfirmed();
    const day = today(deps);
    const receivedOn = input.receivedOn ?? day;
    const item = await loadItem(tx, ev.item_id);
    await requireHandling(tx, actor, 'record_receipt', item.level as Level, item.unit_id);
    requireEnteredDate({ date: receivedOn, today: day, documentDate: item.document_date, sentOn: civilDateInVietnam(new Date(ev.occurred_at)) });
    // The receipt is written into the register row of the dispatch: not into a locked year.
    for (const e of await findEntriesOfEvent(tx, eventId)) {
      if ((await registerYearState(tx, e.register as RegisterKind, e.year)).locked) throw registerErrors.yearLocked({ register: e.register, year: e.year });
    }
    const now = deps.clock.now().toISOString();
    const copies = await repo.findCopiesByIds(tx, await repo.findCopyIdsOfEvent(tx, eventId));
    for (const c of copies) {
      const r = applyCustodyEvent(custodyStateOf(c), { type: 'confirm_receipt', by: { kind: 'outside', id: c.pending_outside ?? '' } });
      if (!r.ok) throw ruleError(r.code, { copy: c.label });
      await repo.saveCopyCustody(tx, rowWithState(c, r.state, now));
    }
    await repo.confirmCustodyEvent(tx, eventId, actor.userId, now);
    await recordEntryReceipt(tx, eventId, input.receivedBy, now, receivedOn);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'custody.outside_receipt_recorded',
      subjectType: 'item',
      subjectId: ev.item_id,
      details: { eventId, receivedOn, recordedAt: now },
    });
    // The receipt of copies sent under a provision request closes that request (modules/provision).
    await closeProvisionOnReceipt(tx, deps, actor, eventId, now);
    return { eventId, confirmedAt: now };
  });
}
