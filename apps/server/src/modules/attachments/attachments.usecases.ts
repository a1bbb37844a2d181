import type { Readable } from 'node:stream';
import { rolesAllow, type Level, type Permission } from '@khomat/policy';
import type { Actor } from '../../kernel/actor';
import { requirePermission } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { deleteBlob } from '../../platform/blobstore/blob.repository';
import { isUniqueViolation } from '../../platform/db/dialect';
import type { BlobRow, ItemAttachmentRow, SecretItemRow } from '../../platform/db/schema';
import { commonErrors } from '../../platform/errors';
import { itemErrors } from '../items/items.errors';
import { findCopiesOfItem, findCustodyEvent, findItem } from '../items/items.repository';
import { contentAccess, contentRoleRefusal, refuseContent } from '../items/items.usecases';
import { attachmentErrors, refusalError } from './attachments.errors';
import * as repo from './attachments.repository';
import {
  checkContentFileChange,
  checkReceiptScanUpload,
  CONTENT_FILE_PERMISSIONS,
  receiptScanReader,
  resolveMediaType,
  sanitiseFileName,
  type AttachmentPurpose,
  type ContentFileAction,
  type ContentFileVia,
  type MediaTypeDefinition,
} from './attachments.rules';
import { guardUpload, UploadGuard } from './upload-guard';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids' | 'blobs' | 'config'>;
type Tx = AppDeps['dbh']['db'];

/** What the route found in the request body. */
export type UploadBody = { kind: 'stream'; stream: Readable; declaredLength: number | undefined } | { kind: 'none' } | { kind: 'other' };

export interface UploadInput {
  /** ?name= — the file's name, URL-decoded. */
  name?: string | undefined;
  /** ?type= — its media type; derived from the name's extension when absent. */
  type?: string | undefined;
  body: UploadBody;
}

const MIB = 1024 * 1024;
// Ids are ours (random, [A-Za-z0-9-]); anything else cannot name a file, and must not reach SQL
// (PostgreSQL refuses NUL in text).
const ID = /^[A-Za-z0-9-]{1,64}$/;

function requireAnyPermission(actor: Actor | null | undefined, permissions: readonly Permission[]): asserts actor is Actor {
  if (!actor) throw commonErrors.unauthenticated();
  if (!permissions.some((p) => rolesAllow(actor.roles, p))) throw commonErrors.forbidden({ permission: permissions.join('|') });
}

async function loadItem(db: Tx, id: string): Promise<SecretItemRow> {
  const item = await findItem(db, id);
  if (!item) throw itemErrors.notFound({ id });
  return item;
}

/**
 * May `actor` add or remove content files of `item` now? Throws the rule's refusal. Inside a
 * transaction, the copies are read locked, so a hand-over cannot slip in between.
 */
async function assertMayChangeContent(deps: Deps, db: Tx, actor: Actor, item: SecretItemRow, action: ContentFileAction): Promise<ContentFileVia> {
  const incoming = item.origin === 'incoming';
  const copies = !incoming ? [] : db.isTransaction ? await repo.lockCopiesOfItem(db, deps.dbh.dialect, item.id) : await findCopiesOfItem(db, item.id);
  const check = checkContentFileChange(action, {
    actor: { id: actor.userId, roles: actor.roles, clearance: actor.clearance, unitId: actor.unitId },
    item: {
      origin: item.origin,
      kind: item.kind,
      state: item.state,
      drafterId: item.drafter_id,
      unitId: item.unit_id,
      level: (item.level ?? item.proposed_level ?? 'TOP_SECRET') as Level,
      addresseeOnly: item.addressee_only === 1,
    },
    copies: copies.map((c) => ({ status: c.status, holderKind: c.holder_kind, holderUserId: c.holder_user_id, holderUnitId: c.holder_unit_id })),
    unitClerkIds: incoming ? await repo.findUnitClerkIds(db, item.unit_id) : [],
  });
  if (!check.ok) throw refusalError(check.code);
  return check.via;
}

export interface PreparedFile {
  fileName: string;
  format: MediaTypeDefinition;
  stream: Readable;
}

/**
 * Name, format and body of an upload, refused before a byte is read when anything is wrong.
 * `badType` names the refusal of a format the purpose does not take (a scan elsewhere says what it is a scan of).
 */
