#!/usr/bin/env node
// `npm test`: every suite that can run here — typecheck, lint, unit + integration (SQLite, and
// PostgreSQL when reachable; CI requires it), and the browser tests. Ends with one line
// "N passed, N failed" summing all suites.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const lines = [];

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
}

function step(name, cmd, args) {
  if (only.length && !only.includes(name)) return;
  const ok = run(name, cmd, args);
  if (ok) passed++;
  else failed++;
  lines.push(`${name}: ${ok ? 'ok' : 'FAILED'}`);
}

function vitest(name, args) {
  if (only.length && !only.includes(name)) return;
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-vitest-')), 'report.json');
  const ok = run(name, bin('vitest'), ['run', ...args, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  let p = 0;
  let f = 0;
  if (fs.existsSync(report)) {
    const j = JSON.parse(fs.readFileSync(report, 'utf8'));
    p = j.numPassedTests ?? 0;
    f = j.numFailedTests || j.numFailedTestSuites || 0; // a failed test fails its file too: count it once
  }
  // A runner that failed without reporting a failed test (crash, no tests) still counts as one failure.
  if (!ok && f === 0) f = 1;
  if (ok && p === 0) {
    f = 1;
    console.error(`${name}: no test ran`);
  }
  passed += p;
  failed += f;
  lines.push(`${name}: ${p} passed, ${f} failed`);
}

step('typecheck', bin('tsc'), ['-p', 'tsconfig.json']);
step('typecheck-web', bin('tsc'), ['-p', 'apps/web/tsconfig.json']);
step('lint', bin('eslint'), ['.']);
step('format', bin('prettier'), ['--check', '.']);
vitest('unit+integration', []);
if (!only.length || only.includes('e2e')) {
  console.log('\n=== e2e (browser) ===');
  const reportFile = path.join(root, 'test-results', 'e2e-report.json');
  fs.rmSync(reportFile, { force: true });
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/run-e2e.mjs'), '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  let p = 0;
  let f = 0;
  if (fs.existsSync(reportFile)) {
    const j = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    p = j.numPassedTests ?? 0;
    f = j.numFailedTests || j.numFailedTestSuites || 0; // a failed test fails its file too: count it once
  }
  if (r.status !== 0 && f === 0) f = 1;
  if (r.status === 0 && p === 0) f = 1;
  passed += p;
  failed += f;
  lines.push(`e2e: ${p} passed, ${f} failed`);
}

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
