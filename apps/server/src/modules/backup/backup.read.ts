import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract } from 'tar-stream';
import { checkpointSignatureValid } from '../../platform/audit/audit-log';
import { chainKey, deriveChainSecret, GENESIS_HASH, hashEvent, type ChainKey, type HashedFields } from '../../platform/audit/canonical';
import { createDecryptStream, encryptedSize } from '../../platform/blobstore/blob-crypto';
import { DomainError, isDomainError } from '../../platform/errors';
import type { KeyProvider } from '../../platform/keys/key-provider';
import { backupErrors, damaged } from './backup.errors';
import {
  BACKUP_FORMAT,
  BACKUP_MAGIC,
  BACKUP_TABLES,
  drained,
  fileIdFor,
  headerSchema,
  MANIFEST_NAME,
  manifestSchema,
  PAGE_ROWS,
  READ_BUFFER,
  StreamClosed,
  summaryOf,
  type BackupHeader,
  type BackupSummary,
  type BackupTable,
  type EntryRecord,
  type Manifest,
  type ProgressFn,
  type Row,
} from './backup.format';

// Reading a backup: one decrypting walk that checks everything (walkBackup, which also drives a
// restore's second pass), and verifyBackup on top of it. walkBackup and BlobSink are exported
// for backup.restore.ts only: internal to the backup module, not public API.

