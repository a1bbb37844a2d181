import http from 'node:http';

// Forked by attachments.bench.ts: downloads what the parent asks over HTTP into nothing and
// reports how long it took. A download's reader is a browser in its own process (on its own
// machine); read in the server's own event loop, every byte's receipt would be charged to the
// server as well.

export interface ReadRequest {
  url: string;
  headers: Record<string, string>;
}

export interface ReadResult {
  status: number;
  bytes: number;
  seconds: number;
}

function read({ url, headers }: ReadRequest): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(url, { headers, agent: false }, (res) => {
      let bytes = 0;
      res.on('data', (b: Buffer) => (bytes += b.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

process.on('message', (m: ReadRequest | 'exit') => {
  if (m === 'exit') return process.exit(0);
  read(m).then(
    (r) => process.send?.(r),
    (e: unknown) => process.send?.({ status: 0, bytes: 0, seconds: 0, error: String(e) }),
  );
});
