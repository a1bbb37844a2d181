import { clearanceCovers, envelopeFor, formInForce, rolesAllow, type Envelope, type ItemKind, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../app/actor';
import type { AppDeps } from '../../app/context';
import type { CopyRow, RegisterEntryRow, SecretItemRow } from '../../platform/db/schema';
import { commonErrors } from '../../platform/errors';
import { approvalCheck, proposalsFor } from '../classification/classification.usecases';
import { applyCustodyEvent, openCustody, type Holder } from '../copies/copies.rules';
import { allocateNumber, findArrivalEntry, insertEntry, recordEntryReceipt, registerYearState } from '../registers/registers.repository';
import { registerErrors } from '../registers/registers.errors';
import { indexRegisterEntry } from '../search/search.index';
import { custodyStateOf, rowWithState } from './custody-mapping';
import { holderLabel, itemSearchText, loadItem, today, transition } from './item-steps';
import { itemErrors, ruleError } from './items.errors';
import * as repo from './items.repository';
import { requireHandling } from './handling';
import { rowViewerOf } from './row-access';
import { rowContentAccess, itemEventDetails, itemEventVisible, type ItemStatus } from './items.rules';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Tx = AppDeps['dbh']['db'];

// ---- registers -----------------------------------------------------------------------------

interface EntryInput {
  register: 'outgoing' | 'incoming' | 'transfer';
  item: SecretItemRow;
  custodyEventId: string | null;
  recipient: string | null;
  quantity: number;
  copyLabels: string;
  entryDate: string;
  note?: string | null;
}

async function referenceWithArrivalNo(tx: Tx, item: SecretItemRow): Promise<string | null> {
  const arrival = await findArrivalEntry(tx, item.id);
  if (!arrival) return item.number_symbol;
  return [item.number_symbol, `số đến ${Number(arrival.number)}/${Number(arrival.year)}`].filter(Boolean).join(' — ');
}

/** Writes one register entry with the next number; the caller's transaction holds the number. */
export async function writeRegisterEntry(deps: Deps, tx: Tx, actor: Actor, e: EntryInput): Promise<RegisterEntryRow> {
  const year = Number(e.entryDate.slice(0, 4));
  const state = await registerYearState(tx, e.register, year);
  if (state.locked) throw registerErrors.yearLocked({ register: e.register, year });
  const form = formInForce(e.register, e.entryDate);
  const number = await allocateNumber(tx, `register:${e.register}`, year);
  const level = e.item.level as Level;
  // NĐ 63/2026: no summary for Tuyệt mật; addressee-only items are registered from the outer marks.
  const summary = level === 'TOP_SECRET' || e.item.addressee_only === 1 ? null : e.item.summary;
  // The transfer register's "Số, ký hiệu / số đến": a received item is also known by its arrival
  // number, which is what the unit's clerk finds it by.
  const numberSymbol = e.register === 'transfer' && e.item.origin === 'incoming' ? await referenceWithArrivalNo(tx, e.item) : e.item.number_symbol;
  const row: RegisterEntryRow = {
    id: deps.ids(),
    register: e.register,
    year,
    number,
    volume: state.currentVolume,
    entry_date: e.entryDate,
    item_id: e.item.id,
    custody_event_id: e.custodyEventId,
    unit_id: e.item.unit_id,
    number_symbol: numberSymbol,
    document_date: e.item.document_date,
    doc_type: e.item.doc_type,
    summary,
    level,
    signer: e.item.signer_name,
    issuer: e.item.issuer,
    recipient: e.recipient,
    quantity: e.quantity,
    copy_labels: e.copyLabels,
    received_by: null,
    received_at: null,
    note: e.note ?? null,
    form_code: form?.code ?? 'unknown',
    created_by: actor.userId,
    created_at: deps.clock.now().toISOString(),
    cancelled_at: null,
    cancelled_by: null,
    cancel_reason: null,
  };
  await insertEntry(tx, row);
  // The search index row, in the same transaction (no SQL triggers).
  await indexRegisterEntry(tx, row);
  return row;
}

// ---- issue and dispatch ----------------------------------------------------------------------

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
 * bodies are dispatched; every outgoing copy gets its entry in the outgoing register. Copies
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
      searchText: itemSearchText({ ...item, number_symbol: numberSymbol }, recipients.map((r) => r.user_name ?? r.unit_name ?? r.outside_name ?? '')),
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
      const to: Holder = r.kind === 'outside' ? { kind: 'outside', id: r.outside_name ?? '' } : r.kind === 'user' ? { kind: 'user', id: r.user_id! } : { kind: 'unit', id: r.unit_id! };
      if (to.kind === 'user') {
        const u = await repo.findUserClearance(tx, to.id);
        if (!u || !clearanceCovers(u.clearance as Actor['clearance'], issued.level as Level)) throw itemErrors.clearanceTooLow({ recipient: r.position });
      }
      const label = await holderLabel(tx, to);
      for (let k = 0; k < r.copies && next < total; k++) {
        const copy = copies[next++]!;
        const res = applyCustodyEvent(custodyStateOf(copy), to.kind === 'outside' ? { type: 'dispatch', to } : { type: 'hand_over', to });
        if (!res.ok) throw ruleError(res.code);
        await repo.saveCopyCustody(tx, rowWithState(copy, res.state, now));
        if (r.addressee_only === 1 && to.kind === 'user') await repo.markCopyAddressee(tx, copy.id, to.id);
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
          [copy.id],
        );
        const entry = await writeRegisterEntry(deps, tx, actor, { register: 'outgoing', item: issued, custodyEventId: eventId, recipient: label, quantity: 1, copyLabels: copy.label, entryDate: day });
        out.push({
          copyId: copy.id,
          label: copy.label,
          recipient: label,
          registerNumber: entry.number,
          envelopes: envelopeFor({ level: issued.level as Level, addresseeOnly: r.addressee_only === 1, recallRequired: issued.recall_required === 1, recipientName: to.kind === 'outside' ? null : label, numberSymbol }),
        });
      }
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
      details: { numberSymbol, copies: total, outgoingEntries: out.filter((o) => o.registerNumber !== null).map((o) => o.registerNumber) },
    });
    return { item: (await repo.findItem(tx, id))!, copies: out };
  });
}

