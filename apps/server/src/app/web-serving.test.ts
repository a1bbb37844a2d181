import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRuntime, type TestRuntime } from '../test/harness';
import { buildApp, IMMUTABLE } from './build-app';

// The built web UI as the server sends it: precompressed copies chosen from Accept-Encoding,
// hashed assets cached for good, index.html revalidated, nothing outside the web folder. Static
// files do not touch the database, so one dialect is enough here.

const SCRIPT = `console.log(${JSON.stringify('KhoMật '.repeat(400))});\n`;
const HTML = '<!doctype html><html lang="vi"><head><title>KhoMật</title><script type="module" src="/assets/index-AbC123.js"></script></head></html>';

describe('web UI serving', () => {
  let rt: TestRuntime;
  let app: FastifyInstance;
  let webDir: string;

  beforeAll(async () => {
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-web-'));
    fs.mkdirSync(path.join(webDir, 'assets'));
    const script = path.join(webDir, 'assets', 'index-AbC123.js');
    fs.writeFileSync(script, SCRIPT);
    fs.writeFileSync(`${script}.br`, zlib.brotliCompressSync(SCRIPT));
    fs.writeFileSync(`${script}.gz`, zlib.gzipSync(SCRIPT));
    fs.writeFileSync(path.join(webDir, 'index.html'), HTML);
    // A file next to the web folder that must never be reachable through it.
    fs.writeFileSync(path.join(path.dirname(webDir), `${path.basename(webDir)}-secret.txt`), 'BI-MAT');
    rt = await createTestRuntime('sqlite', { config: { webDir } });
    app = await buildApp(rt.deps);
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await rt?.cleanup();
    fs.rmSync(webDir, { recursive: true, force: true });
    fs.rmSync(path.join(path.dirname(webDir), `${path.basename(webDir)}-secret.txt`), { force: true });
  });

  const get = (url: string, acceptEncoding?: string) =>
    app.inject({ method: 'GET', url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

  it('sends the brotli copy to a browser that accepts it', async () => {
    const res = await get('/assets/index-AbC123.js', 'gzip, deflate, br, zstd');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(SCRIPT);
  });

  it('falls back to gzip when brotli is not accepted', async () => {
    const res = await get('/assets/index-AbC123.js', 'gzip, deflate');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(zlib.gunzipSync(res.rawPayload).toString()).toBe(SCRIPT);
  });

  it('sends the file itself when neither is accepted', async () => {
    for (const accept of [undefined, 'identity', 'deflate']) {
      const res = await get('/assets/index-AbC123.js', accept);
      expect(res.statusCode, String(accept)).toBe(200);
      expect(res.headers['content-encoding'], String(accept)).toBeUndefined();
      expect(res.body, String(accept)).toBe(SCRIPT);
    }
  });

  it('lets browsers keep hashed assets for good, in every encoding', async () => {
    for (const accept of ['br', 'gzip', 'identity']) {
      expect((await get('/assets/index-AbC123.js', accept)).headers['cache-control'], accept).toBe(IMMUTABLE);
    }
  });

  it('makes browsers revalidate index.html, whichever way it is asked for', async () => {
    for (const url of ['/', '/index.html', '/registers/outgoing']) {
      const res = await get(url, 'br, gzip');
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body, url).toContain('<title>KhoMật</title>');
    }
  });

  it('keeps the security headers on the UI files', async () => {
    for (const url of ['/', '/assets/index-AbC123.js']) {
      const res = await get(url, 'br');
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('serves nothing outside the web folder', async () => {
    const outside = `${path.basename(webDir)}-secret.txt`;
    for (const url of [
      `/../${outside}`,
      `/assets/../../${outside}`,
      `/%2e%2e/${outside}`,
      `/assets/%2e%2e/%2e%2e/${outside}`,
      `/assets/..%2f..%2f${outside}`,
      '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/..%5c..%5cetc%5cpasswd',
    ]) {
      for (const accept of ['br', 'identity']) {
        const res = await get(url, accept);
        expect(res.body, `${url} (${accept})`).not.toContain('BI-MAT');
        expect(res.body, `${url} (${accept})`).not.toContain('root:');
        // Either refused or answered with the app's page (a client-side route), never a file.
        if (res.statusCode === 200) expect(res.body, url).toContain('<title>KhoMật</title>');
      }
    }
  });
});
