import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './paths';

/** Password of every account the demo loader creates (apps/server/src/modules/setup/demo.ts). */
export const DEMO_PASSWORD = 'Demo@2026khomat';

/**
 * Loads the demo agency (`khomat demo`: one account per role, a sample catalogue) into fresh data
 * and key folders, before the server starts on them.
 */
export function loadDemo(env: { KHOMAT_DATA_DIR: string; KHOMAT_KEY_DIR: string }): void {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'apps', 'cli', 'bin', 'khomat.mjs'), 'demo'], {
    cwd: ROOT,
    env: { ...process.env, ...env, KHOMAT_ENV: 'test', KHOMAT_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`khomat demo failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}