/** A header line longer than this is not ours (ours is ~300 bytes). */
const MAX_HEADER_LINE = 4096;
/** The manifest is read into memory; it grows by ~150 bytes per entry. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
// Same rule as the blob store: ids become file names and must not escape the directory.
const SAFE_BLOB_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$/;
const SEGMENT_NAME = /^tables\/([a-z0-9_]+)\/(\d{6})\.jsonl$/;
const BLOB_NAME = /^blobs\/(.+)$/;

interface OpenedHeader {
  line: Buffer;
  header: BackupHeader;
  dataOffset: number;
  fileSize: number;
}

async function readHeader(file: string): Promise<OpenedHeader> {
  const fh = await fsp.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(MAX_HEADER_LINE, size));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(0x0a);
    if (nl < 0) throw backupErrors.notABackup();
    const line = Buffer.from(buf.subarray(0, nl));
    let obj: unknown;
    try {
      obj = JSON.parse(line.toString('utf8'));
    } catch {
      throw backupErrors.notABackup();
    }
    if (obj === null || typeof obj !== 'object' || (obj as { magic?: unknown }).magic !== BACKUP_MAGIC) throw backupErrors.notABackup();
    const format = (obj as { format?: unknown }).format;
    if (format !== BACKUP_FORMAT) throw backupErrors.unsupportedFormat({ format });
    const parsed = headerSchema.safeParse(obj);
    if (!parsed.success) throw damaged('header', 'header_fields');
    return { line, header: parsed.data, dataOffset: nl + 1, fileSize: size };
  } finally {
    await fh.close();
  }
}

function openDecryptor(keys: KeyProvider, opened: OpenedHeader) {
  if (opened.header.installationKeyId !== keys.signingKeyId()) {
    throw backupErrors.foreign({ reason: 'key_id', backupKeyId: opened.header.installationKeyId });
  }
  let dataKey: Buffer;
  try {
    dataKey = keys.unwrapDataKey(Buffer.from(opened.header.wrappedKey, 'base64'), opened.header.keyVersion);
  } catch {
    // Same signing key id but the master key does not open the data key: a key ring that is not
    // (or no longer) the one the backup was made with.
    throw backupErrors.foreign({ reason: 'unwrap', keyVersion: opened.header.keyVersion });
  }
  try {
    return createDecryptStream(dataKey, fileIdFor(opened.line));
  } finally {
    dataKey.fill(0);
  }
}

/** Receives a blob's bytes on restore; `commit` is called only after the entry checked out. */
export interface BlobSink {
  write(chunk: Buffer): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

interface WalkHooks {
  /** Verified-so-far rows of one table, in order, in batches. */
  rows?(table: BackupTable, rows: Row[]): Promise<void>;
  openBlob?(id: string): Promise<BlobSink>;
  /** After each entry has been read and checked. */
  entryDone?(name: string): void;
}

interface WalkOptions {
  hooks?: WalkHooks;
  /** Second pass: the header and entries the first pass verified (the file must not change). */
  expectHeader?: Buffer;
  expectEntries?: Map<string, EntryRecord>;
  onBytes?(done: number, total: number): void;
}

interface WalkResult {
  headerLine: Buffer;
  manifest: Manifest;
  bytes: number;
}

function isPlainObject(v: unknown): v is Row {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Every check on the archive's content, fed entry by entry: order of entries, rows, the audit
 * chain (recomputed from the rows, checkpoints' signatures included), blob entries against blob
 * rows, and finally everything against the manifest.
 */
class ArchiveChecker {
  private readonly seen: EntryRecord[] = [];
  private stage: 'tables' | 'blobs' | 'done' = 'tables';
  private tableIndex = -1;
  private segment = 0;
  private readonly rowCounts = new Map<BackupTable, number>();
  private readonly columnSets = new Map<BackupTable, string>();
  private auditHead: { seq: number; hash: string } | undefined;
  private chain: ChainKey | undefined;
  private readonly checkpoints = new Map<number, string>();
  private nextSeq = 1;
  private prevHash = GENESIS_HASH;
  private readonly blobSizes = new Map<string, number>();
  private readonly blobsSeen = new Set<string>();
  manifest: Manifest | undefined;

  constructor(
    private readonly publicKey: crypto.KeyObject,
    private readonly header: BackupHeader,
    /** The audit chain key's secret (events are hashed under it from the head's keyed_from). */
    private readonly chainSecret: Buffer,
  ) {}

  /** Classifies an entry by name and checks it may come here; returns what it is. */
  begin(name: string, type: string | undefined, size: number): { kind: 'table'; table: BackupTable } | { kind: 'blob'; id: string } | { kind: 'manifest' } {
    if (this.stage === 'done') throw damaged(name, 'entry_after_manifest');
    if (type !== 'file') throw damaged(name, 'not_a_file');
    if (name === MANIFEST_NAME) {
      if (size > MAX_MANIFEST_BYTES) throw damaged(name, 'manifest_too_large');
      return { kind: 'manifest' };
    }
    const seg = SEGMENT_NAME.exec(name);
    if (seg) {
      const table = seg[1] as BackupTable;
      const index = BACKUP_TABLES.indexOf(table);
      // Authentic (it decrypted) but unknown: written by a version with other tables.
      if (index < 0) throw backupErrors.incompatible({ reason: 'unknown_table', table: seg[1] });
      if (this.stage !== 'tables' || index < this.tableIndex) throw damaged(name, 'entry_order');
      if (index > this.tableIndex) {
        this.tableIndex = index;
        this.segment = 0;
      }
      if (Number(seg[2]) !== this.segment + 1) throw damaged(name, 'segment_order');
      this.segment++;
      return { kind: 'table', table };
    }
    const blob = BLOB_NAME.exec(name);
    if (blob) {
      const id = blob[1] as string;
      if (!SAFE_BLOB_ID.test(id)) throw damaged(name, 'bad_blob_name');
      this.stage = 'blobs';
      const expected = this.blobSizes.get(id);
      if (expected === undefined) throw damaged(name, 'blob_without_row');
      if (this.blobsSeen.has(id)) throw damaged(name, 'blob_repeated');
      if (size !== expected) throw damaged(name, 'blob_size');
      this.blobsSeen.add(id);
      return { kind: 'blob', id };
    }
    throw damaged(name, 'unexpected_entry');
  }

  acceptRow(table: BackupTable, part: string, row: unknown): Row {
    if (!isPlainObject(row)) throw damaged(part, 'row_not_object');
    const keys = JSON.stringify(Object.keys(row));
    const known = this.columnSets.get(table);
    if (known === undefined) this.columnSets.set(table, keys);
    else if (known !== keys) throw damaged(part, 'row_columns');
    for (const v of Object.values(row)) {
      if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw damaged(part, 'row_value');
    }
    switch (table) {
      case 'audit_head':
        if (this.auditHead) throw damaged(part, 'audit_head_rows');
        this.auditHead = { seq: Number(row['seq']), hash: String(row['hash']) };
        this.chain = chainKey(this.chainSecret, Number(row['keyed_from'] ?? 1));
        break;
      case 'audit_checkpoints': {
        const seq = Number(row['seq']);
        const hash = String(row['hash']);
        const ok = checkpointSignatureValid(row as unknown as Parameters<typeof checkpointSignatureValid>[0], this.publicKey);
        if (!ok) throw damaged(part, 'audit_checkpoint_signature', { seq });
        this.checkpoints.set(seq, hash);
        break;
      }
      case 'audit_events': {
        // The same walk as verifyAuditChain, over the rows in the file instead of a database.
        const seq = Number(row['seq']);
        if (seq !== this.nextSeq) throw damaged(part, 'audit_sequence', { seq });
        if (row['prev_hash'] !== this.prevHash) throw damaged(part, 'audit_link', { seq });
        if (hashEvent({ ...(row as unknown as HashedFields), seq }, this.chain) !== row['hash']) throw damaged(part, 'audit_hash', { seq });
        const cp = this.checkpoints.get(seq);
        if (cp !== undefined && cp !== row['hash']) throw damaged(part, 'audit_checkpoint', { seq });
        this.prevHash = String(row['hash']);
        this.nextSeq = seq + 1;
        break;
      }
      case 'blobs': {
        const id = String(row['id']);
        const size = Number(row['size']);
        const chunkSize = Number(row['chunk_size']);
        if (!SAFE_BLOB_ID.test(id) || this.blobSizes.has(id)) throw damaged(part, 'blob_row');
        if (!Number.isSafeInteger(size) || size < 0 || !Number.isSafeInteger(chunkSize) || chunkSize < 1) throw damaged(part, 'blob_row');
        this.blobSizes.set(id, encryptedSize(size, chunkSize));
        break;
      }
      default:
        break;
    }
    this.rowCounts.set(table, (this.rowCounts.get(table) ?? 0) + 1);
    return row;
  }

  acceptManifest(data: Buffer): void {
    let obj: unknown;
    try {
      obj = JSON.parse(data.toString('utf8'));
    } catch {
      throw damaged(MANIFEST_NAME, 'manifest_json');
    }
    const parsed = manifestSchema.safeParse(obj);
    if (!parsed.success) throw damaged(MANIFEST_NAME, 'manifest_fields');
    this.manifest = parsed.data;
    this.stage = 'done';
  }

  entryRead(entry: EntryRecord): void {
    if (entry.name !== MANIFEST_NAME) this.seen.push(entry);
  }

  /** After the last entry: everything against the manifest. Returns the manifest. */
  finish(): Manifest {
    const m = this.manifest;
    if (!m) throw damaged(MANIFEST_NAME, 'manifest_missing');
    if (m.createdAt !== this.header.createdAt || m.installationKeyId !== this.header.installationKeyId) throw damaged(MANIFEST_NAME, 'header_mismatch');
    const names = Object.keys(m.tables);
    if (names.length !== BACKUP_TABLES.length || !BACKUP_TABLES.every((t) => m.tables[t] !== undefined)) {
      throw backupErrors.incompatible({ reason: 'tables', tables: names });
    }
    const count = Math.max(m.entries.length, this.seen.length);
    for (let i = 0; i < count; i++) {
      const want = m.entries[i];
      const got = this.seen[i];
      if (!want || !got || want.name !== got.name) throw damaged(want?.name ?? got?.name ?? MANIFEST_NAME, want ? 'entry_missing' : 'entry_not_in_manifest');
      if (want.size !== got.size) throw damaged(got.name, 'size_mismatch');
      if (want.sha256 !== got.sha256) throw damaged(got.name, 'sha256_mismatch');
    }
    for (const t of BACKUP_TABLES) {
      const info = m.tables[t]!;
      const rows = this.rowCounts.get(t) ?? 0;
      if (info.rows !== rows) throw damaged(`tables/${t}`, 'row_count', { expected: info.rows, found: rows });
      const cols = this.columnSets.get(t);
      if (cols !== undefined && cols !== JSON.stringify(info.columns)) throw damaged(`tables/${t}`, 'columns');
    }
    if (m.blobs !== this.blobSizes.size) throw damaged('tables/blobs', 'blob_count');
    for (const id of this.blobSizes.keys()) if (!this.blobsSeen.has(id)) throw damaged(`blobs/${id}`, 'blob_missing');
    const head = this.auditHead;
    const lastSeq = this.nextSeq - 1;
    if (!head) throw damaged('tables/audit_head', 'audit_head_missing');
    if (head.seq !== lastSeq || head.hash !== this.prevHash) throw damaged('tables/audit_events', 'audit_head', { seq: lastSeq });
    if (m.auditHead.seq !== head.seq || m.auditHead.hash !== head.hash) throw damaged(MANIFEST_NAME, 'audit_head');
    for (const seq of this.checkpoints.keys()) if (seq > lastSeq) throw damaged('tables/audit_checkpoints', 'audit_checkpoint_beyond_head', { seq });
    return m;
  }
}

/** Splits a segment's bytes into lines without holding more than one partial line. */
class LineSplitter {
  private pending: Buffer[] = [];

  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const line = this.pending.length > 0 ? Buffer.concat([...this.pending, piece]) : piece;
      this.pending = [];
      onLine(line.toString('utf8'));
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(Buffer.from(chunk.subarray(start)));
  }

  get hasPartial(): boolean {
    return this.pending.length > 0;
  }
}

/**
 * Decrypts and walks a backup once, checking everything (ArchiveChecker) and handing rows and
 * blob bytes to `hooks`. The decryptor releases a chunk only after its tag verified, and the
 * last one only at the end of the file, so a walk that ends without error has authenticated the
 * whole file; hooks must still treat an error at any point as failure of the whole backup.
 */
export async function walkBackup(keys: KeyProvider, file: string, opts: WalkOptions = {}): Promise<WalkResult> {
  const opened = await readHeader(file);
  if (opts.expectHeader && !opts.expectHeader.equals(opened.line)) throw damaged('header', 'changed_between_passes');
  const decrypt = openDecryptor(keys, opened);
  const checker = new ArchiveChecker(keys.signingPublicKey(), opened.header, deriveChainSecret(keys.databaseKey()));
  const hooks = opts.hooks ?? {};
  const extract = tarExtract();

  let read = opened.dataOffset;
  const counter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback) {
      read += chunk.length;
      try {
        opts.onBytes?.(read, opened.fileSize);
      } catch (e) {
        return callback(e as Error);
      }
      callback(null, chunk);
    },
  });
  let feedError: unknown;
  const feeding = pipeline(
    fs.createReadStream(file, { start: opened.dataOffset, highWaterMark: READ_BUFFER }),
    counter,
    decrypt,
    async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) {
        if (extract.destroying || extract.destroyed) throw new StreamClosed();
        if (!extract.write(chunk)) await drained(extract);
      }
      extract.end(undefined);
    },
  ).catch((e: unknown) => {
    if (!(e instanceof StreamClosed)) feedError = e;
    extract.destroy(e as Error);
  });

  let current: string | undefined;
  let hookError: unknown;
  const hook = async <T>(f: () => Promise<T> | T): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      hookError = e;
      throw e;
    }
  };

  try {
    for await (const entry of extract) {
      const name = entry.header.name;
      current = name;
      const what = checker.begin(name, entry.header.type, entry.header.size);
      const hash = crypto.createHash('sha256');
      let size = 0;
      if (what.kind === 'table') {
        const splitter = new LineSplitter();
        let batch: Row[] = [];
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
          splitter.push(chunk, (line) => {
            let row: unknown;
            try {
              row = JSON.parse(line);
            } catch {
              throw damaged(name, 'row_json');
            }
            const checked = checker.acceptRow(what.table, name, row);
            if (hooks.rows) batch.push(checked);
          });
          if (batch.length >= PAGE_ROWS && hooks.rows) {
            const rows = batch;
            batch = [];
            await hook(() => hooks.rows!(what.table, rows));
          }
        }
        if (splitter.hasPartial) throw damaged(name, 'row_unterminated');
        if (batch.length > 0 && hooks.rows) await hook(() => hooks.rows!(what.table, batch));
      } else if (what.kind === 'blob') {
        const sink = hooks.openBlob ? await hook(() => hooks.openBlob!(what.id)) : undefined;
        try {
          for await (const chunk of entry as AsyncIterable<Buffer>) {
            hash.update(chunk);
            size += chunk.length;
            if (sink) await hook(() => sink.write(chunk));
          }
          checkExpected(opts.expectEntries, name, size, hash);
          if (sink) await hook(() => sink.commit());
        } catch (e) {
          await sink?.abort().catch(() => undefined);
          throw e;
        }
      } else {
        const parts: Buffer[] = [];
        for await (const chunk of entry as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
          parts.push(chunk);
        }
        checker.acceptManifest(Buffer.concat(parts, size));
      }
      const sha256 = hash.digest('hex');
      if (what.kind !== 'blob') checkExpected(opts.expectEntries, name, size, sha256);
      checker.entryRead({ name, size, sha256 });
      current = undefined;
      if (hooks.entryDone) await hook(() => hooks.entryDone!(name));
    }
    await feeding;
    if (feedError !== undefined) throw feedError;
    const manifest = checker.finish();
    return { headerLine: opened.line, manifest, bytes: opened.fileSize };
  } catch (e) {
    extract.destroy();
    await feeding;
    throw classify(e, hookError, feedError, current);
  }
}

