import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, dialects, type TestApp } from '../test/harness';
import { draftFixture, pdfBytes } from '../test/draft-fixture';

// Issue 12, disk full on a real file system: the data directory on a small tmpfs, filled up. Runs
// only where this process may mount (root with CAP_SYS_ADMIN, as on the CI machine); the faked
// errors of disk-full.test.ts always run.

const DIALECTS = await dialects();
const MiB = 1024 * 1024;

function tryMount(dir: string, size: string): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}
const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-mount-probe-'));
const CAN_MOUNT = tryMount(probe, '1m');
if (CAN_MOUNT) spawnSync('umount', [probe]);
fs.rmSync(probe, { recursive: true, force: true });

/** Writes a filler file until the file system refuses (ENOSPC). */
function fill(file: string): void {
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) fs.writeSync(fd, block);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

describe.runIf(CAN_MOUNT).each(DIALECTS)('a really full disk on %s', (dialect) => {
  let t: TestApp | undefined;
  let mnt: string | undefined;
  afterEach(async () => {
    await t?.cleanup().catch(() => undefined);
    if (mnt) {
      spawnSync('umount', [mnt]);
      fs.rmSync(path.dirname(mnt), { recursive: true, force: true });
    }
  });

  it('an upload refused by a full tmpfs is a 507; reads go on; health reports full until space is freed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-tmpfs-'));
    mnt = path.join(dir, 'data');
    fs.mkdirSync(mnt);
    expect(tryMount(mnt, '16m')).toBe(true);
    const stream = new PassThrough();
    const log: string[] = [];
    stream.on('data', (b: Buffer) => log.push(b.toString('utf8')));
    t = await createTestApp(dialect, { dir, config: { dataDir: mnt, maxUploadMb: 1 }, logStream: stream });
    const { officer, itemId, upload } = await draftFixture(t, 'Kế hoạch tiếp đoàn năm 2027');
    expect((await upload('Phụ lục 1.pdf', pdfBytes(64 * 1024))).statusCode).toBe(200);

    const filler = path.join(mnt, 'filler');
    fill(filler);
    const res = await upload('Phụ lục 2.pdf', pdfBytes(MiB / 2));
    expect(res.statusCode, res.body).toBe(507);
    expect(res.json().error.code).toBe('storage.disk_full');
    if (dialect === 'sqlite') {
      // The embedded database lives there too: a write of rows only is refused the same way.
      const propose = await officer.post(`/api/items/${itemId}/propose`);
      expect(propose.statusCode, propose.body).toBe(507);
      expect(log.join('')).not.toMatch(/cannot rollback/);
    }
    expect(log.join('')).toMatch(/no space left on device \(ENOSPC\)/);
    // Reads go on: the item and its first file.
    const list = await officer.get(`/api/items/${itemId}/attachments`);
    expect(list.statusCode).toBe(200);
    expect(list.json().count).toBe(1);
    // The real free-space check finds less than one upload's worth: still full.
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json().storage).toBe('full');

    fs.rmSync(filler);
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json().storage).toBe('ok');
    expect((await upload('Phụ lục 2.pdf', pdfBytes(MiB / 2))).statusCode).toBe(200);
    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
  });
});
