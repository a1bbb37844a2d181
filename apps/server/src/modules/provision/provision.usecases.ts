import { civilDateInVietnam, copyNumbersLabel, envelopeFor, LEVEL_TABLE, type Envelope, type IsoDate, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { CopyRow, ProvisionRow, RequestRow } from '../../platform/db/schema';
import { isDomainError } from '../../platform/errors';
import { applyCustodyEvent, type Holder } from '../copies/copies.rules';
import { custodyStateOf, rowWithState } from '../items/custody-mapping';
import { holderLabel, loadItem, today } from '../items/item-steps';
import { itemErrors, ruleError } from '../items/items.errors';
import * as items from '../items/items.repository';
import { insertNotifications } from '../notifications/notifications.repository';
import { findPositionOfKind } from '../org/org.repository';
import { writeRegisterEntry } from '../registers/register-entry';
import { allocateNumber } from '../registers/registers.repository';
import { requestErrors } from '../requests/requests.errors';
import { findDecision, findRequest, moveStatus } from '../requests/requests.repository';
import { getRequest, requireExecutable } from '../requests/requests.usecases';
import { provisionErrors } from './provision.errors';
import * as repo from './provision.repository';
import { checkSender, isProvisionType, letterNumber, letterOf, type LetterFacts, type ProvisionType, type SenderFacts } from './provision.rules';
import { renderEnvelopeLabels } from '../registers/print/envelope-pdf';
import { renderLetter } from './letter-pdf';

// Providing / transferring a secret (cung cấp, chuyển giao; Luật 29/2018 Đ.15, Đ.16): an approved
// request — approved in the agency, or by the higher authority whose decision the agency recorded —
// is carried out by the văn thư who keeps its copies, through the dispatch flow of issuing: the
// copies go in transit to the requesting body, one line in the outgoing register (sổ đăng ký đi)
// before sending, envelope marks by level; the body's signed receipt (recordOutsideReceipt in
// modules/dispatch) then closes the request. The agency's written answer — approval or reasoned
// refusal — prints as a letter. Each change is one transaction with its audit event; each refusal
// is audited in its own transaction, then thrown. Audit details and notices never carry the
// purpose, what was asked, or the item's summary.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Db = AppDeps['dbh']['db'];

const parseJson = <T>(s: string | null, fallback: T): T => {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

/** Codes that name nothing to keep (an id that does not exist says nothing about anyone's attempt). */
const NOT_A_REFUSAL = new Set(['request.not_found', 'copy.not_found', 'item.not_found']);

async function auditingRefusal<T>(deps: Pick<Deps, 'dbh' | 'audit'>, actor: Actor | null, requestId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (actor && isDomainError(e) && (/^(provision|request|copy)\./.test(e.code) || e.code === 'auth.forbidden') && !NOT_A_REFUSAL.has(e.code)) {
      await deps.dbh.db.transaction().execute((tx) =>
        deps.audit.append(tx, {
          actorId: actor.userId,
          action: 'provision.execute_refused',
          subjectType: 'request',
          subjectId: requestId,
          details: { reason: e.code },
        }),
      );
    }
    throw e;
  }
}

interface ProvisionDetails {
  requestingBody: string;
  representative: string;
  representativePosition?: string;
  idDocument: string;
  nationality?: string;
}

const senderFacts = (a: Actor): SenderFacts => ({ id: a.userId, unitId: a.unitId, roles: a.roles, clearance: a.clearance });

/** The copy numbers as the outgoing register writes them ("Bản số 2, 3/3"), or their labels when they differ in kind. */
function copyLabelsOf(copies: readonly CopyRow[]): string {
  const first = copies[0]!;
  return copies.every((c) => c.origin === 'original' && c.total === first.total)
    ? copyNumbersLabel(
        copies.map((c) => c.seq_no),
        first.total,
      )
    : copies.map((c) => c.label).join(', ');
}

/** Facts the sender rule needs, from the request, its approval and the copies as they are now. */
async function senderCheck(db: Db, actor: Actor, r: RequestRow, approved: { conditions: string | null }, level: Level) {
  const copyIds = parseJson<string[]>(r.copy_ids, []);
  const copies = await items.findCopiesByIds(db, copyIds);
  if (copies.length !== copyIds.length) throw itemErrors.copyNotFound();
  const quantity = parseJson<{ quantity?: number | null }>(approved.conditions, {}).quantity ?? null;
  const check = checkSender({
    type: r.type,
    level,
    actor: senderFacts(actor),
    copies: copies.map((c) => ({ holder: custodyStateOf(c).holder, status: c.status })),
    approvedQuantity: quantity,
  });
  return { check, copies };
}

// ---------------------------------------------------------------------------------------------
// Execute: send the approved copies to the requesting body
// ---------------------------------------------------------------------------------------------

export interface ExecutedProvision {
  provisionId: string;
  custodyEventId: string;
  registerNumber: number;
  registerYear: number;
  envelopes: Envelope[];
}

/**
 * The văn thư who keeps the request's copies sends them to the requesting body: the request moves
 * approved → executed first (so that of two concurrent executions exactly one goes on), then each
 * copy goes in transit to the body (custody rule `dispatch`), one custody event carries them, the
 * outgoing register gets its line, and the requester is told.
 */
export async function executeProvision(deps: Deps, actor: Actor | null, requestId: string): Promise<ExecutedProvision> {
  return auditingRefusal(deps, actor, requestId, async () => {
    requirePermission(actor, 'provision.act');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const exists = await findRequest(tx, requestId);
      if (!exists) throw requestErrors['request.not_found']!();
      if (!isProvisionType(exists.type)) throw provisionErrors['provision.not_provision']!();
      if (await repo.findProvisionOfRequest(tx, requestId)) throw provisionErrors['provision.already_executed']!();
      const { request: r, decision } = await requireExecutable(tx, deps, requestId);
      const item = await loadItem(tx, r.item_id);
      const level = item.level as Level;
      const { check, copies } = await senderCheck(tx, actor, r, decision, level);
      if (!check.ok) throw provisionErrors[check.code]!();
      const now = deps.clock.now().toISOString();
      // Whoever got there first carries it out: a concurrent second execution finds it moved.
      if (!(await moveStatus(tx, r.id, 'approved', 'executed', { updated_at: now }))) throw provisionErrors['provision.already_executed']!();
      const details = parseJson<ProvisionDetails>(r.details, { requestingBody: '', representative: '', idDocument: '' });
      const to: Holder = { kind: 'outside', id: details.requestingBody };
      const from = await holderLabel(tx, custodyStateOf(copies[0]!).holder);
      for (const c of copies) {
        const moved = applyCustodyEvent(custodyStateOf(c), { type: 'dispatch', to });
        if (!moved.ok) throw ruleError(moved.code, { copy: c.label });
        await items.saveCopyCustody(tx, rowWithState(c, moved.state, now));
      }
      const eventId = deps.ids();
      await items.insertCustodyEvent(
        tx,
        {
          id: eventId,
          item_id: item.id,
          kind: 'dispatch',
          occurred_at: now,
          actor_id: actor.userId,
          from_label: from,
          to_label: details.requestingBody,
          to_user_id: null,
          to_unit_id: null,
          envelope_state: null,
          note: null,
          confirmed_at: null,
          confirmed_by: null,
        },
        copies.map((c) => c.id),
      );
      // The outgoing register's line, before sending (NĐ 26/2020 Đ.4 k.1); the note says on whose decision.
      const note =
        decision.via === 'outside'
          ? `Cung cấp, chuyển giao theo văn bản số ${decision.outside_number ?? ''} ngày ${decision.outside_date ?? ''} của ${decision.outside_authority ?? ''}`
          : `Cung cấp, chuyển giao theo phê duyệt ngày ${civilDateInVietnam(new Date(decision.decided_at))}`;
      const entry = await writeRegisterEntry(deps, tx, actor, {
        register: 'outgoing',
        item,
        custodyEventId: eventId,
        recipient: details.requestingBody,
        quantity: copies.length,
        copyLabels: copyLabelsOf(copies),
        entryDate: today(deps),
        note,
      });
      const row: ProvisionRow = {
        id: deps.ids(),
        request_id: r.id,
        item_id: item.id,
        custody_event_id: eventId,
        recipient: details.requestingBody,
        executed_by: actor.userId,
        executed_at: now,
        closed_at: null,
      };
      if (!(await repo.insertProvision(tx, row))) throw provisionErrors['provision.already_executed']!();
      if (r.requester_id !== actor.userId) {
        const message = `Bản tài liệu (${LEVEL_TABLE[level].labelVi}) theo đề nghị cung cấp, chuyển giao của bạn đã được văn thư gửi cho bên nhận (số đi ${entry.number}/${entry.year}).`;
        await insertNotifications(tx, [
          { id: deps.ids(), userId: r.requester_id, kind: 'provision_sent', subjectType: 'request', subjectId: r.id, message, createdAt: now },
        ]);
      }
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'provision.executed',
        subjectType: 'request',
        subjectId: r.id,
        details: { provisionId: row.id, itemId: item.id, copies: copies.length, eventId, registerNumber: entry.number },
      });
      const envelopes = envelopeFor({
        level,
        addresseeOnly: false,
        recallRequired: item.recall_required === 1,
        recipientName: null,
        numberSymbol: item.number_symbol,
      });
      return { provisionId: row.id, custodyEventId: eventId, registerNumber: entry.number, registerYear: entry.year, envelopes };
    });
  });
}

