import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config';
import { blobDirFor } from '../data-paths';
import type { Database } from '../db/schema';
import type { BlobStore } from './blob-store';
import { findRegisteredBlobIds } from './blob.repository';

// What a crash can leave in the blob store, removed at start: a `<id>.part` whose upload (or
// restore) never finished, and a published `<id>` whose row never committed (the upload's
// transaction failed, or the process died between the two). Neither can be decrypted — the data
// key lives only in the row — but both take space. Only leftovers older than the grace period are
// touched: another process (the CLI beside the server) may be writing one right now.

export interface SweepResult {
  partFiles: number;
  orphanBlobs: number;
}

export interface SweepOptions {
  dir: string;
  db: Kysely<Database>;
  blobs: Pick<BlobStore, 'pathFor'>;
  graceMs: number;
  now: Date;
}

const LOOKUP_BATCH = 500;

/** A blob id when `file` is where the store keeps that id's file, else undefined. */
function blobIdOf(blobs: Pick<BlobStore, 'pathFor'>, file: string): string | undefined {
  const id = path.basename(file);
  try {
    return blobs.pathFor(id) === file ? id : undefined;
  } catch {
    return undefined; // not a name the store gives (a stray file an operator put there): left alone
  }
}

async function olderFiles(dir: string, before: number): Promise<string[]> {
  let entries;
  try {
    entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const d of entries) {
    if (!d.isFile()) continue;
    const file = path.join(d.parentPath, d.name);
    const st = await fsp.stat(file).catch(() => undefined);
    if (st && st.mtimeMs < before) out.push(file);
  }
  return out;
}

async function registeredIds(db: Kysely<Database>, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    for (const id of await findRegisteredBlobIds(db, ids.slice(i, i + LOOKUP_BATCH))) found.add(id);
  }
  return found;
}

/** Removes stale `.part` files and files without a row; returns how many of each. */
export async function sweepBlobLeftovers(opts: SweepOptions): Promise<SweepResult> {
  const files = await olderFiles(opts.dir, opts.now.getTime() - opts.graceMs);
  const result: SweepResult = { partFiles: 0, orphanBlobs: 0 };
  const candidates = new Map<string, string>();
  for (const file of files) {
    if (file.endsWith('.part')) {
      if (blobIdOf(opts.blobs, file.slice(0, -'.part'.length)) === undefined) continue;
      await fsp.rm(file, { force: true });
      result.partFiles++;
      continue;
    }
    const id = blobIdOf(opts.blobs, file);
    if (id !== undefined) candidates.set(id, file);
  }
  const known = await registeredIds(opts.db, [...candidates.keys()]);
  for (const [id, file] of candidates) {
    if (known.has(id)) continue;
    await fsp.rm(file, { force: true });
    result.orphanBlobs++;
  }
  return result;
}

export interface SweepLog {
  info(obj: object, msg: string): void;
}

/** The start-up sweep of the server: counts only in the log (no names; blob ids at most). */
export async function sweepAtStart(
  deps: { config: Pick<Config, 'dataDir' | 'leftoverGraceMinutes'>; dbh: { db: Kysely<Database> }; blobs: BlobStore },
  log: SweepLog,
  now = new Date(),
): Promise<SweepResult> {
  const r = await sweepBlobLeftovers({
    dir: blobDirFor(deps.config),
    db: deps.dbh.db,
    blobs: deps.blobs,
    graceMs: deps.config.leftoverGraceMinutes * 60_000,
    now,
  });
  log.info({ ...r, graceMinutes: deps.config.leftoverGraceMinutes }, 'blob store: crash leftovers removed');
  return r;
}