export function prepareFile(deps: Pick<Deps, 'config'>, input: UploadInput, purpose: AttachmentPurpose, badType?: () => Error): PreparedFile {
  const fileName = sanitiseFileName(input.name ?? '');
  if (fileName === undefined) throw attachmentErrors.nameRequired();
  const format = resolveMediaType(fileName, input.type, purpose);
  if (!format) throw badType ? badType() : attachmentErrors.mediaTypeNotAllowed(purpose);
  if (input.body.kind === 'other') throw attachmentErrors.octetStreamRequired();
  if (input.body.kind === 'none' || input.body.declaredLength === 0) throw attachmentErrors.empty();
  const maxBytes = deps.config.maxUploadMb * MIB;
  if (input.body.declaredLength !== undefined && input.body.declaredLength > maxBytes) throw attachmentErrors.tooLarge(maxBytes);
  return { fileName, format, stream: input.body.stream };
}

interface StoreSpec {
  file: PreparedFile;
  actor: Actor;
  row: Pick<ItemAttachmentRow, 'item_id' | 'purpose' | 'custody_event_id'>;
  /** Checks again, under lock, inside the transaction (the state may have changed meanwhile). */
  recheck: (tx: Tx) => Promise<void>;
  audit: (tx: Tx, row: ItemAttachmentRow) => Promise<unknown>;
  /** A unique violation on insert means this (a second scan of one event). */
  onDuplicate?: () => Error;
}

/**
 * Streams the upload into the blob store first — ciphertext only, and no transaction open while
 * the body arrives (on SQLite a transaction holds the one connection, so every other request
 * would wait for a slow upload) — then, in one short transaction, checks again under lock and
 * writes the blob row, the attachment row and the audit event: all three commit together or not
 * at all. A refused or failed upload leaves neither row nor file: the blob store removes its
 * partial file, and a published file whose rows did not commit is discarded here (without its
 * row the file's key exists nowhere, so even a crash before that leaves only undecryptable bytes).
 * Every check that can refuse without reading the body has run before the first byte is read.
 */
async function storeUpload(deps: Deps, spec: StoreSpec): Promise<repo.AttachmentView> {
  const id = await storeGuardedBlob(deps, spec.file, async (tx, stored) => {
    await spec.recheck(tx);
    await deps.blobs.register(tx, stored);
    const row: ItemAttachmentRow = {
      id: deps.ids(),
      ...spec.row,
      blob_id: stored.id,
      file_name: spec.file.fileName,
      media_type: spec.file.format.type,
      size: stored.size,
      sha256: stored.sha256,
      uploaded_by: spec.actor.userId,
      uploaded_at: deps.clock.now().toISOString(),
      removed_at: null,
      removed_by: null,
    };
    try {
      await repo.insertAttachment(tx, row);
    } catch (e) {
      if (spec.onDuplicate && isUniqueViolation(e)) throw spec.onDuplicate();
      throw e;
    }
    await spec.audit(tx, row);
    return row.id;
  });
  return (await repo.findAttachmentView(deps.dbh.db, id))!;
}

/**
 * The upload's part of storeUpload, for any table that keeps a file: streams the guarded body into
 * the blob store (no transaction open), then runs `inTx` — which rechecks, registers the blob
 * (`deps.blobs.register(tx, stored)`), writes its rows and audit event — in one short transaction.
 * If that fails, the published file is discarded (its key never committed).
 */
export async function storeGuardedBlob<T>(
  deps: Pick<Deps, 'dbh' | 'blobs' | 'config'>,
  file: PreparedFile,
  inTx: (tx: Tx, stored: BlobRow) => Promise<T>,
): Promise<T> {
  const guard = guardUpload(file.stream, new UploadGuard({ maxBytes: deps.config.maxUploadMb * MIB, format: file.format }));
  const stored: BlobRow = await deps.blobs.write(guard);
  try {
    return await deps.dbh.db.transaction().execute((tx) => inTx(tx, stored));
  } catch (e) {
    // The rows went with the rollback; the file (ciphertext whose key is gone) goes too.
    await deps.blobs.discard(stored.id).catch(() => undefined);
    throw e;
  }
}

// ---- content files of an electronic document ------------------------------------------------

