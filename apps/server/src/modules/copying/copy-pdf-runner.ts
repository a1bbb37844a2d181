import type { Worker } from 'node:worker_threads';
import { DomainError } from '../../platform/errors';
import { WorkerPool } from '../../platform/workers/worker-pool';
import type { CopyDescription } from './copy-pdf';
import type { CopyWorkerReply, CopyWorkerRequest } from './copy-pdf-worker-protocol';

// Produces numbered copies in worker threads (copy-pdf.worker.ts), off the request thread: marking
// a 100-page original into 20 copies is seconds of synchronous pdf-lib work (and reading a trace
// mark from a photo up to a second of decoding), in a pool of its own (platform/workers).

const pool = new WorkerPool({ url: new URL('./copy-pdf.worker.mjs', import.meta.url) });

/** Sends one job and collects its replies until 'done', 'id' or 'error'. */
function runJob(
  worker: Worker,
  req: CopyWorkerRequest,
  transfer: ArrayBuffer[],
  onCopy: (index: number, bytes: Uint8Array) => void,
): Promise<string | undefined> {
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

function inWorker(
  req: CopyWorkerRequest,
  transfer: ArrayBuffer[],
  onCopy: (index: number, bytes: Uint8Array) => void = () => undefined,
): Promise<string | undefined> {
  // A domain error (bad original, unreadable image) leaves the worker as clean as a success.
  return pool.run(
    (worker) => runJob(worker, req, transfer, onCopy),
    (e) => e instanceof DomainError,
  );
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
