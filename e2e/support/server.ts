import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_DIR, ROOT, WEB_DIST } from './paths';

export interface RunningServer {
  baseUrl: string;
  logFile: string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/**
 * Starts the real KhoMật server (tsx apps/server/src/main.ts) on a free loopback port with fresh
 * data and key folders, serving the built UI; resolves once GET /api/health answers.
 */
export interface StartOptions {
  /** Runs once the fresh data and key folders exist, before the server starts (e.g. `khomat demo`). */
  beforeStart?: (env: { KHOMAT_DATA_DIR: string; KHOMAT_KEY_DIR: string }) => void | Promise<void>;
  /** More server settings (KHOMAT_* variables) for this story. */
  env?: Record<string, string>;
}

export async function startServer(name: string, options: StartOptions = {}): Promise<RunningServer> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `khomat-e2e-${name}-`));
  const dataDir = path.join(tmp, 'data');
  const keyDir = path.join(tmp, 'keys');
  fs.mkdirSync(dataDir);
  fs.mkdirSync(keyDir);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  if (options.beforeStart) await options.beforeStart({ KHOMAT_DATA_DIR: dataDir, KHOMAT_KEY_DIR: keyDir });
  const logFile = path.join(RESULTS_DIR, `server-${name}.log`);
  const log = fs.openSync(logFile, 'w');
  const port = await freePort();
  const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['apps/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      KHOMAT_DATA_DIR: dataDir,
      KHOMAT_KEY_DIR: keyDir,
      KHOMAT_PORT: String(port),
      KHOMAT_HOST: '127.0.0.1',
      KHOMAT_ENV: 'test',
      KHOMAT_WEB_DIR: WEB_DIST,
      KHOMAT_LOG_LEVEL: process.env.KHOMAT_LOG_LEVEL ?? 'warn',
      ...options.env,
    },
    stdio: ['ignore', log, log],
  });
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    }
    fs.closeSync(log);
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return { baseUrl, logFile, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const code = child.exitCode;
  await stop().catch(() => undefined);
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n') : '';
  throw new Error(`KhoMật server did not become healthy (exit code ${code ?? 'none'}). Last log lines:\n${tail}`);
}
