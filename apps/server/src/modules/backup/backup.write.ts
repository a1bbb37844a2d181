import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Pack } from 'tar-stream';
import type { AppDeps } from '../../kernel/context';
import { BLOB_CONTENT_ALGORITHM, createEncryptStream, DEFAULT_CHUNK_SIZE, encryptedSize, newDataKey } from '../../platform/blobstore/blob-crypto';
import { backupErrors } from './backup.errors';
import { syncDirectory } from '../../platform/durable-fs';
import {
  BACKUP_FORMAT,
  BACKUP_MAGIC,
  BACKUP_TABLES,
  drained,
  fileIdFor,
  MANIFEST_FORMAT,
  MANIFEST_NAME,
  READ_BUFFER,
  sha256Hex,
  summaryOf,
  type BackupHeader,
  type BackupSummary,
  type BackupTable,
  type EntryRecord,
  type Manifest,
  type ProgressFn,
  type Row,
} from './backup.format';
import { withPostgresSnapshot, withSqliteSnapshot, type SnapshotReader } from './backup.snapshot';

// Writing a backup (createBackup): the snapshot's tables, then the blob files, then the manifest,
// into a tar archive that is encrypted on its way to disk.

const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;

export interface BackupOptions {
  /** Plaintext bytes per table segment (tests use small ones to get many segments). */
  segmentBytes?: number;
}

function segmentName(table: BackupTable, n: number): string {
  return `tables/${table}/${String(n).padStart(6, '0')}.jsonl`;
}

/** Adds entries to the tar one at a time, hashing each; awaiting an entry gives backpressure. */
class ArchiveWriter {
  readonly entries: EntryRecord[] = [];

  constructor(
    private readonly pack: Pack,
    private readonly mtime: Date,
  ) {}

  async addBuffer(name: string, data: Buffer): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.pack.entry({ name, size: data.length, mode: 0o600, mtime: this.mtime, type: 'file' }, data, (err) => (err ? reject(err) : resolve()));
    });
    this.entries.push({ name, size: data.length, sha256: sha256Hex(data) });
  }

  /** Streams a file of known size into the archive. */
  async addFile(name: string, file: string, size: number, onChanged: () => Error): Promise<void> {
    const hash = crypto.createHash('sha256');
    let settle: (err?: Error | null) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      settle = (err) => (err ? reject(err) : resolve());
    });
    // Observed below; this keeps an early failure from counting as unhandled meanwhile.
    done.catch(() => undefined);
    const sink = this.pack.entry({ name, size, mode: 0o600, mtime: this.mtime, type: 'file' }, (err) => settle(err));
    let n = 0;
    try {
      for await (const chunk of fs.createReadStream(file, { highWaterMark: READ_BUFFER }) as AsyncIterable<Buffer>) {
        n += chunk.length;
        if (n > size) throw onChanged();
        hash.update(chunk);
        if (!sink.write(chunk)) await drained(sink);
      }
      if (n !== size) throw onChanged();
      sink.end(undefined);
    } catch (e) {
      sink.destroy(e as Error);
      throw e;
    }
    await done;
    this.entries.push({ name, size, sha256: hash.digest('hex') });
  }
}

function serialiseRow(table: BackupTable, row: Row): string {
  for (const [k, v] of Object.entries(row)) {
    // The format carries text, numbers and NULL, which is all the schema uses. A future binary or
    // boolean column must fail here, loudly, rather than come back changed after a restore.
    if (v !== null && typeof v !== 'string' && typeof v !== 'number') {
      throw new Error(`backup: ${table}.${k} holds a ${typeof v}, which the backup format does not carry`);
    }
  }
  return JSON.stringify(row);
}

interface TableDump {
  migrations: string[];
  tables: Record<string, { rows: number; columns: string[] }>;
  blobs: { id: string; size: number }[];
  auditHead: { seq: number; hash: string };
}

async function dumpTables(reader: SnapshotReader, writer: ArchiveWriter, segmentBytes: number, onProgress?: ProgressFn): Promise<TableDump> {
  const migrations = await reader.migrations();
  const counts = new Map<BackupTable, number>();
  let total = 0;
  for (const t of BACKUP_TABLES) {
    const n = await reader.count(t);
    counts.set(t, n);
    total += n;
  }
  const tables: TableDump['tables'] = {};
  const blobs: TableDump['blobs'] = [];
  let auditHead: TableDump['auditHead'] | undefined;
  let done = 0;
  onProgress?.({ phase: 'tables', done, total });
  for (const table of BACKUP_TABLES) {
    const columns = await reader.columns(table);
    let lines: Buffer[] = [];
    let size = 0;
    let segment = 0;
    let rows = 0;
    const flush = async () => {
      if (lines.length === 0) return;
      segment++;
      const data = Buffer.concat(lines, size);
      lines = [];
      size = 0;
      await writer.addBuffer(segmentName(table, segment), data);
      // SQLite rows are read synchronously and a tar entry can complete without any I/O wait:
      // give the server's other work (requests, writers) a turn between segments.
      await new Promise((resolve) => setImmediate(resolve));
    };
    for await (const page of reader.pages(table)) {
      for (const row of page) {
        const line = Buffer.from(`${serialiseRow(table, row)}\n`, 'utf8');
        lines.push(line);
        size += line.length;
        rows++;
        if (table === 'blobs') blobs.push({ id: String(row['id']), size: encryptedSize(Number(row['size']), Number(row['chunk_size'])) });
        if (table === 'audit_head') auditHead = { seq: Number(row['seq']), hash: String(row['hash']) };
        if (size >= segmentBytes) await flush();
      }
      done += page.length;
      onProgress?.({ phase: 'tables', done, total });
    }
    await flush();
    if (rows !== counts.get(table)) throw new Error(`backup: ${table} gave ${rows} rows but ${counts.get(table)} were counted in the same snapshot`);
    tables[table] = { rows, columns };
  }
  if (!auditHead) throw new Error('backup: the audit_head row is missing');
  return { migrations, tables, blobs, auditHead };
}

