import { Readable } from 'node:stream';
import { clearanceCovers, LEVEL_TABLE, rolesAllow, type Clearance, type Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { BlobRow, CopyExecutionRow, CopyRow, RequestDecisionRow, RequestRow, SecretItemRow } from '../../platform/db/schema';
import { isDomainError } from '../../platform/errors';
import { openCustody, type Holder } from '../copies/copies.rules';
import { rowWithState } from '../items/custody-mapping';
import { itemSearchText, loadItem, today } from '../items/item-steps';
import { itemErrors, ruleError } from '../items/items.errors';
import * as items from '../items/items.repository';
import { protectionEndForItem } from '../items/items.rules';
import { contentAccess, contentRoleRefusal } from '../items/items.usecases';
import { insertNotifications } from '../notifications/notifications.repository';
import { isAgencyUnit, isHeld } from '../org/org.repository';
import { writeRegisterEntry } from '../registers/register-entry';
import { REQUEST_TYPE_LABEL_VI } from '../requests/requests.rules';
import { moveStatus } from '../requests/requests.repository';
import { getRequest, requireExecutable } from '../requests/requests.usecases';
import type { RequestRecipient } from '../requests/requests.schemas';
import { newCopyVerificationId, type CopyDescription } from './copy-pdf';
import { produceCopies } from './copy-pdf-runner';
import { copyExecutionErrors } from './copy-execution.errors';
import * as repo from './copy-execution.repository';
import {
  checkExecution,
  checkExecutor,
  copyFileReader,
  copyLabel,
  COPY_EXECUTION_FORM_LABEL_VI,
  FORMS_OF_TYPE,
  isCopyingRequestType,
  ORIGIN_OF_TYPE,
  PDF_FORM_OF,
  registerNote,
  shareCopies,
  type CopyExecutionForm,
  type CopyingRequestType,
  type ExecutionInput,
} from './copy-execution.rules';
import { photoRecordPdf } from './photo-record-pdf';

// Carrying out an approved copy / photograph / extract request (issue 13 §2.1; NĐ 26/2020 Đ.3):
// the clerk of the unit keeping the original (or of the agency) makes exactly the approved number of
// copies "Bản sao số k", each held by its approved recipient (custody opened and recorded like any
// copy), each with a verification id; spoiled copies are recorded as destroyed; one copy-register
// entry (Mẫu 12) with form, authoriser and performer; the request becomes executed. For an item
// whose original is a PDF, each copy's PDF is produced from it in a worker thread (level mark,
// "BẢN SAO SỐ k", Mẫu 09 block, trace mark on every page) and stored encrypted; a photograph
// prints its Mẫu 13 record; an extract creates a new item at the part's level, linked to its
// source. Files are produced and encrypted BEFORE the transaction (like attachments), which then
// checks everything again and writes the rows and the audit event together.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids' | 'blobs'>;
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
const NOT_A_REFUSAL = new Set(['request.not_found', 'item.not_found', 'copy.not_found', 'copy_execution.file_not_found', 'copy_execution.record_not_found']);

async function auditingRefusal<T>(deps: Pick<Deps, 'dbh' | 'audit'>, actor: Actor | null, requestId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (
      actor &&
      isDomainError(e) &&
      (/^(copy_execution|request|copy|register|handling)\./.test(e.code) || e.code === 'auth.forbidden') &&
      !NOT_A_REFUSAL.has(e.code)
    ) {
      await deps.dbh.db.transaction().execute((tx) =>
        deps.audit.append(tx, {
          actorId: actor.userId,
          action: 'copy_execution.execute_refused',
          subjectType: 'request',
          subjectId: requestId,
          details: { reason: e.code },
        }),
      );
    }
    throw e;
  }
}

interface Recipient {
  holder: Holder;
  label: string;
  /** As printed in the copy's trace mark: who and where. */
  printed: { name: string; unit: string };
}

interface Plan {
  request: RequestRow;
  decision: RequestDecisionRow;
  type: CopyingRequestType;
  item: SecretItemRow;
  copyLevel: Level;
  recipients: Recipient[];
  /** Recipient index of each copy, k = 1..N. */
  share: number[];
  authoriser: { name: string; position: string; label: string };
  performer: string;
}

