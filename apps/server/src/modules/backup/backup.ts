import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql, type Kysely } from 'kysely';
import { extract as tarExtract, pack as tarPack, type Pack } from 'tar-stream';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import { blobDirFor } from '../../platform/data-paths';
import { checkpointSignatureValid } from '../../platform/audit/audit-log';
import { chainKey, deriveChainSecret, GENESIS_HASH, hashEvent, type ChainKey, type HashedFields } from '../../platform/audit/canonical';
import {
  BLOB_CONTENT_ALGORITHM,
  createDecryptStream,
  createEncryptStream,
  DEFAULT_CHUNK_SIZE,
  encryptedSize,
  newDataKey,
} from '../../platform/blobstore/blob-crypto';
import { openSqlite, type DbHandle, type Dialect } from '../../platform/db/database';
import type { Database } from '../../platform/db/schema';
import { DomainError, isDomainError } from '../../platform/errors';
import type { KeyProvider } from '../../platform/keys/key-provider';
import { backupErrors, damaged } from './backup.errors';
import { REGISTER_SEARCH_SHADOW_TABLES, REGISTER_SEARCH_TABLE, REGISTER_SEARCH_WORDS_TABLE, rebuildRegisterSearch } from '../search/search.index';
import { syncDirectory } from '../../platform/durable-fs';

// Logical, encrypted backup of one installation; restorable on either database.
//
// File layout:
//
//   line 1   plaintext JSON header + "\n": magic "KHOMAT-BACKUP", format version, creation time,
//            id of the installation's signing key, and the backup's random data key wrapped by the
//            master key (with its version). Nothing secret: it only says whose backup this is.
//   rest     the blob-crypto chunked AES-256-GCM stream (blob-crypto.ts) of a tar archive. Its
//            file id (bound into every chunk's AAD) is a SHA-256 of the header line, so an edited
//            header fails authentication like any other edited byte.
//
// Tar entries, in this order:
//
//   tables/<table>/<nnnnnn>.jsonl   one JSON object per line, rows ordered by primary key, tables
//                                   in BACKUP_TABLES order. A table is cut into numbered segments
//                                   of about `segmentBytes`: a tar header must state the entry's
//                                   size before its data, and buffering a whole table (or writing
//                                   it to a temporary file, i.e. plaintext on disk) to learn that
//                                   size is what we must not do. An empty table has no segment.
//   blobs/<id>                      the stored blob file byte for byte (still encrypted under its
//                                   own data key, which travels in that blob's `blobs` row).
//   manifest.json                   last, because it holds the SHA-256 and size of every entry
//                                   before it; a backup without it is damaged (cut short).
//
// Both databases give the same logical rows (text and integer columns only, times as ISO
// strings), so a backup taken on SQLite restores onto PostgreSQL and the other way round.

export const BACKUP_MAGIC = 'KHOMAT-BACKUP';
export const BACKUP_FORMAT = 1;
const MANIFEST_NAME = 'manifest.json';
const MANIFEST_FORMAT = 'khomat-backup-1';
/** A header line longer than this is not ours (ours is ~300 bytes). */
const MAX_HEADER_LINE = 4096;
/** The manifest is read into memory; it grows by ~150 bytes per entry. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;
const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;
const READ_BUFFER = 256 * 1024;
/** Rows per SQLite page / PostgreSQL FETCH while dumping, and per batch handed to restore. */
const PAGE_ROWS = 500;
/** Bind parameters per INSERT on restore: well under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_INSERT_PARAMS = 8000;
// Same rule as the blob store: ids become file names and must not escape the directory.
const SAFE_BLOB_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$/;
const SEGMENT_NAME = /^tables\/([a-z0-9_]+)\/(\d{6})\.jsonl$/;
const BLOB_NAME = /^blobs\/(.+)$/;

/**
 * Tables in a backup, in foreign-key order (a row's references are restored before it).
 * audit_head and audit_checkpoints come before audit_events so that verification can walk the
 * chain once, checking every checkpoint as it passes and the head at the end, with only the
 * checkpoints in memory.
 */
export const BACKUP_TABLES = [
  'units',
  'positions',
  'users',
  'user_roles',
  'audit_head',
  'audit_checkpoints',
  'audit_events',
  'blobs',
  'settings',
  'catalog_items',
  'delegations',
  'secret_items',
  'item_recipients',
  'item_assignments',
  'copies',
  'custody_events',
  'custody_event_copies',
  'item_attachments',
  'counters',
  'register_entries',
  'register_years',
  'notifications',
  'account_changes',
  'requests',
  'request_decisions',
  'take_outs',
  'take_out_copies',
  'incidents',
  'copy_executions',
  'provisions',
  'request_letters',
  'request_scans',
] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];

