// Worker of the parallel audit verification (audit-log.ts): checks one range of the chain in
// its own read-only connection — sequence, links and keyed hashes — and reports only whether the
// range is clean, with its first predecessor hash and last hash so that ranges can be stitched.
// Any doubt ("suspicious") makes the caller re-run the exact sequential check, which names the
// first bad event. Plain JavaScript so that it runs in a worker thread without a TS loader.
import crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';

const { file, keyHex, secretHex, keyedFrom, lo, hi } = workerData;
// The same rule as canonical.ts chainKey: HMAC-SHA256 from keyedFrom on, SHA-256 before.
const chainKey = crypto.createSecretKey(Buffer.from(secretHex, 'hex'));
const hashOf = (seq, text) => (seq >= keyedFrom ? crypto.createHmac('sha256', chainKey).update(text).digest('hex') : crypto.hash('sha256', text, 'hex'));
const db = new Database(file, { readonly: true, fileMustExist: true });
try {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${keyHex}'"`);
  const stmt = db
    .prepare(
      `select seq, prev_hash, hash, json_array(seq, id, occurred_at, actor_id, action, subject_type, subject_id, details, prev_hash)
         from audit_events where seq between ? and ? order by seq`,
    )
    .raw(true);
  let expected = lo;
  let prev = null;
  let firstPrev = null;
  let count = 0;
  let suspicious = false;
  for (const [seq, p, h, text] of stmt.iterate(lo, hi)) {
    if (seq !== expected || (prev !== null && p !== prev) || hashOf(seq, text) !== h) {
      suspicious = true;
      break;
    }
    if (firstPrev === null) firstPrev = p;
    prev = h;
    expected = seq + 1;
    count++;
  }
  parentPort.postMessage({ count, firstPrev, lastHash: prev, lastSeq: expected - 1, suspicious });
} finally {
  db.close();
}
