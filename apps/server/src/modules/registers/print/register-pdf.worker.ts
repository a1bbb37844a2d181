import { parentPort } from 'node:worker_threads';
import { RegisterPdfRenderer } from './register-pdf';
import type { WorkerReply, WorkerRequest } from './register-pdf-worker-protocol';

// Worker-thread side of register printing (register-pdf-runner.ts): pdf-lib is synchronous and
// CPU-bound, so a large register is laid out here while the server's event loop keeps serving.
// One job at a time: 'start' (the spec), 'rows' chunks (each acknowledged, so the sender never
// runs far ahead), 'end' (the file comes back, its memory transferred, not copied).

const port = parentPort!;
const post = (m: WorkerReply, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
let job: Promise<RegisterPdfRenderer> | undefined;
// Messages are handled strictly in order: each waits for the one before.
let queue: Promise<void> = Promise.resolve();

port.on('message', (m: WorkerRequest) => {
  queue = queue.then(async () => {
    try {
      if (m.type === 'start') {
        job = RegisterPdfRenderer.create(m.spec);
        await job;
        return;
      }
      if (!job) throw new Error('no print job started');
      const r = await job;
      if (m.type === 'rows') {
        r.addRows(m.rows);
        post({ type: 'ack' });
      } else {
        job = undefined;
        const bytes = await r.finish();
        post({ type: 'done', bytes, pages: r.pageCount }, [bytes.buffer as ArrayBuffer]);
      }
    } catch (e) {
      job = undefined;
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
});