/**
 * Step of dispatch's recordOutsideReceipt (same transaction): when the receipt recorded is that of
 * a provision's dispatch, the provision and its request are closed — the requesting body signed
 * for the copies.
 */
export async function closeProvisionOnReceipt(tx: Db, deps: Pick<Deps, 'audit'>, actor: Actor, custodyEventId: string, now: string): Promise<void> {
  const p = await repo.findOpenProvisionOfEvent(tx, custodyEventId);
  if (!p) return;
  if (!(await repo.closeProvision(tx, p.id, now))) return;
  await moveStatus(tx, p.request_id, 'executed', 'closed', { closed_at: now, updated_at: now });
  await deps.audit.append(tx, {
    actorId: actor.userId,
    action: 'provision.closed',
    subjectType: 'request',
    subjectId: p.request_id,
    details: { provisionId: p.id, eventId: custodyEventId },
  });
}

// ---------------------------------------------------------------------------------------------
// The provision side of a request's page
// ---------------------------------------------------------------------------------------------

/**
 * What the request's page shows of its provision: the dispatch if sent (to whom, when, register
 * number, whether the body's receipt closed it), and what this person may do — send the copies
 * (the văn thư who keeps them, while the approval runs), print the answer letter (once decided).
 * Seen by whoever sees the request (getRequest's rule, its refusal audited there).
 */
