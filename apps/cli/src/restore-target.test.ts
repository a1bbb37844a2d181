import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup } from '../../server/src/modules/backup/backup';
import { loadConfig, type Config } from '../../server/src/platform/config';
import type { Dialect } from '../../server/src/platform/db/database';
import { FileKeyProvider } from '../../server/src/platform/keys/file-key-provider';
import { createPgSchema, createTestRuntime, dialects, dropPgSchema, PG_URL, seedAgency, type TestRuntime } from '../../server/src/test/harness';
import { restoreIntoTarget } from './restore-target';

// Issue 12, point 13: a refused `khomat restore` leaves its target as it found it — no database
// file, no tables (PostgreSQL: what it created is dropped), no blob files or directories.

const DIALECTS = await dialects();

/** Every path under `dir` with its mode and, for files, the SHA-256 of its bytes. */
function snapshot(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((d) => {
      const p = path.join(d.parentPath, d.name);
      const st = fs.statSync(p);
      const content = d.isFile() ? crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex') : 'dir';
      return `${path.relative(dir, p)} ${(st.mode & 0o777).toString(8)} ${content}`;
    })
    .sort();
}

async function schemaTables(schema: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    const r = await c.query<{ t: string }>('select table_name as t from information_schema.tables where table_schema = $1', [schema]);
    return r.rows.map((x) => x.t);
  } finally {
    await c.end();
  }
}

describe.each(DIALECTS)('a refused restore on %s', (dialect: Dialect) => {
  let src: TestRuntime;
  const dirs: string[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    await src?.cleanup();
    for (const s of schemas.splice(0)) await dropPgSchema(s);
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A source installation with rows and blob files, and its backup. */
  async function backupOfSource(): Promise<string> {
    src = await createTestRuntime(dialect);
    await seedAgency(src.deps);
    for (const size of [10, 70_000]) {
      await src.deps.dbh.db.transaction().execute((tx) => src.deps.blobs.put(tx, Readable.from([crypto.randomBytes(size)])));
    }
    const file = path.join(src.dir, 'sao-luu.kmb');
    await createBackup(src.deps, file);
    return file;
  }

  /** An empty target: the key ring only (the source's, unless `ownKeys`), no data directory. */
  async function emptyTarget(ownKeys = false): Promise<{ config: Config; dir: string; pgSchema: string | undefined }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-restore-'));
    dirs.push(dir);
    const keyDir = path.join(dir, 'keys');
    if (ownKeys) FileKeyProvider.open({ keyDir, create: true });
    else fs.cpSync(src.deps.config.keyDir, keyDir, { recursive: true });
    const pgSchema = dialect === 'postgres' ? await createPgSchema() : undefined;
    if (pgSchema) schemas.push(pgSchema);
    const config = loadConfig({}, { env: 'test', dataDir: path.join(dir, 'data'), keyDir, ...(pgSchema ? { databaseUrl: PG_URL } : {}) });
    return { config, dir, pgSchema };
  }

  const restore = (tg: { config: Config; pgSchema: string | undefined }, file: string, onProgress?: () => void) =>
    restoreIntoTarget(tg.config, { createKeys: false, ...(tg.pgSchema ? { pgSchema: tg.pgSchema } : {}) }, file, onProgress, async () => undefined);

  const damage = (file: string, fn: (b: Buffer) => Buffer) => {
    const out = `${file}.${crypto.randomBytes(3).toString('hex')}`;
    fs.writeFileSync(out, fn(fs.readFileSync(file)));
    return out;
  };

  it.each([
    ['a damaged archive', 'backup.damaged', (f: string) => damage(f, (b) => ((b[Math.floor(b.length / 2)]! ^= 0xff), b))],
    ['a truncated archive', 'backup.damaged', (f: string) => damage(f, (b) => b.subarray(0, Math.floor(b.length * 0.8)))],
    ['a file that is not a backup', 'backup.not_a_backup', (f: string) => damage(f, () => Buffer.from('không phải bản sao lưu\n'))],
    [
      'another format version',
      'backup.unsupported_format',
      (f: string) => damage(f, (b) => Buffer.from(b.toString('latin1').replace('"format":1', '"format":9'), 'latin1')),
    ],
  ])('%s is refused and leaves the target as it was', async (_label, code, make) => {
    const good = await backupOfSource();
    const bad = make(good);
    const tg = await emptyTarget();
    const before = snapshot(tg.dir);
    await expect(restore(tg, bad)).rejects.toMatchObject({ code });
    expect(snapshot(tg.dir)).toEqual(before);
    if (tg.pgSchema) expect(await schemaTables(tg.pgSchema)).toEqual([]);
    // Nothing stands in the way of restoring the good backup afterwards.
    await expect(restore(tg, good)).resolves.toMatchObject({ blobs: 2 });
  });

  it('a backup of another installation (other key ring) is refused and leaves the target as it was', async () => {
    const good = await backupOfSource();
    const tg = await emptyTarget(true);
    const before = snapshot(tg.dir);
    await expect(restore(tg, good)).rejects.toMatchObject({ code: 'backup.foreign' });
    expect(snapshot(tg.dir)).toEqual(before);
    if (tg.pgSchema) expect(await schemaTables(tg.pgSchema)).toEqual([]);
  });

  it('a failure in the middle of writing rows and blob files leaves the target as it was', async () => {
    const good = await backupOfSource();
    const tg = await emptyTarget();
    const before = snapshot(tg.dir);
    let entries = 0;
    const failLate = (p: { phase: string }) => {
      if (p.phase === 'restore' && ++entries === 6) throw new Error('ngắt giữa chừng');
    };
    await expect(restore(tg, good, failLate as () => void)).rejects.toThrow('ngắt giữa chừng');
    expect(entries).toBe(6);
    expect(snapshot(tg.dir)).toEqual(before);
    if (tg.pgSchema) expect(await schemaTables(tg.pgSchema)).toEqual([]);
  });
});