// ---- receiving from outside --------------------------------------------------------------------

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
  /** Who it is passed to: a user (the named person when addressee-only) or a unit. */
  to: { kind: 'user' | 'unit'; id: string };
  note?: string | undefined;
}

/**
 * The clerk registers an item received from outside in the incoming register (the entry's number
 * is the "số đến") and passes it to the person or unit, who signs for it in KhoMật. An
 * addressee-only envelope is registered from its outer marks and stays closed: no summary is
 * recorded and only the named person can open the content. A damaged or opened envelope is
 * recorded and the head and the security officer are told at once (NĐ 26/2020 Đ.4 k.2).
 */
export async function registerIncoming(deps: Deps, actor: Actor | null, input: IncomingInput) {
  requirePermission(actor, 'item.receive');
  if (input.level === 'TOP_SECRET' && input.summary) throw registerErrors.topSecretSummary();
  await requireHandling(deps.dbh.db, actor, 'receive', input.level);
  if (input.addresseeOnly && input.to.kind !== 'user') throw ruleError('copy.invalid_holder', { reason: 'addressee_only_needs_person' });
  return deps.dbh.db.transaction().execute(async (tx) => {
    const now = deps.clock.now().toISOString();
    const day = today(deps);
    const toLabel = await holderLabel(tx, input.to);
    if (toLabel === input.to.id) throw itemErrors.recipientNotFound();
    if (input.to.kind === 'user') {
      const u = await repo.findUserClearance(tx, input.to.id);
      if (!u || !clearanceCovers(u.clearance as Actor['clearance'], input.level)) throw itemErrors.clearanceTooLow();
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
      copy_allowed: 0,
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
          { id: deps.ids(), item_id: itemId, origin: 'original', seq_no: k, total: input.copies, label: `Bản nhận ${k}/${input.copies}`, status: 'held', holder_kind: 'user', holder_user_id: actor.userId, holder_unit_id: null, holder_outside: null, pending_kind: null, pending_user_id: null, pending_unit_id: null, pending_outside: null, place: null, addressee_user_id: input.addresseeOnly ? input.to.id : null, created_at: now, updated_at: now },
          moved.state,
          now,
        ),
      );
    }
    await repo.insertCopies(tx, copies);
    const eventId = deps.ids();
    await repo.insertCustodyEvent(
      tx,
      { id: eventId, item_id: itemId, kind: 'receive_pass', occurred_at: now, actor_id: actor.userId, from_label: input.issuer, to_label: toLabel, to_user_id: input.to.kind === 'user' ? input.to.id : null, to_unit_id: input.to.kind === 'unit' ? input.to.id : null, envelope_state: input.envelopeState, note: input.note ?? null, confirmed_at: null, confirmed_by: null },
      copies.map((c) => c.id),
    );
    const entry = await writeRegisterEntry(deps, tx, actor, {
      register: 'incoming',
      item,
      custodyEventId: eventId,
      recipient: toLabel,
      quantity: input.copies,
      copyLabels: copies.map((c) => c.label).join(', '),
      entryDate: day,
      note: input.envelopeState === 'intact' ? (input.note ?? null) : [input.envelopeState === 'damaged' ? 'Bì bị rách, hư hỏng' : 'Bì có dấu hiệu đã bị bóc mở', input.note].filter(Boolean).join('; '),
    });
    await deps.audit.append(tx, { actorId: actor.userId, action: 'item.received', subjectType: 'item', subjectId: itemId, details: { registerNumber: entry.number, level: input.level, copies: input.copies, addresseeOnly: input.addresseeOnly, envelope: input.envelopeState } });
    if (input.envelopeState !== 'intact') {
      // Who answers for it: the heads of the receiving unit and of the agency, and the security
      // officers — not every head of every unit (the notice names the document).
      const receivingUnit = input.to.kind === 'unit' ? input.to.id : await repo.findUnitOfUser(tx, input.to.id);
      const agencyUnits = await repo.findAgencyUnitIds(tx);
      const headUnits = [...new Set([...agencyUnits, ...(receivingUnit ? [receivingUnit] : [])])];
      const told = await repo.findSecurityOfficersAndHeadsOf(tx, headUnits);
      const message = `Bì tài liệu đến số ${entry.number}/${entry.year} (${input.numberSymbol}, ${input.issuer}) ${input.envelopeState === 'damaged' ? 'bị rách, hư hỏng' : 'có dấu hiệu đã bị bóc mở'} khi tiếp nhận.`;
      for (const userId of told) {
        await tx.insertInto('notifications').values({ id: deps.ids(), user_id: userId, kind: 'envelope_damaged', subject_type: 'item', subject_id: itemId, message, created_at: now, read_at: null }).execute();
      }
      await deps.audit.append(tx, { actorId: actor.userId, action: 'incident.envelope_reported', subjectType: 'item', subjectId: itemId, details: { envelope: input.envelopeState, notified: told.length } });
    }
    return { item: (await repo.findItem(tx, itemId))!, entry, copies };
  });
}

