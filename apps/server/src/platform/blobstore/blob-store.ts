import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { pipeline as pipelineCb, Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Clock, IdGenerator } from '../clock';
import type { BlobRow, Database } from '../db/schema';
import { isDomainError } from '../errors';
import type { KeyProvider } from '../keys/key-provider';
import {
  BLOB_CONTENT_ALGORITHM,
  BLOB_HEADER_LENGTH,
  BLOB_TAG_LENGTH,
  createDecryptStream,
  createEncryptStream,
  DEFAULT_CHUNK_SIZE,
  MAX_CHUNK_SIZE,
  newDataKey,
  type BlobDecryptStream,
} from './blob-crypto';
import { blobErrors, integrityError } from './blob-errors';
import {
  countBlobs,
  countBlobsWithOldKeys,
  deleteBlob,
  findBlob,
  findBlobIdsAfter,
  findBlobsWithOldKeys,
  insertBlob,
  updateWrappedKey,
} from './blob.repository';
import { durableFileWriter, syncDirectory } from '../durable-fs';

export interface BlobStoreDeps {
  /** Directory of the encrypted files; created on first put. */
  dir: string;
  keys: KeyProvider;
  ids: IdGenerator;
  clock: Clock;
  /** Plaintext bytes per encrypted chunk; tests use small ones to get many chunks cheaply. */
  chunkSize?: number;
}

export type BlobVerifyResult = { ok: true; id: string; size: number } | { ok: false; id: string; code: string; reason: string };

export interface RewrapProgress {
  /** Rows re-wrapped so far. */
  done: number;
  /** Rows that were on an old master version when the run began. */
  total: number;
}

// Ids become file names: allow only what cannot escape the directory or clash with ".part".
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$/;
const ROW_PAGE = 200;

function assertSafeId(id: string): void {
  if (!SAFE_ID.test(id)) throw new RangeError('blob id must be 2..128 characters of [A-Za-z0-9_-]');
}

/**
 * Last stage of a read: passes verified plaintext on and, at the end, checks it against the
 * row: size, chunk count and chunk size always; the SHA-256 when asked (verifyFile).
 *
 * Why reading a file does not hash it: GCM already authenticates every chunk under the file's
 * own random key (wrapped in this very row), with the file id, the chunk index and the final
 * flag in each chunk's AAD — a file that decrypts under the row's key is exactly the file
 * written for that row, whole. The SHA-256 would only add a check of the row's own sha256
 * field, at the cost of a third stage on every download (bench/blobstore.bench.ts); that check
 * is verifyFile's, which the integrity sweep and `khomat blob verify` run.
 */
class RowCheck extends Transform {
  private readonly hash: crypto.Hash | null;
  private size = 0;

  constructor(
    private readonly row: BlobRow,
    private readonly decrypt: BlobDecryptStream,
    sha256: boolean,
  ) {
    super();
    this.hash = sha256 ? crypto.createHash('sha256') : null;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.hash?.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { row } = this;
    if (this.size !== row.size || this.decrypt.chunkCount !== row.chunk_count || this.decrypt.headerChunkSize !== row.chunk_size) {
      return callback(integrityError('size_mismatch', { id: row.id }));
    }
    if (this.hash && this.hash.digest('hex') !== row.sha256) return callback(integrityError('sha256_mismatch', { id: row.id }));
    callback();
  }
}

/**
 * The file's bytes for the decryptor: the header, then reads of a few whole chunk records
 * (ciphertext + tag) each, aligned on records, so the decryptor takes each record as views of one
 * buffer without copying, and the next read runs on the thread pool while this one is decrypted.
 * The row's chunk size only sizes the reads: the decryptor goes by the header (and RowCheck
 * compares the two at the end).
 */
/**
 * Chunks the file may have queued: the next chunk is encrypted while the last is written (with the
 * default 16 KiB mark, every 1 MiB chunk waited for its write before the next was encrypted).
 */
const WRITE_AHEAD_CHUNKS = 2;

/** Bytes written between flushes of a new file (see durableFileWriter). */
const SYNC_EVERY = 8 * 1024 * 1024;

/** How a new blob file is written (also the bench's "file write" stage alone). */
export function blobFileWriter(file: string, chunkSize: number): Writable {
  return durableFileWriter(file, { mode: 0o600, highWaterMark: WRITE_AHEAD_CHUNKS * chunkSize, syncEvery: SYNC_EVERY });
}

/** Records per read: one read ahead of the decryptor was measured to overlap disk and cipher (bench blobstore). */
const RECORDS_PER_READ = 4;

async function* recordsOf(handle: fsp.FileHandle, chunkSize: number): AsyncGenerator<Buffer> {
  const header = Buffer.alloc(BLOB_HEADER_LENGTH);
  let stream: fs.ReadStream | undefined;
  try {
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    yield header.subarray(0, bytesRead);
    const record = Math.min(Math.max(chunkSize, 1), MAX_CHUNK_SIZE) + BLOB_TAG_LENGTH;
    stream = handle.createReadStream({ start: BLOB_HEADER_LENGTH, highWaterMark: record * RECORDS_PER_READ });
    yield* stream;
  } finally {
    if (stream) stream.destroy();
    else await handle.close();
  }
}

