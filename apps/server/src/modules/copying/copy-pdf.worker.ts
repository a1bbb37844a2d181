import { parentPort } from 'node:worker_threads';
import { isDomainError } from '../../platform/errors';
import { produceCopyPdf } from './copy-pdf';
import { readTraceMark } from './trace-reader';
import type { CopyWorkerReply, CopyWorkerRequest } from './copy-pdf-worker-protocol';

// Worker-thread side of copy production (copy-pdf-runner.ts): pdf-lib parses, marks and writes
// synchronously, so the copies are made here while the server's event loop keeps serving; reading
// a trace mark from a photo (decoding and QR search, up to a second) runs here too. Each
// copy is sent back as soon as it is written, its memory transferred, not copied, so the worker
// never holds more than the original and one copy.

const port = parentPort!;
const post = (m: CopyWorkerReply, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
// Jobs are handled strictly in order (the runner sends one at a time anyway).
let queue: Promise<void> = Promise.resolve();

port.on('message', (m: CopyWorkerRequest) => {
  queue = queue.then(async () => {
    try {
      if (m.type === 'read') {
        post({ type: 'id', id: readTraceMark(m.image) });
        return;
      }
      for (const [index, d] of m.descriptions.entries()) {
        const bytes = await produceCopyPdf(m.original, d);
        post({ type: 'copy', index, bytes }, [bytes.buffer as ArrayBuffer]);
      }
      post({ type: 'done' });
    } catch (e) {
      if (isDomainError(e)) post({ type: 'error', message: e.message, code: e.code, kind: e.kind });
      else post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
});
