import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool';

// A worker that answers each message with its own thread id.
const ECHO = new URL(
  `data:text/javascript,${encodeURIComponent("import { parentPort, threadId } from 'node:worker_threads'; parentPort.on('message', () => parentPort.postMessage(threadId));")}`,
);

const ask = (w: Worker) => new Promise<number>((resolve) => (w.once('message', resolve), w.postMessage('?')));

describe('the worker pool', () => {
  it('keeps a worker for the next job, queues jobs beyond its size, ends a worker whose job failed and keeps one that refused cleanly', async () => {
    const pool = new WorkerPool({ url: ECHO, maxWorkers: 1, idleMs: 1000 });
    const first = await pool.run(ask);
    expect(await pool.run(ask)).toBe(first);
    // Three at once on one worker: they take turns on the same thread.
    expect(new Set(await Promise.all([pool.run(ask), pool.run(ask), pool.run(ask)]))).toEqual(new Set([first]));
    // A clean refusal keeps the worker.
    await expect(
      pool.run(
        async () => Promise.reject(new RangeError('refused')),
        (e) => e instanceof RangeError,
      ),
    ).rejects.toThrow('refused');
    expect(await pool.run(ask)).toBe(first);
    // Any other failure ends it, and a job waiting meanwhile gets a fresh worker.
    const failing = pool.run(async (w) => {
      await ask(w);
      throw new Error('broken');
    });
    const waiting = pool.run(ask);
    await expect(failing).rejects.toThrow('broken');
    const next = await waiting;
    expect(next).not.toBe(first);
    expect(await pool.run(ask)).toBe(next);
  });
});
