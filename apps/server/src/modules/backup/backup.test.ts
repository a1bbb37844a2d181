import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { extract as tarExtract, pack as tarPack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../kernel/context';
import { blobDirFor } from '../../platform/data-paths';
import { createTestRuntime, databaseFingerprint, dialects, seedAgency, seedUser, type TestRuntime } from '../../test/harness';
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { auditChainKey } from '../../platform/audit/audit-log';
import { verifyAuditChain } from '../../platform/audit/verify';
import { canonicalJson, hashEvent } from '../../platform/audit/canonical';
import { DEFAULT_CHUNK_SIZE, newDataKey } from '../../platform/blobstore/blob-crypto';
import { decryptCollect, encryptBuffer } from '../../platform/blobstore/blob-test-helpers';
import { openSqlite, type Dialect } from '../../platform/db/database';
import { DomainError } from '../../platform/errors';
import { FileKeyProvider, KEYRING_FILE } from '../../platform/keys/file-key-provider';
import type { KeyProvider } from '../../platform/keys/key-provider';
import {
  BACKUP_EXCLUDED_TABLES,
  BACKUP_TABLES,
  createBackup,
  listDatabaseTables,
  restoreBackup,
  verifyBackup,
  type BackupProgress,
  type BackupSummary,
} from './backup';

const DIALECTS = await dialects();
const SMALL_SEGMENTS = { segmentBytes: 2048 };

// ---- helpers -----------------------------------------------------------------------------

const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

async function errorOf(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => !d.isDirectory())
    .map((d) => path.join(d.parentPath, d.name));
}

async function putBlob(deps: AppDeps, data: Buffer): Promise<string> {
  const row = await deps.dbh.db.transaction().execute((tx) => deps.blobs.put(tx, Readable.from([data])));
  return row.id;
}

async function blobSha(deps: AppDeps, id: string): Promise<string> {
  const { stream } = await deps.blobs.open(deps.dbh.db, id);
  const h = crypto.createHash('sha256');
  for await (const chunk of stream) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function addUnit(deps: AppDeps, id: string, code: string, parentId: string | null): Promise<void> {
  await deps.dbh.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('units')
      .values({
        id,
        parent_id: parentId,
        name: `Phòng ${code}`,
        code,
        parent_body: null,
        closed_at: null,
        closed_reason: null,
        created_at: deps.clock.now().toISOString(),
      })
      .execute();
    await deps.audit.append(tx, { actorId: null, action: 'test.unit_created', subjectType: 'unit', subjectId: id, details: { code } });
  });
}

