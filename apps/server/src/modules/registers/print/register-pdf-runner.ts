import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RegisterPdfSpec } from './register-pdf';
import type { WorkerReply, WorkerRequest } from './register-pdf-worker-protocol';

// Runs register printing in worker threads. pdf-lib runs on the thread that calls it (~12 ms per
// document plus the layout of every page; shared/PERFORMANCE.md), so printing a 10,000-row
// register in the server's own thread would stall every other request for seconds.
//
// The worker's entry is plain JavaScript that loads the TypeScript worker through tsx (see
// register-pdf.worker.mjs): it runs the same under Vitest and under `tsx apps/server/src/main.ts`.
// Starting a worker costs ≈ 0.8 s (tsx, pdf-lib, the fonts), so a worker is kept for the next
// print and ended after a minute without one.

const WORKER_URL = new URL('./register-pdf.worker.mjs', import.meta.url);

/**
 * Prints at a time per process; the others wait their turn. One core stays free for the server
 * (argon2 logins, queries) on the two-core machines KhoMật targets.
 */
const MAX_WORKERS = Math.max(1, Math.min(2, os.availableParallelism() - 1));
/** A runaway document ends its worker (ERR_WORKER_OUT_OF_MEMORY), never the server. */
const WORKER_HEAP_MB = 1024;
const IDLE_MS = 60_000;

/** Replies of one worker as a queue, failing every waiter when the worker dies. */
class Replies {
  private readonly buffered: WorkerReply[] = [];
  private readonly waiters: { resolve: (m: WorkerReply) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  constructor(worker: Worker) {
    worker.on('message', (m: WorkerReply) => {
      const w = this.waiters.shift();
      if (w) w.resolve(m);
      else this.buffered.push(m);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`register PDF worker exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }

  async next<T extends WorkerReply['type']>(type: T): Promise<Extract<WorkerReply, { type: T }>> {
    const m =
      this.buffered.shift() ??
      (await new Promise<WorkerReply>((resolve, reject) => {
        if (this.failure) reject(this.failure);
        else this.waiters.push({ resolve, reject });
      }));
    if (m.type === 'error') throw new Error(`register PDF worker: ${m.message}`);
    if (m.type !== type) throw new Error(`register PDF worker: expected ${type}, got ${m.type}`);
    return m as Extract<WorkerReply, { type: T }>;
  }
}

interface Slot {
  worker: Worker;
  replies: Replies;
  exited: boolean;
  idleTimer?: NodeJS.Timeout;
}

let live = 0;
const idle: Slot[] = [];
const waiting: ((slot: Slot) => void)[] = [];

function spawn(): Slot {
  const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const slot: Slot = { worker, replies: new Replies(worker), exited: false };
  live++;
  worker.on('exit', () => {
    slot.exited = true;
    live--;
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
    clearTimeout(slot.idleTimer);
    // A waiting print takes the place of a worker that ended.
    if (waiting.length > 0 && live < MAX_WORKERS) waiting.shift()!(spawn());
  });
  return slot;
}

async function acquire(): Promise<Slot> {
  const slot = idle.pop() ?? (live < MAX_WORKERS ? spawn() : await new Promise<Slot>((resolve) => waiting.push(resolve)));
  clearTimeout(slot.idleTimer);
  slot.worker.ref();
  return slot;
}

function release(slot: Slot, healthy: boolean): void {
  if (!healthy) {
    // Whatever state a failed job left behind goes with its worker; 'exit' frees the place.
    if (!slot.exited) void slot.worker.terminate();
    return;
  }
  const next = waiting.shift();
  if (next) return next(slot);
  // An idle worker never keeps the process alive, and ends after a quiet minute.
  slot.worker.unref();
  slot.idleTimer = setTimeout(() => void slot.worker.terminate(), IDLE_MS);
  slot.idleTimer.unref();
  idle.push(slot);
}

/**
 * Renders a register in a worker thread. `pages` yields rows of printed strings, a page of the
 * database at a time: the next page is read while the worker lays out the previous one, and at
 * most one page waits in the worker's queue.
 */
export async function renderRegisterPdfInWorker(spec: RegisterPdfSpec, pages: AsyncIterable<string[][]>): Promise<{ bytes: Uint8Array; pages: number }> {
  const slot = await acquire();
  const send = (m: WorkerRequest) => slot.worker.postMessage(m);
  let healthy = false;
  try {
    send({ type: 'start', spec });
    let pendingAck: Promise<unknown> | undefined;
    for await (const rows of pages) {
      await pendingAck;
      send({ type: 'rows', rows });
      pendingAck = slot.replies.next('ack');
      // Awaited after the next page is read; until then a failure must not count as unhandled.
      pendingAck.catch(() => undefined);
    }
    await pendingAck;
    send({ type: 'end' });
    const done = await slot.replies.next('done');
    healthy = true;
    return { bytes: done.bytes, pages: done.pages };
  } finally {
    release(slot, healthy);
  }
}
