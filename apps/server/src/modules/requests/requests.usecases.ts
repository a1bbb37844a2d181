import { LEVEL_TABLE, type Clearance, type IsoDate, type Level, type Role } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { RequestDecisionRow, RequestRow } from '../../platform/db/schema';
import { isDomainError } from '../../platform/errors';
import { today } from '../items/item-steps';
import { summaryShown } from '../items/items.rules';
import { approverOf, rowAccessFor } from '../items/row-access';
import { insertNotifications } from '../notifications/notifications.repository';
import { findAgencyHeads, isActorAgencyHead, isAgencyUnit } from '../org/org.repository';
import { checkScanUpload, REQUEST_SCAN_KINDS, REQUEST_SCAN_RULES, type RequestScanKind } from './request-scans.rules';
import { findScans } from './request-scans.repository';
import { requestErrors } from './requests.errors';
import * as repo from './requests.repository';
import {
  applyRequestEvent,
  checkDecider,
  checkDecisionContent,
  checkExecutable,
  checkOutsideRecorder,
  checkSubmission,
  effectiveStatus,
  outsideAuthorityOf,
  PERIOD_TYPES,
  isCopyingType,
  REQUEST_TYPE_LABEL_VI,
  routeOf,
  type DecidedRequest,
  type DeciderFacts,
  type RecorderFacts,
  type RequestEvent,
  type RequestStatus,
  type RequestType,
} from './requests.rules';
import { parseDetails, requestedQuantity, type DraftBody, type RequestRecipient } from './requests.schemas';

// Requests (đề nghị): the officer drafts and submits, whoever the authority table names decides
// (or, for a request the table routes outside the agency, the agency records the outside
// decision), the requester follows its status. Each change is one transaction with its audit
// event; each refusal is audited in its own transaction (a refused decision is a security event),
// then thrown. Notices and audit details carry kinds, levels and names — never the purpose or the
// item's summary.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Db = AppDeps['dbh']['db'];

