import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomId, systemClock } from '../apps/server/src/platform/clock';
import { migrateToLatest, openDatabase } from '../apps/server/src/platform/db/database';
import { FileKeyProvider } from '../apps/server/src/platform/keys/file-key-provider';
import { createDecryptStream, createEncryptStream, DEFAULT_CHUNK_SIZE } from '../apps/server/src/platform/blobstore/blob-crypto';
import { BlobStore } from '../apps/server/src/platform/blobstore/blob-store';
import type { RssResult } from './blobstore-rss.child';

// Blob store figures beside the raw limit measured in the same run (PERFORMANCE.md): the ratio
// is what to compare between machines, not the absolute MiB/s.

const MiB = 1024 * 1024;
const CHUNK = DEFAULT_CHUNK_SIZE;
const THROUGHPUT_BYTES = 256 * MiB;
const RUNS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** 16 MiB of random bytes, handed out as 64 KiB views: what a file read stream delivers. */
function makePieces(total: number): Buffer[] {
  const block = crypto.randomBytes(16 * MiB);
  const pieces: Buffer[] = [];
  for (let at = 0; at < total; at += CHUNK) pieces.push(block.subarray(at % block.length, (at % block.length) + CHUNK));
  return pieces;
}

function nullSink(): Writable {
  return new Writable({
    write(_chunk, _enc, callback) {
      callback();
    },
  });
}

/**
 * The denominator: one new AES-256-GCM cipher per 64 KiB chunk, encrypt then decrypt, no streams
 * and no copies; the key as a KeyObject, as the streams use it, so the ratio measures the
 * streaming code and not a slower way of calling OpenSSL.
 */
function rawGcmSeconds(pieces: Buffer[], key: Buffer): number {
  const keyObject = crypto.createSecretKey(key);
  const iv = Buffer.alloc(12);
  const t0 = process.hrtime.bigint();
  for (const [i, p] of pieces.entries()) {
    iv.writeUInt32BE(i, 8);
    const c = crypto.createCipheriv('aes-256-gcm', keyObject, iv);
    const ct = c.update(p);
    c.final();
    const tag = c.getAuthTag();
    const d = crypto.createDecipheriv('aes-256-gcm', keyObject, iv);
    d.setAuthTag(tag);
    d.update(ct);
    d.final();
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** KhoMật's streams: encrypt → decrypt (write + read) in one pipeline to a null sink. */
async function streamsSeconds(pieces: Buffer[], key: Buffer): Promise<number> {
  const t0 = process.hrtime.bigint();
  await pipeline(Readable.from(pieces), createEncryptStream(key, 'bench-blob'), createDecryptStream(key, 'bench-blob'), nullSink());
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Whole BlobStore: put (SHA-256, encrypt, file, row) then open and read back, through the disk. */
async function blobStoreSeconds(store: BlobStore, db: Parameters<BlobStore['put']>[0], pieces: Buffer[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  const row = await store.put(db, Readable.from(pieces));
  const { stream } = await store.open(db, row.id);
  await pipeline(stream, nullSink());
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await store.remove(db, row.id);
  return s;
}

/** Runs the RSS measurement in a child process (see blobstore-rss.child.ts). */
function rssWhileEncrypting(): Promise<RssResult> {
  const child = fork(fileURLToPath(new URL('./blobstore-rss.child.ts', import.meta.url)), [], { execArgv: process.execArgv, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    let result: RssResult | undefined;
    child.on('message', (m) => (result = m as RssResult));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`RSS child exited with ${code} before reporting`))));
  });
}

/** The denominator for BlobStore: the same bytes written (fsync'd) and read back as a plain file. */
async function plainFileSeconds(dir: string, pieces: Buffer[]): Promise<number> {
  const file = path.join(dir, 'plain.bin');
  const t0 = process.hrtime.bigint();
  await pipeline(Readable.from(pieces), fs.createWriteStream(file, { flush: true }));
  await pipeline(fs.createReadStream(file, { highWaterMark: 256 * 1024 }), nullSink());
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  fs.rmSync(file);
  return s;
}

export async function benchBlobStore(): Promise<Record<string, number | string>> {
  // RSS first, while this process is still small (the child is separate anyway).
  const rss = await rssWhileEncrypting();

  const key = crypto.randomBytes(32);
  const pieces = makePieces(THROUGHPUT_BYTES);
  const mib = THROUGHPUT_BYTES / MiB;
  // Warm-up: JIT and OpenSSL's first-use costs are not what we measure.
  rawGcmSeconds(pieces.slice(0, 256), key);
  await streamsSeconds(pieces.slice(0, 256), key);

  const raw: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so drift (thermal, neighbours) hits both alike.
    raw.push(mib / rawGcmSeconds(pieces, key));
    ours.push(mib / (await streamsSeconds(pieces, key)));
  }
  const rawMed = median(raw);
  const oursMed = median(ours);

  // End to end through BlobStore and the disk, for context: adds SHA-256 twice, the fsync'd
  // write and the read, so its denominator is plain file I/O of the same bytes.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-bench-blobs-'));
  const handle = await openDatabase({});
  const plain: number[] = [];
  const store: number[] = [];
  try {
    await migrateToLatest(handle.db);
    const keys = FileKeyProvider.open({ keyDir: path.join(tmp, 'keys'), create: true });
    const blobs = new BlobStore({ dir: path.join(tmp, 'blobs'), keys, ids: randomId, clock: systemClock });
    for (let i = 0; i < RUNS; i++) {
      plain.push(mib / (await plainFileSeconds(tmp, pieces)));
      store.push(mib / (await blobStoreSeconds(blobs, handle.db, pieces)));
    }
  } finally {
    await handle.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const plainMed = median(plain);
  const storeMed = median(store);

  return {
    'raw AES-256-GCM, new cipher per 64 KiB, enc+dec (MiB/s)': round(rawMed),
    'crypto streams encrypt→decrypt (MiB/s)': round(oursMed),
    'ratio streams / raw (target ≥ 0.6)': round(oursMed / rawMed, 2),
    'plain file write (fsync) + read, same bytes (MiB/s)': round(plainMed),
    'BlobStore put + open, incl. SHA-256 (MiB/s)': round(storeMed),
    'ratio BlobStore / plain file I/O (context, no target)': round(storeMed / plainMed, 2),
    'encrypt 1 GiB → null sink (MiB/s, single run)': round(rss.mibPerSec),
    'RSS at start of 1 GiB encrypt (MiB, single run)': round(rss.baselineMiB),
    'peak RSS during 1 GiB encrypt (MiB, target < 150, single run)': round(rss.peakMiB),
    'throughput runs': `median of ${RUNS} × ${mib} MiB`,
    note: 'fsync is unrealistically cheap on this VM; disk figures are optimistic',
  };
}
