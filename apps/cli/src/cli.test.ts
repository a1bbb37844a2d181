import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgSchema, dialects, dropPgSchema, PG_URL } from '../../server/src/test/harness';
import { loadConfig } from '../../server/src/platform/config';
import { openRuntime } from '../../server/src/app/runtime';
import { FileKeyProvider } from '../../server/src/platform/keys/file-key-provider';

// The khomat command as an operator runs it: a real process, real files, real exit codes.
const BIN = path.resolve(import.meta.dirname, '../bin/khomat.mjs');
const DIALECTS = await dialects();

describe.each(DIALECTS)('khomat CLI on %s', (dialect) => {
  let dir: string;
  let schema: string | undefined;
  afterEach(async () => {
    if (schema) await dropPgSchema(schema);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function env(): Promise<NodeJS.ProcessEnv> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-cli-'));
    const e: NodeJS.ProcessEnv = {
      ...process.env,
      KHOMAT_DATA_DIR: path.join(dir, 'data'),
      KHOMAT_KEY_DIR: path.join(dir, 'keys'),
      KHOMAT_AUDIT_CHECKPOINT_EVERY: '1000',
    };
    delete e.DATABASE_URL;
    if (dialect === 'postgres') {
      schema = await createPgSchema();
      e.DATABASE_URL = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    }
    return e;
  }
  const expectOk = (r: ReturnType<typeof run>) => expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  const run = (e: NodeJS.ProcessEnv, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env: e, encoding: 'utf8', timeout: 60_000 });

  async function tamper(e: NodeJS.ProcessEnv, fn: (db: Awaited<ReturnType<typeof openRuntime>>['dbh']['db']) => Promise<unknown>) {
    const deps = await openRuntime(loadConfig(e), { createKeys: false });
    try {
      await fn(deps.dbh.db);
    } finally {
      await deps.dbh.close();
    }
  }

  it('init, then audit verify exits 0 with the count; an edited row makes it exit 1 naming the event', async () => {
    const e = await env();
    const passwords = { KHOMAT_ADMIN_PASSWORD: 'Quantri2026x', KHOMAT_HEAD_PASSWORD: 'Thutruong2026x' };
    // The agency head is required: set-up breaks the circle of account confirmations (issue 11).
    const noHead = run({ ...e, ...passwords }, 'init', '--agency', 'Sở Ngoại vụ', '--admin', 'admin');
    expect(noHead.status).not.toBe(0);
    expect(noHead.stderr).toMatch(/--head/);
    const sameAsAdmin = run({ ...e, ...passwords }, 'init', '--agency', 'Sở Ngoại vụ', '--admin', 'admin', '--head', 'ADMIN');
    expect(sameAsAdmin.status).toBe(2);
    const init = run({ ...e, ...passwords }, 'init', '--agency', 'Sở Ngoại vụ', '--admin', 'admin', '--head', 'giamdoc', '--head-name', 'Lê Hoàng Sơn');
    expect(init.stderr + init.stdout).toMatch(/Đã thiết lập.*Thủ trưởng cơ quan "giamdoc"/);
    expect(init.status, init.stderr).toBe(0);
    const again = run({ ...e, ...passwords }, 'init', '--agency', 'X', '--admin', 'b', '--head', 'c');
    expect(again.status, again.stderr).toBe(2);
    const rotate = run(e, 'keys', 'rotate');
    expect(rotate.status, rotate.stderr).toBe(0);
    const ok = run(e, 'audit', 'verify');
    expect(ok.stdout, ok.stderr).toMatch(/nguyên vẹn: 2 sự kiện/);
    expect(ok.status, ok.stderr).toBe(0);
    await tamper(e, (db) => db.updateTable('audit_events').set({ action: 'setup.nothing' }).where('seq', '=', 1).execute());
    const bad = run(e, 'audit', 'verify');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/#1 /);
  });

  it('files verify exits 0 when every stored file decrypts and matches its row, 1 naming a damaged or missing one by id only', async () => {
    const e = await env();
    expectOk(
      run(
        { ...e, KHOMAT_ADMIN_PASSWORD: 'Quantri2026x', KHOMAT_HEAD_PASSWORD: 'Thutruong2026x' },
        'init',
        '--agency',
        'Sở Ngoại vụ',
        '--admin',
        'admin',
        '--head',
        'giamdoc',
      ),
    );
    const ids: string[] = [];
    const deps = await openRuntime(loadConfig(e), { createKeys: false });
    try {
      for (const text of ['Báo cáo mật số 1', 'x'.repeat(3 * 1024 * 1024), '']) {
        const row = await deps.blobs.put(deps.dbh.db, Readable.from([Buffer.from(text)]));
        ids.push(row.id);
      }
      const ok = run(e, 'files', 'verify');
      expect(ok.stdout, ok.stderr).toMatch(/Mọi tệp nguyên vẹn: đã kiểm tra 3 tệp/);
      expectOk(ok);
      // One byte flipped in the second file, the third file gone, the first row's SHA-256 edited.
      const second = deps.blobs.pathFor(ids[1]!);
      const bytes = fs.readFileSync(second);
      bytes[bytes.length - 100]! ^= 1;
      fs.writeFileSync(second, bytes);
      fs.rmSync(deps.blobs.pathFor(ids[2]!));
      await deps.dbh.db
        .updateTable('blobs')
        .set({ sha256: '0'.repeat(64) })
        .where('id', '=', ids[0]!)
        .execute();
    } finally {
      await deps.dbh.close();
    }
    const bad = run(e, 'files', 'verify');
    expect(bad.status, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stderr).toMatch(/CÓ 3 TỆP HỎNG HOẶC THIẾU trong 3 tệp/);
    expect(bad.stderr).toContain(`tệp ${ids[0]}: mã băm SHA-256 không khớp`);
    expect(bad.stderr).toContain(`tệp ${ids[1]}: một khối dữ liệu không xác thực được`);
    expect(bad.stderr).toContain(`tệp ${ids[2]}: thiếu tệp trên đĩa`);
  });

  it('init ends with a signed checkpoint; audit anchor prints its code; verify checks the code and the anchor file', async () => {
    const e = await env();
    expectOk(
      run(
        { ...e, KHOMAT_ADMIN_PASSWORD: 'Quantri2026x', KHOMAT_HEAD_PASSWORD: 'Thutruong2026x' },
        'init',
        '--agency',
        'Sở Ngoại vụ',
        '--admin',
        'admin',
        '--head',
        'giamdoc',
      ),
    );
    let head = 0;
    await tamper(e, async (db) => {
      head = Number((await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow()).seq);
      const cps = await db.selectFrom('audit_checkpoints').select(['seq', 'format']).execute();
      expect(cps).toEqual([{ seq: head, format: 2 }]);
    });
    expect(
      fs
        .readFileSync(path.join(dir, 'keys', 'audit-anchor.log'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(1);
    const printed = run(e, 'audit', 'anchor');
    expectOk(printed);
    expect(printed.stdout).toMatch(new RegExp(`Điểm kiểm tra số ${head}, ký lúc \\d{4}-`));
    const code = /Mã neo: ([0-9A-F]{4}(?:-[0-9A-F]{4}){4})/.exec(printed.stdout)![1]!;
    const ok = run(e, 'audit', 'verify', '--anchor', code.toLowerCase());
    expect(ok.stdout, ok.stderr).toMatch(new RegExp(`Tệp neo: 1 điểm kiểm tra .*Mã neo ${code} khớp`));
    expect(ok.status).toBe(0);
    expect(run(e, 'audit', 'verify', '--anchor', '0000-0000-0000-0000-0000').status).toBe(1);
    // With the database only, the attacker removes the checkpoint: the anchor file beside the keys tells.
    await tamper(e, (db) => db.deleteFrom('audit_checkpoints').execute());
    const bad = run(e, 'audit', 'verify');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`điểm kiểm tra đã ký ở số ${head} có trong tệp neo nhưng không có trong cơ sở dữ liệu`);
  });

  it.each(['deleted', 'inserted', 'reordered'] as const)('audit verify exits 1 when an event was %s', async (kind) => {
    const e = await env();
    expectOk(run(e, 'demo'));
    expectOk(run(e, 'keys', 'rotate'));
    expectOk(run(e, 'keys', 'rotate'));
    await tamper(e, async (db) => {
      if (kind === 'deleted') await db.deleteFrom('audit_events').where('seq', '=', 2).execute();
      if (kind === 'inserted') {
        await db.updateTable('audit_events').set({ seq: 99 }).where('seq', '=', 4).execute();
        const third = await db.selectFrom('audit_events').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
        await db
          .insertInto('audit_events')
          .values({ ...third, seq: 4, id: 'inserted' })
          .execute();
      }
      if (kind === 'reordered') {
        await db.updateTable('audit_events').set({ seq: 50 }).where('seq', '=', 2).execute();
        await db.updateTable('audit_events').set({ seq: 2 }).where('seq', '=', 3).execute();
        await db.updateTable('audit_events').set({ seq: 3 }).where('seq', '=', 50).execute();
      }
    });
    const r = run(e, 'audit', 'verify');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/NHẬT KÝ BỊ THAY ĐỔI/);
  });

  it('backup, backup verify and restore into an empty data dir; a damaged backup is refused', async () => {
    const e = await env();
    expectOk(run(e, 'demo'));
    const file = path.join(dir, 'sao-luu.kmb');
    const b = run(e, 'backup', file);
    expect(b.stdout).toMatch(/Đã sao lưu/);
    expect(b.status).toBe(0);
    expect(run(e, 'backup', 'verify', file).status).toBe(0);
    // Restoring over live data is refused.
    expect(run(e, 'restore', file).status).toBe(2);
    const target: NodeJS.ProcessEnv = { ...e, KHOMAT_DATA_DIR: path.join(dir, 'data2') };
    if (dialect === 'postgres') {
      const other = await createPgSchema();
      target.DATABASE_URL = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${other}`)}`;
      try {
        const r = run(target, 'restore', file);
        expect(r.stdout + r.stderr).toMatch(/Đã khôi phục/);
        expect(run(target, 'audit', 'verify').status).toBe(0);
      } finally {
        await dropPgSchema(other);
      }
    } else {
      const r = run(target, 'restore', file);
      expect(r.stdout + r.stderr).toMatch(/Đã khôi phục/);
      expect(run(target, 'audit', 'verify').status).toBe(0);
    }
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    fs.writeFileSync(file, bytes);
    const bad = run(e, 'backup', 'verify', file);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/backup.damaged/);
  });

  it('a refused restore leaves no data directory, database file or table behind', async () => {
    const e = await env();
    FileKeyProvider.open({ keyDir: e.KHOMAT_KEY_DIR!, create: true });
    const junk = path.join(dir, 'khong-phai-sao-luu.kmb');
    fs.writeFileSync(junk, 'không phải bản sao lưu\n');
    const r = run(e, 'restore', junk);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/backup.not_a_backup/);
    expect(fs.existsSync(e.KHOMAT_DATA_DIR!)).toBe(false);
    if (schema) {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      const tables = await c.query('select table_name from information_schema.tables where table_schema = $1', [schema]).finally(() => c.end());
      expect(tables.rows).toEqual([]);
    }
  });
});