/** Adds a content file (POST /api/items/:id/attachments). */
export async function addContentFile(deps: Deps, actor: Actor | null, itemId: string, input: UploadInput) {
  requireAnyPermission(actor, CONTENT_FILE_PERMISSIONS);
  const item = await loadItem(deps.dbh.db, itemId);
  // Refused before the body is read, so a refusal costs nothing and holds no transaction.
  await assertMayChangeContent(deps, deps.dbh.db, actor, item, 'add');
  const file = prepareFile(deps, input, 'content');
  let via: ContentFileVia = 'drafter';
  return storeUpload(deps, {
    file,
    actor,
    row: { item_id: item.id, purpose: 'content', custody_event_id: null },
    recheck: async (tx) => {
      const locked = await repo.lockItem(tx, deps.dbh.dialect, item.id);
      if (!locked) throw itemErrors.notFound({ id: item.id });
      via = await assertMayChangeContent(deps, tx, actor, locked, 'add');
    },
    // Metadata only: the file name can reveal the content, so it stays out of the audit trail.
    audit: (tx, row) =>
      deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'item.attachment_added',
        subjectType: 'item',
        subjectId: item.id,
        details: { attachmentId: row.id, size: row.size, mediaType: row.media_type, via },
      }),
  });
}

/** Lists the content files: names for those who may read the content, only the count for metadata readers. */
export async function listContentFiles(deps: Deps, actor: Actor | null, itemId: string) {
  requirePermission(actor, 'item.view');
  const db = deps.dbh.db;
  const item = await loadItem(db, itemId);
  const access = await contentAccess(db, deps, actor, item);
  if (access.allowed) {
    const files = await repo.findLiveContentFiles(db, itemId);
    return { files, count: files.length };
  }
  // File names can reveal content: a metadata reader learns how many files there are, not what.
  if (rolesAllow(actor.roles, 'item.metadata.read')) return { files: [], count: await repo.countLiveContentFiles(db, itemId) };
  throw commonErrors.forbidden({ reason: access.reason });
}

/**
 * Opens a content file for download. Need-to-know exactly as for the summary (contentAccess);
 * every read is audited, and committed before the caller sends a byte; every refusal is audited
 * in its own transaction.
 */
export async function openContentFile(deps: Deps, actor: Actor | null, itemId: string, attachmentId: string) {
  if (!actor) throw commonErrors.unauthenticated();
  // Refused by role or by need-to-know, the refusal is audited first (admin and inspector included);
  // by role before anything is looked up, so the reply tells nothing of what exists.
  const byRole = contentRoleRefusal(actor);
  if (byRole) return refuseContent(deps, actor, { action: 'item.attachment_refused', itemId, reason: byRole, details: { attachmentId } });
  if (!ID.test(attachmentId)) throw attachmentErrors.notFound();
  const db = deps.dbh.db;
  const item = await loadItem(db, itemId);
  const access = await contentAccess(db, deps, actor, item);
  if (!access.allowed) return refuseContent(deps, actor, { action: 'item.attachment_refused', itemId, reason: access.reason, details: { attachmentId } });
  const file = await repo.findLiveContentFile(db, itemId, attachmentId);
  if (!file?.blob_id) throw attachmentErrors.notFound();
  const { stream } = await deps.blobs.open(db, file.blob_id);
  try {
    await db.transaction().execute((tx) =>
      deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'item.attachment_read',
        subjectType: 'item',
        subjectId: itemId,
        details: { attachmentId, reason: access.reason },
      }),
    );
  } catch (e) {
    stream.destroy();
    throw e;
  }
  return { file, stream };
}

