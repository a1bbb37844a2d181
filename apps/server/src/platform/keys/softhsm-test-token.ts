import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Test support: a throw-away SoftHSM2 (Debian package `softhsm2`) per test file. Each token is
// created with `softhsm2-util --init-token --free` in a temporary token directory named by
// SOFTHSM2_CONF, which SoftHSM reads in C_Initialize: set it before a provider is opened.

export const SOFTHSM_LIBRARY = process.env.KHOMAT_TEST_PKCS11_LIBRARY ?? '/usr/lib/softhsm/libsofthsm2.so';

/** In CI (or when asked) a missing SoftHSM2 fails the run instead of skipping the HSM suites. */
const CI = process.env.CI ?? '';
const HSM_REQUIRED = (CI !== '' && CI !== 'false' && CI !== '0') || process.env.KHOMAT_REQUIRE_HSM === '1';

function utilWorks(): boolean {
  const r = spawnSync('softhsm2-util', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** True when SoftHSM2 can be used; throws in CI when it cannot; warns and returns false locally. */
export function softhsmAvailable(): boolean {
  const problem = !fs.existsSync(SOFTHSM_LIBRARY) ? `library ${SOFTHSM_LIBRARY} not found` : !utilWorks() ? 'softhsm2-util not on PATH' : undefined;
  if (problem === undefined) return true;
  if (HSM_REQUIRED) throw new Error(`SoftHSM2 is required (CI) but ${problem}: apt-get install softhsm2.`);
  console.warn(`\n[khomat] SoftHSM2 unavailable (${problem}): PKCS#11 suites are SKIPPED locally (CI fails instead). apt-get install softhsm2\n`);
  return false;
}

export interface SoftHsm {
  dir: string;
  /** Initialises a fresh token in the next free slot. */
  initToken(label?: string): { label: string; pin: string; soPin: string };
  cleanup(): void;
}

/** A temporary token directory; points SOFTHSM2_CONF at it for this process. */
export function useSoftHsm(): SoftHsm {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-softhsm-'));
  const tokens = path.join(dir, 'tokens');
  fs.mkdirSync(tokens, { mode: 0o700 });
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  return {
    dir,
    initToken(label = `t-${crypto.randomBytes(5).toString('hex')}`) {
      const pin = crypto.randomBytes(6).toString('hex');
      const soPin = crypto.randomBytes(6).toString('hex');
      const r = spawnSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
        env: { ...process.env, SOFTHSM2_CONF: conf },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`softhsm2-util --init-token failed: ${r.stderr || r.stdout}`);
      return { label, pin, soPin };
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