const asType = (t: string) => t as RequestType;
const asStatus = (s: string) => s as RequestStatus;
const parseJson = <T>(s: string | null, fallback: T): T => {
  if (s === null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

// ---------------------------------------------------------------------------------------------
// Refusals are audited
// ---------------------------------------------------------------------------------------------

/** Codes that name nothing to keep (an id that does not exist says nothing about anyone's attempt). */
const NOT_A_REFUSAL = new Set(['request.not_found', 'request.item_not_found', 'request.scan_kind_unknown', 'request.scan_not_found']);

type Verb = 'draft' | 'edit' | 'submit' | 'decide' | 'record_outside' | 'cancel' | 'view' | 'scan_upload' | 'scan_read';

export async function auditingRefusal<T>(
  deps: Pick<Deps, 'dbh' | 'audit'>,
  actor: Actor | null,
  verb: Verb,
  subject: { type: 'request' | 'item'; id: string },
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (actor && isDomainError(e) && (e.code.startsWith('request.') || e.code === 'auth.forbidden') && !NOT_A_REFUSAL.has(e.code)) {
      await deps.dbh.db.transaction().execute((tx) =>
        deps.audit.append(tx, {
          actorId: actor.userId,
          action: `request.${verb}_refused`,
          subjectType: subject.type,
          subjectId: subject.id,
          details: { reason: e.code },
        }),
      );
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Facts for the rules
// ---------------------------------------------------------------------------------------------

export async function loadRequest(db: Db, id: string): Promise<RequestRow> {
  const r = await repo.findRequest(db, id);
  if (!r) throw requestErrors['request.not_found']!();
  return r;
}

async function loadItemFacts(db: Db, itemId: string) {
  const item = await repo.findItemFacts(db, itemId);
  if (!item) throw requestErrors['request.item_not_found']!();
  return item;
}

const deciderFacts = (db: Db, actor: Actor): Promise<DeciderFacts> => approverOf(db, actor);

async function recorderFacts(db: Db, actor: Actor): Promise<RecorderFacts> {
  return {
    id: actor.userId,
    roles: actor.roles,
    isAgencyHead: await isActorAgencyHead(db, actor),
    isAgencyClerk: actor.roles.includes('clerk') && (await isAgencyUnit(db, actor.unitId)),
  };
}

const decided = (r: Pick<RequestRow, 'type' | 'requester_id'>, item: { level: string | null; field: string | null }): DecidedRequest => ({
  type: asType(r.type),
  requesterId: r.requester_id,
  level: (item.level ?? 'TOP_SECRET') as Level,
  field: item.field ?? '',
});

/** What this person may do with a submitted request: decide it in the agency, or record the outside decision. */
async function deciderRole(
  db: Db,
  deps: Pick<Deps, 'clock'>,
  actor: Actor,
  r: RequestRow,
  item: { level: string | null; field: string | null },
  facts?: { decider?: DeciderFacts; recorder?: RecorderFacts },
) {
  if (r.status !== 'submitted' || item.level === null) return { decides: false, records: false };
  if (r.route === 'higher_authority') {
    const ok = checkOutsideRecorder({
      recorder: facts?.recorder ?? (await recorderFacts(db, actor)),
      request: { requesterId: r.requester_id, route: r.route },
    }).ok;
    return { decides: false, records: ok && actor.roles.some((x) => x !== 'admin' && x !== 'inspector') };
  }
  return {
    decides: checkDecider({ decider: facts?.decider ?? (await deciderFacts(db, actor)), request: decided(r, item), today: today(deps) }).ok,
    records: false,
  };
}

/**
 * May `actor` upload (or replace) this kind of scan of `r` now (request-scans.rules)? `status` is
 * the effective one (an approval past its deadline is expired).
 */
export async function checkScanUploader(
  db: Db,
  actor: Actor,
  r: Pick<RequestRow, 'type' | 'route' | 'requester_id'>,
  status: RequestStatus,
  kind: RequestScanKind,
) {
  // The recorder's facts cost queries: asked only when this request keeps this kind of scan.
  const recorder =
    kind === 'outside_decision' && REQUEST_SCAN_RULES[kind].applies({ type: asType(r.type), route: r.route })
      ? checkOutsideRecorder({ recorder: await recorderFacts(db, actor), request: { requesterId: r.requester_id, route: r.route } })
      : ({ ok: true } as const);
  return checkScanUpload({ kind, actorId: actor.userId, request: { type: asType(r.type), route: r.route, status, requesterId: r.requester_id }, recorder });
}

// ---------------------------------------------------------------------------------------------
// Draft, edit, submit, cancel
// ---------------------------------------------------------------------------------------------

async function checkedDraft(db: Db, input: DraftBody) {
  const type = input.type;
  const details = parseDetails(type, input.details);
  if (!details.ok) throw requestErrors['request.details_invalid']!({ issues: details.issues });
  await loadItemFacts(db, input.itemId);
  const copyIds = [...new Set(input.copyIds ?? [])];
  const live = await repo.findLiveCopyIds(db, input.itemId, copyIds);
  if (live.length !== copyIds.length) throw requestErrors['request.copy_not_of_item']!();
  return { type, details: details.value, copyIds };
}

/** Anyone who works with secrets drafts a request about an item (checked at submission: clearance, copy-forbidden). */
export async function createRequest(deps: Deps, actor: Actor | null, input: DraftBody) {
  return auditingRefusal(deps, actor, 'draft', { type: 'item', id: input.itemId }, async () => {
    requirePermission(actor, 'request.create');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const { type, details, copyIds } = await checkedDraft(tx, input);
      const now = deps.clock.now().toISOString();
      const row: RequestRow = {
        id: deps.ids(),
        type,
        item_id: input.itemId,
        copy_ids: JSON.stringify(copyIds),
        requester_id: actor.userId,
        purpose: input.purpose,
        details: JSON.stringify(details),
        status: 'draft',
        route: null,
        created_at: now,
        updated_at: now,
        submitted_at: null,
        closed_at: null,
      };
      await repo.insertRequest(tx, row);
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'request.drafted',
        subjectType: 'request',
        subjectId: row.id,
        details: { type, itemId: input.itemId, copies: copyIds.length },
      });
      return row.id;
    });
  });
}

