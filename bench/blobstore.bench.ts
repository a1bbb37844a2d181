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
import { BlobStore, blobFileWriter } from '../apps/server/src/platform/blobstore/blob-store';
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

/** 16 MiB of random bytes, handed out as chunk-sized views. */
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

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Stage alone: AES-256-GCM, one new cipher per chunk of the store's size, no streams, no copies. */
function gcmSeconds(pieces: Buffer[], key: Buffer, direction: 'encrypt' | 'decrypt'): number {
  const keyObject = crypto.createSecretKey(key);
  const iv = Buffer.alloc(12);
  const tag = Buffer.alloc(16);
  const t0 = process.hrtime.bigint();
  for (const [i, p] of pieces.entries()) {
    iv.writeUInt32BE(i, 8);
    if (direction === 'encrypt') {
      const c = crypto.createCipheriv('aes-256-gcm', keyObject, iv);
      c.update(p);
      c.final();
      c.getAuthTag();
    } else {
      // Random bytes under a zero tag: the same work as a real decryption, final() then refuses.
      const d = crypto.createDecipheriv('aes-256-gcm', keyObject, iv);
      d.setAuthTag(tag);
      d.update(p);
      try {
        d.final();
      } catch {
        // expected
      }
    }
  }
  return seconds(t0);
}

/** Stage alone: SHA-256 of the same bytes, one piece at a time. */
function sha256Seconds(pieces: Buffer[]): number {
  const t0 = process.hrtime.bigint();
  const h = crypto.createHash('sha256');
  for (const p of pieces) h.update(p);
  h.digest();
  return seconds(t0);
}

/** Stages alone: the same bytes written to a file as the store writes one (flushed as written, fsync'd at close), then read back. */
async function plainFileSeconds(dir: string, pieces: Buffer[]): Promise<{ write: number; read: number }> {
  const file = path.join(dir, 'plain.bin');
  let t0 = process.hrtime.bigint();
  await pipeline(Readable.from(pieces), blobFileWriter(file, CHUNK));
  const write = seconds(t0);
  t0 = process.hrtime.bigint();
  await pipeline(fs.createReadStream(file, { highWaterMark: CHUNK + 16 }), nullSink());
  const read = seconds(t0);
  fs.rmSync(file);
  return { write, read };
}

/** KhoMật's streams: encrypt → decrypt in one pipeline to a null sink (no disk, no hashing of the read). */
async function streamsSeconds(pieces: Buffer[], key: Buffer): Promise<number> {
  const t0 = process.hrtime.bigint();
  await pipeline(Readable.from(pieces), createEncryptStream(key, 'bench-blob'), createDecryptStream(key, 'bench-blob'), nullSink());
  return seconds(t0);
}

/** Whole BlobStore, each direction on its own: put (SHA-256, encrypt, fsync'd file, row), then open and read. */
async function blobStoreSeconds(store: BlobStore, db: Parameters<BlobStore['put']>[0], pieces: Buffer[]): Promise<{ put: number; open: number }> {
  let t0 = process.hrtime.bigint();
  const row = await store.put(db, Readable.from(pieces));
  const put = seconds(t0);
  t0 = process.hrtime.bigint();
  const { stream } = await store.open(db, row.id);
  await pipeline(stream, nullSink());
  const open = seconds(t0);
  await store.remove(db, row.id);
  return { put, open };
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

type Series = Record<'enc' | 'dec' | 'sha' | 'write' | 'read' | 'put' | 'open' | 'streams', number[]>;

export async function benchBlobStore(): Promise<Record<string, number | string>> {
  // RSS first, while this process is still small (the child is separate anyway).
  const rss = await rssWhileEncrypting();

  const key = crypto.randomBytes(32);
  const pieces = makePieces(THROUGHPUT_BYTES);
  const mib = THROUGHPUT_BYTES / MiB;
  // Warm-up: JIT and OpenSSL's first-use costs are not what we measure.
  gcmSeconds(pieces.slice(0, 16), key, 'encrypt');
  gcmSeconds(pieces.slice(0, 16), key, 'decrypt');
  await streamsSeconds(pieces.slice(0, 16), key);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-bench-blobs-'));
  const handle = await openDatabase({});
  const s: Series = { enc: [], dec: [], sha: [], write: [], read: [], put: [], open: [], streams: [] };
  try {
    await migrateToLatest(handle.db);
    const keys = FileKeyProvider.open({ keyDir: path.join(tmp, 'keys'), create: true });
    const blobs = new BlobStore({ dir: path.join(tmp, 'blobs'), keys, ids: randomId, clock: systemClock });
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so drift (thermal, neighbours) hits every figure alike.
      s.enc.push(mib / gcmSeconds(pieces, key, 'encrypt'));
      s.dec.push(mib / gcmSeconds(pieces, key, 'decrypt'));
      s.sha.push(mib / sha256Seconds(pieces));
      const file = await plainFileSeconds(tmp, pieces);
      s.write.push(mib / file.write);
      s.read.push(mib / file.read);
      const store = await blobStoreSeconds(blobs, handle.db, pieces);
      s.put.push(mib / store.put);
      s.open.push(mib / store.open);
      s.streams.push(mib / (await streamsSeconds(pieces, key)));
    }
  } finally {
    await handle.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const m = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, median(v)])) as Record<keyof Series, number>;
  const putSlowest = Math.min(m.enc, m.sha, m.write);
  const openSlowest = Math.min(m.read, m.dec);
  const kib = CHUNK / 1024;

  return {
    [`stage alone: AES-256-GCM encrypt, new cipher per ${kib} KiB (MiB/s)`]: round(m.enc),
    [`stage alone: AES-256-GCM decrypt, new cipher per ${kib} KiB (MiB/s)`]: round(m.dec),
    'stage alone: SHA-256 (MiB/s)': round(m.sha),
    'stage alone: file write, flushed every 8 MiB + fsync at close (MiB/s)': round(m.write),
    'stage alone: file read (MiB/s)': round(m.read),
    "BlobStore put: hash + encrypt + fsync'd file + row (MiB/s)": round(m.put),
    'ratio put / its slowest stage (target ≥ 0.6)': round(m.put / putSlowest, 2),
    'BlobStore open: read + decrypt, tags + size checked (MiB/s)': round(m.open),
    'ratio open / its slowest stage (target ≥ 0.6)': round(m.open / openSlowest, 2),
    'crypto streams encrypt→decrypt, no disk (MiB/s)': round(m.streams),
    'encrypt 1 GiB → null sink (MiB/s, single run)': round(rss.mibPerSec),
    'RSS at start of 1 GiB encrypt (MiB, single run)': round(rss.baselineMiB),
    'peak RSS during 1 GiB encrypt (MiB, target < 150, single run)': round(rss.peakMiB),
    'throughput runs': `median of ${RUNS} × ${mib} MiB`,
    note: 'fsync is unrealistically cheap on this VM; disk figures are optimistic',
  };
}