/** Removes a content file: the row stays (marked removed, for the record), the blob and its key go. */
export async function removeContentFile(deps: Deps, actor: Actor | null, itemId: string, attachmentId: string) {
  requireAnyPermission(actor, CONTENT_FILE_PERMISSIONS);
  if (!ID.test(attachmentId)) throw attachmentErrors.notFound();
  const db = deps.dbh.db;
  const done = await db.transaction().execute(async (tx) => {
    const item = await repo.lockItem(tx, deps.dbh.dialect, itemId);
    if (!item) throw itemErrors.notFound({ id: itemId });
    const via = await assertMayChangeContent(deps, tx, actor, item, 'remove');
    const file = await repo.findLiveContentFile(tx, itemId, attachmentId);
    if (!file?.blob_id) throw attachmentErrors.notFound();
    const now = deps.clock.now().toISOString();
    await repo.markRemoved(tx, file.id, actor.userId, now);
    // The wrapped data key goes with the row, in this transaction: from the commit on, the file
    // cannot be decrypted even if deleting it below fails.
    await deleteBlob(tx, file.blob_id);
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'item.attachment_removed',
      subjectType: 'item',
      subjectId: itemId,
      details: { attachmentId: file.id, size: file.size, mediaType: file.media_type, via },
    });
    return { blobId: file.blob_id, removedAt: now };
  });
  // After the commit (BlobStore.remove must not run in a transaction that may roll back).
  await deps.blobs.remove(db, done.blobId);
  return { id: attachmentId, removedAt: done.removedAt };
}

// ---- scans of signed receipts -------------------------------------------------------------------

async function loadEvent(db: Tx, eventId: string) {
  const ev = await findCustodyEvent(db, eventId);
  if (!ev) throw itemErrors.transferNotFound();
  return ev;
}

function assertMayAddScan(actor: Actor, ev: { confirmed_at: string | null; confirmed_by: string | null }, existing: unknown): void {
  const check = checkReceiptScanUpload({
    actorId: actor.userId,
    event: { confirmedAt: ev.confirmed_at, confirmedBy: ev.confirmed_by },
    hasScan: existing !== undefined,
  });
  if (!check.ok) throw refusalError(check.code);
}

/** Attaches the scan of a signed receipt page to a confirmed custody event (POST /api/custody/:id/receipt-scan). */
export async function addReceiptScan(deps: Deps, actor: Actor | null, eventId: string, input: UploadInput) {
  requirePermission(actor, 'custody.mine');
  const db = deps.dbh.db;
  const ev = await loadEvent(db, eventId);
  assertMayAddScan(actor, ev, await repo.findReceiptScan(db, eventId));
  const file = prepareFile(deps, input, 'receipt_scan');
  return storeUpload(deps, {
    file,
    actor,
    row: { item_id: ev.item_id, purpose: 'receipt_scan', custody_event_id: ev.id },
    recheck: async (tx) => {
      const locked = await repo.lockCustodyEvent(tx, deps.dbh.dialect, eventId);
      if (!locked) throw itemErrors.transferNotFound();
      assertMayAddScan(actor, locked, await repo.findReceiptScan(tx, eventId));
    },
    audit: (tx, row) =>
      deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'custody.receipt_scan_added',
        subjectType: 'item',
        subjectId: ev.item_id,
        details: { eventId, attachmentId: row.id, size: row.size, mediaType: row.media_type },
      }),
    onDuplicate: () => refusalError('receipt_scan.exists'),
  });
}

/** Opens the scan of a signed receipt: register readers and the signer; every read audited before the first byte. */
export async function openReceiptScan(deps: Deps, actor: Actor | null, eventId: string) {
  requirePermission(actor, 'item.view');
  const db = deps.dbh.db;
  const ev = await loadEvent(db, eventId);
  const item = await findItem(db, ev.item_id);
  const level = (item?.level ?? item?.proposed_level ?? 'TOP_SECRET') as Level;
  const via = receiptScanReader({ id: actor.userId, roles: actor.roles, clearance: actor.clearance }, ev.confirmed_by, level);
  if (!via) {
    // Refused like any content: audited with who and why, never what.
    await db.transaction().execute((tx) =>
      deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'custody.receipt_scan_refused',
        subjectType: 'item',
        subjectId: ev.item_id,
        details: { eventId },
      }),
    );
    throw attachmentErrors.scanReadForbidden();
  }
  const file = await repo.findReceiptScan(db, eventId);
  if (!file?.blob_id) throw attachmentErrors.scanNotFound();
  const { stream } = await deps.blobs.open(db, file.blob_id);
  try {
    await db.transaction().execute((tx) =>
      deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'custody.receipt_scan_read',
        subjectType: 'item',
        subjectId: ev.item_id,
        details: { eventId, attachmentId: file.id, via },
      }),
    );
  } catch (e) {
    stream.destroy();
    throw e;
  }
  return { file, stream };
}
