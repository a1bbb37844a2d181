import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './database';
import { createTestRuntime, type TestRuntime } from '../../test/harness';
import { sqliteFileFor } from '../../app/runtime';

// Register metadata is itself secret: the embedded database must be unreadable without the key.
describe('embedded SQLite encryption at rest', () => {
  let rt: TestRuntime;
  afterEach(async () => rt?.cleanup());

  const MARKER = 'TRICH-YEU-BI-MAT-Kế hoạch bảo vệ biên giới 2027';

  it('keeps a known summary out of the database file and its WAL, and refuses to open without the key', async () => {
    rt = await createTestRuntime('sqlite');
    const db = rt.deps.dbh.db;
    // A batch big enough that pages reach both the WAL and (after a checkpoint) the main file.
    for (let i = 0; i < 200; i++) await db.insertInto('settings').values({ key: `k${i}`, value: `${MARKER} #${i}` }).execute();
    const file = sqliteFileFor(rt.deps.config);
    const wal = `${file}-wal`;
    expect(fs.existsSync(wal)).toBe(true);
    const walBytes = fs.readFileSync(wal);
    expect(walBytes.length).toBeGreaterThan(0);
    expect(walBytes.includes(Buffer.from(MARKER, 'utf8'))).toBe(false);
    expect(walBytes.includes(Buffer.from('TRICH-YEU'))).toBe(false);
    rt.deps.dbh.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    const main = fs.readFileSync(file);
    expect(main.includes(Buffer.from('TRICH-YEU'))).toBe(false);
    expect(main.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');

    expect(() => openSqlite(file, undefined)).toThrow(/sai khoá/);
    expect(() => openSqlite(file, Buffer.alloc(32, 7))).toThrow(/sai khoá/);
    const again = openSqlite(file, rt.deps.keys.databaseKey());
    expect(again.prepare(`select count(*) as n from settings where key like 'k%'`).get()).toEqual({ n: 200 });
    again.close();
    expect(path.basename(file)).toBe('khomat.db');
  });
});
