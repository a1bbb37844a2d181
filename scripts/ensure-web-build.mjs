#!/usr/bin/env node
// Runs before `npm start`: builds the web UI once, when apps/web/dist is missing, so that
// `npm install && npm start` is all a fresh machine needs. Later rebuilds: `npm run build:web`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const index = path.join(root, 'apps', 'web', 'dist', 'index.html');
if (fs.existsSync(index) || process.env.KHOMAT_WEB_DIR) process.exit(0);
console.log('KhoMật: xây dựng giao diện web lần đầu (khoảng một phút)…');
const r = spawnSync('npm', ['run', 'build', '-w', '@khomat/web'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
