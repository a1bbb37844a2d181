import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId, systemClock } from '../clock';
import { migrateToLatest, openDatabase, type DbHandle } from '../db/database';
import { DomainError } from '../errors';
import { FileKeyProvider } from '../keys/file-key-provider';
import { BLOB_CONTENT_ALGORITHM, DEFAULT_CHUNK_SIZE, encryptedSize } from './blob-crypto';
import { BlobStore, type RewrapProgress } from './blob-store';
import { collector, piecesOf } from './blob-test-helpers';
import { postgresAvailable } from '../../test/harness';

const KiB = 1024;
const PG_URL = process.env['KHOMAT_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

// Skipped only locally; in CI a missing PostgreSQL fails (test/harness.ts).
const hasPg = await postgresAvailable();

async function readAll(stream: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(stream, collector(out));
  return Buffer.concat(out);
}

function sourceOf(data: Buffer, pieces: number[] = [10_000]): Readable {
  return Readable.from(piecesOf(data, pieces));
}

function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

async function expectIntegrityFailure(p: Promise<unknown>, reason: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe('blob.integrity_failed');
  expect((e as DomainError).details?.['reason']).toBe(reason);
}

interface Env {
  handle: DbHandle;
  store: BlobStore;
  keys: FileKeyProvider;
  blobDir: string;
}

/** The same behaviour on both databases. */
function storeSuite(label: string, openDb: () => Promise<{ handle: DbHandle; cleanup: () => Promise<void> }>) {
  describe(`BlobStore on ${label}`, () => {
    let env: Env;
    let tmp: string;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-blobs-'));
      const opened = await openDb();
      cleanup = opened.cleanup;
      await migrateToLatest(opened.handle.db, opened.handle.pgSchema);
      const keys = FileKeyProvider.open({ keyDir: path.join(tmp, 'keys'), create: true });
      const blobDir = path.join(tmp, 'blobs');
      // 64 KiB chunks (the size of files written before 1 MiB became the default): many chunks in
      // small files, and the older size goes on being read.
      env = { handle: opened.handle, keys, blobDir, store: new BlobStore({ dir: blobDir, keys, ids: randomId, clock: systemClock, chunkSize: 64 * KiB }) };
    });

    afterAll(async () => {
      await cleanup?.();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it.each([0, 1, 64 * KiB - 1, 64 * KiB, 64 * KiB + 1, 1024 * KiB + 7])('put/open round-trips %i bytes', async (size) => {
      const { store, handle } = env;
      const plain = crypto.randomBytes(size);
      const row = await handle.db.transaction().execute((tx) => store.put(tx, sourceOf(plain)));
      expect(row).toMatchObject({
        size,
        sha256: crypto.createHash('sha256').update(plain).digest('hex'),
        chunk_size: 64 * KiB,
        chunk_count: Math.max(1, Math.ceil(size / (64 * KiB))),
        key_version: env.keys.currentMasterVersion(),
        algorithm: BLOB_CONTENT_ALGORITHM,
      });
      const file = store.pathFor(row.id);
      expect(path.relative(env.blobDir, file)).toBe(path.join(row.id.slice(0, 2), row.id));
      expect(fs.statSync(file).size).toBe(encryptedSize(size, 64 * KiB));
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.existsSync(`${file}.part`)).toBe(false);

      const { row: stored, stream } = await store.open(handle.db, row.id);
      expect(stored).toEqual(row);
      expect((await readAll(stream)).equals(plain)).toBe(true);
    });

    it('writes new files in chunks of the default size and reads them back', async () => {
      const { handle, keys, blobDir } = env;
      const store = new BlobStore({ dir: blobDir, keys, ids: randomId, clock: systemClock });
      const plain = crypto.randomBytes(2 * DEFAULT_CHUNK_SIZE + 5);
      const row = await store.put(handle.db, sourceOf(plain, [65_536]));
      expect(row).toMatchObject({ size: plain.length, chunk_size: DEFAULT_CHUNK_SIZE, chunk_count: 3 });
      expect(fs.statSync(store.pathFor(row.id)).size).toBe(encryptedSize(plain.length, DEFAULT_CHUNK_SIZE));
      expect((await readAll((await store.open(handle.db, row.id)).stream)).equals(plain)).toBe(true);
      await store.remove(handle.db, row.id);
    });

    it('never writes plaintext to disk, not even in the .part file while writing', async () => {
      const { store, handle, blobDir } = env;
      const marker = 'TUYỆT MẬT — kế hoạch KH-2025-017 — MARKER-7f3a9c';
      const block = Buffer.from(marker.repeat(2000));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      async function* slowSource() {
        for (let i = 0; i < 4; i++) yield block;
        await gate; // hold the upload open while we look at the .part file
        for (let i = 0; i < 4; i++) yield block;
      }
      const putting = handle.db.transaction().execute((tx) => store.put(tx, Readable.from(slowSource())));

      const part = await waitFor(() => listFiles(blobDir).find((f) => f.endsWith('.part') && fs.statSync(f).size > 64 * KiB));
      const partial = fs.readFileSync(part);
      expect(partial.subarray(0, 11).toString('ascii')).toBe('KHOMAT-BLOB');
      expect(partial.includes(Buffer.from('MARKER-7f3a9c'))).toBe(false);
      release();
      const row = await putting;

      expect(fs.readFileSync(store.pathFor(row.id)).includes(Buffer.from('MARKER-7f3a9c'))).toBe(false);
      for (const f of listFiles(env.blobDir)) expect(fs.readFileSync(f).includes(Buffer.from('MARKER'))).toBe(false);
      const back = await readAll((await store.open(handle.db, row.id)).stream);
      expect(back.toString()).toBe(marker.repeat(2000 * 8));
    });

    it('a failing source leaves no file, no .part and no row', async () => {
      const { store, handle, blobDir } = env;
      const before = listFiles(blobDir).length;
      async function* failing() {
        yield crypto.randomBytes(200 * KiB);
        throw new Error('client went away');
      }
      const { count: rowsBefore } = await countRows(handle);
      await expect(handle.db.transaction().execute((tx) => store.put(tx, Readable.from(failing())))).rejects.toThrow('client went away');
      expect(listFiles(blobDir).length).toBe(before);
      expect((await countRows(handle)).count).toBe(rowsBefore);
    });

    it('a source that fails at once (before the file is even open) leaves no .part behind', async () => {
      const { store, blobDir } = env;
      const before = listFiles(blobDir).length;
      for (let i = 0; i < 20; i++) {
        const failing = new Readable({
          read() {
            this.destroy(new Error('refused at the first byte'));
          },
        });
        await expect(store.write(failing)).rejects.toThrow('refused at the first byte');
        // Checked right away: whatever the write left must already be gone when it returns.
        expect(listFiles(blobDir).length).toBe(before);
      }
    });

    it('refuses an id that is already used instead of overwriting its file', async () => {
      const { handle, keys, blobDir } = env;
      const fixed = new BlobStore({ dir: blobDir, keys, ids: () => 'fixed-id-0001', clock: systemClock });
      const first = await fixed.put(handle.db, sourceOf(Buffer.from('bản gốc')));
      const fileHash = sha256File(fixed.pathFor(first.id));
      const e = await fixed.put(handle.db, sourceOf(Buffer.from('ghi đè'))).catch((err: unknown) => err);
      expect((e as DomainError).code).toBe('blob.id_in_use');
      expect(sha256File(fixed.pathFor(first.id))).toBe(fileHash);
      expect((await readAll((await fixed.open(handle.db, first.id)).stream)).toString()).toBe('bản gốc');
      await fixed.remove(handle.db, first.id);
    });

    it('detects a damaged file, a missing file, a swapped file and an edited row', async () => {
      const { store, handle } = env;
      const a = await store.put(handle.db, sourceOf(crypto.randomBytes(150 * KiB)));
      const b = await store.put(handle.db, sourceOf(crypto.randomBytes(150 * KiB)));
      expect(await store.verifyFile(handle.db, a.id)).toEqual({ ok: true, id: a.id, size: 150 * KiB });

      // One flipped byte in chunk 1: open()'s stream fails; verifyFile reports it.
      const fileA = store.pathFor(a.id);
      const good = fs.readFileSync(fileA);
      const bad = Buffer.from(good);
      bad[100 * KiB] = (bad[100 * KiB] as number) ^ 0x80;
      fs.writeFileSync(fileA, bad);
      await expectIntegrityFailure(readAll((await store.open(handle.db, a.id)).stream), 'chunk_auth_failed');
      expect(await store.verifyFile(handle.db, a.id)).toEqual({ ok: false, id: a.id, code: 'blob.integrity_failed', reason: 'chunk_auth_failed' });

      // B's file put in A's place (e.g. a botched restore): another key, another id.
      fs.copyFileSync(store.pathFor(b.id), fileA);
      expect(await store.verifyFile(handle.db, a.id)).toMatchObject({ ok: false, reason: 'chunk_auth_failed' });

      // File intact, but the row edited.
      fs.writeFileSync(fileA, good);
      await handle.db
        .updateTable('blobs')
        .set({ sha256: '0'.repeat(64) })
        .where('id', '=', a.id)
        .execute();
      expect(await store.verifyFile(handle.db, a.id)).toMatchObject({ ok: false, reason: 'sha256_mismatch' });
      await handle.db
        .updateTable('blobs')
        .set({ sha256: a.sha256, size: a.size - 1 })
        .where('id', '=', a.id)
        .execute();
      expect(await store.verifyFile(handle.db, a.id)).toMatchObject({ ok: false, reason: 'size_mismatch' });
      await handle.db.updateTable('blobs').set({ size: a.size }).where('id', '=', a.id).execute();
      expect(await store.verifyFile(handle.db, a.id)).toMatchObject({ ok: true });

      fs.rmSync(fileA);
      expect(await store.verifyFile(handle.db, a.id)).toMatchObject({ ok: false, reason: 'file_missing' });
      await expectIntegrityFailure(store.open(handle.db, a.id), 'file_missing');
    });

    it('remove deletes row and file; unknown ids are blob.not_found', async () => {
      const { store, handle } = env;
      const row = await store.put(handle.db, sourceOf(Buffer.from('xoá tôi')));
      expect(await store.remove(handle.db, row.id)).toBe(true);
      expect(fs.existsSync(store.pathFor(row.id))).toBe(false);
      expect(await store.remove(handle.db, row.id)).toBe(false);
      const e = await store.open(handle.db, row.id).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('blob.not_found');
      expect((e as DomainError).kind).toBe('not_found');
      await expect(store.verifyFile(handle.db, row.id)).rejects.toMatchObject({ code: 'blob.not_found' });
    });

    it('rewrapAll after rotateMaster: rows move to the new version, files stay byte-identical and readable', async () => {
      const { store, handle, keys } = env;
      const contents = [crypto.randomBytes(10), crypto.randomBytes(200 * KiB), Buffer.alloc(0)];
      const rows = [];
      for (const c of contents) rows.push(await store.put(handle.db, sourceOf(c)));
      const oldVersion = keys.currentMasterVersion();
      const fileHashes = rows.map((r) => sha256File(store.pathFor(r.id)));
      const pending = await handle.db
        .selectFrom('blobs')
        .select('id')
        .where('key_version', '<>', oldVersion + 1)
        .execute();

      const newVersion = keys.rotateMaster();
      expect(newVersion).toBe(oldVersion + 1);
      // Before re-wrapping, old rows still open through the old master version.
      expect((await readAll((await store.open(handle.db, rows[1]!.id)).stream)).equals(contents[1]!)).toBe(true);
      // A blob written after rotation is already on the new version and is not re-wrapped.
      const fresh = await store.put(handle.db, sourceOf(Buffer.from('mới')));
      expect(fresh.key_version).toBe(newVersion);

      const progress: RewrapProgress[] = [];
      const n = await store.rewrapAll(handle.db, (p) => progress.push(p));
      expect(n).toBe(pending.length);
      expect(progress.at(-1)).toEqual({ done: pending.length, total: pending.length });

      for (const [i, r] of rows.entries()) {
        const now = await handle.db.selectFrom('blobs').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
        expect(now.key_version).toBe(newVersion);
        expect(now.wrapped_key).not.toBe(r.wrapped_key);
        expect({ ...now, wrapped_key: r.wrapped_key, key_version: r.key_version }).toEqual(r);
        expect(sha256File(store.pathFor(r.id))).toBe(fileHashes[i]);
        expect((await readAll((await store.open(handle.db, r.id)).stream)).equals(contents[i]!)).toBe(true);
      }
      expect(await store.rewrapAll(handle.db)).toBe(0);
      const left = await handle.db.selectFrom('blobs').select('id').where('key_version', '<>', newVersion).execute();
      expect(left).toEqual([]);

      // Also inside a caller's transaction (it then must not open one of its own).
      const third = keys.rotateMaster();
      const all = await countRows(handle);
      expect(await handle.db.transaction().execute((tx) => store.rewrapAll(tx))).toBe(all.count);
      const stale = await handle.db.selectFrom('blobs').select('id').where('key_version', '<>', third).execute();
      expect(stale).toEqual([]);
      expect((await readAll((await store.open(handle.db, rows[1]!.id)).stream)).equals(contents[1]!)).toBe(true);
    });
  });
}

async function countRows(handle: DbHandle): Promise<{ count: number }> {
  const r = await handle.db
    .selectFrom('blobs')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return { count: Number(r.n) };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

storeSuite('SQLite', async () => {
  const handle = await openDatabase({});
  return { handle, cleanup: () => handle.close() };
});

describe.skipIf(!hasPg)('PostgreSQL', () => {
  storeSuite('PostgreSQL', async () => {
    const schema = `t_blob_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const handle = await openDatabase({ databaseUrl: PG_URL, pgSchema: schema });
    return {
      handle,
      cleanup: async () => {
        await handle.close();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      },
    };
  });
});