/** Loads the requester's own request and checks the move; the transaction is the caller's. */
async function ownRequest(tx: Db, actor: Actor, id: string, event: RequestEvent) {
  const r = await loadRequest(tx, id);
  if (r.requester_id !== actor.userId) throw requestErrors['request.not_requester']!();
  const move = applyRequestEvent(asStatus(r.status), event);
  if (!move.ok) throw requestErrors[move.code]!();
  return { r, to: move.to };
}

export async function editRequest(deps: Deps, actor: Actor | null, id: string, input: DraftBody) {
  return auditingRefusal(deps, actor, 'edit', { type: 'request', id }, async () => {
    requirePermission(actor, 'request.create');
    return deps.dbh.db.transaction().execute(async (tx) => {
      await ownRequest(tx, actor, id, 'edit');
      const { type, details, copyIds } = await checkedDraft(tx, input);
      const now = deps.clock.now().toISOString();
      await repo.replaceDraft(tx, id, {
        type,
        item_id: input.itemId,
        copy_ids: JSON.stringify(copyIds),
        purpose: input.purpose,
        details: JSON.stringify(details),
        updated_at: now,
      });
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'request.edited',
        subjectType: 'request',
        subjectId: id,
        details: { type, itemId: input.itemId, copies: copyIds.length },
      });
      return id;
    });
  });
}

/** Who is told of a submitted request: those who may decide it, or (routed outside) those who record the outside decision. */
async function whoIsTold(tx: Db, deps: Pick<Deps, 'clock'>, r: RequestRow, item: { level: string | null; field: string | null }): Promise<string[]> {
  if (r.route === 'higher_authority') {
    const ids = new Set([...(await findAgencyHeads(tx, { unheld: true })).map((u) => u.id), ...(await repo.findSecurityOfficers(tx))]);
    ids.delete(r.requester_id);
    return [...ids];
  }
  const out: string[] = [];
  for (const u of await repo.findDeciderCandidates(tx)) {
    const roles = (await repo.findRolesOf(tx, u.id)) as Role[];
    const facts = await deciderFacts(tx, { userId: u.id, roles, clearance: u.clearance as Clearance, unitId: u.unit_id });
    if (checkDecider({ decider: facts, request: decided(r, item), today: today(deps) }).ok) out.push(u.id);
  }
  return out;
}

export async function submitRequest(deps: Deps, actor: Actor | null, id: string) {
  return auditingRefusal(deps, actor, 'submit', { type: 'request', id }, async () => {
    requirePermission(actor, 'request.create');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const { r, to } = await ownRequest(tx, actor, id, 'submit');
      const item = await loadItemFacts(tx, r.item_id);
      const type = asType(r.type);
      const check = checkSubmission({
        type,
        requester: { clearance: actor.clearance },
        item: { level: item.level as Level | null, copyAllowed: item.copy_allowed === 1 },
        period: PERIOD_TYPES.includes(type) ? parseJson<{ from: IsoDate; to: IsoDate } | null>(r.details, null) : null,
        today: today(deps),
      });
      if (!check.ok) throw requestErrors[check.code]!();
      const level = item.level as Level;
      const route = routeOf(asType(r.type), level);
      const now = deps.clock.now().toISOString();
      if (!(await repo.moveStatus(tx, id, 'draft', to, { route, submitted_at: now, updated_at: now })))
        throw requestErrors['request.transition_not_allowed']!();
      const submitted = { ...r, status: to, route, submitted_at: now };
      const told = await whoIsTold(tx, deps, submitted, item);
      const requester = await repo.findUserName(tx, actor.userId);
      const label = `${REQUEST_TYPE_LABEL_VI[asType(r.type)]} (${LEVEL_TABLE[level].labelVi})`;
      const message =
        route === 'higher_authority'
          ? `Đề nghị ${label.charAt(0).toLowerCase()}${label.slice(1)} của ${requester ?? ''} thuộc thẩm quyền của cấp trên: cần trình và ghi nhận quyết định của cấp có thẩm quyền.`
          : `Đề nghị ${label.charAt(0).toLowerCase()}${label.slice(1)} của ${requester ?? ''} đang chờ phê duyệt.`;
      await insertNotifications(
        tx,
        told.map((userId) => ({ id: deps.ids(), userId, kind: 'request_waiting', subjectType: 'request', subjectId: id, message, createdAt: now })),
      );
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'request.submitted',
        subjectType: 'request',
        subjectId: id,
        details: { type: r.type, itemId: r.item_id, level, route, notified: told.length },
      });
      return id;
    });
  });
}