function checkExpected(expect: Map<string, EntryRecord> | undefined, name: string, size: number, hash: crypto.Hash | string): void {
  if (!expect || name === MANIFEST_NAME) return;
  const want = expect.get(name);
  // Hashing a copy of the state: the caller still needs the digest afterwards.
  const sha256 = typeof hash === 'string' ? hash : hash.copy().digest('hex');
  if (!want || want.size !== size || want.sha256 !== sha256) throw damaged(name, 'changed_between_passes');
}

/** Turns what went wrong while walking into the error the caller should see. */
function classify(e: unknown, hookError: unknown, feedError: unknown, part: string | undefined): unknown {
  if (hookError !== undefined && e === hookError) return e;
  if (isDomainError(e) && e.code.startsWith('backup.')) return e;
  const root = feedError ?? e;
  if (isDomainError(root) && root.code === 'blob.integrity_failed') {
    // blob-crypto's verdict on the encrypted stream: flipped bits, cut or appended bytes.
    return damaged(part ?? 'archive', String(root.details?.['reason'] ?? 'integrity'));
  }
  // Reading the file failed (I/O error) or a progress callback threw: not the backup's fault.
  if (feedError !== undefined) return feedError;
  if (e instanceof DomainError) return e;
  // Left: the tar parser refused authenticated plaintext, which only a broken writer produces.
  return damaged(part ?? 'archive', 'tar_format', { message: (e as Error)?.message });
}

/**
 * Decrypts and checks a whole backup: every chunk's tag, every entry's SHA-256 and size against
 * the manifest, row counts, blob entries against blob rows, and the audit chain inside it
 * (recomputed from the rows, with the signed checkpoints). Needs this installation's keys.
 */
export async function verifyBackup(keys: KeyProvider, file: string, onProgress?: ProgressFn): Promise<BackupSummary> {
  const r = await walkBackup(keys, file, { onBytes: (done, total) => onProgress?.({ phase: 'verify', done, total }) });
  return summaryOf(r.manifest, r.bytes);
}