/**
 * Encrypted file storage. Each file gets its own random data key, wrapped by the key provider's
 * current master key and stored in the `blobs` row; the file holds only ciphertext
 * (blob-crypto.ts). Plaintext exists only in memory, one chunk at a time, on its way through.
 */
export class BlobStore {
  private readonly dir: string;
  private readonly keys: KeyProvider;
  private readonly ids: IdGenerator;
  private readonly clock: Clock;
  private readonly chunkSize: number;

  constructor(deps: BlobStoreDeps) {
    this.dir = deps.dir;
    this.keys = deps.keys;
    this.ids = deps.ids;
    this.clock = deps.clock;
    this.chunkSize = deps.chunkSize ?? DEFAULT_CHUNK_SIZE;
  }

  /** Where the file of blob `id` lives: a two-character fan-out keeps directories small. */
  pathFor(id: string): string {
    assertSafeId(id);
    return path.join(this.dir, id.slice(0, 2), id);
  }

  /**
   * Encrypts `source` into a new file and inserts its row through `tx`. The file is written as
   * `<id>.part` (ciphertext only) and published under `<id>` only when complete and flushed, so
   * a crash never leaves a half-written file under a real id. If `tx` later rolls back, the
   * file stays as an orphan: harmless, because without the row's wrapped key it cannot be
   * decrypted.
   */
  async put(tx: Kysely<Database>, source: Readable): Promise<BlobRow> {
    const row = await this.write(source);
    await this.register(tx, row);
    return row;
  }

