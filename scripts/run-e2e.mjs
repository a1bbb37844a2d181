#!/usr/bin/env node
// Browser tests: builds the web UI when it is missing or older than its sources, then runs
// Vitest with vitest.e2e.config.ts. Fails (never skips) when Chromium is missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';

if (!fs.existsSync(CHROMIUM)) {
  console.error(
    `\nE2E FAILED: Chromium is missing at ${CHROMIUM}.\nInstall it (Debian: apt-get install -y chromium) and run again. The browser tests are not skipped.\n`,
  );
  process.exit(1);
}

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) {
    if (e === 'node_modules' || e === 'dist') continue;
    max = Math.max(max, newest(path.join(p, e)));
  }
  return max;
}

const web = path.join(root, 'apps', 'web');
const builtIndex = path.join(web, 'dist', 'index.html');
const sources = [
  path.join(web, 'src'),
  path.join(web, 'index.html'),
  path.join(web, 'vite.config.ts'),
  path.join(web, 'package.json'),
  path.join(web, 'tsconfig.json'),
  path.join(root, 'packages', 'policy', 'src'),
];
const builtAt = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map(newest));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

if (builtAt === 0 || builtAt < sourcesAt) {
  console.log(builtAt === 0 ? 'Building the web UI (no build yet)…' : 'Building the web UI (sources changed)…');
  const b = spawnSync(npm, ['run', 'build', '-w', '@khomat/web'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) {
    console.error('E2E FAILED: the web UI build failed.');
    process.exit(b.status ?? 1);
  }
} else {
  console.log('Web UI build is up to date.');
}

const r = spawnSync(npx, ['vitest', 'run', '-c', 'vitest.e2e.config.ts', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
