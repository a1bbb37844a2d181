import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEB_DIST } from './support/paths';

// The UI runs on an isolated LAN: the built files must name no outside host (no CDN, no web
// fonts, no remote images). XML namespace URIs of the W3C are identifiers, not downloads; the
// loopback base that the router uses to parse relative URLs is not an outside host either.
const ALLOWED = [/^http:\/\/www\.w3\.org\//, /^https:\/\/www\.w3\.org\//, /^http:\/\/localhost$/];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('built web UI', () => {
  it('exists', () => {
    expect(fs.existsSync(path.join(WEB_DIST, 'index.html'))).toBe(true);
  });

  it('references no outside host', () => {
    const found: string[] = [];
    for (const f of files(WEB_DIST)) {
      if (!/\.(html|js|mjs|css|svg|json|txt|webmanifest)$/.test(f)) continue;
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/https?:\/\/[^\s"'`)<>\\,;]+/g)) {
        if (!ALLOWED.some((re) => re.test(m[0]))) found.push(`${path.relative(WEB_DIST, f)}: ${m[0]}`);
      }
      for (const m of text.matchAll(/["'`(]\/\/[a-z0-9-]+\.[a-z0-9.-]+/gi)) found.push(`${path.relative(WEB_DIST, f)}: protocol-relative ${m[0]}`);
      for (const word of ['//cdn', 'fonts.googleapis', 'fonts.gstatic', 'unpkg.com', 'jsdelivr']) {
        if (text.includes(word)) found.push(`${path.relative(WEB_DIST, f)}: ${word}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('loads scripts and styles only from its own folder', () => {
    const html = fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    expect(html).toMatch(/<html lang="vi">/);
    expect(html).toContain('<title>KhoMật</title>');
    for (const m of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const ref = m[1]!;
      expect((ref.startsWith('/') && !ref.startsWith('//')) || ref.startsWith('data:'), ref).toBe(true);
      if (ref.startsWith('/')) expect(fs.existsSync(path.join(WEB_DIST, ref)), ref).toBe(true);
    }
  });
});