  /**
   * The two halves of `put`, for callers that must not hold a transaction while a slow upload
   * arrives (on SQLite a transaction holds the one connection, so everyone would wait): `write`
   * encrypts and publishes the file without touching the database; `register` then inserts the
   * row in a short transaction. Until registered, the file is ciphertext whose key exists only in
   * the returned row: if the caller never registers it (refusal, crash), nobody can decrypt it,
   * and the caller should `discard` it.
   */
  async write(source: Readable): Promise<BlobRow> {
    const id = this.ids();
    const file = this.pathFor(id);
    const part = `${file}.part`;
    await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });

    const dataKey = newDataKey();
    let encrypt: ReturnType<typeof createEncryptStream>;
    let wrapped: ReturnType<KeyProvider['wrapDataKey']>;
    let out: Writable | undefined;
    try {
      wrapped = this.keys.wrapDataKey(dataKey);
      // The encryptor also measures size and SHA-256 of the plaintext, on the buffers it is given.
      encrypt = createEncryptStream(dataKey, id, this.chunkSize);
      // Never an existing file; fsync'd before it finishes, so the link below publishes a
      // complete file (flushed as it is written, so the disk works while the next chunk is sealed).
      out = blobFileWriter(part, this.chunkSize);
      await pipeline(source, encrypt, out);
      // link + unlink rather than rename: rename would silently replace an existing file, and an
      // id generator handing out a used id must not destroy that blob's content.
      try {
        await fsp.link(part, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw blobErrors.idInUse({ id });
        throw e;
      }
      // The link is what must be durable before the row can commit; dropping the .part name
      // need not wait for it (a crash in between leaves a .part, which holds only ciphertext).
      await Promise.all([fsp.unlink(part), syncDirectory(path.dirname(file))]);
    } catch (e) {
      // A source that fails at once (a refused upload) can beat the file's asynchronous open:
      // wait until the stream has opened and closed its file, or the removal below would run
      // first and the open would then leave an empty .part behind.
      if (out && !out.closed) await once(out, 'close').catch(() => undefined);
      await fsp.rm(part, { force: true });
      throw e;
    } finally {
      dataKey.fill(0);
    }

    const row: BlobRow = {
      id,
      size: encrypt.plaintextBytes,
      sha256: encrypt.plaintextSha256,
      chunk_size: this.chunkSize,
      chunk_count: encrypt.chunkCount,
      wrapped_key: wrapped.wrapped.toString('base64'),
      key_version: wrapped.keyVersion,
      algorithm: BLOB_CONTENT_ALGORITHM,
      created_at: this.clock.now().toISOString(),
    };
    return row;
  }

  /** Inserts the row of a file `write` published; on failure the file is removed. */
  async register(tx: Kysely<Database>, row: BlobRow): Promise<void> {
    try {
      await insertBlob(tx, row);
    } catch (e) {
      await this.discard(row.id);
      throw e;
    }
  }

  /** Removes the file of a blob that was written but never registered (or whose row rolled back). */
  async discard(id: string): Promise<void> {
    await fsp.rm(this.pathFor(id), { force: true });
  }

  /**
   * Opens a blob for reading. The stream yields plaintext chunk by chunk, each only after its
   * tag verified; it fails with `blob.integrity_failed` on any damage, including at the very end
   * (truncation, size mismatch; with `sha256`, the row's SHA-256 too — see RowCheck). Consumers
   * must treat that error as failure of the whole file, and destroy the stream if they stop early
   * (that closes the file).
   */
  async open(db: Kysely<Database>, id: string, opts: { sha256?: boolean } = {}): Promise<{ row: BlobRow; stream: Readable }> {
    const row = await findBlob(db, id);
    if (!row) throw blobErrors.notFound({ id });
    if (row.algorithm !== BLOB_CONTENT_ALGORITHM) throw integrityError('unsupported_algorithm', { id });

    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.pathFor(id), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw integrityError('file_missing', { id });
      throw e;
    }
    let decrypt: BlobDecryptStream;
    try {
      const dataKey = this.keys.unwrapDataKey(Buffer.from(row.wrapped_key, 'base64'), row.key_version);
      try {
        decrypt = createDecryptStream(dataKey, id);
      } finally {
        // The stream holds its own KeyObject copy; do not leave the raw key lying in the heap.
        dataKey.fill(0);
      }
    } catch (e) {
      await handle.close();
      throw e;
    }
    const check = new RowCheck(row, decrypt, opts.sha256 === true);
    // Errors reach the consumer through `check`, which pipeline destroys with the error; the
    // callback only keeps the pipeline from reporting them a second time.
    pipelineCb(recordsOf(handle, row.chunk_size), decrypt, check, () => undefined);
    return { row, stream: check };
  }

  /**
   * Deletes the row, then the file. Pass the database, not a transaction that may still roll
   * back: a rolled-back delete would leave a row whose file is gone. A crash between the two
   * steps leaves an orphan file, which is undecryptable once its row (and wrapped key) is gone.
   * Returns false when there was no such blob.
   */
  async remove(db: Kysely<Database>, id: string): Promise<boolean> {
    const file = this.pathFor(id);
    const deleted = await deleteBlob(db, id);
    await fsp.rm(file, { force: true });
    return deleted;
  }

  /** Decrypts the whole file to nowhere: checks every chunk tag, the size and the SHA-256. */
  async verifyFile(db: Kysely<Database>, id: string): Promise<BlobVerifyResult> {
    try {
      const { row, stream } = await this.open(db, id, { sha256: true });
      await pipeline(
        stream,
        new Writable({
          write(_chunk, _enc, callback) {
            callback();
          },
        }),
      );
      return { ok: true, id, size: row.size };
    } catch (e) {
      if (isDomainError(e) && e.kind === 'integrity') {
        return { ok: false, id, code: e.code, reason: String(e.details?.['reason'] ?? 'unknown') };
      }
      throw e;
    }
  }

  /**
   * Every stored file checked as verifyFile checks one (`khomat files verify`): returns how many
   * were checked and those that failed, by id. Reads the rows in pages, one file at a time.
   */
  async verifyAll(
    db: Kysely<Database>,
    onProgress?: (done: number, total: number) => void,
  ): Promise<{ checked: number; failed: Extract<BlobVerifyResult, { ok: false }>[] }> {
    const total = await countBlobs(db);
    const failed: Extract<BlobVerifyResult, { ok: false }>[] = [];
    let checked = 0;
    let after = '';
    for (;;) {
      const ids = await findBlobIdsAfter(db, after, ROW_PAGE);
      if (ids.length === 0) break;
      for (const id of ids) {
        const r = await this.verifyFile(db, id);
        if (!r.ok) failed.push(r);
        onProgress?.(++checked, total);
      }
      after = ids[ids.length - 1]!;
    }
    return { checked, failed };
  }

  /**
   * Key rotation, after `keys.rotateMaster()`: re-wraps every data key still under an older
   * master version with the current one. Files are never touched — the data key does not change,
   * only its wrapping. Each page of rows is updated in one transaction (few round trips on
   * PostgreSQL) and is safe to interrupt and run again. Stops at the first data key that will
   * not unwrap (missing master version, damaged row): that needs an operator, not a silent skip.
   * Returns the number of rows re-wrapped.
   */
  async rewrapAll(db: Kysely<Database>, onProgress?: (p: RewrapProgress) => void): Promise<number> {
    const current = this.keys.currentMasterVersion();
    const total = await countBlobsWithOldKeys(db, current);
    let done = 0;
    let after = '';
    for (;;) {
      const page = await findBlobsWithOldKeys(db, current, after, ROW_PAGE);
      const last = page.at(-1);
      if (last === undefined) break;
      const updates = page.map((b) => {
        const dataKey = this.keys.unwrapDataKey(Buffer.from(b.wrapped_key, 'base64'), b.key_version);
        try {
          const w = this.keys.wrapDataKey(dataKey);
          return { id: b.id, from: b.key_version, wrapped: w.wrapped.toString('base64'), version: w.keyVersion };
        } finally {
          dataKey.fill(0);
        }
      });
      const apply = async (t: Kysely<Database>) => {
        for (const u of updates) if (await updateWrappedKey(t, u.id, u.from, u.wrapped, u.version)) done++;
      };
      if (db.isTransaction) await apply(db);
      else await db.transaction().execute(apply);
      after = last.id;
      onProgress?.({ done, total });
    }
    return done;
  }
}
