import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';

// SHA-256 of a stored file's plaintext, computed on a thread of its own while the stream's thread
// encrypts (bench "blobstore": hashing and encrypting one after the other on one thread capped the
// put at about half its slowest stage). The bytes are copied once into a staging buffer, which is
// handed to the hash thread whole (transferred, not copied again). A file smaller than one staging
// buffer is hashed where it is: no thread, no message. One hash thread serves every file in the
// process, each under its own session; messages to a worker arrive in order, so the hash sees the
// bytes in order.

const STAGING_BYTES = 1024 * 1024;
/** Bytes handed to the hash thread and not yet hashed before the writer waits (backpressure). */
const MAX_OUTSTANDING_BYTES = 8 * STAGING_BYTES;

type Reply = { id: number; op: 'ack'; length: number; data: ArrayBuffer } | { id: number; op: 'digest'; hex: string };

interface Session {
  onAck: (length: number, data: ArrayBuffer) => void;
  onDigest: (hex: string) => void;
  onFail: (e: Error) => void;
}

class HashThread {
  private worker: Worker | undefined;
  private readonly sessions = new Map<number, Session>();
  private nextId = 1;

  open(s: Session): number {
    const id = this.nextId++;
    this.sessions.set(id, s);
    return id;
  }

  post(id: number, m: { op: 'update'; data: ArrayBuffer; length: number } | { op: 'digest' } | { op: 'drop' }): void {
    const w = this.started();
    if (m.op === 'update') w.postMessage({ id, ...m }, [m.data]);
    else w.postMessage({ id, ...m });
    // Kept alive only while some session waits for it.
    if (m.op === 'drop') this.close(id);
    else w.ref();
  }

  close(id: number): void {
    this.sessions.delete(id);
    if (this.sessions.size === 0) this.worker?.unref();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./sha256-worker.mjs', import.meta.url));
    w.on('message', (r: Reply) => {
      const s = this.sessions.get(r.id);
      if (!s) return;
      if (r.op === 'ack') s.onAck(r.length, r.data);
      else s.onDigest(r.hex);
    });
    const fail = (e: Error) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      const waiting = [...this.sessions.values()];
      this.sessions.clear();
      for (const s of waiting) s.onFail(e);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the SHA-256 thread ended (exit code ${code})`)));
    this.worker = w;
    return w;
  }
}

const thread = new HashThread();

/** An incremental SHA-256 whose work runs on the hash thread once the input passes one staging buffer. */
export class ParallelSha256 {
  private staging = new Uint8Array(STAGING_BYTES);
  /** Staging buffers the hash thread gave back, filled again rather than allocated. */
  private readonly spare: ArrayBuffer[] = [];
  private filled = 0;
  private id = 0;
  private outstanding = 0;
  private failure: Error | undefined;
  private waiter: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private result: { resolve: (hex: string) => void; reject: (e: Error) => void } | undefined;
  private done = false;

  /** Takes bytes; they may be reused by the caller as soon as this returns. */
  update(bytes: Uint8Array): void {
    if (this.done) throw new Error('SHA-256 already finished');
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, STAGING_BYTES - this.filled);
      this.staging.set(bytes.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === STAGING_BYTES) this.send();
    }
  }

  /** True when the writer should wait (drained()) before giving more. */
  get saturated(): boolean {
    return this.outstanding > MAX_OUTSTANDING_BYTES;
  }

  /** Resolves once the hash thread has caught up below the bound. */
  drained(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (!this.saturated) return Promise.resolve();
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  /** The hex digest of everything given. */
  digest(): Promise<string> {
    if (this.done) throw new Error('SHA-256 already finished');
    this.done = true;
    if (this.failure) return Promise.reject(this.failure);
    // Never went to the thread: a small file is hashed here.
    if (this.id === 0) return Promise.resolve(crypto.createHash('sha256').update(this.staging.subarray(0, this.filled)).digest('hex'));
    if (this.filled > 0) this.send();
    return new Promise((resolve, reject) => {
      this.result = { resolve, reject };
      thread.post(this.id, { op: 'digest' });
    });
  }

  /** Ends the session without a digest (the stream failed or was abandoned). */
  discard(): void {
    if (this.id !== 0 && !this.result && !this.failure) thread.post(this.id, { op: 'drop' });
    this.done = true;
  }

  private send(): void {
    if (this.id === 0) {
      this.id = thread.open({
        onAck: (length, data) => {
          this.outstanding -= length;
          if (this.spare.length < 2) this.spare.push(data);
          if (this.waiter && !this.saturated) {
            const w = this.waiter;
            this.waiter = undefined;
            w.resolve();
          }
        },
        onDigest: (hex) => {
          thread.close(this.id);
          this.result?.resolve(hex);
        },
        onFail: (e) => {
          this.failure = e;
          this.waiter?.reject(e);
          this.result?.reject(e);
        },
      });
    }
    const data = this.staging.buffer;
    const length = this.filled;
    this.outstanding += length;
    thread.post(this.id, { op: 'update', data, length });
    const again = this.spare.pop();
    this.staging = again ? new Uint8Array(again) : new Uint8Array(STAGING_BYTES);
    this.filled = 0;
  }
}
