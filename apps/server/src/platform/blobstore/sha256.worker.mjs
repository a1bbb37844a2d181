// The hashing thread of sha256-thread.ts. Plain JavaScript with nothing to load, so it starts in a
// few milliseconds under tsx, Vitest and `npm start` alike. It hashes what the request thread
// copied into a job's shared ring and says how far it got, which frees that part of the ring.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

const jobs = new Map();

parentPort.on('message', (m) => {
  if (m.type === 'start') {
    jobs.set(m.job, { hash: createHash('sha256'), ring: Buffer.from(m.ring) });
    return;
  }
  const job = jobs.get(m.job);
  if (job === undefined) return;
  if (m.type === 'data') {
    const size = job.ring.length;
    for (let from = m.from; from < m.to;) {
      const at = from % size;
      const n = Math.min(m.to - from, size - at);
      job.hash.update(job.ring.subarray(at, at + n));
      from += n;
    }
    parentPort.postMessage({ type: 'hashed', job: m.job, upTo: m.to });
  } else if (m.type === 'end') {
    jobs.delete(m.job);
    parentPort.postMessage({ type: 'digest', job: m.job, hex: job.hash.digest('hex') });
  } else if (m.type === 'drop') {
    jobs.delete(m.job);
  }
});