/**
 * Tables deliberately left out, with the reason. A table must be in BACKUP_TABLES or here
 * (backup.test.ts checks every table of the database), so a new table cannot be forgotten.
 */
export const BACKUP_EXCLUDED_TABLES: Readonly<Record<string, string>> = {
  // A restored system starts with nobody signed in. Restoring sessions would revive bearer
  // credentials (their ids are token hashes) from the moment of the backup, possibly of users
  // deactivated since; and the backup would carry live sign-ins to wherever the file travels.
  sessions: 'live sign-ins; a restored system starts with none',
  // Derived from register_entries (FTS5 on SQLite, tsvector on PostgreSQL — not portable between
  // the two); rebuilt from the restored entries at the end of a restore.
  [REGISTER_SEARCH_TABLE]: 'search index derived from register_entries; rebuilt on restore',
};

/** Ordering of each table's rows in the backup (its primary key). */
const PRIMARY_KEYS: Record<BackupTable, readonly string[]> = {
  units: ['id'],
  positions: ['id'],
  users: ['id'],
  user_roles: ['user_id', 'role'],
  audit_head: ['id'],
  audit_checkpoints: ['seq'],
  audit_events: ['seq'],
  blobs: ['id'],
  settings: ['key'],
  catalog_items: ['id'],
  delegations: ['id'],
  secret_items: ['id'],
  item_recipients: ['id'],
  item_assignments: ['item_id', 'user_id'],
  copies: ['id'],
  custody_events: ['id'],
  custody_event_copies: ['event_id', 'copy_id'],
  item_attachments: ['id'],
  counters: ['name', 'year'],
  register_entries: ['id'],
  register_years: ['register', 'year'],
  notifications: ['id'],
  account_changes: ['id'],
  requests: ['id'],
  request_decisions: ['id'],
  take_outs: ['id'],
  take_out_copies: ['take_out_id', 'copy_id'],
  incidents: ['id'],
  copy_executions: ['id'],
  provisions: ['id'],
  request_letters: ['request_id'],
  request_scans: ['id'],
};

/**
 * Tables that an empty, freshly migrated database may already have rows in: their rows are
 * replaced by the backup's on restore (audit_head holds the genesis row from the migration).
 */
const REPLACED_ON_RESTORE: readonly BackupTable[] = ['audit_head', 'settings'];

/**
 * Self-references that rows in primary-key order may violate (a unit's parent can sort after it).
 * Neither database defers these checks (PostgreSQL constraints are not DEFERRABLE here), so the
 * column is inserted as NULL and set once the whole table is in.
 */
const SELF_REFERENCES: Partial<Record<BackupTable, { column: string; key: string }>> = {
  units: { column: 'parent_id', key: 'id' },
};

export interface BackupProgress {
  phase: 'tables' | 'blobs' | 'verify' | 'restore';
  done: number;
  total: number;
}
export type ProgressFn = (p: BackupProgress) => void;

export interface BackupSummary {
  createdAt: string;
  /** Database the backup was taken from. */
  dialect: Dialect;
  /** Rows per table. */
  tables: Record<string, number>;
  blobs: number;
  auditHead: { seq: number; hash: string };
  /** Size of the backup file. */
  bytes: number;
}

export interface BackupOptions {
  /** Plaintext bytes per table segment (tests use small ones to get many segments). */
  segmentBytes?: number;
}

const headerSchema = z.object({
  magic: z.literal(BACKUP_MAGIC),
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string().min(1),
  installationKeyId: z.string().min(1).max(128),
  keyVersion: z.number().int().positive(),
  wrappedKey: z.string().min(1).max(4096),
  cipher: z.literal(BLOB_CONTENT_ALGORITHM),
});
type BackupHeader = z.infer<typeof headerSchema>;

const entrySchema = z.object({ name: z.string(), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
type EntryRecord = z.infer<typeof entrySchema>;

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  createdAt: z.string(),
  installationKeyId: z.string(),
  sourceDialect: z.enum(['sqlite', 'postgres']),
  /** Applied migrations of the source, in order: a restore target must have exactly these. */
  migrations: z.array(z.string()),
  tables: z.record(z.string(), z.object({ rows: z.number().int().nonnegative(), columns: z.array(z.string()) })),
  blobs: z.number().int().nonnegative(),
  auditHead: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }),
  /** Every entry before the manifest, in archive order. */
  entries: z.array(entrySchema),
});
type Manifest = z.infer<typeof manifestSchema>;

