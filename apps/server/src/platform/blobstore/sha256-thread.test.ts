import crypto from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createEncryptStream } from './blob-crypto';
import { piecesOf } from './blob-test-helpers';
import { hashJobsRunning, Sha256Job, stopHashingThread } from './sha256-thread';

const KiB = 1024;
const MiB = 1024 * KiB;
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** Feeds `data` to a job in pieces, waiting whenever the ring is full. */
async function feed(job: Sha256Job, data: Buffer, sizes: readonly number[]): Promise<void> {
  for (const p of piecesOf(data, sizes)) await job.update(p);
}

describe('SHA-256 on the hashing thread', () => {
  // The ring is 4 MiB: sizes past it make the producer wait for the thread and wrap around.
  it.each([0, 1, 256 * KiB, 4 * MiB, 4 * MiB + 1, 9 * MiB + 7])('gives the digest of %i bytes', async (size) => {
    const data = crypto.randomBytes(size);
    const job = new Sha256Job();
    await feed(job, data, [65_537, 3, 1 * MiB + 5]);
    expect(await job.digest()).toBe(sha256(data));
    expect(hashJobsRunning()).toBe(0);
  });

  it('keeps concurrent jobs apart', async () => {
    const data = [crypto.randomBytes(6 * MiB), crypto.randomBytes(5 * MiB + 11), crypto.randomBytes(700 * KiB)];
    const jobs = data.map(() => new Sha256Job());
    // Interleaved piece by piece, as concurrent uploads arrive.
    const pieces = data.map((d) => piecesOf(d, [300 * KiB, 17]));
    for (let i = 0; i < Math.max(...pieces.map((p) => p.length)); i++) {
      for (const [j, job] of jobs.entries()) {
        const p = pieces[j]![i];
        if (p) await job.update(p);
      }
    }
    expect(await Promise.all(jobs.map((j) => j.digest()))).toEqual(data.map(sha256));
  });

  it('copies what it is given: the caller may reuse its buffer at once', async () => {
    const data = crypto.randomBytes(3 * MiB);
    const reused = Buffer.alloc(64 * KiB);
    const job = new Sha256Job();
    for (let at = 0; at < data.length; at += reused.length) {
      data.copy(reused, 0, at, at + reused.length);
      await job.update(reused);
      reused.fill(0xee);
    }
    expect(await job.digest()).toBe(sha256(data));
  });

  it('an aborted job ends, and the thread goes on serving the others', async () => {
    const aborted = new Sha256Job();
    await aborted.update(crypto.randomBytes(MiB));
    const other = new Sha256Job();
    aborted.abort();
    expect(hashJobsRunning()).toBe(1);
    await other.update(Buffer.from('tiếp tục'));
    expect(await other.digest()).toBe(sha256(Buffer.from('tiếp tục')));
    await expect(aborted.digest()).rejects.toThrow('already ended');
  });

  it('a stopped thread fails the jobs running, and the next job gets a new thread', async () => {
    const job = new Sha256Job();
    await job.update(crypto.randomBytes(MiB));
    await stopHashingThread();
    await expect(job.digest()).rejects.toThrow('hashing thread stopped');
    expect(() => job.update(Buffer.from('x'))).toThrow('hashing thread stopped');
    expect(hashJobsRunning()).toBe(0);
    const next = new Sha256Job();
    await next.update(Buffer.from('mới'));
    expect(await next.digest()).toBe(sha256(Buffer.from('mới')));
  });
});

describe('the encryptor measures the plaintext wherever it hashes it', () => {
  const CHUNK = 4 * KiB;
  // Up to one chunk is hashed on the stream's own thread at the end; beyond, on the hashing thread
  // from the first sealed chunk on, starting with what was queued before.
  it.each([0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * MiB + 3])('%i bytes: SHA-256 and size of the plaintext', async (size) => {
    const plain = crypto.randomBytes(size);
    const enc = createEncryptStream(crypto.randomBytes(32), 'sha-test', CHUNK);
    await pipeline(Readable.from(piecesOf(plain, [1000, 9000, 1])), enc, new Writable({ write: (_c, _e, cb) => cb() }));
    expect(enc.plaintextSha256).toBe(sha256(plain));
    expect(enc.plaintextBytes).toBe(size);
    expect(hashJobsRunning()).toBe(0);
  });

  it('a stream that fails half-way ends its hashing job', async () => {
    const enc = createEncryptStream(crypto.randomBytes(32), 'sha-test', CHUNK);
    async function* failing() {
      yield crypto.randomBytes(10 * CHUNK);
      throw new Error('kết nối bị ngắt');
    }
    await expect(pipeline(Readable.from(failing()), enc, new Writable({ write: (_c, _e, cb) => cb() }))).rejects.toThrow('kết nối bị ngắt');
    expect(hashJobsRunning()).toBe(0);
  });
});
