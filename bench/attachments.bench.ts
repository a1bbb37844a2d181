import crypto from 'node:crypto';
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../apps/server/src/app/build-app';
import { Client, createTestRuntime, seedAgency, seedUser, USER_PASSWORD } from '../apps/server/src/test/harness';
import type { ReadRequest, ReadResult } from './http-reader.child';

// Attached files through the real server over HTTP (a loopback socket, the full Fastify app with
// its hooks, the use case, the audit event) beside the blob store's own rate on the same bytes
// in the same run; and the latency of a small (2 KiB) upload.

const MiB = 1024 * 1024;
const BIG = 256 * MiB;
const RUNS = 3;
const SMALL = 2 * 1024;
const SMALL_UPLOADS = 300;
const PIECE = 64 * 1024;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** A PDF-looking body: the signature, then random bytes, handed out as 64 KiB pieces. */
function pdfPieces(total: number): Buffer[] {
  const block = crypto.randomBytes(16 * MiB);
  Buffer.from('%PDF-1.7\n').copy(block);
  const pieces: Buffer[] = [];
  for (let at = 0; at < total; at += PIECE) {
    const off = at % block.length;
    pieces.push(block.subarray(off, off + Math.min(PIECE, total - at)));
  }
  return pieces;
}

function nullSink(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}

function request(base: string, method: string, path: string, headers: Record<string, string>, body?: Readable): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const out: Buffer[] = [];
      res.on('data', (b: Buffer) => out.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(out).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) pipeline(body, req).catch(reject);
    else req.end();
  });
}

/** The download's reader, in a process of its own (see http-reader.child.ts). */
function startReader(): { read: (r: ReadRequest) => Promise<ReadResult>; stop: () => void } {
  const child: ChildProcess = fork(fileURLToPath(new URL('./http-reader.child.ts', import.meta.url)), [], { execArgv: process.execArgv, stdio: 'inherit' });
  return {
    read: (r) =>
      new Promise((resolve, reject) => {
        child.once('message', (m) => resolve(m as ReadResult));
        child.once('error', reject);
        child.send(r);
      }),
    stop: () => child.send('exit'),
  };
}

export async function benchAttachments(): Promise<Record<string, number | string>> {
  const rt = await createTestRuntime('sqlite', { config: { maxUploadMb: 1024, auditCheckpointEvery: 100 } });
  const app = await buildApp(rt.deps, { serveWeb: false });
  try {
    const { unitId } = await seedAgency(rt.deps);
    await seedUser(rt.deps, { username: 'canbo', unitId, roles: ['officer'], clearance: 'SECRET' });
    await seedUser(rt.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'TOP_SECRET' });
    const so = new Client(app, rt.clock);
    await so.signIn('baomat', USER_PASSWORD);
    const catalog = JSON.stringify([
      { decisionNumber: '19/QĐ-TTg', decisionDate: '2026-01-06', field: 'Ngoại giao', article: '1', clause: '2', description: 'Kế hoạch', level: 'SECRET' },
    ]);
    await so.post('/api/catalog/import', { format: 'json', content: catalog });
    const catalogId = (await so.get('/api/catalog')).json().items[0].id as string;
    const officer = new Client(app, rt.clock);
    await officer.signIn('canbo', USER_PASSWORD);
    const draft = await officer.post('/api/items', {
      kind: 'electronic_document',
      docType: 'Kế hoạch',
      summary: 'Kế hoạch thử tốc độ',
      field: 'Ngoại giao',
      level: 'SECRET',
      catalogItemIds: [catalogId],
      recipients: [{ kind: 'unit', unitId, copies: 1 }],
      copyCount: 1,
      copyAllowed: false,
    });
    if (draft.statusCode !== 200) throw new Error(`draft: ${draft.body}`);
    const itemId = draft.json().id as string;

    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const auth = { cookie: `khomat_sid=${officer.cookie}`, 'x-csrf-token': officer.csrf as string };
    const uploadPath = `/api/items/${itemId}/attachments?name=ke-hoach.pdf`;
    const upload = async (pieces: Buffer[], size: number) => {
      const res = await request(
        base,
        'POST',
        uploadPath,
        { ...auth, 'content-type': 'application/octet-stream', 'content-length': String(size) },
        Readable.from(pieces),
      );
      if (res.status !== 200) throw new Error(`upload: ${res.status} ${res.text}`);
      return JSON.parse(res.text) as { id: string };
    };
    const remove = (id: string) => request(base, 'DELETE', `/api/items/${itemId}/attachments/${id}`, auth);

    const reader = startReader();
    const pieces = pdfPieces(BIG);
    const mib = BIG / MiB;
    const s = { put: [] as number[], open: [] as number[], up: [] as number[], down: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      // The store alone, same bytes: its own rate in this run is the denominator.
      let t0 = process.hrtime.bigint();
      const row = await rt.deps.blobs.put(rt.deps.dbh.db, Readable.from(pieces));
      s.put.push(mib / since(t0));
      t0 = process.hrtime.bigint();
      await pipeline((await rt.deps.blobs.open(rt.deps.dbh.db, row.id)).stream, nullSink());
      s.open.push(mib / since(t0));
      await rt.deps.blobs.remove(rt.deps.dbh.db, row.id);

      t0 = process.hrtime.bigint();
      const file = await upload(pieces, BIG);
      s.up.push(mib / since(t0));
      const down = await reader.read({ url: `${base}/api/items/${itemId}/attachments/${file.id}`, headers: auth });
      if (down.status !== 200 || down.bytes !== BIG) throw new Error(`download: ${down.status}, ${down.bytes} bytes`);
      s.down.push(mib / down.seconds);
      await remove(file.id);
    }

    reader.stop();
    const small = pdfPieces(SMALL);
    const latencies: number[] = [];
    for (let i = 0; i < SMALL_UPLOADS; i++) {
      const t0 = process.hrtime.bigint();
      await upload(small, SMALL);
      latencies.push(since(t0) * 1000);
    }

    const m = { put: median(s.put), open: median(s.open), up: median(s.up), down: median(s.down) };
    return {
      'BlobStore put alone, same bytes (MiB/s)': round(m.put),
      'upload over HTTP (MiB/s)': round(m.up),
      'ratio upload / store put (target ≥ 0.7)': round(m.up / m.put, 2),
      'BlobStore open alone, same bytes (MiB/s)': round(m.open),
      'download over HTTP, read by another process (MiB/s)': round(m.down),
      'ratio download / store open (target ≥ 0.7)': round(m.down / m.open, 2),
      [`2 KiB upload over HTTP, p50 (ms, ${SMALL_UPLOADS} in a row)`]: round(percentile(latencies, 0.5), 2),
      '2 KiB upload over HTTP, p95 (ms, target ≤ 15)': round(percentile(latencies, 0.95), 2),
      'throughput runs': `median of ${RUNS} × ${mib} MiB, SQLite`,
      note: 'fsync is unrealistically cheap on this VM; disk figures are optimistic',
    };
  } finally {
    await app.close();
    await rt.cleanup();
  }
}
