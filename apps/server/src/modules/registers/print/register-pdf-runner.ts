import type { Worker } from 'node:worker_threads';
import { WorkerPool } from '../../../platform/workers/worker-pool';
import type { RegisterPdfSpec } from './register-pdf';
import type { WorkerReply, WorkerRequest } from './register-pdf-worker-protocol';

// Runs register printing in worker threads. pdf-lib runs on the thread that calls it (~12 ms per
// document plus the layout of every page; shared/PERFORMANCE.md), so printing a 10,000-row
// register in the server's own thread would stall every other request for seconds.
//
// The worker's entry is plain JavaScript that loads the TypeScript worker through tsx (see
// register-pdf.worker.mjs): it runs the same under Vitest and under `tsx apps/server/src/main.ts`.
// The pool (platform/workers) keeps a worker for the next print and ends it after a quiet minute.

const pool = new WorkerPool({ url: new URL('./register-pdf.worker.mjs', import.meta.url) });

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

/** Each worker's reply queue, made when the worker first prints (no message comes before a request). */
const repliesOf = new WeakMap<Worker, Replies>();
function replies(worker: Worker): Replies {
  let r = repliesOf.get(worker);
  if (!r) repliesOf.set(worker, (r = new Replies(worker)));
  return r;
}

/**
 * Renders a register in a worker thread. `pages` yields rows of printed strings, a page of the
 * database at a time: the next page is read while the worker lays out the previous one, and at
 * most one page waits in the worker's queue.
 */
export function renderRegisterPdfInWorker(spec: RegisterPdfSpec, pages: AsyncIterable<string[][]>): Promise<{ bytes: Uint8Array; pages: number }> {
  return pool.run(async (worker) => {
    const send = (m: WorkerRequest) => worker.postMessage(m);
    const queue = replies(worker);
    send({ type: 'start', spec });
    let pendingAck: Promise<unknown> | undefined;
    for await (const rows of pages) {
      await pendingAck;
      send({ type: 'rows', rows });
      pendingAck = queue.next('ack');
      // Awaited after the next page is read; until then a failure must not count as unhandled.
      pendingAck.catch(() => undefined);
    }
    await pendingAck;
    send({ type: 'end' });
    const done = await queue.next('done');
    return { bytes: done.bytes, pages: done.pages };
  });
}