/**
 * Copies the files of the snapshot's blob rows. Blob files are immutable once published, so
 * reading them after the snapshot ended still gives the content its rows describe; a file gone
 * or of the wrong size (removed meanwhile, or a damaged store) fails the backup rather than
 * producing one that cannot be fully restored.
 */
async function copyBlobs(deps: AppDeps, writer: ArchiveWriter, blobs: TableDump['blobs'], onProgress?: ProgressFn): Promise<void> {
  onProgress?.({ phase: 'blobs', done: 0, total: blobs.length });
  let done = 0;
  for (const b of blobs) {
    const file = deps.blobs.pathFor(b.id);
    let size: number;
    try {
      size = (await fsp.stat(file)).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw backupErrors.sourceIncomplete({ blobId: b.id, reason: 'file_missing' });
      throw e;
    }
    if (size !== b.size) throw backupErrors.sourceIncomplete({ blobId: b.id, reason: 'size_mismatch' });
    await writer.addFile(`blobs/${b.id}`, file, size, () => backupErrors.sourceIncomplete({ blobId: b.id, reason: 'file_changed' }));
    onProgress?.({ phase: 'blobs', done: ++done, total: blobs.length });
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes an encrypted backup of the whole installation to `outFile`, online: all tables are read
 * in one snapshot while the server keeps working. The archive is built in memory a segment at a
 * time and encrypted on its way to `<outFile>.part`, which becomes `outFile` only when complete
 * and flushed; an existing `outFile` is never replaced.
 */
export async function createBackup(deps: AppDeps, outFile: string, onProgress?: ProgressFn, opts: BackupOptions = {}): Promise<BackupSummary> {
  const target = path.resolve(outFile);
  const part = `${target}.part`;
  if (await exists(target)) throw backupErrors.outputExists({ file: target });
  const segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  const createdAt = deps.clock.now();

  const dataKey = newDataKey();
  let headerLine: Buffer;
  let encrypt: ReturnType<typeof createEncryptStream>;
  try {
    const wrapped = deps.keys.wrapDataKey(dataKey);
    const header: BackupHeader = {
      magic: BACKUP_MAGIC,
      format: BACKUP_FORMAT,
      createdAt: createdAt.toISOString(),
      installationKeyId: deps.keys.signingKeyId(),
      keyVersion: wrapped.keyVersion,
      wrappedKey: wrapped.wrapped.toString('base64'),
      cipher: BLOB_CONTENT_ALGORITHM,
    };
    headerLine = Buffer.from(JSON.stringify(header), 'utf8');
    encrypt = createEncryptStream(dataKey, fileIdFor(headerLine), DEFAULT_CHUNK_SIZE);
  } finally {
    // The encryptor holds its own key object; do not leave the raw key in the heap.
    dataKey.fill(0);
  }

  await fsp.mkdir(path.dirname(target), { recursive: true });
  // A .part left by a crashed run is ours and incomplete.
  await fsp.rm(part, { force: true });
  const pack = tarPack();
  const prefix = Buffer.concat([headerLine, Buffer.from('\n')]);
  const writing = pipeline(
    // Byte mode: an object-mode stream would buffer 16 chunks, i.e. up to 16 whole segments.
    Readable.from(pack, { objectMode: false }),
    encrypt,
    async function* (source: AsyncIterable<Buffer>) {
      yield prefix;
      yield* source;
    },
    fs.createWriteStream(part, { flags: 'wx', mode: 0o600, flush: true }),
  );
  // Observed below; this keeps an early failure (disk full) from counting as unhandled meanwhile.
  writing.catch(() => undefined);

  let manifest: Manifest;
  try {
    const writer = new ArchiveWriter(pack, createdAt);
    const snapshot = deps.dbh.dialect === 'postgres' ? withPostgresSnapshot : withSqliteSnapshot;
    const dump = await snapshot(deps, (reader) => dumpTables(reader, writer, segmentBytes, onProgress));
    await copyBlobs(deps, writer, dump.blobs, onProgress);
    manifest = {
      format: MANIFEST_FORMAT,
      createdAt: createdAt.toISOString(),
      installationKeyId: deps.keys.signingKeyId(),
      sourceDialect: deps.dbh.dialect,
      migrations: dump.migrations,
      tables: dump.tables,
      blobs: dump.blobs.length,
      auditHead: dump.auditHead,
      entries: [...writer.entries],
    };
    await writer.addBuffer(MANIFEST_NAME, Buffer.from(JSON.stringify(manifest), 'utf8'));
    pack.finalize();
    await writing;
  } catch (e) {
    pack.destroy(e as Error);
    await writing.catch(() => undefined);
    await fsp.rm(part, { force: true });
    throw e;
  }

  // link + unlink rather than rename: rename would silently replace a backup made meanwhile.
  try {
    await fsp.link(part, target);
  } catch (e) {
    await fsp.rm(part, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw backupErrors.outputExists({ file: target });
    throw e;
  }
  await fsp.unlink(part);
  await syncDirectory(path.dirname(target));
  const { size } = await fsp.stat(target);
  return summaryOf(manifest, size);
}