/** A unit and its audit event written on a raw SQLite connection, synchronously. */
function rawWrite(raw: SqliteDatabase.Database, parentId: string, now: string, keys: KeyProvider): void {
  raw.transaction(() => {
    raw
      .prepare('insert into units (id, parent_id, name, code, parent_body, closed_at, closed_reason, created_at) values (?, ?, ?, ?, null, null, null, ?)')
      .run('late-unit', parentId, 'Phòng đến muộn', 'LATE', now);
    const head = raw.prepare('select seq, hash, keyed_from from audit_head where id = 1').get() as { seq: number; hash: string; keyed_from: number };
    const event = {
      seq: head.seq + 1,
      id: 'late-event',
      occurred_at: now,
      actor_id: null,
      action: 'test.unit_created',
      subject_type: 'unit',
      subject_id: 'late-unit',
      details: canonicalJson({ code: 'LATE' }),
      prev_hash: head.hash,
    };
    const hash = hashEvent(event, auditChainKey(keys, head.keyed_from));
    raw
      .prepare(
        'insert into audit_events (seq, id, occurred_at, actor_id, action, subject_type, subject_id, details, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(event.seq, event.id, event.occurred_at, event.actor_id, event.action, event.subject_type, event.subject_id, event.details, event.prev_hash, hash);
    raw.prepare('update audit_head set seq = ?, hash = ? where id = 1').run(event.seq, hash);
  })();
}

const FILLER_UNITS = 12;
/** Units that seed() creates: the agency, parent, child and fillers. */
const SEEDED_UNITS = 3 + FILLER_UNITS;

interface Seeded {
  agencyId: string;
  /** Plaintext SHA-256 of every blob put, by id. */
  blobs: Map<string, string>;
}

/** Agency, users, a unit tree whose child sorts before its parent, blobs, audit events. */
async function seed(deps: AppDeps, events = 60): Promise<Seeded> {
  const { unitId } = await seedAgency(deps);
  // 'zz…' is the parent of 'aa…': in primary-key order the child comes first.
  await addUnit(deps, 'zz-parent-unit', 'P1', unitId);
  await addUnit(deps, 'aa-child-unit', 'C1', 'zz-parent-unit');
  // Fillers between them, so that with small segments the child's and the parent's rows land in
  // different segments (and so in different INSERT statements on restore).
  for (let i = 0; i < FILLER_UNITS; i++) await addUnit(deps, `mm-filler-${i}`, `F${i}`, unitId);
  await seedUser(deps, { username: 'vanthu', unitId, roles: ['clerk'], clearance: 'SECRET' });
  await seedUser(deps, { username: 'canbo', unitId: 'aa-child-unit', roles: ['officer'], clearance: 'CONFIDENTIAL' });
  await deps.dbh.db.insertInto('settings').values({ key: 'test.setting', value: 'giá trị có dấu — “ngoặc” \n dòng mới' }).execute();
  const blobs = new Map<string, string>();
  for (const size of [0, 1, 1000, DEFAULT_CHUNK_SIZE + 7, 150_000]) {
    const data = crypto.randomBytes(size);
    blobs.set(await putBlob(deps, data), sha256(data));
  }
  for (let i = 0; i < events; i++) {
    await deps.dbh.db
      .transaction()
      .execute((tx) =>
        deps.audit.append(tx, { actorId: null, action: 'test.event', subjectType: 'thing', subjectId: `s${i}`, details: { i, note: 'Tài liệu mật' } }),
      );
  }
  return { agencyId: unitId, blobs };
}

/** Writes units, audit events and blobs in transactions until stopped. */
function startWriter(deps: AppDeps, parentId: string) {
  let stop = false;
  let count = 0;
  let failure: unknown;
  const done = (async () => {
    try {
      while (!stop) {
        const i = count;
        await deps.dbh.db.transaction().execute(async (tx) => {
          const id = `w${String(i).padStart(5, '0')}-${deps.ids()}`;
          await tx
            .insertInto('units')
            .values({
              id,
              parent_id: parentId,
              name: `Đơn vị ${i}`,
              code: `W${i}`,
              parent_body: null,
              closed_at: null,
              closed_reason: null,
              created_at: deps.clock.now().toISOString(),
            })
            .execute();
          await deps.audit.append(tx, { actorId: null, action: 'test.concurrent', subjectType: 'unit', subjectId: id, details: { i } });
          if (i % 4 === 0) await deps.blobs.put(tx, Readable.from([crypto.randomBytes(3000)]));
        });
        count++;
        await new Promise((r) => setImmediate(r));
      }
    } catch (e) {
      failure = e;
    }
  })();
  return {
    get count() {
      return count;
    },
    async stop() {
      stop = true;
      await done;
      if (failure) throw failure;
    },
  };
}

async function waitFor(cond: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function tableCounts(deps: AppDeps): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [...BACKUP_TABLES, 'sessions'] as const) {
    const r = await deps.dbh.db
      .selectFrom(t)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** The target's state that a refused restore must leave untouched. */
async function targetState(rt: TestRuntime): Promise<string> {
  return `${await databaseFingerprint(rt.deps)} files=${filesUnder(blobDirFor(rt.deps.config)).length}`;
}

function targetWithKeysOf(dialect: Dialect, source: TestRuntime): Promise<TestRuntime> {
  // "Keys are backed up separately": the target runs with the source's key ring.
  return createTestRuntime(dialect, { config: { keyDir: source.deps.config.keyDir } });
}

// The archive inside a backup file, opened here independently of backup.ts (this is the
// documented format: header line, then blob-crypto over a tar, file id = hash of the header).
interface Archive {
  header: Record<string, unknown>;
  entries: { name: string; data: Buffer }[];
}

async function openArchive(keys: KeyProvider, file: string): Promise<Archive> {
  const buf = fs.readFileSync(file);
  const nl = buf.indexOf(0x0a);
  const line = buf.subarray(0, nl);
  const header = JSON.parse(line.toString('utf8')) as { wrappedKey: string; keyVersion: number };
  const key = keys.unwrapDataKey(Buffer.from(header.wrappedKey, 'base64'), header.keyVersion);
  const { plain, error } = await decryptCollect(buf.subarray(nl + 1), key, `khomat-backup:${sha256(line)}`);
  if (error) throw error;
  const ex = tarExtract();
  ex.write(plain);
  ex.end(undefined);
  const entries: Archive['entries'] = [];
  for await (const e of ex) {
    const parts: Buffer[] = [];
    for await (const c of e as AsyncIterable<Buffer>) parts.push(c);
    entries.push({ name: e.header.name, data: Buffer.concat(parts) });
  }
  return { header, entries };
}

/** Writes an authentic backup (a fresh data key under `keys`) holding exactly `archive`. */
async function writeArchive(keys: KeyProvider, file: string, archive: Archive): Promise<void> {
  const pk = tarPack();
  for (const e of archive.entries) pk.entry({ name: e.name, size: e.data.length, mode: 0o600, mtime: new Date(0) }, e.data);
  pk.finalize();
  const tarParts: Buffer[] = [];
  for await (const c of pk as AsyncIterable<Buffer>) tarParts.push(c);
  const dataKey = newDataKey();
  const w = keys.wrapDataKey(dataKey);
  const line = Buffer.from(JSON.stringify({ ...archive.header, wrappedKey: w.wrapped.toString('base64'), keyVersion: w.keyVersion }));
  const enc = await encryptBuffer(Buffer.concat(tarParts), dataKey, `khomat-backup:${sha256(line)}`, DEFAULT_CHUNK_SIZE);
  fs.writeFileSync(file, Buffer.concat([line, Buffer.from('\n'), enc]));
}

interface ManifestLike {
  entries: { name: string; size: number; sha256: string }[];
}

/** Replaces an entry's data and keeps the manifest's hash list in step (an "edited" backup). */
function replaceEntry(archive: Archive, name: string, data: Buffer): void {
  const e = archive.entries.find((x) => x.name === name)!;
  e.data = data;
  const m = archive.entries.find((x) => x.name === 'manifest.json')!;
  const manifest = JSON.parse(m.data.toString('utf8')) as ManifestLike;
  const me = manifest.entries.find((x) => x.name === name)!;
  me.size = data.length;
  me.sha256 = sha256(data);
  m.data = Buffer.from(JSON.stringify(manifest));
}

function dropEntry(archive: Archive, name: string): void {
  archive.entries = archive.entries.filter((x) => x.name !== name);
  const m = archive.entries.find((x) => x.name === 'manifest.json');
  if (!m) return;
  const manifest = JSON.parse(m.data.toString('utf8')) as ManifestLike;
  manifest.entries = manifest.entries.filter((x) => x.name !== name);
  m.data = Buffer.from(JSON.stringify(manifest));
}

// ---- tests -------------------------------------------------------------------------------

describe.each(DIALECTS)('backup on %s', (dialect) => {
  it('every table is either backed up or deliberately excluded', async () => {
    const rt = await createTestRuntime(dialect);
    try {
      const tables = [...(await listDatabaseTables(rt.deps.dbh)).keys()].sort();
      const known = new Set<string>([...BACKUP_TABLES, ...Object.keys(BACKUP_EXCLUDED_TABLES)]);
      // A new table from a later migration fails here until it is added to one of the two lists.
      expect(tables.filter((t) => !known.has(t))).toEqual([]);
      // And no list names a table that does not exist.
      expect([...known].filter((t) => !tables.includes(t))).toEqual([]);
      expect(BACKUP_TABLES).not.toContain('sessions');
    } finally {
      await rt.cleanup();
    }
  });

  it('backs up online while writers keep committing, and restores exactly that snapshot', async () => {
    const src = await createTestRuntime(dialect);
    const dst = await targetWithKeysOf(dialect, src);
    try {
      const seeded = await seed(src.deps);
      // A live sign-in: must not travel in the backup.
      await src.deps.dbh.db
        .insertInto('sessions')
        .values({
          id: 'x'.repeat(64),
          user_id: (await src.deps.dbh.db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id,
          csrf_token: 'c',
          stage: 'full',
          created_at: 'a',
          last_seen_at: 'a',
          expires_at: 'z',
        })
        .execute();
      const file = path.join(src.dir, 'out', 'khomat.backup');
      const writer = startWriter(src.deps, seeded.agencyId);
      await waitFor(() => writer.count >= 3);
      const before = writer.count;
      const phases = new Set<string>();
      const marks: number[] = [];
      let summary: BackupSummary;
      try {
        summary = await createBackup(
          src.deps,
          file,
          (p) => {
            if (!phases.has(p.phase)) marks.push(writer.count);
            phases.add(p.phase);
          },
          SMALL_SEGMENTS,
        );
        marks.push(writer.count);
      } finally {
        await waitFor(() => writer.count >= before + 3);
        await writer.stop();
      }
      expect(phases).toEqual(new Set(['tables', 'blobs']));
      // Online: the writers were not held up while the backup ran.
      expect(marks.at(-1)).toBeGreaterThan(before);
      expect(fs.existsSync(`${file}.part`)).toBe(false);
      expect(fs.statSync(file).size).toBe(summary.bytes);
      expect(summary.dialect).toBe(dialect);
      expect(summary.tables['sessions']).toBeUndefined();

      // The source moved on after the snapshot; the backup is a consistent cut of it.
      const sourceHead = await src.deps.audit.head(src.deps.dbh.db);
      expect(summary.auditHead.seq).toBeLessThan(sourceHead.seq);
      expect(summary.auditHead.seq).toBeGreaterThan(60 + SEEDED_UNITS);
      expect(summary.tables['audit_events']).toBe(summary.auditHead.seq);
      // Every concurrent write put one unit and one event in one transaction, so the snapshot
      // holds as many concurrent units as concurrent events.
      const concurrentEvents = await src.deps.dbh.db
        .selectFrom('audit_events')
        .select('subject_id')
        .where('action', '=', 'test.concurrent')
        .where('seq', '<=', summary.auditHead.seq)
        .execute();
      expect(summary.tables['units']).toBe(SEEDED_UNITS + concurrentEvents.length);
      expect(summary.blobs).toBe(5 + Math.ceil(concurrentEvents.length / 4));

      // Verification walks the whole file and agrees with what was written.
      expect(await verifyBackup(src.deps.keys, file)).toEqual(summary);

      // Nothing readable leaks into the file: names, usernames, settings are all encrypted.
      const raw = fs.readFileSync(file);
      for (const s of ['Sở Ngoại vụ', 'vanthu', 'test.setting', 'tables/', 'manifest']) expect(raw.includes(Buffer.from(s))).toBe(false);

      const verifyProgress: BackupProgress[] = [];
      const restored = await restoreBackup(dst.deps, file, (p) => verifyProgress.push(p));
      expect(restored).toEqual(summary);
      expect(verifyProgress.at(-1)).toMatchObject({ phase: 'restore' });
      expect(verifyProgress.find((p) => p.phase === 'verify')).toBeDefined();

      const counts = await tableCounts(dst.deps);
      for (const t of BACKUP_TABLES) expect(counts[t]).toBe(summary.tables[t]);
      expect(counts['sessions']).toBe(0);
      expect(await dst.deps.audit.head(dst.deps.dbh.db)).toEqual(summary.auditHead);
      const chain = await verifyAuditChain(dst.deps.dbh.db, dst.deps.keys);
      expect(chain).toMatchObject({ ok: true, headSeq: summary.auditHead.seq, count: summary.auditHead.seq });

      // Rows come back identical to the source's rows of that moment.
      const srcEvents = await src.deps.dbh.db.selectFrom('audit_events').selectAll().where('seq', '<=', summary.auditHead.seq).orderBy('seq').execute();
      const dstEvents = await dst.deps.dbh.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
      expect(dstEvents.map((r) => ({ ...r, seq: Number(r.seq) }))).toEqual(srcEvents.map((r) => ({ ...r, seq: Number(r.seq) })));
      const srcUsers = await src.deps.dbh.db.selectFrom('users').selectAll().orderBy('id').execute();
      expect(await dst.deps.dbh.db.selectFrom('users').selectAll().orderBy('id').execute()).toEqual(srcUsers);
      const child = await dst.deps.dbh.db.selectFrom('units').selectAll().where('id', '=', 'aa-child-unit').executeTakeFirstOrThrow();
      expect(child.parent_id).toBe('zz-parent-unit');
      const setting = await dst.deps.dbh.db.selectFrom('settings').select('value').where('key', '=', 'test.setting').executeTakeFirstOrThrow();
      expect(setting.value).toBe('giá trị có dấu — “ngoặc” \n dòng mới');

      // Every blob decrypts on the restored side to the same content.
      const rows = await dst.deps.dbh.db.selectFrom('blobs').select(['id', 'sha256']).execute();
      expect(rows).toHaveLength(summary.blobs);
      expect(filesUnder(blobDirFor(dst.deps.config))).toHaveLength(summary.blobs);
      for (const r of rows) expect(await blobSha(dst.deps, r.id)).toBe(r.sha256);
      for (const [id, sha] of seeded.blobs) expect(await blobSha(dst.deps, id)).toBe(sha);

      // The restored system carries on: its chain extends and still verifies.
      await dst.deps.dbh.db.transaction().execute((tx) => dst.deps.audit.append(tx, { actorId: null, action: 'backup.restored' }));
      expect(await verifyAuditChain(dst.deps.dbh.db, dst.deps.keys)).toMatchObject({ ok: true, headSeq: summary.auditHead.seq + 1 });
    } finally {
      await dst.cleanup();
      await src.cleanup();
    }
  });

  it('is one snapshot: a write landing between its reads is not in it', async () => {
    const src = await createTestRuntime(dialect);
    const dst = await targetWithKeysOf(dialect, src);
    // SQLite: a write on another connection, synchronously inside the progress callback, so it
    // certainly commits after the backup counted the rows and before it read any table.
    const raw = dialect === 'sqlite' ? openSqlite(src.deps.dbh.sqliteFile!, src.deps.keys.databaseKey()) : undefined;
    try {
      const { agencyId } = await seed(src.deps, 5);
      const file = path.join(src.dir, 'snap.backup');
      let late: Promise<void> | undefined;
      let lateCommitted = false;
      const summary = await createBackup(src.deps, file, (p) => {
        if (p.phase !== 'tables' || p.done !== 0) return;
        if (raw) {
          rawWrite(raw, agencyId, src.deps.clock.now().toISOString(), src.deps.keys);
          lateCommitted = true;
        } else {
          late = addUnit(src.deps, 'late-unit', 'LATE', agencyId).then(() => {
            lateCommitted = true;
          });
        }
      });
      // PostgreSQL: the write ran on another pooled connection while the backup kept reading.
      expect(lateCommitted).toBe(true);
      await late;
      const sourceHead = await src.deps.audit.head(src.deps.dbh.db);
      expect(summary.auditHead.seq).toBe(sourceHead.seq - 1);
      expect(summary.tables['units']).toBe(SEEDED_UNITS);
      await restoreBackup(dst.deps, file);
      expect(await dst.deps.dbh.db.selectFrom('units').select('id').where('id', '=', 'late-unit').executeTakeFirst()).toBeUndefined();
      expect(await verifyAuditChain(dst.deps.dbh.db, dst.deps.keys)).toMatchObject({ ok: true, headSeq: sourceHead.seq - 1 });
      expect(await verifyAuditChain(src.deps.dbh.db, src.deps.keys)).toMatchObject({ ok: true, headSeq: sourceHead.seq });
    } finally {
      raw?.close();
      await dst.cleanup();
      await src.cleanup();
    }
  });

  it('fails cleanly, leaving no file, when a stored blob file is missing', async () => {
    const src = await createTestRuntime(dialect);
    try {
      const { blobs } = await seed(src.deps, 2);
      const lost = [...blobs.keys()][2]!;
      fs.rmSync(src.deps.blobs.pathFor(lost));
      const file = path.join(src.dir, 'out', 'lost.backup');
      const e = await errorOf(createBackup(src.deps, file, undefined, SMALL_SEGMENTS));
      expect(e.code).toBe('backup.source_incomplete');
      expect(e.details).toMatchObject({ blobId: lost, reason: 'file_missing' });
      expect(fs.readdirSync(path.dirname(file))).toEqual([]);
    } finally {
      await src.cleanup();
    }
  });

  describe('refusals', () => {
    let src: TestRuntime;
    let target: TestRuntime;
    let other: TestRuntime;
    let file: string;
    let empty: string;

    beforeAll(async () => {
      src = await createTestRuntime(dialect);
      await seed(src.deps, 25);
      file = path.join(src.dir, 'good.backup');
      await createBackup(src.deps, file, undefined, SMALL_SEGMENTS);
      target = await targetWithKeysOf(dialect, src);
      other = await createTestRuntime(dialect);
      empty = await targetState(target);
    });

    afterAll(async () => {
      await other?.cleanup();
      await target?.cleanup();
      await src?.cleanup();
    });

    async function expectRefused(damagedFile: string, code: string): Promise<DomainError> {
      const e = await errorOf(restoreBackup(target.deps, damagedFile));
      expect(e.code).toBe(code);
      expect(await targetState(target)).toBe(empty);
      return e;
    }

    function variant(name: string, edit: (b: Buffer) => Buffer): string {
      const out = path.join(src.dir, name);
      fs.writeFileSync(out, edit(fs.readFileSync(file)));
      return out;
    }

    it('refuses a flipped byte in the middle', async () => {
      const f = variant('flipped.backup', (b) => {
        const c = Buffer.from(b);
        c[Math.floor(c.length / 2)]! ^= 0x01;
        return c;
      });
      const e = await expectRefused(f, 'backup.damaged');
      expect(e.details?.['reason']).toBe('chunk_auth_failed');
      expect(typeof e.details?.['part']).toBe('string');
      expect((await errorOf(verifyBackup(src.deps.keys, f))).code).toBe('backup.damaged');
    });

    it('refuses a truncated file', async () => {
      await expectRefused(
        variant('cut.backup', (b) => b.subarray(0, Math.floor(b.length * 0.6))),
        'backup.damaged',
      );
      // Cut right after the header line: no archive at all.
      await expectRefused(
        variant('cut-header.backup', (b) => b.subarray(0, b.indexOf(0x0a) + 1)),
        'backup.damaged',
      );
      // Cut by one byte: only the final chunk's tag can tell.
      await expectRefused(
        variant('cut-one.backup', (b) => b.subarray(0, b.length - 1)),
        'backup.damaged',
      );
    });

    it('refuses appended bytes', async () => {
      await expectRefused(
        variant('appended.backup', (b) => Buffer.concat([b, crypto.randomBytes(100)])),
        'backup.damaged',
      );
    });

    it('refuses an edited plaintext header', async () => {
      const f = variant('header.backup', (b) => {
        const nl = b.indexOf(0x0a);
        const h = JSON.parse(b.subarray(0, nl).toString()) as { createdAt: string };
        h.createdAt = '2020-01-01T00:00:00.000Z';
        return Buffer.concat([Buffer.from(JSON.stringify(h)), b.subarray(nl)]);
      });
      const e = await expectRefused(f, 'backup.damaged');
      expect(e.details?.['part']).toBe('archive');
    });

    it('refuses files that are not backups', async () => {
      await expectRefused(
        variant('empty.backup', () => Buffer.alloc(0)),
        'backup.not_a_backup',
      );
      await expectRefused(
        variant('text.backup', () => Buffer.from('xin chào\nthế giới\n')),
        'backup.not_a_backup',
      );
      await expectRefused(
        variant('json.backup', () => Buffer.from('{"magic":"OTHER"}\n')),
        'backup.not_a_backup',
      );
      await expectRefused(
        variant('future.backup', (b) => {
          const nl = b.indexOf(0x0a);
          const h = JSON.parse(b.subarray(0, nl).toString()) as { format: number };
          h.format = 99;
          return Buffer.concat([Buffer.from(JSON.stringify(h)), b.subarray(nl)]);
        }),
        'backup.unsupported_format',
      );
    });

    it('refuses a backup of another installation', async () => {
      const foreignFile = path.join(other.dir, 'other.backup');
      await createBackup(other.deps, foreignFile);
      const e = await expectRefused(foreignFile, 'backup.foreign');
      expect(e.message).toBe('Bản sao lưu này không thuộc hệ thống này (khoá khác).');
      expect((await errorOf(verifyBackup(src.deps.keys, foreignFile))).code).toBe('backup.foreign');
      expect((await errorOf(verifyBackup(other.deps.keys, file))).code).toBe('backup.foreign');
    });

    it('refuses a key ring with the same signing key but other master keys', async () => {
      const ring = JSON.parse(fs.readFileSync(path.join(src.deps.config.keyDir, KEYRING_FILE), 'utf8')) as { masters: Record<string, string> };
      ring.masters = { '1': crypto.randomBytes(32).toString('base64') };
      const dir = path.join(src.dir, 'forged-keys');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, KEYRING_FILE), JSON.stringify(ring));
      const forged = FileKeyProvider.open({ keyDir: dir });
      expect(forged.signingKeyId()).toBe(src.deps.keys.signingKeyId());
      const e = await errorOf(verifyBackup(forged, file));
      expect(e.code).toBe('backup.foreign');
      expect(e.details?.['reason']).toBe('unwrap');
    });

    it('refuses authentic archives whose content does not add up', async () => {
      const good = await openArchive(src.deps.keys, file);
      const names = good.entries.map((e) => e.name);
      expect(names.at(-1)).toBe('manifest.json');
      expect(names.filter((n) => n.startsWith('tables/audit_events/')).length).toBeGreaterThan(1);
      const blobName = names.find((n) => n.startsWith('blobs/'))!;
      // Blob entries are the stored files byte for byte.
      expect(good.entries.find((e) => e.name === blobName)!.data.equals(fs.readFileSync(src.deps.blobs.pathFor(blobName.slice(6))))).toBe(true);

      const rewritten = async (name: string, edit: (a: Archive) => void) => {
        const a: Archive = { header: good.header, entries: good.entries.map((e) => ({ ...e })) };
        edit(a);
        const out = path.join(src.dir, name);
        await writeArchive(src.deps.keys, out, a);
        return out;
      };

      // Control: re-encrypted unchanged, it verifies (so the failures below are the edits').
      await verifyBackup(src.deps.keys, await rewritten('same.backup', () => undefined));

      let e = await expectRefused(await rewritten('no-manifest.backup', (a) => dropEntry(a, 'manifest.json')), 'backup.damaged');
      expect(e.details).toMatchObject({ part: 'manifest.json', reason: 'manifest_missing' });

      // An audit event edited inside the backup, with the manifest's hashes fixed up to match:
      // only recomputing the chain catches it.
      const seg = good.entries.find((x) => x.name.startsWith('tables/audit_events/') && x.data.includes(Buffer.from('Tài liệu mật')))!.name;
      e = await expectRefused(
        await rewritten('edited-event.backup', (a) => {
          const data = a.entries.find((x) => x.name === seg)!.data.toString('utf8');
          replaceEntry(a, seg, Buffer.from(data.replace('Tài liệu mật', 'Tài liệu sửa')));
        }),
        'backup.damaged',
      );
      expect(e.details).toMatchObject({ part: seg, reason: 'audit_hash' });

      e = await expectRefused(await rewritten('no-blob.backup', (a) => dropEntry(a, blobName)), 'backup.damaged');
      expect(e.details).toMatchObject({ part: blobName, reason: 'blob_missing' });

      e = await expectRefused(
        await rewritten('bad-hash.backup', (a) => {
          a.entries.find((x) => x.name === 'tables/settings/000001.jsonl')!.data = Buffer.from('{"key":"x","value":"y"}\n');
        }),
        'backup.damaged',
      );
      expect(e.details?.['part']).toBe('tables/settings/000001.jsonl');
    });

    it('refuses a target that is not empty', async () => {
      const seeded = await targetWithKeysOf(dialect, src);
      try {
        await seedAgency(seeded.deps);
        const before = await targetState(seeded);
        const e = await errorOf(restoreBackup(seeded.deps, file));
        expect(e.code).toBe('backup.target_not_empty');
        expect(await targetState(seeded)).toBe(before);
      } finally {
        await seeded.cleanup();
      }
      const stray = await targetWithKeysOf(dialect, src);
      try {
        const dir = path.join(blobDirFor(stray.deps.config), 'ab');
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'abandoned.part'), 'x');
        expect((await errorOf(restoreBackup(stray.deps, file))).code).toBe('backup.target_not_empty');
        expect(await databaseFingerprint(stray.deps)).toBe(await databaseFingerprint(target.deps));
      } finally {
        await stray.cleanup();
      }
    });

    it('leaves nothing behind when the second pass fails after files were written', async () => {
      let sawFiles = 0;
      const boom = new Error('stopped by the test');
      const p = restoreBackup(target.deps, file, (prog) => {
        if (prog.phase === 'restore' && prog.done === prog.total - 1) {
          sawFiles = filesUnder(blobDirFor(target.deps.config)).length;
          throw boom;
        }
      });
      await expect(p).rejects.toBe(boom);
      expect(sawFiles).toBe(5);
      expect(await targetState(target)).toBe(empty);
      // And the same target then restores fine.
      const s = await restoreBackup(target.deps, file);
      expect((await tableCounts(target.deps))['audit_events']).toBe(s.auditHead.seq);
      expect((await errorOf(restoreBackup(target.deps, file))).code).toBe('backup.target_not_empty');
    });

    it('never replaces an existing backup file', async () => {
      const before = fs.readFileSync(file);
      expect((await errorOf(createBackup(src.deps, file))).code).toBe('backup.output_exists');
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.existsSync(`${file}.part`)).toBe(false);
    });
  });
});