// ---- internal hand-over (sổ chuyển giao) -------------------------------------------------------

async function mayActForHolder(tx: Tx, actor: Actor, copy: CopyRow): Promise<boolean> {
  if (copy.holder_kind === 'user') return copy.holder_user_id === actor.userId;
  // A unit's copies are moved by its clerk or head.
  if (copy.holder_kind === 'unit') return copy.holder_unit_id === actor.unitId && (actor.roles.includes('clerk') || actor.roles.includes('head'));
  void tx;
  return false;
}

export async function handOverCopies(deps: Deps, actor: Actor | null, input: { copyIds: string[]; to: { kind: 'user' | 'unit'; id: string }; note?: string | undefined }) {
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
      // Addressee-only: nobody but the named person may end up holding it.
      if (item.addressee_only === 1 && item.named_addressee_id !== input.to.id) throw ruleError('copy.invalid_holder', { reason: 'addressee_only' });
    } else if (item.addressee_only === 1) throw ruleError('copy.invalid_holder', { reason: 'addressee_only' });
    // A copy under "Chỉ người có tên mới được bóc bì" goes to its named person and nobody else.
    for (const c of copies) {
      if (c.addressee_user_id && !(input.to.kind === 'user' && input.to.id === c.addressee_user_id)) throw ruleError('copy.invalid_holder', { reason: 'addressee_only', copy: c.label });
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
      { id: eventId, item_id: item.id, kind: 'hand_over', occurred_at: now, actor_id: actor.userId, from_label: fromLabel, to_label: toLabel, to_user_id: input.to.kind === 'user' ? input.to.id : null, to_unit_id: input.to.kind === 'unit' ? input.to.id : null, envelope_state: null, note: input.note ?? null, confirmed_at: null, confirmed_by: null },
      copies.map((c) => c.id),
    );
    const entry = await writeRegisterEntry(deps, tx, actor, { register: 'transfer', item, custodyEventId: eventId, recipient: toLabel, quantity: copies.length, copyLabels: copies.map((c) => c.label).join(', '), entryDate: today(deps), note: input.note ?? null });
    await deps.audit.append(tx, { actorId: actor.userId, action: 'custody.handed_over', subjectType: 'item', subjectId: item.id, details: { eventId, copies: copies.length, to: input.to, registerNumber: entry.number } });
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
    const forMe = ev.to_user_id === actor.userId || (ev.to_unit_id !== null && ev.to_unit_id === actor.unitId && (actor.roles.includes('clerk') || actor.roles.includes('head')));
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
    await deps.audit.append(tx, { actorId: actor.userId, action: 'custody.receipt_confirmed', subjectType: 'item', subjectId: ev.item_id, details: { eventId, copies: copies.length } });
    return { eventId, confirmedAt: now };
  });
}

