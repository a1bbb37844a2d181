import http from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pdfBlock, pdfPieces } from './pdf-pieces';

// Forked by attachments.bench.ts: the client side of every HTTP figure, in a process of its own.
// The client is a browser in its own process (on its own machine); run in the server's event loop,
// every byte it sends or receives, and every request it builds, would be charged to the server too.

export type ClientRequest =
  | { kind: 'download'; url: string; headers: Record<string, string> }
  /** One upload of `bytes` PDF-looking bytes, sent in 64 KiB pieces. */
  | { kind: 'upload'; url: string; headers: Record<string, string>; bytes: number }
  /** `count` uploads of `bytes` each, one after the other: their latencies. */
  | { kind: 'uploads'; url: string; headers: Record<string, string>; bytes: number; count: number };

export interface ClientResult {
  status: number;
  bytes: number;
  seconds: number;
  /** The response body when it is short (an upload's answer), for the parent to read. */
  text?: string;
  /** Per request, in ms ('uploads'). */
  latencies?: number[];
  error?: string;
}

const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** One block for every request: its pieces are views, so sending costs no copy here. */
const block = pdfBlock();

function send(method: string, url: string, headers: Record<string, string>, body?: Buffer[]): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const size = body?.reduce((n, b) => n + b.length, 0);
    const req = http.request(
      url,
      {
        method,
        headers: size === undefined ? headers : { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(size) },
        agent: false,
      },
      (res) => {
        let bytes = 0;
        const short: Buffer[] = [];
        res.on('data', (b: Buffer) => {
          bytes += b.length;
          if (bytes <= 64 * 1024) short.push(b);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, bytes, seconds: since(t0), text: bytes <= 64 * 1024 ? Buffer.concat(short).toString() : undefined }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) pipeline(Readable.from(body), req).catch(reject);
    else req.end();
  });
}

async function run(r: ClientRequest): Promise<ClientResult> {
  if (r.kind === 'download') return send('GET', r.url, r.headers);
  if (r.kind === 'upload') return send('POST', r.url, r.headers, pdfPieces(r.bytes, block));
  const latencies: number[] = [];
  let last: ClientResult = { status: 0, bytes: 0, seconds: 0 };
  for (let i = 0; i < r.count; i++) {
    last = await send('POST', r.url, r.headers, pdfPieces(r.bytes, block));
    if (last.status !== 200) return last;
    latencies.push(last.seconds * 1000);
  }
  return { ...last, latencies };
}

process.on('message', (m: ClientRequest | 'exit') => {
  if (m === 'exit') return process.exit(0);
  run(m).then(
    (r) => process.send?.(r),
    (e: unknown) => process.send?.({ status: 0, bytes: 0, seconds: 0, error: String(e) } satisfies ClientResult),
  );
});
