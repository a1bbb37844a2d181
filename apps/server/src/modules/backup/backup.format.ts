import crypto from 'node:crypto';
import { z } from 'zod';
import { BLOB_CONTENT_ALGORITHM } from '../../platform/blobstore/blob-crypto';
import type { Dialect } from '../../platform/db/database';
import { REGISTER_SEARCH_TABLE } from '../search/search.index';

// The backup file's format, and what the stages of a backup share. BACKUP_TABLES with its type,
// BACKUP_EXCLUDED_TABLES and the progress and summary types are public through backup.ts; the
// other exports here are internal to the backup module, not public API.
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
export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FORMAT = 'khomat-backup-1';
export const READ_BUFFER = 256 * 1024;
/** Rows per SQLite page / PostgreSQL FETCH while dumping, and per batch handed to restore. */
export const PAGE_ROWS = 500;

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

export const headerSchema = z.object({
  magic: z.literal(BACKUP_MAGIC),
  format: z.literal(BACKUP_FORMAT),
  createdAt: z.string().min(1),
  installationKeyId: z.string().min(1).max(128),
  keyVersion: z.number().int().positive(),
  wrappedKey: z.string().min(1).max(4096),
  cipher: z.literal(BLOB_CONTENT_ALGORITHM),
});
export type BackupHeader = z.infer<typeof headerSchema>;

const entrySchema = z.object({ name: z.string(), size: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type EntryRecord = z.infer<typeof entrySchema>;

export const manifestSchema = z.object({
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
export type Manifest = z.infer<typeof manifestSchema>;

export type Row = Record<string, unknown>;

export function sha256Hex(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** The blob-crypto file id of a backup: binds the plaintext header into every chunk's AAD. */
export function fileIdFor(headerLine: Buffer): string {
  return `khomat-backup:${sha256Hex(headerLine)}`;
}

/** The other side of a tar stream went away (its own error is reported, not this one). */
export class StreamClosed extends Error {}

interface DrainableStream {
  readonly destroying: boolean;
  readonly destroyed: boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Waits until a (streamx) writable wants more, or fails if it closes first. */
export function drained(s: DrainableStream): Promise<void> {
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

export function summaryOf(manifest: Manifest, bytes: number): BackupSummary {
  const tables: Record<string, number> = {};
  for (const [t, v] of Object.entries(manifest.tables)) tables[t] = v.rows;
  return { createdAt: manifest.createdAt, dialect: manifest.sourceDialect, tables, blobs: manifest.blobs, auditHead: manifest.auditHead, bytes };
}