type Row = Record<string, unknown>;

function sha256Hex(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The blob-crypto file id of a backup: binds the plaintext header into every chunk's AAD. */
function fileIdFor(headerLine: Buffer): string {
  return `khomat-backup:${sha256Hex(headerLine)}`;
}

function segmentName(table: BackupTable, n: number): string {
  return `tables/${table}/${String(n).padStart(6, '0')}.jsonl`;
}

function selectAllSql(table: BackupTable): string {
  // Table and column names come from the constants above, never from input.
  return `select * from "${table}" order by ${PRIMARY_KEYS[table].map((c) => `"${c}"`).join(', ')}`;
}

/** The other side of a tar stream went away (its own error is reported, not this one). */
class StreamClosed extends Error {}

interface DrainableStream {
  readonly destroying: boolean;
  readonly destroyed: boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Waits until a (streamx) writable wants more, or fails if it closes first. */
function drained(s: DrainableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.destroying || s.destroyed) return reject(new StreamClosed());
    const onDrain = () => {
      s.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      s.off('drain', onDrain);
      reject(new StreamClosed());
    };
    s.once('drain', onDrain);
    s.once('close', onClose);
  });
}

// ---- Database snapshot -------------------------------------------------------------------

/** Reads of one consistent snapshot of the database. */
interface SnapshotReader {
  migrations(): Promise<string[]>;
  count(table: BackupTable): Promise<number>;
  columns(table: BackupTable): Promise<string[]>;
  /** The table's rows in primary-key order, a page at a time (never the whole table). */
  pages(table: BackupTable): AsyncGenerator<Row[]>;
}

/**
 * SQLite: a deferred read transaction on a second connection. In WAL mode it sees one snapshot
 * from its first read to COMMIT and takes no write lock, so the server keeps writing. Kysely's
 * connection is not used: its transactions begin IMMEDIATE (the write lock) and it has only the
 * one connection, which a long read would hold up.
 */
async function withSqliteSnapshot<T>(deps: AppDeps, fn: (r: SnapshotReader) => Promise<T>): Promise<T> {
  const file = deps.dbh.sqliteFile;
  if (!file) throw new Error('An online backup needs the database in a file (an in-memory SQLite database cannot be opened twice).');
  const conn = openSqlite(file, deps.keys.databaseKey());
  try {
    conn.exec('begin');
    const reader: SnapshotReader = {
      migrations: async () => (conn.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name),
      count: async (t) => Number((conn.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n),
      columns: async (t) =>
        conn
          .prepare(selectAllSql(t))
          .columns()
          .map((c) => c.name),
      pages: async function* (t) {
        const it = conn.prepare(selectAllSql(t)).iterate() as IterableIterator<Row>;
        try {
          let page: Row[] = [];
          for (const row of it) {
            page.push(row);
            if (page.length >= PAGE_ROWS) {
              yield page;
              page = [];
            }
          }
          if (page.length > 0) yield page;
        } finally {
          // Frees the statement when the consumer stops early (error), so COMMIT can run.
          it.return?.();
        }
      },
    };
    return await fn(reader);
  } finally {
    try {
      if (conn.inTransaction) conn.exec('commit');
    } finally {
      conn.close();
    }
  }
}

/**
 * PostgreSQL: a read-only REPEATABLE READ transaction sees one snapshot for all its statements.
 * Rows are read through a cursor in that transaction, a page per FETCH.
 */
async function withPostgresSnapshot<T>(deps: AppDeps, fn: (r: SnapshotReader) => Promise<T>): Promise<T> {
  return deps.dbh.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const reader: SnapshotReader = {
        migrations: async () => (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(tx)).rows.map((r) => r.name),
        count: async (t) => Number((await sql<{ n: string | number }>`select count(*) as n from ${sql.table(t)}`.execute(tx)).rows[0]?.n ?? 0),
        columns: async (t) =>
          (
            await sql<{ column_name: string }>`select column_name from information_schema.columns
              where table_schema = current_schema() and table_name = ${t} order by ordinal_position`.execute(tx)
          ).rows.map((r) => r.column_name),
        pages: async function* (t) {
          await sql`declare khomat_backup no scroll cursor for ${sql.raw(selectAllSql(t))}`.execute(tx);
          try {
            for (;;) {
              const r = await sql<Row>`fetch forward ${sql.raw(String(PAGE_ROWS))} from khomat_backup`.execute(tx);
              if (r.rows.length === 0) break;
              yield r.rows;
            }
          } finally {
            // After an error the transaction is aborted and rolls back, closing the cursor anyway.
            await sql`close khomat_backup`.execute(tx).catch(() => undefined);
          }
        },
      };
      return fn(reader);
    });
}

