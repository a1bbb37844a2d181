import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Request } from 'playwright-core';
import { loadDemo } from '../e2e/support/demo';
import { CHROMIUM, WEB_DIST } from '../e2e/support/paths';
import { startServer } from '../e2e/support/server';

// The sign-in page's first load as a browser sees it: the real server (tsx apps/server/src/main.ts)
// serving the built UI, headless Chromium with an empty cache, every response counted by its
// encoded body size (what crossed the wire). Target: under 400 KB. Needs `npm run build:web`.

const KB = 1000;
const TARGET_KB = 400;

interface Load {
  requests: number;
  encoded: number;
  encodings: Set<string>;
}

async function loadSignInPage(baseUrl: string, acceptEncoding?: string): Promise<Load> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const context = await browser.newContext({
      baseURL: baseUrl,
      locale: 'vi-VN',
      ...(acceptEncoding ? { extraHTTPHeaders: { 'accept-encoding': acceptEncoding } } : {}),
    });
    const page = await context.newPage();
    const done: Promise<void>[] = [];
    const load: Load = { requests: 0, encoded: 0, encodings: new Set() };
    page.on('requestfinished', (r: Request) => {
      done.push(
        (async () => {
          const sizes = await r.sizes();
          const res = await r.response();
          load.requests++;
          load.encoded += sizes.responseBodySize;
          const enc = await res?.headerValue('content-encoding');
          if (enc) load.encodings.add(enc);
        })(),
      );
    });
    await page.goto('/', { waitUntil: 'networkidle' });
    await page.locator('input[type="password"]').waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await Promise.all(done);
    return load;
  } finally {
    await browser.close();
  }
}

export async function benchWeb(): Promise<Record<string, number | string>> {
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) throw new Error('no built UI: run `npm run build:web` first');
  const server = await startServer('bench-web', { beforeStart: loadDemo });
  try {
    const compressed = await loadSignInPage(server.baseUrl);
    // The same page for a client that accepts no compression: what the precompressed copies save.
    const identity = await loadSignInPage(server.baseUrl, 'identity');
    const kb = (n: number) => Math.round((n / KB) * 10) / 10;
    return {
      'sign-in page, first load: requests': compressed.requests,
      'sign-in page, first load: transferred (KB, encoded bodies)': kb(compressed.encoded),
      [`ratio transferred / target ${TARGET_KB} KB (target < 1)`]: Math.round((compressed.encoded / (TARGET_KB * KB)) * 100) / 100,
      'encodings seen': [...compressed.encodings].sort().join(', ') || 'none',
      'same page without compression: transferred (KB)': kb(identity.encoded),
      note: 'Chromium headless, empty cache, loopback; the demo agency is loaded so the sign-in page shows',
    };
  } finally {
    await server.stop();
  }
}