/** The clerk records an outside body's signed receipt for a dispatched copy. */
export async function recordOutsideReceipt(deps: Deps, actor: Actor | null, eventId: string, input: { receivedBy: string }) {
  requirePermission(actor, 'item.issue');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const ev = await repo.findCustodyEvent(tx, eventId);
    if (!ev || ev.kind !== 'dispatch') throw itemErrors.transferNotFound();
    if (ev.confirmed_at) throw itemErrors.alreadyConfirmed();
    const now = deps.clock.now().toISOString();
    const copies = await repo.findCopiesByIds(tx, await repo.findCopyIdsOfEvent(tx, eventId));
    for (const c of copies) {
      const r = applyCustodyEvent(custodyStateOf(c), { type: 'confirm_receipt', by: { kind: 'outside', id: c.pending_outside ?? '' } });
      if (!r.ok) throw ruleError(r.code, { copy: c.label });
      await repo.saveCopyCustody(tx, rowWithState(c, r.state, now));
    }
    await repo.confirmCustodyEvent(tx, eventId, actor.userId, now);
    await recordEntryReceipt(tx, eventId, input.receivedBy, now);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'custody.outside_receipt_recorded', subjectType: 'item', subjectId: ev.item_id, details: { eventId } });
    return { eventId, confirmedAt: now };
  });
}

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
  const [history, receiptScans, names, assignments, events] = await Promise.all([
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
  ]);
  const person = (userId: string | null) => (userId ? { id: userId, name: names.users.get(userId) ?? userId } : null);
  const nameOf = (kind: string | null, userId: string | null, unitId: string | null, outside: string | null) =>
    kind === 'user' && userId ? (names.users.get(userId) ?? null) : kind === 'unit' && unitId ? (names.units.get(unitId) ?? null) : kind === 'outside' ? outside : null;
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
    assignments: assignments.map((a) => ({ userId: a.user_id, name: a.user_name, assignedBy: { id: a.assigned_by, name: a.assigned_by_name }, assignedAt: a.assigned_at })),
    events: events.events,
    eventsTruncated: events.truncated,
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
    deps.audit.append(tx, { actorId: actor.userId, action: refusal.action, subjectType: 'item', subjectId: refusal.itemId, details: { ...refusal.details, reason: refusal.reason } }),
  );
  // A role that never reads content keeps its stable permission refusal; others the content one.
  if (!rolesAllow(actor.roles, 'item.content.read')) throw commonErrors.forbidden({ permission: 'item.content.read', reason: refusal.reason });
  throw itemErrors.contentForbidden({ reason: refusal.reason });
}

