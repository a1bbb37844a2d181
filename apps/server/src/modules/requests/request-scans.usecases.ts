import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { deleteBlob } from '../../platform/blobstore/blob.repository';
import { isUniqueViolation } from '../../platform/db/dialect';
import { prepareFile, storeGuardedBlob, type UploadInput } from '../attachments/attachments.usecases';
import { today } from '../items/item-steps';
import { isRequestScanKind, type RequestScanKind } from './request-scans.rules';
import * as repo from './request-scans.repository';
import { requestErrors } from './requests.errors';
import { effectiveStatus, type RequestStatus } from './requests.rules';
import { findDecision } from './requests.repository';
import { auditingRefusal, checkScanUploader, loadRequest, visibleRequest } from './requests.usecases';

// The scans kept with a request (request-scans.rules): the requesting body's written request of a
// provision, the higher authority's written decision. Uploaded like a receipt scan: the body is
// streamed into the encrypted blob store before any transaction, then one short transaction checks
// again under lock and writes the row with its audit event. The file name is never logged nor
// audited (it may reveal content). Refusals are audited like every refusal of a request.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids' | 'blobs' | 'config'>;
type Db = AppDeps['dbh']['db'];

/** A kind from the URL, checked after the permission (an unknown kind names nothing: not found). */
function kindOf(kind: string): RequestScanKind {
  if (!isRequestScanKind(kind)) throw requestErrors['request.scan_kind_unknown']!();
  return kind;
}

async function assertMayUpload(db: Db, deps: Deps, actor: Actor, id: string, kind: RequestScanKind, locked?: Awaited<ReturnType<typeof loadRequest>>) {
  const r = locked ?? (await loadRequest(db, id));
  const decision = await findDecision(db, id);
  const status = effectiveStatus(r.status as RequestStatus, decision?.deadline ?? null, today(deps));
  const check = await checkScanUploader(db, actor, r, status, kind);
  if (!check.ok) throw requestErrors[check.code]!();
  return r;
}

/** Uploads (or replaces) a scan of a request (POST /api/requests/:id/scans/:kind). */
export async function uploadRequestScan(deps: Deps, actor: Actor | null, id: string, rawKind: string, input: UploadInput) {
  return auditingRefusal(deps, actor, 'scan_upload', { type: 'request', id }, async () => {
    requirePermission(actor, 'request.create');
    const kind = kindOf(rawKind);
    if (kind === 'outside_decision') requirePermission(actor, 'request.record_outside');
    // Refused before the body is read, so a refusal costs nothing and holds no transaction.
    await assertMayUpload(deps.dbh.db, deps, actor, id, kind);
    const file = prepareFile(deps, input, 'receipt_scan', () => requestErrors['request.scan_media_type_not_allowed']!());
    const done = await storeGuardedBlob(deps, file, async (tx, stored) => {
      const locked = await repo.lockRequest(tx, deps.dbh.dialect, id);
      if (!locked) throw requestErrors['request.not_found']!();
      await assertMayUpload(tx, deps, actor, id, kind, locked);
      await deps.blobs.register(tx, stored);
      const now = deps.clock.now().toISOString();
      const f = {
        blob_id: stored.id,
        file_name: file.fileName,
        content_type: file.format.type,
        size: stored.size,
        uploaded_by: actor.userId,
        uploaded_at: now,
      };
      const previous = await repo.findScan(tx, id, kind);
      let scanId: string;
      if (previous) {
        scanId = previous.id;
        await repo.replaceScan(tx, previous.id, f);
        // The old file's key goes in this transaction: from the commit on it cannot be decrypted.
        await deleteBlob(tx, previous.blob_id);
      } else {
        scanId = deps.ids();
        try {
          await repo.insertScan(tx, { id: scanId, request_id: id, kind, ...f });
        } catch (e) {
          // Two first uploads at once (SQLite's writer or the row lock orders all others).
          if (isUniqueViolation(e)) throw requestErrors['request.scan_concurrent']!();
          throw e;
        }
      }
      // Metadata only: the file name can reveal the content, so it stays out of the audit trail.
      await deps.audit.append(tx, {
        actorId: actor.userId,
        action: 'request.scan_uploaded',
        subjectType: 'request',
        subjectId: id,
        details: { kind, scanId, size: stored.size, mediaType: file.format.type, replaced: previous !== undefined },
      });
      return { previousBlobId: previous?.blob_id ?? null, scan: { kind, fileName: file.fileName, size: Number(stored.size), uploadedAt: now } };
    });
    // After the commit (BlobStore.remove must not run in a transaction that may roll back).
    if (done.previousBlobId) await deps.blobs.remove(deps.dbh.db, done.previousBlobId).catch(() => undefined);
    return done.scan;
  });
}

/** Opens a scan for download: whoever sees the request's page; every read audited before the first byte. */
export async function openRequestScan(deps: Deps, actor: Actor | null, id: string, rawKind: string) {
  return auditingRefusal(deps, actor, 'scan_read', { type: 'request', id }, async () => {
    requirePermission(actor, 'request.read');
    const kind = kindOf(rawKind);
    const db = deps.dbh.db;
    await visibleRequest(deps, actor, id, 'request.scan_read_refused');
    const scan = await repo.findScan(db, id, kind);
    if (!scan) throw requestErrors['request.scan_not_found']!();
    const { stream } = await deps.blobs.open(db, scan.blob_id);
    try {
      await db.transaction().execute((tx) =>
        deps.audit.append(tx, {
          actorId: actor.userId,
          action: 'request.scan_read',
          subjectType: 'request',
          subjectId: id,
          details: { kind, scanId: scan.id },
        }),
      );
    } catch (e) {
      stream.destroy();
      throw e;
    }
    return { file: { file_name: scan.file_name, media_type: scan.content_type, size: scan.size }, stream };
  });
}
