import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { DomainError } from '../../platform/errors';
import type { CopyDescription } from './copy-pdf';
import type { CopyWorkerReply, CopyWorkerRequest } from './copy-pdf-worker-protocol';

// Produces numbered copies in worker threads (copy-pdf.worker.ts), off the request thread: marking
// a 100-page original into 20 copies is seconds of synchronous pdf-lib work (and reading a trace
// mark from a photo up to a second of decoding). The same shape as the
// register printing's runner (registers/print/register-pdf-runner.ts): a few workers per process,
// jobs beyond them wait their turn, a worker is kept for the next job and ended after a quiet
// minute, a worker that failed is ended with whatever state it held.

const WORKER_URL = new URL('./copy-pdf.worker.mjs', import.meta.url);
/** One core stays free for the server on the two-core machines KhoMật targets. */
const MAX_WORKERS = Math.max(1, Math.min(2, os.availableParallelism() - 1));
/** A runaway original ends its worker (ERR_WORKER_OUT_OF_MEMORY), never the server. */
const WORKER_HEAP_MB = 1024;
const IDLE_MS = 60_000;

interface Slot {
  worker: Worker;
  exited: boolean;
  idleTimer?: NodeJS.Timeout;
}

let live = 0;
const idle: Slot[] = [];
const waiting: ((slot: Slot) => void)[] = [];

function spawn(): Slot {
  const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const slot: Slot = { worker, exited: false };
  live++;
  worker.on('exit', () => {
    slot.exited = true;
    live--;
    const i = idle.indexOf(slot);
    if (i >= 0) idle.splice(i, 1);
    clearTimeout(slot.idleTimer);
    // A waiting job takes the place of a worker that ended.
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

/** Sends one job and collects its replies until 'done', 'id' or 'error'. */
function runJob(worker: Worker, req: CopyWorkerRequest, transfer: ArrayBuffer[], onCopy: (index: number, bytes: Uint8Array) => void): Promise<string | undefined> {
  return new Promise<string | undefined>((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: CopyWorkerReply) => {
      if (m.type === 'copy') return onCopy(m.index, m.bytes);
      cleanup();
      if (m.type === 'done') resolve(undefined);
      else if (m.type === 'id') resolve(m.id);
      else reject(m.code && m.kind ? new DomainError(m.code, m.kind, m.message) : new Error(`copy PDF worker: ${m.message}`));
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`copy PDF worker exited (code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage(req, transfer);
  });
}

async function inWorker(req: CopyWorkerRequest, transfer: ArrayBuffer[], onCopy: (index: number, bytes: Uint8Array) => void = () => undefined): Promise<string | undefined> {
  const slot = await acquire();
  let healthy = false;
  try {
    const r = await runJob(slot.worker, req, transfer, onCopy);
    healthy = true;
    return r;
  } catch (e) {
    // A domain error (bad original, unreadable image) leaves the worker as clean as a success.
    healthy = e instanceof DomainError;
    throw e;
  } finally {
    release(slot, healthy);
  }
}

/**
 * The PDFs of the described copies of `original` (copy-pdf.ts produceCopyPdf), in order, made in
 * a worker thread. Rejects with the copying domain errors for a bad original or description.
 */
export async function produceCopies(original: Uint8Array, descriptions: CopyDescription[]): Promise<Uint8Array[]> {
  if (descriptions.length === 0) return [];
  // The worker gets its own copy of the original, transferred: the caller's buffer stays intact
  // and attached (it may be a view into Node's shared Buffer pool, which must never be moved).
  const own = new Uint8Array(original);
  const copies = new Array<Uint8Array>(descriptions.length);
  await inWorker({ type: 'produce', original: own, descriptions }, [own.buffer], (i, bytes) => (copies[i] = bytes));
  return copies;
}

/**
 * trace-reader.ts readTraceMark in a worker thread: the verification id on a photographed or
 * scanned page, without holding the server's event loop for the decoding and the QR search.
 */
export async function readTraceMarkInWorker(image: Uint8Array): Promise<string> {
  const own = new Uint8Array(image);
  return (await inWorker({ type: 'read', image: own }, [own.buffer]))!;
}
