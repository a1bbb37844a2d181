import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../apps/server/src/app/build-app';
import { Client, createTestRuntime, seedAgency, seedUser, USER_PASSWORD } from '../apps/server/src/test/harness';
import type { ClientRequest, ClientResult } from './http-client.child';
import { pdfBlock, pdfPieces } from './pdf-pieces';

// Attached files through the real server over HTTP (a loopback socket, the full Fastify app with
// its hooks, the use case, the audit event) beside the blob store's own rate on bytes of the same
// size in the same run; and the latency of a small (2 KiB) upload. The client is another process
// (http-client.child.ts). Beside them, the loopback alone: a bare Node HTTP server in this process
// sending or taking the same number of bytes from memory to the same client, which is what any
// server on this machine can reach at most.

const MiB = 1024 * 1024;
const BIG = 256 * MiB;
const RUNS = 3;
const SMALL = 2 * 1024;
const SMALL_UPLOADS = 300;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] as number;
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

function nullSink(): Writable {
  return new Writable({ write: (_c, _e, cb) => cb() });
}

function request(base: string, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      const out: Buffer[] = [];
      res.on('data', (b: Buffer) => out.push(b));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(out).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The loopback alone: sends `?bytes=` bytes from memory in 1 MiB pieces (as the store hands out chunks), or takes a body and drops it. */
async function bareServer(): Promise<{ base: string; close: () => Promise<void> }> {
  const block = pdfBlock();
  const server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      req.on('data', () => undefined);
      req.on('end', () => res.end('{}'));
      return;
    }
    const total = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('bytes'));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
    let at = 0;
    const pump = () => {
      while (at < total) {
        const off = at % block.length;
        const piece = block.subarray(off, off + Math.min(MiB, total - at));
        at += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The HTTP client, in a process of its own (see http-client.child.ts). */
function startClient(): { run: (r: ClientRequest) => Promise<ClientResult>; stop: () => void } {
  const child: ChildProcess = fork(fileURLToPath(new URL('./http-client.child.ts', import.meta.url)), [], { execArgv: process.execArgv, stdio: 'inherit' });
  return {
    run: (r) =>
      new Promise((resolve, reject) => {
        const onError = (e: Error) => reject(e);
        child.once('error', onError);
        child.once('message', (m) => {
          child.off('error', onError);
          resolve(m as ClientResult);
        });
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
    const uploadUrl = `${base}/api/items/${itemId}/attachments?name=ke-hoach.pdf`;
    const upload = async (bytes: number) => {
      const res = await client.run({ kind: 'upload', url: uploadUrl, headers: auth, bytes });
      if (res.status !== 200 || res.text === undefined) throw new Error(`upload: ${res.status} ${res.text ?? res.error ?? ''}`);
      return { id: (JSON.parse(res.text) as { id: string }).id, seconds: res.seconds };
    };
    const remove = (id: string) => request(base, 'DELETE', `/api/items/${itemId}/attachments/${id}`, auth);

    const client = startClient();
    const bare = await bareServer();
    const pieces = pdfPieces(BIG);
    const mib = BIG / MiB;
    const s = { put: [] as number[], open: [] as number[], up: [] as number[], down: [] as number[], bareUp: [] as number[], bareDown: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      // The store alone, bytes of the same size: its own rate in this run is the denominator.
      const t0 = process.hrtime.bigint();
      const row = await rt.deps.blobs.put(rt.deps.dbh.db, Readable.from(pieces));
      s.put.push(mib / since(t0));
      const t1 = process.hrtime.bigint();
      await pipeline((await rt.deps.blobs.open(rt.deps.dbh.db, row.id)).stream, nullSink());
      s.open.push(mib / since(t1));
      await rt.deps.blobs.remove(rt.deps.dbh.db, row.id);

      const file = await upload(BIG);
      s.up.push(mib / file.seconds);
      const down = await client.run({ kind: 'download', url: `${base}/api/items/${itemId}/attachments/${file.id}`, headers: auth });
      if (down.status !== 200 || down.bytes !== BIG) throw new Error(`download: ${down.status}, ${down.bytes} bytes`);
      s.down.push(mib / down.seconds);
      await remove(file.id);

      const bareUp = await client.run({ kind: 'upload', url: `${bare.base}/`, headers: {}, bytes: BIG });
      s.bareUp.push(mib / bareUp.seconds);
      const bareDown = await client.run({ kind: 'download', url: `${bare.base}/?bytes=${BIG}`, headers: {} });
      if (bareDown.bytes !== BIG) throw new Error(`bare download: ${bareDown.bytes} bytes`);
      s.bareDown.push(mib / bareDown.seconds);
    }
    await bare.close();

    const small = await client.run({ kind: 'uploads', url: uploadUrl, headers: auth, bytes: SMALL, count: SMALL_UPLOADS });
    client.stop();
    if (!small.latencies) throw new Error(`small uploads: ${small.status} ${small.text ?? small.error ?? ''}`);
    const latencies = small.latencies;

    const m = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, median(v)])) as Record<keyof typeof s, number>;
    return {
      'BlobStore put alone, same size (MiB/s)': round(m.put),
      'upload over HTTP, sent by another process (MiB/s)': round(m.up),
      'ratio upload / store put (target ≥ 0.7)': round(m.up / m.put, 2),
      'loopback alone: bare HTTP server taking the same size (MiB/s)': round(m.bareUp),
      'ratio upload / loopback alone': round(m.up / m.bareUp, 2),
      'BlobStore open alone, same size (MiB/s)': round(m.open),
      'download over HTTP, read by another process (MiB/s)': round(m.down),
      'ratio download / store open (target ≥ 0.7)': round(m.down / m.open, 2),
      'loopback alone: bare HTTP server sending the same size from memory (MiB/s)': round(m.bareDown),
      'ratio download / loopback alone': round(m.down / m.bareDown, 2),
      [`2 KiB upload over HTTP, p50 (ms, ${SMALL_UPLOADS} in a row, sent by another process)`]: round(percentile(latencies, 0.5), 2),
      '2 KiB upload over HTTP, p95 (ms, target ≤ 15)': round(percentile(latencies, 0.95), 2),
      'throughput runs': `median of ${RUNS} × ${mib} MiB, SQLite`,
      note: 'fsync is unrealistically cheap on this VM; disk figures are optimistic',
    };
  } finally {
    await app.close();
    await rt.cleanup();
  }
}
