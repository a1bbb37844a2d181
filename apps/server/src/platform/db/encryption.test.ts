import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './database';
import { createTestRuntime, type TestRuntime } from '../../test/harness';
import { sqliteFileFor } from '../data-paths';

// Register metadata is itself secret: the embedded database must be unreadable without the key.
describe('embedded SQLite encryption at rest', () => {
  let rt: TestRuntime;
  afterEach(async () => rt?.cleanup());

  const MARKER = 'TRICH-YEU-BI-MAT-Kế hoạch bảo vệ biên giới 2027';

  it('keeps a known summary out of the database file and its WAL, and refuses to open without the key', async () => {
    rt = await createTestRuntime('sqlite');
    const db = rt.deps.dbh.db;
    // A batch big enough that pages reach both the WAL and (after a checkpoint) the main file.
    for (let i = 0; i < 200; i++)
      await db
        .insertInto('settings')
        .values({ key: `k${i}`, value: `${MARKER} #${i}` })
        .execute();
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

// Decrypts page 1 with Node's own crypto, following the published SQLCipher 4 page format:
// 16-byte salt, AES-256-CBC over the rest, then a reserve of 16-byte IV + 64-byte HMAC-SHA512
// keyed by PBKDF2-HMAC-SHA512(key, salt ^ 0x3a, 2 iterations). If this passes, a standard
// SQLCipher 4 tool can open the file with the raw key years from now.
describe('embedded database file format', () => {
  let rt: TestRuntime;
  afterEach(async () => rt?.cleanup());

  it('is standard SQLCipher 4 (AES-256-CBC + HMAC-SHA512, 4096-byte pages, raw key)', async () => {
    const crypto = await import('node:crypto');
    rt = await createTestRuntime('sqlite');
    rt.deps.dbh.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    const key = rt.deps.keys.databaseKey();
    const page = fs.readFileSync(sqliteFileFor(rt.deps.config)).subarray(0, 4096);
    const salt = page.subarray(0, 16);
    const reserve = 80;
    const iv = page.subarray(4096 - reserve, 4096 - reserve + 16);
    const hmac = page.subarray(4096 - reserve + 16, 4096 - reserve + 16 + 64);
    const body = page.subarray(16, 4096 - reserve);

    const hmacSalt = Buffer.from(salt.map((b) => b ^ 0x3a));
    const hmacKey = crypto.pbkdf2Sync(key, hmacSalt, 2, 32, 'sha512');
    const pgno = Buffer.alloc(4);
    pgno.writeUInt32LE(1);
    const expected = crypto.createHmac('sha512', hmacKey).update(body).update(iv).update(pgno).digest();
    expect(expected.equals(hmac)).toBe(true);

    const d = crypto.createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    const plain = Buffer.concat([d.update(body), d.final()]);
    // Database header bytes 16..23: page size 4096, file format 2/2 (WAL), reserve 80, 64/32/32.
    expect([...plain.subarray(0, 8)]).toEqual([0x10, 0x00, 2, 2, reserve, 64, 32, 32]);
  });
});
