import crypto from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createEncryptStream } from '../apps/server/src/platform/blobstore/blob-crypto';

// Forked by blobstore.bench.ts: measures peak RSS while 1 GiB streams through the encryptor to a
// null sink. A process of its own, importing only the crypto module, so the figure is not
// inflated by whatever the parent (other benches, database drivers) has loaded.

const MiB = 1024 * 1024;
const TOTAL = 1024 * MiB;
const PIECE = 64 * 1024;

export interface RssResult {
  baselineMiB: number;
  peakMiB: number;
  mibPerSec: number;
}

async function measure(): Promise<RssResult> {
  const key = crypto.randomBytes(32);
  const block = crypto.randomBytes(MiB);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 20);
  async function* source() {
    for (let i = 0; i < TOTAL / MiB; i++) {
      // 64 KiB views, as a file read stream delivers them.
      for (let at = 0; at < MiB; at += PIECE) yield block.subarray(at, at + PIECE);
      // In-memory pipelines can run on microtasks alone; let the sampling timer in.
      if (i % 8 === 0) await yieldToEventLoop();
    }
  }
  const t0 = process.hrtime.bigint();
  try {
    await pipeline(
      Readable.from(source()),
      createEncryptStream(key, 'bench-rss'),
      new Writable({
        write(_chunk, _enc, callback) {
          callback();
        },
      }),
    );
  } finally {
    clearInterval(timer);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  sample();
  return { baselineMiB: baseline / MiB, peakMiB: peak / MiB, mibPerSec: TOTAL / MiB / seconds };
}

if (process.send) {
  const result = await measure();
  process.send(result, () => process.exit(0));
}
