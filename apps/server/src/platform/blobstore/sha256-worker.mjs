// The SHA-256 thread of the blob store (parallel-sha256.ts): one hash per session, fed in order.
// Plain JavaScript: it needs node:crypto only, so it starts without a TypeScript loader.
import crypto from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const sessions = new Map();

parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let h = sessions.get(m.id);
    if (!h) sessions.set(m.id, (h = crypto.createHash('sha256')));
    h.update(new Uint8Array(m.data, 0, m.length));
    // The buffer goes back to be filled again.
    parentPort.postMessage({ id: m.id, op: 'ack', length: m.length, data: m.data }, [m.data]);
  } else if (m.op === 'digest') {
    const h = sessions.get(m.id) ?? crypto.createHash('sha256');
    sessions.delete(m.id);
    parentPort.postMessage({ id: m.id, op: 'digest', hex: h.digest('hex') });
  } else if (m.op === 'drop') {
    sessions.delete(m.id);
  }
});