async function resolveRecipient(db: Db, r: RequestRecipient, level: Level, agencyName: string): Promise<Recipient> {
  if (r.kind === 'user') {
    const p = await repo.findPerson(db, r.userId);
    if (!p || p.active !== 1 || !clearanceCovers(p.clearance as Clearance, level)) throw copyExecutionErrors['copy_execution.recipient_clearance']!();
    if (await isHeld(db, p.id)) throw copyExecutionErrors['copy_execution.recipient_unavailable']!();
    return { holder: { kind: 'user', id: p.id }, label: p.full_name, printed: { name: p.full_name, unit: p.unit_name } };
  }
  if (r.kind === 'unit') {
    const u = await repo.findOpenUnit(db, r.unitId);
    if (!u) throw copyExecutionErrors['copy_execution.recipient_unavailable']!();
    return { holder: { kind: 'unit', id: u.id }, label: u.name, printed: { name: u.name, unit: agencyName } };
  }
  return { holder: { kind: 'outside', id: r.name }, label: r.name, printed: { name: r.name, unit: 'ngoài cơ quan' } };
}

async function authoriserOf(db: Db, d: RequestDecisionRow): Promise<Plan['authoriser']> {
  if (d.decided_by) {
    const p = await repo.findPerson(db, d.decided_by);
    const name = p?.full_name ?? '';
    const position = p?.position ?? '';
    return { name, position, label: [name, position].filter(Boolean).join(', ') + (d.via === 'delegation' ? ' (theo ủy quyền)' : '') };
  }
  // Decided outside the agency: the signer of the higher authority's written decision.
  const name = d.outside_signer ?? '';
  const position = d.outside_authority ?? '';
  return { name, position, label: `${name}, ${position} (văn bản số ${d.outside_number ?? ''})` };
}

/**
 * Everything one execution needs, checked: the request approved and not expired, the actor the
 * clerk who may make the copies, no execution yet, the input against the approval, the recipients
 * still able to hold the copies. Runs once before the files are made and again in the transaction.
 */
async function plan(db: Db, deps: Pick<Deps, 'clock'>, actor: Actor, requestId: string, input: ExecutionInput): Promise<Plan> {
  const { request: r, decision } = await requireExecutable(db, deps, requestId);
  const item = await loadItem(db, r.item_id);
  const level = (item.level ?? 'TOP_SECRET') as Level;
  const may = checkExecutor({
    type: r.type,
    actor: { id: actor.userId, roles: actor.roles, clearance: actor.clearance, unitId: actor.unitId, atAgency: await isAgencyUnit(db, actor.unitId) },
    itemUnitId: item.unit_id,
    level,
  });
  if (!may.ok) throw copyExecutionErrors[may.code]!();
  const type = r.type as CopyingRequestType;
  if (await repo.findExecutionOfRequest(db, r.id)) throw copyExecutionErrors['copy_execution.already_executed']!();
  const conditions = parseJson<{ quantity?: number | null; recipients?: RequestRecipient[] | null }>(decision.conditions, {});
  const details = parseJson<{ form?: string }>(r.details, {});
  const recipients = conditions.recipients ?? [];
  const check = checkExecution({
    type,
    input,
    item: { level, copyAllowed: item.copy_allowed === 1 },
    requestedForm: type === 'copy' ? (details.form ?? null) : null,
    approved: { quantity: conditions.quantity ?? null, recipients: recipients.length },
  });
  if (!check.ok) throw copyExecutionErrors[check.code]!();
  const copyLevel = type === 'extract' ? input.partLevel! : level;
  const agencyName = (await items.findAgencyName(db)) ?? '';
  const resolved: Recipient[] = [];
  for (const rc of recipients) resolved.push(await resolveRecipient(db, rc, copyLevel, agencyName));
  return {
    request: r,
    decision,
    type,
    item,
    copyLevel,
    recipients: resolved,
    share: shareCopies(input.quantity, resolved.length),
    authoriser: await authoriserOf(db, decision),
    performer: (await items.findActiveUserName(db, actor.userId)) ?? '',
  };
}

async function readWhole(deps: Deps, blobId: string): Promise<Buffer> {
  // Decrypted into memory only (DESIGN.md principle 1: plaintext never touches the disk).
  const { stream } = await deps.blobs.open(deps.dbh.db, blobId, { sha256: true });
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const write = (deps: Deps, bytes: Uint8Array) => deps.blobs.write(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]));

export interface ExecuteBody extends ExecutionInput {
  form: CopyExecutionForm;
}