/** The requester withdraws a draft or a request not yet decided. */
export async function cancelRequest(deps: Deps, actor: Actor | null, id: string) {
  return auditingRefusal(deps, actor, 'cancel', { type: 'request', id }, async () => {
    requirePermission(actor, 'request.create');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const { r, to } = await ownRequest(tx, actor, id, 'cancel');
      const now = deps.clock.now().toISOString();
      if (!(await repo.moveStatus(tx, id, r.status, to, { closed_at: now, updated_at: now }))) throw requestErrors['request.already_decided']!();
      await deps.audit.append(tx, { actorId: actor.userId, action: 'request.cancelled', subjectType: 'request', subjectId: id, details: { from: r.status } });
      return id;
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------

export type DecisionInput =
  | { outcome: 'approved'; deadline: IsoDate; quantity?: number | undefined; recipients?: RequestRecipient[] | undefined; note?: string | undefined }
  | { outcome: 'refused'; reason?: string | undefined };

export interface OutsideDecisionInput {
  outcome: 'approved' | 'refused';
  authority: string;
  number: string;
  date: IsoDate;
  signer: string;
  deadline?: IsoDate | undefined;
  quantity?: number | undefined;
  recipients?: RequestRecipient[] | undefined;
  reason?: string | undefined;
}

/** The decision row, its status move, the requester's notice and the audit event: one transaction, the caller's. */
async function writeDecision(
  tx: Db,
  deps: Deps,
  actor: Actor,
  r: RequestRow,
  d: {
    outcome: 'approved' | 'refused';
    via: 'position' | 'delegation' | 'outside';
    deadline: IsoDate | null;
    quantity: number | null;
    recipients: RequestRecipient[] | null;
    reason: string | null;
    note?: string | null;
  },
  outside: { authority: string; number: string; date: IsoDate; signer: string } | null,
) {
  const event: RequestEvent = d.outcome === 'approved' ? 'approve' : 'refuse';
  const move = applyRequestEvent(asStatus(r.status), event);
  if (!move.ok) throw requestErrors[move.code]!();
  const check = checkDecisionContent(
    d.outcome === 'approved'
      ? { outcome: 'approved', deadline: d.deadline, quantity: d.quantity, type: asType(r.type) }
      : { outcome: 'refused', reason: d.reason },
    today(deps),
  );
  if (!check.ok) throw requestErrors[check.code]!();
  const now = deps.clock.now().toISOString();
  // Whoever got there first decided it: a concurrent second decision finds it moved (409).
  if (!(await repo.moveStatus(tx, r.id, 'submitted', move.to, { updated_at: now }))) throw requestErrors['request.already_decided']!();
  const row: RequestDecisionRow = {
    id: deps.ids(),
    request_id: r.id,
    outcome: d.outcome,
    via: d.via,
    decided_by: outside ? null : actor.userId,
    recorded_by: actor.userId,
    reason: d.outcome === 'refused' ? (d.reason ?? '').trim() : (d.note ?? null),
    conditions: d.outcome === 'approved' ? JSON.stringify({ quantity: d.quantity, recipients: d.recipients }) : null,
    deadline: d.outcome === 'approved' ? d.deadline : null,
    outside_authority: outside?.authority ?? null,
    outside_number: outside?.number ?? null,
    outside_date: outside?.date ?? null,
    outside_signer: outside?.signer ?? null,
    scan_blob_id: null,
    decided_at: now,
  };
  await repo.insertDecision(tx, row);
  const label = REQUEST_TYPE_LABEL_VI[asType(r.type)];
  const what = `Đề nghị ${label.charAt(0).toLowerCase()}${label.slice(1)} của bạn`;
  const message = d.outcome === 'approved' ? `${what} đã được phê duyệt, thời hạn đến ngày ${d.deadline}.` : `${what} đã bị từ chối.`;
  await insertNotifications(tx, [
    { id: deps.ids(), userId: r.requester_id, kind: 'request_decided', subjectType: 'request', subjectId: r.id, message, createdAt: now },
  ]);
  await deps.audit.append(tx, {
    actorId: actor.userId,
    action: outside ? 'request.outside_decision_recorded' : d.outcome === 'approved' ? 'request.approved' : 'request.refused',
    subjectType: 'request',
    subjectId: r.id,
    details: {
      outcome: d.outcome,
      via: d.via,
      ...(d.outcome === 'approved' ? { deadline: d.deadline, quantity: d.quantity, recipients: d.recipients?.length ?? 0 } : {}),
      ...(outside ? { outsideNumber: outside.number, outsideDate: outside.date } : {}),
    },
  });
  return r.id;
}

/** Approve (with conditions) or refuse (with a reason): only whom the authority table names, never one's own request. */
export async function decideRequest(deps: Deps, actor: Actor | null, id: string, input: DecisionInput) {
  return auditingRefusal(deps, actor, 'decide', { type: 'request', id }, async () => {
    requirePermission(actor, 'request.decide');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const r = await loadRequest(tx, id);
      const item = await loadItemFacts(tx, r.item_id);
      const authority = checkDecider({ decider: await deciderFacts(tx, actor), request: decided(r, item), today: today(deps) });
      if (!authority.ok) throw requestErrors[authority.code]!();
      const requested = parseJson<{ quantity?: number; recipients?: RequestRecipient[] }>(r.details, {});
      if (input.outcome === 'refused')
        return writeDecision(
          tx,
          deps,
          actor,
          r,
          { outcome: 'refused', via: authority.via, deadline: null, quantity: null, recipients: null, reason: input.reason ?? null },
          null,
        );
      return writeDecision(
        tx,
        deps,
        actor,
        r,
        {
          outcome: 'approved',
          via: authority.via,
          deadline: input.deadline,
          quantity: input.quantity ?? requestedQuantity(requested),
          recipients: input.recipients ?? requested.recipients ?? null,
          reason: null,
          note: input.note ?? null,
        },
        null,
      );
    });
  });
}

/** A request the table routes outside the agency: the agency records the higher authority's written decision. */
export async function recordOutsideDecision(deps: Deps, actor: Actor | null, id: string, input: OutsideDecisionInput) {
  return auditingRefusal(deps, actor, 'record_outside', { type: 'request', id }, async () => {
    requirePermission(actor, 'request.record_outside');
    return deps.dbh.db.transaction().execute(async (tx) => {
      const r = await loadRequest(tx, id);
      const check = checkOutsideRecorder({ recorder: await recorderFacts(tx, actor), request: { requesterId: r.requester_id, route: r.route } });
      if (!check.ok) throw requestErrors[check.code]!();
      const requested = parseJson<{ quantity?: number; recipients?: RequestRecipient[] }>(r.details, {});
      const outside = { authority: input.authority, number: input.number, date: input.date, signer: input.signer };
      return writeDecision(
        tx,
        deps,
        actor,
        r,
        input.outcome === 'approved'
          ? {
              outcome: 'approved',
              via: 'outside',
              deadline: input.deadline ?? null,
              quantity: input.quantity ?? requestedQuantity(requested),
              recipients: input.recipients ?? requested.recipients ?? null,
              reason: null,
            }
          : { outcome: 'refused', via: 'outside', deadline: null, quantity: null, recipients: null, reason: input.reason ?? null },
        outside,
      );
    });
  });
}

/**
 * For the flows that carry an approved request out (copying, provision, take-out): the request and
 * its approval if it may be carried out today; an approval past its deadline may not.
 */
export async function requireExecutable(db: Db, deps: Pick<Deps, 'clock'>, id: string) {
  const r = await loadRequest(db, id);
  const decision = await repo.findDecision(db, id);
  const check = checkExecutable({ status: asStatus(r.status), deadline: decision?.deadline ?? null }, today(deps));
  if (!check.ok) throw requestErrors[check.code]!();
  return { request: r, decision: decision! };
}

// ---------------------------------------------------------------------------------------------
// Lists and the request's page
// ---------------------------------------------------------------------------------------------

export interface RequestListRow {
  id: string;
  type: RequestType;
  status: RequestStatus;
  route: string | null;
  itemId: string;
  /** The item's kind of document and number (Số, ký hiệu) — never its summary, which needs row access. */
  item: { docType: string; numberSymbol: string | null };
  level: string | null;
  requester: { id: string; name: string };
  createdAt: string;
  submittedAt: string | null;
}

const listRow = (r: repo.ListRowSource, status: RequestStatus): RequestListRow => ({
  id: r.id,
  type: asType(r.type),
  status,
  route: r.route,
  itemId: r.item_id,
  item: { docType: r.doc_type, numberSymbol: r.number_symbol },
  level: r.level,
  requester: { id: r.requester_id, name: r.requester_name },
  createdAt: r.created_at,
  submittedAt: r.submitted_at,
});

/**
 * The groups of waiting requests this person may decide (or, routed outside, record): the rule
 * (deciderRole) asked once per group of type × level × field × route × own-or-not — what it
 * decides on — rather than once per request. Nobody decides or records their own request, so only
 * groups of others' requests are kept; `all` says every such group was.
 */
async function inboxGroups(db: Db, deps: Pick<Deps, 'clock'>, actor: Actor) {
  const groups = await repo.countSubmittedByGroup(db, actor.userId);
  const kept: repo.SubmittedGroup[] = [];
  if (groups.length === 0) return { kept, all: true, total: 0 };
  const facts = { decider: await deciderFacts(db, actor), recorder: await recorderFacts(db, actor) };
  for (const g of groups) {
    if (g.own === 1) continue;
    // A stand-in request of the group (someone else's: the rule reads the requester only to refuse one's own).
    const r = { status: 'submitted', type: g.type, route: g.route, requester_id: '' } as RequestRow;
    const role = await deciderRole(db, deps, actor, r, g, facts);
    if (role.decides || role.records) kept.push(g);
  }
  return { kept, all: kept.length === groups.filter((g) => g.own === 0).length, total: kept.reduce((n, g) => n + g.n, 0) };
}

/** The decider's inbox, a page at a time, oldest first: submitted requests this person may decide (or, routed outside, record). */
export async function listInbox(
  deps: Deps,
  actor: Actor | null,
  page: { limit: number; offset: number } = { limit: 50, offset: 0 },
): Promise<{ items: RequestListRow[]; total: number }> {
  requirePermission(actor, 'request.read');
  const db = deps.dbh.db;
  const { kept, all, total } = await inboxGroups(db, deps, actor);
  if (total === 0) return { items: [], total: 0 };
  const rows = await repo.findSubmittedPage(db, actor.userId, all ? { all: true } : { all: false, groups: kept }, page.limit, page.offset);
  return { items: rows.map((r) => listRow(r, 'submitted')), total };
}

/** How many requests wait for this person (the navigation's count): the groups alone, no rows read. */
export async function countInbox(deps: Deps, actor: Actor | null): Promise<number> {
  requirePermission(actor, 'request.read');
  return (await inboxGroups(deps.dbh.db, deps, actor)).total;
}

/** The requester's own requests, with their status as of today. */
export async function listMine(deps: Deps, actor: Actor | null, page: { limit: number; offset: number }) {
  requirePermission(actor, 'request.read');
  const db = deps.dbh.db;
  const { rows, total } = await repo.findByRequester(db, actor.userId, page.limit, page.offset);
  const deadlines = await repo.findDeadlines(
    db,
    rows.filter((r) => r.status === 'approved').map((r) => r.id),
  );
  const d = today(deps);
  return { items: rows.map((r) => listRow(r, effectiveStatus(asStatus(r.status), deadlines.get(r.id) ?? null, d))), total };
}

/**
 * The keeper of an approved request's copies (their holder, or the clerk or head of the unit that
 * keeps them) carries it out — a take-out hands the copies over (modules/take-out) — so sees it.
 */
async function keepsCopiesOf(db: Db, actor: Actor, r: RequestRow): Promise<boolean> {
  if (r.status !== 'approved' && r.status !== 'executed' && r.status !== 'closed') return false;
  const keepers = await repo.findCopyKeepers(db, r.id, parseJson<string[]>(r.copy_ids, []));
  const keepsUnit = actor.roles.includes('clerk') || actor.roles.includes('head');
  return keepers.some((k) => k.userId === actor.userId || (keepsUnit && k.unitId === actor.unitId));
}

/**
 * An approved copying request (copy, photograph, extract) is carried out by the văn thư of the unit
 * keeping the original or of the agency (modules/copying), and its copies go to the approved
 * recipients: both see it, the clerk to carry it out, a recipient to find their copy.
 */
async function carriesOutOrReceivesCopies(db: Db, actor: Actor, r: RequestRow, itemUnitId: string, conditions: string | null): Promise<boolean> {
  if (!isCopyingType(asType(r.type)) || (r.status !== 'approved' && r.status !== 'executed' && r.status !== 'closed')) return false;
  if (actor.roles.includes('clerk') && (actor.unitId === itemUnitId || (await isAgencyUnit(db, actor.unitId)))) return true;
  const recipients = parseJson<{ recipients?: RequestRecipient[] | null } | null>(conditions, null)?.recipients ?? [];
  const keepsUnit = actor.roles.includes('clerk') || actor.roles.includes('head');
  return recipients.some((x) => (x.kind === 'user' && x.userId === actor.userId) || (x.kind === 'unit' && keepsUnit && x.unitId === actor.unitId));
}

/**
 * Who sees one request (its page, its scans): the requester, whoever decided or recorded it,
 * whoever may decide it now, the security officer and the agency head, the keepers of its copies
 * and whoever carries it out; nobody else learns it exists (not found, the attempt audited as
 * `refusedAction`).
 */
export async function visibleRequest(deps: Deps, actor: Actor, id: string, refusedAction: 'request.view_refused' | 'request.scan_read_refused') {
  const db = deps.dbh.db;
  const r = await repo.findListedRequest(db, id);
  if (!r) throw requestErrors['request.not_found']!();
  const item = await loadItemFacts(db, r.item_id);
  const decision = await repo.findDecision(db, id);
  const role = await deciderRole(db, deps, actor, r, item);
  const oversees = actor.roles.includes('security_officer') || (await isActorAgencyHead(db, actor));
  const involved =
    r.requester_id === actor.userId ||
    decision?.decided_by === actor.userId ||
    decision?.recorded_by === actor.userId ||
    (await keepsCopiesOf(db, actor, r)) ||
    (await carriesOutOrReceivesCopies(db, actor, r, item.unit_id, decision?.conditions ?? null));
  if (!involved && !oversees && !role.decides && !role.records) {
    // Answered as for an id that does not exist; the attempt is kept.
    const reason = 'request.not_visible';
    await deps.dbh.db
      .transaction()
      .execute((tx) => deps.audit.append(tx, { actorId: actor.userId, action: refusedAction, subjectType: 'request', subjectId: id, details: { reason } }));
    throw requestErrors['request.not_found']!();
  }
  return { r, item, decision, role };
}

/**
 * One request's page, for whoever sees it (visibleRequest). The item's summary shows only if the
 * viewer may read it (row access). The scans are listed here (never in lists).
 */
export async function getRequest(deps: Deps, actor: Actor | null, id: string) {
  return auditingRefusal(deps, actor, 'view', { type: 'request', id }, async () => {
    requirePermission(actor, 'request.read');
    const db = deps.dbh.db;
    const { r, item, decision, role } = await visibleRequest(deps, actor, id, 'request.view_refused');
    const [access] = item.level ? await rowAccessFor(db, deps, actor, [{ itemId: item.id, level: item.level }]) : [{ allowed: false }];
    const shown = summaryShown({ summary: item.summary, level: item.level ?? 'TOP_SECRET' }, { allowed: !!access?.allowed });
    const status = effectiveStatus(asStatus(r.status), decision?.deadline ?? null, today(deps));
    const conditions = parseJson<{ quantity: number | null; recipients: RequestRecipient[] | null } | null>(decision?.conditions ?? null, null);
    const own = r.requester_id === actor.userId;
    const scans = await findScans(db, r.id);
    const uploadScans: RequestScanKind[] = [];
    for (const kind of REQUEST_SCAN_KINDS) if ((await checkScanUploader(db, actor, r, status, kind)).ok) uploadScans.push(kind);
    return {
      id: r.id,
      type: asType(r.type),
      status,
      route: r.route,
      outsideAuthority: item.level ? outsideAuthorityOf(asType(r.type), item.level as Level) : null,
      item: { id: item.id, docType: item.doc_type, numberSymbol: item.number_symbol, level: item.level, summary: shown.summary, summaryHidden: shown.hidden },
      copyIds: parseJson<string[]>(r.copy_ids, []),
      requester: { id: r.requester_id, name: r.requester_name },
      purpose: r.purpose,
      details: parseJson<Record<string, unknown>>(r.details, {}),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      submittedAt: r.submitted_at,
      decision: decision
        ? {
            outcome: decision.outcome as 'approved' | 'refused',
            via: decision.via as 'position' | 'delegation' | 'outside',
            decidedBy: decision.decided_by ? { id: decision.decided_by, name: (await repo.findUserName(db, decision.decided_by)) ?? '' } : null,
            recordedBy: { id: decision.recorded_by, name: (await repo.findUserName(db, decision.recorded_by)) ?? '' },
            reason: decision.reason,
            quantity: conditions?.quantity ?? null,
            recipients: conditions?.recipients ?? null,
            deadline: decision.deadline,
            outside: decision.outside_number
              ? {
                  authority: decision.outside_authority ?? '',
                  number: decision.outside_number,
                  date: decision.outside_date ?? '',
                  signer: decision.outside_signer ?? '',
                }
              : null,
            decidedAt: decision.decided_at,
          }
        : null,
      can: {
        edit: own && status === 'draft',
        submit: own && status === 'draft',
        cancel: own && (status === 'draft' || status === 'submitted'),
        decide: role.decides,
        recordOutside: role.records,
        uploadScans,
      },
      scans: scans.map((x) => ({ kind: x.kind as RequestScanKind, fileName: x.file_name, size: Number(x.size), uploadedAt: x.uploaded_at })),
    };
  });
}