/**
 * The one content decision for opening an item's content or files: the role first (without
 * stopping before the audit), then contentAccess.
 */
export async function contentDecisionFor(deps: Pick<Deps, 'dbh' | 'clock'>, actor: Actor, item: SecretItemRow) {
  const byRole = contentRoleRefusal(actor);
  if (byRole) return { allowed: false as const, reason: byRole };
  return contentAccess(deps.dbh.db, deps, actor, item);
}

/**
 * The reason a role never opens content (admin, inspector, a held account), or null. Asked before
 * the item is looked up, so such a refusal says nothing of whether the item exists.
 */
export function contentRoleRefusal(actor: Actor) {
  if (rolesAllow(actor.roles, 'item.content.read')) return null;
  const byRole = rowContentAccess({ id: actor.userId, roles: actor.roles, clearance: actor.clearance, unitId: actor.unitId }, { level: 'CONFIDENTIAL', addresseeOnly: false, holderIds: [], recipientIds: [], assignedIds: [] });
  return byRole.allowed ? ('no_content_role' as const) : byRole.reason;
}

/** Opening the content: allowed by need-to-know only. Every read is audited, and so is every refusal. */
export async function readContent(deps: Deps, actor: Actor | null, id: string) {
  if (!actor) throw commonErrors.unauthenticated();
  const byRole = contentRoleRefusal(actor);
  if (byRole) return refuseContent(deps, actor, { action: 'item.content_refused', itemId: id, reason: byRole });
  const db = deps.dbh.db;
  const item = await loadItem(db, id);
  const access = await contentDecisionFor(deps, actor, item);
  if (!access.allowed) return refuseContent(deps, actor, { action: 'item.content_refused', itemId: id, reason: access.reason });
  await db.transaction().execute((tx) => deps.audit.append(tx, { actorId: actor.userId, action: 'item.content_read', subjectType: 'item', subjectId: id, details: { reason: access.reason } }));
  return { summary: item.summary, docType: item.doc_type, reason: access.reason };
}

/**
 * Work lists. Register keepers, heads and inspectors see every item's metadata; anyone else only
 * what they drafted. Summaries never appear in lists.
 */
export async function listItems(deps: Deps, actor: Actor | null, f: { state?: ItemStatus | undefined; mine?: boolean | undefined; decide?: boolean | undefined; page: number; pageSize: number }) {
  requirePermission(actor, 'item.view');
  const all = rolesAllow(actor.roles, 'item.metadata.read');
  // Proposals to decide: "chờ tôi phê duyệt" (decide), and for someone who sees only their own
  // items, those they may decide under a delegation besides their own proposals.
  if (f.decide || (f.state === 'proposed' && !all && !f.mine)) {
    return { ...(await proposalsFor(deps, actor, { includeOwn: !f.decide }, f.pageSize, (f.page - 1) * f.pageSize)), page: f.page, pageSize: f.pageSize };
  }
  const r = await repo.listItems(deps.dbh.db, { state: f.state, drafterId: f.mine || !all ? actor.userId : undefined }, f.pageSize, (f.page - 1) * f.pageSize);
  return { ...r, page: f.page, pageSize: f.pageSize };
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
