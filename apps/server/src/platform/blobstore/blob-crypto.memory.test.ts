import crypto from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { createDecryptStream, createEncryptStream } from './blob-crypto';

// Its own file so it runs in its own worker process: the RSS it measures is then its own.

const MiB = 1024 * 1024;

it('streams 1 GiB through encrypt → decrypt with flat memory and the same bytes out', async () => {
  const key = crypto.randomBytes(32);
  const block = crypto.randomBytes(MiB);
  const blocks = 1024;
  const hashIn = crypto.createHash('sha256');
  const hashOut = crypto.createHash('sha256');
  let bytesOut = 0;

  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 20);

  async function* source() {
    for (let i = 0; i < blocks; i++) {
      // A fresh view each time: the encryptor may still hold the previous one.
      hashIn.update(block);
      yield block.subarray(0);
      if (i % 16 === 0) {
        sample();
        // A pipeline of in-memory streams can run on microtasks alone; let the timer in.
        await yieldToEventLoop();
      }
    }
  }

  try {
    await pipeline(
      Readable.from(source()),
      createEncryptStream(key, 'memory-test'),
      createDecryptStream(key, 'memory-test'),
      new Writable({
        write(chunk: Buffer, _enc, callback) {
          hashOut.update(chunk);
          bytesOut += chunk.length;
          callback();
        },
      }),
    );
  } finally {
    clearInterval(timer);
  }
  sample();

  expect(bytesOut).toBe(blocks * MiB);
  expect(hashOut.digest('hex')).toBe(hashIn.digest('hex'));
  const growthMiB = (peak - baseline) / MiB;
  // A correctness bound, not a benchmark: whole-file buffering would grow by > 1 GiB.
  expect(growthMiB).toBeLessThan(200);
}, 120_000);
