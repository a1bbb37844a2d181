import pg from 'pg';
import crypto from 'node:crypto';
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await c.connect();
await c.query('set search_path = exp_audit');
const B = 4000;
const q = (a, b) => `select count(*)::int as n, string_agg(format(E'%s\\x1f%s\\x1f%s\\x1f%s\\x1f%s\\x1f%s\\x1f%s\\x1f%s\\x1f%s', seq, id, occurred_at, actor_id, action, subject_type, subject_id, details, prev_hash), E'\\x1e') as texts, string_agg(hash, '') as hashes,
  string_agg(case when actor_id is null or subject_type is null or subject_id is null then concat_ws(':', seq, (actor_id is null)::int, (subject_type is null)::int, (subject_id is null)::int) end, ',') as nulls
  from (select * from audit_events where seq > ${a} and seq <= ${b} order by seq) e`;
const ROOM = ' '.repeat(64);
const SAFE = /^[^"\\\x00-\x1f]*$/;
function build(b) {
  const rows = b.texts.split('\x1e');
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const f = rows[i].split('\x1f');
    if (f.length !== 9) return null;
    const s = (x) => (SAFE.test(x) ? '"' + x + '"' : null);
    out[i] = ROOM + '[' + f[0] + ',"' + f[1] + '","' + f[2] + '",' + (f[3] === '' ? 'null' : '"' + f[3] + '"') + ',"' + f[4] + '",' + (f[5] === '' ? 'null' : '"' + f[5] + '"') + ',' + (f[6] === '' ? 'null' : '"' + f[6] + '"') + ',' + JSON.stringify(f[7]) + ',"' + f[8] + '"]';
  }
  return Buffer.from(out.join('\n'), 'utf8');
}
const key = crypto.randomBytes(32);
for (let r = 0; r < 3; r++) {
  let tFetchWait = 0, tBuild = 0, tHash = 0;
  const t0 = performance.now();
  let next = c.query(q(0, B));
  for (let a = 0; a < 200000; a += B) {
    let t = performance.now();
    const res = await next; tFetchWait += performance.now() - t;
    if (a + B < 200000) next = c.query(q(a + B, a + 2 * B));
    t = performance.now();
    const buf = build(res.rows[0]); tBuild += performance.now() - t;
    t = performance.now();
    let pos = 0;
    while (pos < buf.length) { let nl = buf.indexOf(10, pos); if (nl < 0) nl = buf.length; crypto.hash('sha256', buf.subarray(pos, nl), 'hex'); crypto.hash('sha256', buf.subarray(pos, pos+96), 'hex'); pos = nl + 1; }
    tHash += performance.now() - t;
  }
  console.log('total', Math.round(performance.now() - t0), 'wait', Math.round(tFetchWait), 'build', Math.round(tBuild), 'hash', Math.round(tHash));
}
for (let r = 0; r < 2; r++) { const t0 = performance.now(); const all = await c.query('select * from audit_events order by seq'); console.log('raw read all', Math.round(performance.now() - t0), all.rows.length); }
await c.end();