describe.runIf(DIALECTS.includes('postgres'))('backup across databases', () => {
  it.each([
    ['sqlite', 'postgres'],
    ['postgres', 'sqlite'],
  ] as const)('moves an installation from %s to %s', async (from, to) => {
    const src = await createTestRuntime(from);
    const dst = await targetWithKeysOf(to, src);
    try {
      const seeded = await seed(src.deps, 15);
      const file = path.join(src.dir, 'move.backup');
      const summary = await createBackup(src.deps, file);
      expect(summary.dialect).toBe(from);
      await restoreBackup(dst.deps, file);
      const counts = await tableCounts(dst.deps);
      for (const t of BACKUP_TABLES) expect(counts[t]).toBe(summary.tables[t]);
      expect(await verifyAuditChain(dst.deps.dbh.db, dst.deps.keys)).toMatchObject({ ok: true, headSeq: summary.auditHead.seq });
      for (const [id, sha] of seeded.blobs) expect(await blobSha(dst.deps, id)).toBe(sha);
      const srcUsers = await src.deps.dbh.db.selectFrom('users').selectAll().orderBy('id').execute();
      expect(await dst.deps.dbh.db.selectFrom('users').selectAll().orderBy('id').execute()).toEqual(srcUsers);
    } finally {
      await dst.cleanup();
      await src.cleanup();
    }
  });
});
