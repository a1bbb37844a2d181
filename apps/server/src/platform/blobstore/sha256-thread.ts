import { Worker } from 'node:worker_threads';

// SHA-256 of a stream's bytes on a thread of its own (sha256.worker.mjs), so that a file's hashing
// and its encryption run side by side on two cores instead of taking turns on the request thread
// (bench "blobstore": put ran at about half the speed it reached with the hash left out).
//
// The bytes are copied into a ring of shared memory, one per job, and the thread is told which
// range to hash every POST_EVERY bytes; its reply frees that part of the ring. A copy costs a
// fraction of what hashing the same bytes costs, and leaves the caller's buffers its own. The ring
// is memory only: no byte of it is ever written anywhere.
//
// One thread serves every job of the process. It starts with the first job, is left unreferenced
// while no job runs (it never keeps the process alive), and a new one starts if it ever stops.

const RING_BYTES = 4 * 1024 * 1024;
const POST_EVERY = 256 * 1024;

type Reply = { type: 'hashed'; job: number; upTo: number } | { type: 'digest'; job: number; hex: string };

interface Thread {
  worker: Worker;
  jobs: Map<number, Sha256Job>;
}

let thread: Thread | undefined;
let nextJob = 1;

function hashingThread(): Thread {
  if (thread) return thread;
  const worker = new Worker(new URL('./sha256.worker.mjs', import.meta.url));
  const t: Thread = { worker, jobs: new Map() };
  const stop = (e: Error) => {
    if (thread === t) thread = undefined;
    for (const job of t.jobs.values()) job.fail(e);
    t.jobs.clear();
  };
  worker.on('message', (m: Reply) => t.jobs.get(m.job)?.reply(m));
  worker.on('error', stop);
  worker.on('exit', (code) => stop(new Error(`the hashing thread stopped (exit code ${code})`)));
  worker.unref();
  thread = t;
  return t;
}

/** Jobs that have started and not yet ended (tests: a failed or destroyed stream must end its job). */
export function hashJobsRunning(): number {
  return thread?.jobs.size ?? 0;
}

/** Stops the hashing thread; jobs running fail, the next job starts a new thread. For tests of that failure. */
export async function stopHashingThread(): Promise<void> {
  await thread?.worker.terminate();
}

/** One stream's SHA-256, computed on the hashing thread. Feed it with `update`, end with `digest` or `abort`. */
export class Sha256Job {
  private readonly id = nextJob++;
  private readonly thread: Thread;
  private readonly ring = Buffer.from(new SharedArrayBuffer(RING_BYTES));
  /** Bytes copied into the ring, told to the thread, and hashed by it (all counted from the start). */
  private written = 0;
  private posted = 0;
  private hashed = 0;
  private room: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private result: { resolve: (hex: string) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private ended = false;

  constructor() {
    this.thread = hashingThread();
    if (this.thread.jobs.size === 0) this.thread.worker.ref();
    this.thread.jobs.set(this.id, this);
    this.thread.worker.postMessage({ type: 'start', job: this.id, ring: this.ring.buffer });
  }

  /**
   * Takes `buf` into the hash. Returns undefined when it was taken at once, or a promise that
   * settles once it has been (the ring was full: the caller waits for the thread, which bounds
   * the memory a fast producer can fill).
   */
  update(buf: Buffer): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('SHA-256 job already ended');
    let at = 0;
    while (at < buf.length) {
      const free = RING_BYTES - (this.written - this.hashed);
      if (free === 0) {
        this.post();
        const rest = buf.subarray(at);
        return new Promise<void>((resolve, reject) => (this.room = { resolve, reject })).then(() => this.update(rest));
      }
      const pos = this.written % RING_BYTES;
      const n = Math.min(buf.length - at, free, RING_BYTES - pos);
      buf.copy(this.ring, pos, at, at + n);
      at += n;
      this.written += n;
      if (this.written - this.posted >= POST_EVERY) this.post();
    }
    return undefined;
  }

  /** The SHA-256 (hex) of everything taken; the job ends. */
  digest(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.reject(new Error('SHA-256 job already ended'));
    this.post();
    this.ended = true;
    const hex = new Promise<string>((resolve, reject) => (this.result = { resolve, reject }));
    this.thread.worker.postMessage({ type: 'end', job: this.id });
    return hex;
  }

  /** Ends the job without a digest (the stream failed or was destroyed). */
  abort(): void {
    if (this.ended) return;
    this.ended = true;
    this.thread.worker.postMessage({ type: 'drop', job: this.id });
    this.leave();
  }

  /** @internal A reply of the thread for this job. */
  reply(m: Reply): void {
    if (m.type === 'hashed') {
      this.hashed = m.upTo;
      const room = this.room;
      this.room = undefined;
      room?.resolve();
    } else {
      this.leave();
      this.result?.resolve(m.hex);
    }
  }

  /** @internal The thread stopped: whatever waits on this job fails. */
  fail(e: Error): void {
    this.failure = e;
    this.room?.reject(e);
    this.result?.reject(e);
    this.room = undefined;
    this.result = undefined;
  }

  private post(): void {
    if (this.written === this.posted) return;
    this.thread.worker.postMessage({ type: 'data', job: this.id, from: this.posted, to: this.written });
    this.posted = this.written;
  }

  private leave(): void {
    if (!this.thread.jobs.delete(this.id)) return;
    if (this.thread.jobs.size === 0) this.thread.worker.unref();
  }
}
