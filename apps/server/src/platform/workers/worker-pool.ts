import os from 'node:os';
import { Worker } from 'node:worker_threads';

// Worker threads for synchronous work that must stay off the request thread (pdf-lib printing and
// stamping, image decoding). A few workers per pool; jobs beyond them wait their turn; a worker is
// kept for the next job (starting one costs ≈ 0.8 s: tsx, pdf-lib, fonts) and ended after a quiet
// minute; a worker whose job failed is ended with whatever state it held, and 'exit' frees its place.

/** One core stays free for the server (argon2 logins, queries) on the two-core machines KhoMật targets. */
export const DEFAULT_MAX_WORKERS = Math.max(1, Math.min(2, os.availableParallelism() - 1));

export interface WorkerPoolOptions {
  /** The worker's entry (a .mjs that loads the TypeScript worker through tsx). */
  url: URL;
  maxWorkers?: number;
  /** A runaway job ends its worker (ERR_WORKER_OUT_OF_MEMORY), never the server. */
  heapMb?: number;
  idleMs?: number;
}

interface Slot {
  worker: Worker;
  exited: boolean;
  idleTimer?: NodeJS.Timeout;
}

export class WorkerPool {
  private live = 0;
  private readonly idle: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private readonly max: number;

  constructor(private readonly opts: WorkerPoolOptions) {
    this.max = opts.maxWorkers ?? DEFAULT_MAX_WORKERS;
  }

  /**
   * Runs `job` on a worker of the pool. The worker goes back to the pool when the job succeeds, or
   * fails with an error `cleanFailure` accepts (a refusal that leaves the worker as clean as a
   * success); any other failure ends it.
   */
  async run<T>(job: (worker: Worker) => Promise<T>, cleanFailure: (e: unknown) => boolean = () => false): Promise<T> {
    const slot = await this.acquire();
    let healthy = false;
    try {
      const r = await job(slot.worker);
      healthy = true;
      return r;
    } catch (e) {
      healthy = cleanFailure(e);
      throw e;
    } finally {
      this.release(slot, healthy);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.opts.url, { resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb ?? 1024 } });
    const slot: Slot = { worker, exited: false };
    this.live++;
    worker.on('exit', () => {
      slot.exited = true;
      this.live--;
      const i = this.idle.indexOf(slot);
      if (i >= 0) this.idle.splice(i, 1);
      clearTimeout(slot.idleTimer);
      // A waiting job takes the place of a worker that ended.
      if (this.waiting.length > 0 && this.live < this.max) this.waiting.shift()!(this.spawn());
    });
    return slot;
  }

  private async acquire(): Promise<Slot> {
    const slot = this.idle.pop() ?? (this.live < this.max ? this.spawn() : await new Promise<Slot>((resolve) => this.waiting.push(resolve)));
    clearTimeout(slot.idleTimer);
    slot.worker.ref();
    return slot;
  }

  private release(slot: Slot, healthy: boolean): void {
    if (!healthy) {
      if (!slot.exited) void slot.worker.terminate();
      return;
    }
    const next = this.waiting.shift();
    if (next) return next(slot);
    // An idle worker never keeps the process alive, and ends after a quiet minute.
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => void slot.worker.terminate(), this.opts.idleMs ?? 60_000);
    slot.idleTimer.unref();
    this.idle.push(slot);
  }
}