export async function provisionOfRequest(deps: Deps, actor: Actor | null, requestId: string) {
  requirePermission(actor, 'provision.act');
  const view = await getRequest(deps, actor, requestId);
  if (!isProvisionType(view.type)) throw provisionErrors['provision.not_provision']!();
  const db = deps.dbh.db;
  const p = await repo.findProvisionOfRequest(db, requestId);
  let canExecute = false;
  if (!p && view.status === 'approved') {
    try {
      const { request: r, decision } = await requireExecutable(db, deps, requestId);
      canExecute = (await senderCheck(db, actor, r, decision, view.item.level as Level)).check.ok;
    } catch {
      canExecute = false;
    }
  }
  const event = p ? await items.findCustodyEvent(db, p.custody_event_id) : undefined;
  const entry = p ? await repo.findOutgoingEntryOfEvent(db, p.custody_event_id) : undefined;
  return {
    provision: p
      ? {
          id: p.id,
          recipient: p.recipient,
          executedAt: p.executed_at,
          executedBy: { id: p.executed_by, name: (await items.findActiveUserName(db, p.executed_by)) ?? '' },
          custodyEventId: p.custody_event_id,
          registerNumber: entry ? Number(entry.number) : null,
          registerYear: entry ? Number(entry.year) : null,
          receivedAt: event?.confirmed_at ?? null,
          closedAt: p.closed_at,
        }
      : null,
    can: {
      execute: canExecute,
      printLetter: view.decision !== null,
      recordReceipt: !!p && !p.closed_at && actor.roles.includes('clerk'),
      printEnvelopes: !!p && actor.roles.includes('clerk'),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The written answer (PDF)
// ---------------------------------------------------------------------------------------------

/** Thrown inside the letter's transaction when a concurrent first print numbered it: the print is retried. */
class LetterNumberedMeanwhile extends Error {}

/** The in-system letter's number: the one kept, or the next of the year, kept now (first print) — in the caller's transaction. */
async function letterReference(
  tx: Db,
  deps: Deps,
  actor: Actor,
  requestId: string,
  agencyCode: string,
): Promise<{ number: string; date: IsoDate; numbered: boolean }> {
  const kept = await repo.findLetter(tx, requestId);
  if (kept) return { number: letterNumber(Number(kept.number), agencyCode), date: kept.letter_date, numbered: false };
  const day = today(deps);
  const year = Number(day.slice(0, 4));
  const n = await allocateNumber(tx, 'letter:provision', year);
  const row = { request_id: requestId, year, number: n, letter_date: day, first_printed_by: actor.userId, first_printed_at: deps.clock.now().toISOString() };
  if (!(await repo.insertLetter(tx, row))) throw new LetterNumberedMeanwhile();
  return { number: letterNumber(n, agencyCode), date: day, numbered: true };
}

/**
 * The agency's answer to a decided provision request, as a PDF letter: approval (what is provided,
 * for what purpose, until when) or refusal with its reason; signed by the decider (name and
 * position) or, for a decision taken outside the agency, carrying that decision's number, date and
 * signer. Whoever may see the request may print it; each print is audited.
 */
export async function printLetter(deps: Deps, actor: Actor | null, requestId: string): Promise<{ pdf: Uint8Array; fileName: string }> {
  requirePermission(actor, 'provision.act');
  const view = await getRequest(deps, actor, requestId);
  if (!isProvisionType(view.type)) throw provisionErrors['provision.not_provision']!();
  const db = deps.dbh.db;
  const decision = await findDecision(db, requestId);
  if (!decision || !view.item.level) throw provisionErrors['provision.not_decided']!();
  const agency = (await repo.findAgency(db)) ?? { name: '', code: '', parent_body: null };
  const item = await loadItem(db, view.item.id);
  const details = view.details as unknown as ProvisionDetails;
  const outside =
    decision.via === 'outside'
      ? {
          authority: decision.outside_authority ?? '',
          number: decision.outside_number ?? '',
          date: decision.outside_date ?? '',
          signer: decision.outside_signer ?? '',
        }
      : null;
  const decider = decision.decided_by ? ((await repo.findSigner(db, decision.decided_by)) ?? { name: '', position: '' }) : { name: '', position: '' };
  // A deputy deciding under a delegation signs for the agency head (ký thay).
  const signer = { ...decider, onBehalfOf: decision.via === 'delegation' ? ((await findPositionOfKind(db, 'agency_head'))?.name ?? null) : null };
  const copies = await items.findCopiesByIds(db, view.copyIds);
  const conditions = parseJson<{ quantity?: number | null }>(decision.conditions, {});
  const print = async (tx: Db): Promise<Uint8Array> => {
    const ref = outside ? { number: outside.number, date: outside.date, numbered: false } : await letterReference(tx, deps, actor, requestId, agency.code);
    const facts: LetterFacts = {
      type: view.type as ProvisionType,
      agency: { name: agency.name, code: agency.code, parentBody: agency.parent_body },
      reference: { number: ref.number, date: ref.date },
      request: {
        submittedOn: view.submittedAt ? civilDateInVietnam(new Date(view.submittedAt)) : null,
        purpose: view.purpose,
        requestingBody: details.requestingBody,
        representative: details.representative,
        representativePosition: details.representativePosition ?? null,
        idDocument: details.idDocument,
        nationality: details.nationality ?? null,
      },
      item: { docType: item.doc_type, numberSymbol: item.number_symbol, documentDate: item.document_date, level: view.item.level as Level },
      copyLabels: copies.map((c) => c.label),
      decision:
        decision.outcome === 'approved'
          ? { outcome: 'approved', deadline: decision.deadline, quantity: conditions.quantity ?? null }
          : { outcome: 'refused', reason: decision.reason ?? '' },
      signer,
      outside,
    };
    const pdf = await renderLetter(letterOf(facts));
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'provision.letter_printed',
      subjectType: 'request',
      subjectId: requestId,
      details: { outcome: decision.outcome, letterNumber: ref.number, numbered: ref.numbered },
    });
    return pdf;
  };
  // The letter's number (kept at its first print), the PDF and the audit event: one transaction;
  // a concurrent first print that numbered it meanwhile makes this one read that number instead.
  const once = () => db.transaction().execute(print);
  const pdf = await once().catch((e: unknown) => {
    if (e instanceof LetterNumberedMeanwhile) return once();
    throw e;
  });
  return { pdf, fileName: `van-ban-tra-loi-${requestId.slice(0, 8)}.pdf` };
}

// ---------------------------------------------------------------------------------------------
// Envelope labels of the sending (as issuing prints them)
// ---------------------------------------------------------------------------------------------

/**
 * The envelope labels of a provision's sending (NĐ 26/2020 Đ.4: A/B/C, the inner envelope of
 * Tuyệt mật, "Tài liệu thu hồi"), addressed to the requesting body like an ordinary letter — the
 * same labels issuing prints (envelopeFor, renderEnvelopeLabels). For a văn thư who sees the
 * request, once the copies are sent; audited. The labels carry no content.
 */
export async function printProvisionEnvelopes(deps: Deps, actor: Actor | null, requestId: string): Promise<Uint8Array> {
  requirePermission(actor, 'provision.act');
  const view = await getRequest(deps, actor, requestId);
  if (!isProvisionType(view.type)) throw provisionErrors['provision.not_provision']!();
  if (!actor.roles.includes('clerk')) throw provisionErrors['provision.not_clerk']!();
  const db = deps.dbh.db;
  const p = await repo.findProvisionOfRequest(db, requestId);
  if (!p) throw provisionErrors['provision.not_sent']!();
  const item = await loadItem(db, p.item_id);
  const envelopes = envelopeFor({
    level: item.level as Level,
    addresseeOnly: false,
    recallRequired: item.recall_required === 1,
    recipientName: null,
    numberSymbol: item.number_symbol,
  });
  const agency = await repo.findAgency(db);
  const pdf = await renderEnvelopeLabels([{ recipient: p.recipient, envelopes }], { sender: agency?.name ?? '' });
  await db.transaction().execute((tx) =>
    deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'provision.envelopes_printed',
      subjectType: 'request',
      subjectId: requestId,
      details: { provisionId: p.id, envelopeLabels: envelopes.length },
    }),
  );
  return pdf;
}