/** Carries out an approved copy / photograph / extract request (POST /api/requests/:id/copy-execution). */
export async function executeCopyRequest(deps: Deps, actor: Actor | null, requestId: string, input: ExecuteBody) {
  return auditingRefusal(deps, actor, requestId, async () => {
    requirePermission(actor, 'copy.execute');
    const first = await plan(deps.dbh.db, deps, actor, requestId, input);
    const n = input.quantity;
    const day = today(deps);
    const verificationIds = Array.from({ length: n }, () => newCopyVerificationId());
    const written: BlobRow[] = [];
    const files: (BlobRow | null)[] = Array.from({ length: n }, () => null);
    let original: Awaited<ReturnType<typeof repo.findPdfOriginal>>;
    let record: BlobRow | null = null;
    try {
      // 1. Files first, outside any transaction (the worker takes seconds for a long original).
      const pdfForm = PDF_FORM_OF[input.form];
      if (first.type === 'copy' && pdfForm) {
        original = await repo.findPdfOriginal(deps.dbh.db, first.item.id);
        if (original) {
          const descriptions: CopyDescription[] = first.share.map((ri, i) => ({
            level: first.copyLevel,
            copyNumber: i + 1,
            total: n,
            form: pdfForm,
            date: day,
            quantity: n,
            recipients: [...new Set(first.recipients.map((r) => r.label))],
            authoriser: { name: first.authoriser.name, position: first.authoriser.position || 'Người cho phép sao' },
            holder: first.recipients[ri]!.printed,
            verificationId: verificationIds[i]!,
          }));
          const pdfs = await produceCopies(await readWhole(deps, original.blob_id), descriptions);
          for (const [i, pdf] of pdfs.entries()) {
            const row = await write(deps, pdf);
            written.push(row);
            files[i] = row;
          }
        }
      }
      if (first.type === 'photograph') {
        const pdf = await photoRecordPdf({
          agencyName: (await items.findAgencyName(deps.dbh.db)) ?? '',
          level: first.copyLevel,
          date: day,
          item: { docType: first.item.doc_type, numberSymbol: first.item.number_symbol, documentDate: first.item.document_date, issuer: first.item.issuer },
          quantity: n,
          copyLabels: first.share.map((_r, i) => copyLabel(i + 1)),
          equipment: input.equipment.trim(),
          recipients: first.recipients.map((r) => r.label),
          authoriser: first.authoriser.label,
          performer: first.performer,
          spoiled: input.spoiled,
          spoiledNote: input.spoiledNote?.trim() || null,
        });
        record = await write(deps, pdf);
        written.push(record);
      }

      // 2. One short transaction: check again, then every row and the audit event.
      return await deps.dbh.db.transaction().execute(async (tx) => {
        const p = await plan(tx, deps, actor, requestId, input);
        const now = deps.clock.now().toISOString();
        // Whoever got there first carried it out: a concurrent second execution finds it moved.
        if (!(await moveStatus(tx, p.request.id, 'approved', 'executed', { updated_at: now }))) throw copyExecutionErrors['copy_execution.already_executed']!();
        if (original) {
          const still = await repo.findPdfOriginal(tx, p.item.id);
          if (still?.id !== original.id) throw copyExecutionErrors['copy_execution.original_changed']!();
        }
        for (const b of written) await deps.blobs.register(tx, b);

        // An extract is a new item at the part's level, linked to its source (Mẫu 10 văn bản trích sao).
        let extractId: string | null = null;
        if (p.type === 'extract') {
          extractId = deps.ids();
          const details = parseJson<{ part?: string }>(p.request.details, {});
          const end = protectionEndForItem({ kind: p.item.kind as Parameters<typeof protectionEndForItem>[0]['kind'], level: p.copyLevel, classifiedOn: day });
          const row: SecretItemRow = {
            ...p.item,
            id: extractId,
            origin: 'internal',
            state: 'issued',
            doc_type: 'Văn bản trích sao',
            summary: details.part ? `Trích sao${p.item.number_symbol ? ` từ ${p.item.number_symbol}` : ''}: ${details.part}` : null,
            proposed_level: p.copyLevel,
            level: p.copyLevel,
            classified_on: day,
            protection_end: end.ok ? end.end : null,
            shorter_period: null,
            copies_planned: n,
            addressee_only: 0,
            named_addressee_id: null,
            number: null,
            symbol: null,
            // Known by its kind and its link to the source: it takes no number of the agency's series.
            number_symbol: null,
            document_date: day,
            signer_name: p.authoriser.name || null,
            drafter_id: actor.userId,
            approver_id: p.decision.decided_by,
            return_reason: null,
            summary_agreed_by: null,
            summary_agreed_at: null,
            source_item_id: p.item.id,
            search_text: '',
            created_at: now,
            updated_at: now,
          };
          row.search_text = itemSearchText(row);
          await items.insertItem(tx, row);
        }

        const copies: CopyRow[] = p.share.map((ri, i) => {
          const opened = openCustody(p.recipients[ri]!.holder);
          if (!opened.ok) throw ruleError(opened.code);
          return rowWithState(
            {
              id: deps.ids(),
              item_id: extractId ?? p.item.id,
              origin: ORIGIN_OF_TYPE[p.type],
              seq_no: i + 1,
              total: n,
              label: copyLabel(i + 1),
              status: 'held',
              holder_kind: 'user',
              holder_user_id: null,
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
              verification_id: verificationIds[i]!,
              request_id: p.request.id,
              file_blob_id: files[i]?.id ?? null,
            },
            opened.state,
            now,
          );
        });
        await items.insertCopies(tx, copies);
        // Custody: one movement per recipient, the clerk handing the copies made to their holder.
        for (const [ri, rc] of p.recipients.entries()) {
          const theirs = copies.filter((_c, i) => p.share[i] === ri);
          await items.insertCustodyEvent(
            tx,
            {
              id: deps.ids(),
              item_id: extractId ?? p.item.id,
              kind: 'copy_made',
              occurred_at: now,
              actor_id: actor.userId,
              from_label: p.performer,
              to_label: rc.label,
              to_user_id: rc.holder.kind === 'user' ? rc.holder.id : null,
              to_unit_id: rc.holder.kind === 'unit' ? rc.holder.id : null,
              envelope_state: null,
              note: COPY_EXECUTION_FORM_LABEL_VI[input.form],
              confirmed_at: now,
              confirmed_by: actor.userId,
            },
            theirs.map((c) => c.id),
          );
        }
        const note = registerNote(input.spoiled, input.spoiledNote);
        // Spoiled copies are destroyed at once (NĐ 26/2020 Đ.3): recorded, with no copy numbers used.
        if (note) {
          await items.insertCustodyEvent(
            tx,
            {
              id: deps.ids(),
              item_id: p.item.id,
              kind: 'spoiled_destroyed',
              occurred_at: now,
              actor_id: actor.userId,
              from_label: p.performer,
              to_label: null,
              to_user_id: null,
              to_unit_id: null,
              envelope_state: null,
              note,
              confirmed_at: now,
              confirmed_by: actor.userId,
            },
            [],
          );
        }
        const entry = await writeRegisterEntry(deps, tx, actor, {
          register: 'copy',
          item: p.item,
          custodyEventId: null,
          recipient: p.recipients.map((r) => r.label).join('; '),
          quantity: n,
          copyLabels: copies.map((c) => c.label).join(', '),
          entryDate: day,
          note,
          copy: { form: COPY_EXECUTION_FORM_LABEL_VI[input.form], authorisedBy: p.authoriser.label, performedBy: p.performer },
        });
        const execution: CopyExecutionRow = {
          id: deps.ids(),
          request_id: p.request.id,
          item_id: p.item.id,
          form: input.form,
          equipment: input.equipment.trim(),
          quantity: n,
          spoiled: input.spoiled,
          spoiled_note: input.spoiledNote?.trim() || null,
          executed_by: actor.userId,
          executed_at: now,
          register_entry_id: entry.id,
          source_attachment_id: original?.id ?? null,
          record_blob_id: record?.id ?? null,
          extract_item_id: extractId,
        };
        await repo.insertExecution(tx, execution);
        // The requester and the people who now hold a copy are told — kinds, level and copy labels only.
        const told = [...new Set([p.request.requester_id, ...p.recipients.flatMap((r) => (r.holder.kind === 'user' ? [r.holder.id] : []))])].filter(
          (u) => u !== actor.userId,
        );
        const what = REQUEST_TYPE_LABEL_VI[p.type];
        const message = `Đề nghị ${what.charAt(0).toLowerCase()}${what.slice(1)} (${LEVEL_TABLE[p.copyLevel].labelVi}) đã được thực hiện: ${copies.map((c) => c.label).join(', ')}. Người nhận bản sao xem trên trang đề nghị.`;
        await insertNotifications(
          tx,
          told.map((userId) => ({ id: deps.ids(), userId, kind: 'copy_executed', subjectType: 'request', subjectId: p.request.id, message, createdAt: now })),
        );
        await deps.audit.append(tx, {
          actorId: actor.userId,
          action: 'copy_execution.executed',
          subjectType: 'request',
          subjectId: p.request.id,
          details: {
            executionId: execution.id,
            itemId: p.item.id,
            form: input.form,
            copies: n,
            spoiled: input.spoiled,
            files: written.length - (record ? 1 : 0),
            registerNumber: entry.number,
            ...(extractId ? { extractItemId: extractId, level: p.copyLevel } : {}),
          },
        });
        return execution.id;
      });
    } catch (e) {
      // The rows went with the rollback; the files (ciphertext whose keys are gone) go too.
      for (const b of written) await deps.blobs.discard(b.id).catch(() => undefined);
      throw e;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Views and downloads
// ---------------------------------------------------------------------------------------------

const holderName = (c: Awaited<ReturnType<typeof repo.findCopiesOfRequest>>[number]) => c.holder_user_name ?? c.holder_unit_name ?? c.holder_outside ?? '';

/**
 * The copying side of a request's page: what may be done now (the form to carry it out) and, once
 * carried out, the copies made. Seen by whoever sees the request (requests.usecases getRequest,
 * which answers and audits the others).
 */
export async function copyExecutionOfRequest(deps: Deps, actor: Actor | null, requestId: string) {
  requirePermission(actor, 'request.read');
  const view = await getRequest(deps, actor, requestId);
  if (!isCopyingRequestType(view.type)) throw copyExecutionErrors['copy_execution.not_copying']!();
  const db = deps.dbh.db;
  const type = view.type as CopyingRequestType;
  const item = await loadItem(db, view.item.id);
  const execution = await repo.findExecutionOfRequest(db, requestId);
  let canExecute = false;
  if (!execution && view.status === 'approved') {
    const level = (item.level ?? 'TOP_SECRET') as Level;
    canExecute = checkExecutor({
      type,
      actor: { id: actor.userId, roles: actor.roles, clearance: actor.clearance, unitId: actor.unitId, atAgency: await isAgencyUnit(db, actor.unitId) },
      itemUnitId: item.unit_id,
      level,
    }).ok;
  }
  const copies = await repo.findCopiesOfRequest(db, requestId);
  const copyItem = execution?.extract_item_id ? await loadItem(db, execution.extract_item_id) : item;
  const access = copies.some((c) => c.file_blob_id) ? await contentAccess(db, deps, actor, copyItem) : { allowed: false };
  const me = { id: actor.userId, unitId: actor.unitId, roles: actor.roles };
  const details = view.details as { form?: string };
  const extract = execution?.extract_item_id ? await items.findItem(db, execution.extract_item_id) : undefined;
  return {
    type,
    forms: FORMS_OF_TYPE[type],
    requestedForm: type === 'copy' ? (details.form ?? null) : type === 'photograph' ? 'chup' : 'trich_sao',
    approvedQuantity: view.decision?.quantity ?? null,
    sourceLevel: item.level,
    electronicOriginal: type === 'copy' && !!(await repo.findPdfOriginal(db, item.id)),
    execution: execution
      ? {
          id: execution.id,
          form: execution.form as CopyExecutionForm,
          equipment: execution.equipment,
          quantity: Number(execution.quantity),
          spoiled: Number(execution.spoiled),
          spoiledNote: execution.spoiled_note,
          executedBy: { id: execution.executed_by, name: (await items.findActiveUserName(db, execution.executed_by)) ?? '' },
          executedAt: execution.executed_at,
          filesProduced: execution.source_attachment_id !== null,
          photoRecord: execution.record_blob_id !== null,
          extract: extract ? { id: extract.id, docType: extract.doc_type, numberSymbol: extract.number_symbol, level: extract.level } : null,
          copies: copies.map((c) => ({
            id: c.id,
            number: Number(c.seq_no),
            label: c.label,
            status: c.status,
            holder: holderName(c),
            verificationId: c.verification_id,
            hasFile: c.file_blob_id !== null,
            canDownload:
              c.file_blob_id !== null &&
              contentRoleRefusal(actor) === null &&
              copyFileReader({
                actor: me,
                holder: { kind: c.holder_kind, userId: c.holder_user_id, unitId: c.holder_unit_id },
                contentAllowed: access.allowed,
              }) !== null,
          })),
        }
      : null,
    can: { execute: canExecute },
  };
}

/**
 * Opens a copy's produced PDF: its holder, or whoever may read the item's content. Every read is
 * audited (committed before a byte is sent), every refusal too.
 */
export async function openCopyFile(deps: Deps, actor: Actor | null, copyId: string) {
  requirePermission(actor, 'custody.mine');
  const db = deps.dbh.db;
  const copy = await repo.findCopy(db, copyId);
  if (!copy?.file_blob_id) throw copyExecutionErrors['copy_execution.file_not_found']!();
  const item = await loadItem(db, copy.item_id);
  const refuse = async (reason: string): Promise<never> => {
    await db
      .transaction()
      .execute((tx) =>
        deps.audit.append(tx, { actorId: actor.userId, action: 'copy.file_refused', subjectType: 'item', subjectId: item.id, details: { copyId, reason } }),
      );
    throw itemErrors.contentForbidden({ reason });
  };
  const byRole = contentRoleRefusal(actor);
  if (byRole) return refuse(byRole);
  const access = await contentAccess(db, deps, actor, item);
  const via = copyFileReader({
    actor: { id: actor.userId, unitId: actor.unitId, roles: actor.roles },
    holder: { kind: copy.holder_kind, userId: copy.holder_user_id, unitId: copy.holder_unit_id },
    contentAllowed: access.allowed,
  });
  if (!via) return refuse(access.reason);
  if (!clearanceCovers(actor.clearance, (item.level ?? 'TOP_SECRET') as Level)) return refuse('clearance_below_level');
  const { stream, row } = await deps.blobs.open(db, copy.file_blob_id);
  try {
    await db
      .transaction()
      .execute((tx) =>
        deps.audit.append(tx, { actorId: actor.userId, action: 'copy.file_read', subjectType: 'item', subjectId: item.id, details: { copyId, via } }),
      );
  } catch (e) {
    stream.destroy();
    throw e;
  }
  return { stream, size: Number(row.size), fileName: `ban-sao-so-${copy.seq_no}.pdf` };
}

/** Opens the Mẫu 13 record of a photograph: whoever sees the request; every read audited. */
export async function openPhotoRecord(deps: Deps, actor: Actor | null, requestId: string) {
  requirePermission(actor, 'request.read');
  await getRequest(deps, actor, requestId);
  const db = deps.dbh.db;
  const execution = await repo.findExecutionOfRequest(db, requestId);
  if (!execution?.record_blob_id) throw copyExecutionErrors['copy_execution.record_not_found']!();
  const { stream, row } = await deps.blobs.open(db, execution.record_blob_id);
  try {
    await db.transaction().execute((tx) =>
      deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'copy_execution.record_read',
        subjectType: 'request',
        subjectId: requestId,
        details: { executionId: execution.id },
      }),
    );
  } catch (e) {
    stream.destroy();
    throw e;
  }
  return { stream, size: Number(row.size), fileName: 'van-ban-ghi-nhan-viec-chup.pdf' };
}

/**
 * An item's copy links: the item an extract was taken from and the extracts taken from it. Seen by
 * those who see the item's metadata (register keepers, heads, inspectors) or may read it.
 */
export async function itemCopyLinks(deps: Deps, actor: Actor | null, itemId: string) {
  requirePermission(actor, 'item.view');
  const db = deps.dbh.db;
  const item = await loadItem(db, itemId);
  if (!rolesAllow(actor.roles, 'item.metadata.read') && !(await contentAccess(db, deps, actor, item)).allowed)
    throw itemErrors.contentForbidden({ reason: 'no_need_to_know' });
  const source = item.source_item_id ? await items.findItem(db, item.source_item_id) : undefined;
  const extracts = await repo.findExtractsOf(db, itemId);
  const brief = (i: { id: string; doc_type: string; number_symbol: string | null; level: string | null }) => ({
    id: i.id,
    docType: i.doc_type,
    numberSymbol: i.number_symbol,
    level: i.level,
  });
  return { source: source ? brief(source) : null, extracts: extracts.map(brief) };
}