// ---- Writing -----------------------------------------------------------------------------

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

function summaryOf(manifest: Manifest, bytes: number): BackupSummary {
  const tables: Record<string, number> = {};
  for (const [t, v] of Object.entries(manifest.tables)) tables[t] = v.rows;
  return { createdAt: manifest.createdAt, dialect: manifest.sourceDialect, tables, blobs: manifest.blobs, auditHead: manifest.auditHead, bytes };
}

// ---- Reading -----------------------------------------------------------------------------

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
interface BlobSink {
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
async function walkBackup(keys: KeyProvider, file: string, opts: WalkOptions = {}): Promise<WalkResult> {
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

// ---- Restore -----------------------------------------------------------------------------

/** Tables of the database (not Kysely's own) with their columns; PostgreSQL: this schema only. */
export async function listDatabaseTables(dbh: DbHandle): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (dbh.dialect === 'postgres') {
    // Only the schema in use, asked directly: Kysely's introspection walks every schema of the
    // database and fails when another one is dropped meanwhile (seen with parallel test schemas).
    const rows = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
       where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
       order by c.table_name, c.ordinal_position`.execute(dbh.db);
    for (const r of rows.rows) {
      if (r.table_name.startsWith('kysely_migration')) continue;
      // The word list of the search index (migration 0016) is part of register_search (excluded
      // above), as FTS5's shadow tables are on SQLite: rebuilt with it.
      if (r.table_name === REGISTER_SEARCH_WORDS_TABLE) continue;
      out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
    }
    return out;
  }
  const tables = await dbh.db.introspection.getTables();
  for (const t of tables) {
    if (t.isView || t.name.startsWith('kysely_migration')) continue;
    // SQLite's FTS5 keeps the search index in shadow tables of register_search (excluded above).
    if (dbh.dialect === 'sqlite' && REGISTER_SEARCH_SHADOW_TABLES.includes(t.name)) continue;
    out.set(
      t.name,
      t.columns.map((c) => c.name),
    );
  }
  return out;
}

async function countRows(db: Kysely<Database>, table: string): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  return (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
}

async function assertEmptyTarget(deps: AppDeps): Promise<void> {
  const mustBeEmpty = [...BACKUP_TABLES.filter((t) => !REPLACED_ON_RESTORE.includes(t)), ...Object.keys(BACKUP_EXCLUDED_TABLES)];
  for (const t of mustBeEmpty) {
    if ((await countRows(deps.dbh.db, t)) > 0) throw backupErrors.targetNotEmpty({ table: t });
  }
  const head = await deps.dbh.db.selectFrom('audit_head').select('seq').executeTakeFirst();
  if (head && Number(head.seq) > 0) throw backupErrors.targetNotEmpty({ table: 'audit_head' });
  const dir = blobDirFor(deps.config);
  let names: fs.Dirent[] = [];
  try {
    names = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // Any file counts, a stray .part too: the blob files of a restore must be the backup's alone.
  const file = names.find((d) => !d.isDirectory());
  if (file) throw backupErrors.targetNotEmpty({ blobFile: path.relative(dir, path.join(file.parentPath, file.name)) });
}

/** Inserts restored rows in multi-row INSERTs, deferring self-references until a table is in. */
class RowInserter {
  private deferred: { table: BackupTable; column: string; key: string; pairs: [unknown, unknown][] } | undefined;

  constructor(private readonly tx: Kysely<Database>) {}

  async insert(table: BackupTable, rows: Row[]): Promise<void> {
    if (this.deferred && this.deferred.table !== table) await this.flushDeferred();
    const first = rows[0];
    if (!first) return;
    const columns = Object.keys(first);
    const self = SELF_REFERENCES[table];
    if (self) this.deferred ??= { table, ...self, pairs: [] };
    const perStatement = Math.max(1, Math.floor(MAX_INSERT_PARAMS / columns.length));
    for (let i = 0; i < rows.length; i += perStatement) {
      const values = rows.slice(i, i + perStatement).map((row) => {
        let r = row;
        if (self && r[self.column] !== null) {
          this.deferred!.pairs.push([r[self.key], r[self.column]]);
          r = { ...r, [self.column]: null };
        }
        return sql`(${sql.join(columns.map((c) => r[c]))})`;
      });
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(this.tx);
    }
  }

  async finish(): Promise<void> {
    await this.flushDeferred();
  }

  private async flushDeferred(): Promise<void> {
    const d = this.deferred;
    this.deferred = undefined;
    if (!d) return;
    for (const [key, value] of d.pairs) {
      await sql`update ${sql.table(d.table)} set ${sql.ref(d.column)} = ${value} where ${sql.ref(d.key)} = ${key}`.execute(this.tx);
    }
  }
}

/** Writes one restored blob file as `<id>.part`, published under its id only on commit. */
async function openBlobSink(deps: AppDeps, id: string, published: string[], dirs: Set<string>): Promise<BlobSink> {
  const final = deps.blobs.pathFor(id);
  const part = `${final}.part`;
  const dir = path.dirname(final);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const handle = await fsp.open(part, 'wx', 0o600);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(chunk) {
      let at = 0;
      while (at < chunk.length) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
    },
    async commit() {
      await handle.sync();
      await close();
      // link, not rename: never replace a file that appeared meanwhile.
      try {
        await fsp.link(part, final);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw backupErrors.targetNotEmpty({ blobFile: id });
        throw e;
      }
      published.push(final);
      await fsp.unlink(part);
      dirs.add(dir);
    },
    async abort() {
      await close().catch(() => undefined);
      await fsp.rm(part, { force: true });
    },
  };
}

/**
 * Restores a backup into an empty installation (migrated, no data, no blob files) using the same
 * key ring (keys are backed up separately). The whole file is verified first; a second pass then
 * inserts all rows in one transaction and writes the blob files before that transaction commits.
 * On any failure the transaction rolls back and the files written are removed, so the target is
 * left as it was. Works across databases (SQLite ↔ PostgreSQL).
 */
export async function restoreBackup(deps: AppDeps, file: string, onProgress?: ProgressFn): Promise<BackupSummary> {
  await assertEmptyTarget(deps);
  const first = await walkBackup(deps.keys, file, { onBytes: (done, total) => onProgress?.({ phase: 'verify', done, total }) });
  const manifest = first.manifest;

  const migrations = await appliedMigrations(deps.dbh.db);
  if (JSON.stringify(migrations) !== JSON.stringify(manifest.migrations)) {
    throw backupErrors.incompatible({ reason: 'migrations', backup: manifest.migrations, target: migrations });
  }
  const targetTables = await listDatabaseTables(deps.dbh);
  for (const t of BACKUP_TABLES) {
    const want = [...manifest.tables[t]!.columns].sort();
    const have = [...(targetTables.get(t) ?? [])].sort();
    if (JSON.stringify(want) !== JSON.stringify(have)) throw backupErrors.incompatible({ reason: 'columns', table: t });
  }

  const expectEntries = new Map(manifest.entries.map((e) => [e.name, e]));
  const total = manifest.entries.length + 1;
  let done = 0;
  const published: string[] = [];
  const dirs = new Set<string>();
  try {
    await deps.dbh.db.transaction().execute(async (tx) => {
      for (const t of REPLACED_ON_RESTORE) await sql`delete from ${sql.table(t)}`.execute(tx);
      const inserter = new RowInserter(tx);
      await walkBackup(deps.keys, file, {
        expectHeader: first.headerLine,
        expectEntries,
        hooks: {
          rows: (table, rows) => inserter.insert(table, rows),
          openBlob: (id) => openBlobSink(deps, id, published, dirs),
          entryDone: () => onProgress?.({ phase: 'restore', done: ++done, total }),
        },
      });
      await inserter.finish();
      await rebuildRegisterSearch(tx);
      for (const d of dirs) await syncDirectory(d);
      for (const t of BACKUP_TABLES) {
        const n = await countRows(tx, t);
        if (n !== manifest.tables[t]!.rows) throw new Error(`restore: ${t} has ${n} rows after restore, the backup has ${manifest.tables[t]!.rows}`);
      }
    });
  } catch (e) {
    await Promise.all(published.map((f) => fsp.rm(f, { force: true })));
    throw e;
  }
  return summaryOf(manifest, first.bytes);
}
