import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';

// Issue 12, point 16: the embedded database and its -wal and -shm files are the owner's alone
// (0600), whatever the umask of the process that creates them — like the blobs and the keys.

const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);

describe('the SQLite files', () => {
  const saved = process.umask();
  let dir: string;
  afterEach(() => {
    process.umask(saved);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const key = crypto.randomBytes(32);
  async function writeOnce(file: string) {
    const dbh = await openDatabase({ sqliteFile: file, sqliteKey: key });
    await sql`create table if not exists t (v text)`.execute(dbh.db);
    await sql`insert into t values ('x')`.execute(dbh.db);
    const files = ['', '-wal', '-shm'].map((s) => `${file}${s}`);
    // Read while open: a clean close checkpoints and may remove the -wal.
    const modes = files.map(mode);
    await dbh.close();
    return modes;
  }

  it.each([0o022, 0o000, 0o002])('are created 0600 under umask %o', async (umask) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-modes-'));
    process.umask(umask);
    expect(await writeOnce(path.join(dir, 'data', 'khomat.db'))).toEqual(['600', '600', '600']);
    expect(mode(path.join(dir, 'data'))).toBe('700');
  });

  it('a database file left readable by others is brought down to 0600 when opened', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-modes-'));
    process.umask(0o022);
    const file = path.join(dir, 'khomat.db');
    await writeOnce(file);
    fs.chmodSync(file, 0o644);
    expect(await writeOnce(file)).toEqual(['600', '600', '600']);
  });

  it('commits durably: synchronous FULL, in WAL mode (a power cut loses no committed number)', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-sync-'));
    const dbh = await openDatabase({ sqliteFile: path.join(dir, 'khomat.db'), sqliteKey: key });
    try {
      expect(dbh.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(dbh.sqlite!.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      await dbh.close();
    }
  });
});
