import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createPgSchema, createTestRuntime, dialects, dropPgSchema, PG_URL, seedAgency, type TestRuntime } from '../../test/harness';
import { anchorFileFor, readAnchor } from './anchor';
import { AuditLog, auditChainKey } from './audit-log';
import { verifyAuditChain, type VerifyOptions } from './verify';
import { canonicalJson, chainKey, checkpointMessageV2, deriveChainSecret, GENESIS_HASH, hashEvent, signatureHash } from './canonical';
import { RoomHasher, scanSegment } from './chain-scan';

const DIALECTS = await dialects();

/** Verification in two processes however short the chain (each process opens its own connection). */
const parallel = (dialect: string) => ({ parallelMinEvents: 1, segments: 2, ...(dialect === 'postgres' ? { databaseUrl: PG_URL } : {}) });

describe('the keyed hash of the fast pass', () => {
  it('is HMAC-SHA256 as crypto.createHmac computes it, before and after keyedFrom', () => {
    const secret = crypto.randomBytes(32);
    const hasher = new RoomHasher(secret, 3);
    for (const [seq, text] of [
      [2, 'plain before keying'],
      [3, '["Tối mật",null,"🔒"]'],
      [4, 'x'.repeat(1000)],
      [5, ''],
    ] as const) {
      const bytes = Buffer.from(text, 'utf8');
      const buf = Buffer.concat([Buffer.alloc(64), bytes]);
      const want = seq >= 3 ? crypto.createHmac('sha256', secret).update(text).digest('hex') : crypto.createHash('sha256').update(text).digest('hex');
      expect(hasher.hex(seq, buf, 0, buf.length)).toBe(want);
    }
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe.each(DIALECTS)('audit chain on %s', (dialect) => {
  let rt: TestRuntime;
  afterEach(async () => rt?.cleanup());

  async function writeEvents(n: number) {
    for (let i = 0; i < n; i++) {
      await rt.deps.dbh.db
        .transaction()
        .execute((tx) => rt.deps.audit.append(tx, { actorId: null, action: 'test.event', subjectType: 'thing', subjectId: `s${i}`, details: { i } }));
    }
  }
  const verify = () => verifyAuditChain(rt.deps.dbh, rt.deps.keys);
  const verifyInParallel = () => verifyAuditChain(rt.deps.dbh, rt.deps.keys, parallel(dialect));

  it('verifies an intact chain with signed checkpoints', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(25);
    const r = await verify();
    expect(r).toMatchObject({ ok: true, count: 25, headSeq: 25, checkpoints: 2 });
  });

  it('names the first edited event', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(12);
    await rt.deps.dbh.db.updateTable('audit_events').set({ details: '{"i":999}' }).where('seq', '=', 7).execute();
    const r = await verify();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.badSeq).toBe(7);
  });

  it('detects a deleted event', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(12);
    await rt.deps.dbh.db.deleteFrom('audit_events').where('seq', '=', 5).execute();
    const r = await verify();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.badSeq).toBe(6);
  });

  // The fast pass reads fixed seq ranges, the next asked for while this one is hashed: a hole as
  // wide as a whole range, or ending at a range's edge, must still stop it (the exact walk decides).
  it('scans across batch edges, and doubts a hole as wide as a batch or ending at its edge', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(30);
    const db = rt.deps.dbh.db;
    const secret = deriveChainSecret(rt.deps.keys.databaseKey());
    const keyedFrom = Number((await db.selectFrom('audit_head').select('keyed_from').executeTakeFirstOrThrow()).keyed_from);
    const scan = (batch: number) =>
      scanSegment(db, dialect, secret, chainKey(secret, keyedFrom), { after: 0, prevHash: GENESIS_HASH, hi: null, keyedFrom, signed: new Map(), batch });
    const head = Number(
      (
        await db
          .selectFrom('audit_events')
          .select((e) => e.fn.max('seq').as('m'))
          .executeTakeFirstOrThrow()
      ).m,
    );
    for (const batch of [1, 5, 7, 4000]) expect(await scan(batch)).toMatchObject({ clean: true, count: head, lastSeq: head });
    await db.deleteFrom('audit_events').where('seq', '>', 10).where('seq', '<=', 20).execute();
    for (const batch of [5, 10, 3]) expect(await scan(batch)).toMatchObject({ clean: false, count: 10, from: { after: 10 } });
  });

  it('detects an inserted event even when its own hash is recomputed', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(6);
    const db = rt.deps.dbh.db;
    // Shift events 4.. up by one and forge a well-formed event at 4 that links to 3.
    const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>=', 4).orderBy('seq', 'desc').execute();
    for (const r of rows)
      await db
        .updateTable('audit_events')
        .set({ seq: Number(r.seq) + 1 })
        .where('seq', '=', r.seq)
        .execute();
    const prev = await db.selectFrom('audit_events').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
    const forged = {
      seq: 4,
      id: 'forged',
      occurred_at: prev.occurred_at,
      actor_id: null,
      action: 'test.forged',
      subject_type: null,
      subject_id: null,
      details: '{}',
      prev_hash: prev.hash,
      hash: '',
    };
    // Even with the chain key (an insider, not a database-only attacker) the link gives it away.
    forged.hash = hashEvent(forged, auditChainKey(rt.deps.keys, 1));
    await db.insertInto('audit_events').values(forged).execute();
    const r = await verify();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.badSeq).toBe(5);
  });

  it('detects two events swapped', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(8);
    const db = rt.deps.dbh.db;
    await db.updateTable('audit_events').set({ seq: 1000 }).where('seq', '=', 3).execute();
    await db.updateTable('audit_events').set({ seq: 3 }).where('seq', '=', 4).execute();
    await db.updateTable('audit_events').set({ seq: 4 }).where('seq', '=', 1000).execute();
    const r = await verify();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.badSeq).toBe(3);
  });

  it('detects truncation of the tail past a signed checkpoint', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(11);
    const db = rt.deps.dbh.db;
    await db.deleteFrom('audit_events').where('seq', '>=', 9).execute();
    const last = await db.selectFrom('audit_events').selectAll().where('seq', '=', 8).executeTakeFirstOrThrow();
    await db.updateTable('audit_head').set({ seq: 8, hash: last.hash }).execute();
    const r = await verify();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/điểm kiểm tra/);
  });

  it('rejects a checkpoint signed by another key', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(10);
    await rt.deps.dbh.db
      .updateTable('audit_checkpoints')
      .set({ signature: Buffer.alloc(64, 1).toString('base64') })
      .execute();
    const r = await verify();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.badSeq).toBe(10);
  });

  it('never forks under 50 concurrent writers', async () => {
    rt = await createTestRuntime(dialect);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        rt.deps.dbh.db.transaction().execute((tx) => rt.deps.audit.append(tx, { actorId: null, action: 'test.concurrent', details: { i } })),
      ),
    );
    const r = await verify();
    expect(r).toMatchObject({ ok: true, count: 50, headSeq: 50 });
  });

  it.runIf(dialect === 'postgres')('never forks with two processes writing to one PostgreSQL', async () => {
    rt = await createTestRuntime(dialect);
    const other = await createTestRuntime(dialect, { dir: rt.dir, pgSchema: rt.pgSchema! });
    try {
      const logA = rt.deps.audit;
      const logB = new AuditLog({ dialect, keys: rt.deps.keys, clock: other.deps.clock, ids: other.deps.ids, checkpointEvery: 10 });
      await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const [db, log] = i % 2 ? [rt.deps.dbh.db, logA] : [other.deps.dbh.db, logB];
          return db.transaction().execute((tx) => log.append(tx, { actorId: null, action: 'test.two_processes', details: { i } }));
        }),
      );
      expect(await verify()).toMatchObject({ ok: true, count: 40 });
    } finally {
      await other.cleanup();
    }
  });

  it('rolls the event back with its transaction', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(2);
    await expect(
      rt.deps.dbh.db.transaction().execute(async (tx) => {
        await rt.deps.audit.append(tx, { actorId: null, action: 'test.rolled_back' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await rt.deps.audit.head(rt.deps.dbh.db)).toMatchObject({ seq: 2 });
    expect(await verify()).toMatchObject({ ok: true, count: 2 });
    const n = await sql<{ n: number }>`select count(*) as n from audit_events where action = 'test.rolled_back'`.execute(rt.deps.dbh.db);
    expect(Number(n.rows[0]!.n)).toBe(0);
  });

  it('verifies in parallel processes between signed checkpoints, agrees with one process, and falls back to the exact walk to name a bad event', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(20);
    // Texts each database must build exactly as JSON.stringify does: quotes, backslashes, control
    // characters, Vietnamese, an emoji, U+2028, nulls.
    const awkward = ['"quoted" \\ back', 'line\nbreak\ttab\r\u0001\u001f', 'Tối mật — Cục Cơ yếu', '🔒 \u2028 \u2029 </script>'];
    await rt.deps.dbh.db.transaction().execute(async (tx) => {
      for (const [i, text] of awkward.entries()) {
        await rt.deps.audit.append(tx, {
          actorId: i % 2 ? null : text,
          action: 'test.awkward',
          subjectType: text,
          details: { text, nested: { k: [text, null, 1.5] } },
        });
      }
    });
    await writeEvents(16);
    const one = await verify();
    expect(one).toMatchObject({ ok: true, count: 40, checkpoints: 4, processes: 1 });
    expect(await verifyInParallel()).toEqual({ ...one, processes: 2 });
    await rt.deps.dbh.db.updateTable('audit_events').set({ details: '{"i":-1}' }).where('seq', '=', 33).execute();
    expect(await verifyInParallel()).toMatchObject({ ok: false, badSeq: 33 });
    await rt.deps.dbh.db.updateTable('audit_events').set({ details: '{"i":8}' }).where('seq', '=', 33).execute();
    expect(await verifyInParallel()).toMatchObject({ ok: true, count: 40, processes: 2 });
    await rt.deps.dbh.db.updateTable('audit_events').set({ details: '{"i":-1}' }).where('seq', '=', 5).execute();
    expect(await verifyInParallel()).toMatchObject({ ok: false, badSeq: 5 });
    await rt.deps.dbh.db.updateTable('audit_events').set({ details: '{"i":4}' }).where('seq', '=', 5).execute();
    await rt.deps.dbh.db.deleteFrom('audit_events').where('seq', '=', 12).execute();
    expect(await verifyInParallel()).toMatchObject({ ok: false, badSeq: 13 });
  });
});

// Issue 11, point 6: an attacker with the database only (raw SQL, no KhoMật key), on both
// databases. Each attack below verified as intact before checkpoints were chained, events keyed
// and the anchor file kept beside the keys.
describe.each(DIALECTS)('a database-only attacker on %s', (dialect) => {
  let rt: TestRuntime;
  afterEach(async () => rt?.cleanup());

  const db = () => rt.deps.dbh.db;
  async function writeEvents(n: number) {
    for (let i = 0; i < n; i++) {
      await db()
        .transaction()
        .execute((tx) => rt.deps.audit.append(tx, { actorId: null, action: 'test.event', subjectType: 'thing', subjectId: `s${i}`, details: { i } }));
    }
  }
  /** What a clean stop leaves: the head signed and every checkpoint in the anchor file. */
  async function cleanStop() {
    await rt.deps.audit.checkpointHead(db());
    await rt.deps.audit.settle(db());
  }
  const anchorFile = () => anchorFileFor(rt.deps.config.keyDir);
  /** Every verdict also from the parallel processes: the same, but for how many processes scanned. */
  async function bothWays(opts: VerifyOptions) {
    const one = await verifyAuditChain(rt.deps.dbh, rt.deps.keys, opts);
    const two = await verifyAuditChain(rt.deps.dbh, rt.deps.keys, { ...opts, ...parallel(dialect) });
    expect(two).toEqual(one.ok ? { ...one, processes: two.ok ? two.processes : -1 } : one);
    return one;
  }
  const verifyDbOnly = () => bothWays({ checkpointEvery: 10 });
  const verifyWithAnchor = (anchorCode?: string) =>
    bothWays({
      checkpointEvery: 10,
      anchor: readAnchor(anchorFile(), rt.deps.keys.signingPublicKey()),
      ...(anchorCode ? { anchorCode } : {}),
    });

  /** The attacker's tools: SHA-256 (all they can compute) over rows they read and write. */
  async function rechainFrom(seq: number) {
    const rows = await db().selectFrom('audit_events').selectAll().where('seq', '>=', seq).orderBy('seq').execute();
    let prev = (
      await db()
        .selectFrom('audit_events')
        .select('hash')
        .where('seq', '=', seq - 1)
        .executeTakeFirstOrThrow()
    ).hash;
    for (const r of rows) {
      const hash = hashEvent({ ...r, seq: Number(r.seq), prev_hash: prev });
      await db().updateTable('audit_events').set({ prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
      prev = hash;
    }
    await db().updateTable('audit_head').set({ hash: prev }).execute();
  }

  it('(1) an edited event, every later hash recomputed, the head updated and the checkpoints after it deleted', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(35);
    await cleanStop();
    await db().updateTable('audit_events').set({ details: '{"i":-1}' }).where('seq', '=', 17).execute();
    await rechainFrom(17);
    await db().deleteFrom('audit_checkpoints').where('seq', '>=', 17).execute();
    for (const r of [await verifyDbOnly(), await verifyWithAnchor()]) {
      expect(r).toMatchObject({ ok: false, badSeq: 17 });
      if (!r.ok) expect(r.reason).toMatch(/không khớp mã băm/);
    }
  });

  it('(2) a forged event appended with the head moved', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(25);
    await cleanStop();
    const head = await rt.deps.audit.head(db());
    const forged = {
      seq: 26,
      id: 'forged',
      occurred_at: '2026-03-02T01:00:00.000Z',
      actor_id: null,
      action: 'item.destroyed',
      subject_type: null,
      subject_id: null,
      details: '{}',
      prev_hash: head.hash,
      hash: '',
    };
    forged.hash = hashEvent(forged);
    await db().insertInto('audit_events').values(forged).execute();
    await db().updateTable('audit_head').set({ seq: 26, hash: forged.hash }).execute();
    for (const r of [await verifyDbOnly(), await verifyWithAnchor()]) expect(r).toMatchObject({ ok: false, badSeq: 26, badId: 'forged' });
  });

  it('(3) the last 50 events deleted, the head moved back and the checkpoints past it deleted: the anchor names what is missing', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(60);
    await cleanStop();
    await db().deleteFrom('audit_events').where('seq', '>', 10).execute();
    await db().deleteFrom('audit_checkpoints').where('seq', '>', 10).execute();
    const last = await db().selectFrom('audit_events').select('hash').where('seq', '=', 10).executeTakeFirstOrThrow();
    await db().updateTable('audit_head').set({ seq: 10, hash: last.hash }).execute();
    const r = await verifyWithAnchor();
    expect(r).toMatchObject({ ok: false, badSeq: 11 });
    if (!r.ok) {
      expect(r.reason).toBe('thiếu sự kiện từ số 11 đến 60: điểm kiểm tra đã ký ở số 60 có trong tệp neo nhưng không có trong cơ sở dữ liệu');
    }
  });

  it('(3b) the tail cut before the clean stop anchored it is still found by the paper code', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(30);
    await cleanStop();
    const code = (await verifyWithAnchor()) as { lastCheckpoint: { code: string } };
    await db().deleteFrom('audit_events').where('seq', '>', 20).execute();
    await db().deleteFrom('audit_checkpoints').where('seq', '>', 20).execute();
    const last = await db().selectFrom('audit_events').select('hash').where('seq', '=', 20).executeTakeFirstOrThrow();
    await db().updateTable('audit_head').set({ seq: 20, hash: last.hash }).execute();
    fs.rmSync(anchorFile());
    // Without its file (say the key directory was restored from an old copy) the paper code still tells.
    const r = await verifyAuditChain(rt.deps.dbh, rt.deps.keys, { anchorCode: code.lastCheckpoint.code });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(new RegExp(`mã neo ${code.lastCheckpoint.code} .*không khớp`));
  });

  it('(4) every checkpoint deleted', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(25);
    await cleanStop();
    await db().deleteFrom('audit_checkpoints').execute();
    const dbOnly = await verifyDbOnly();
    expect(dbOnly).toMatchObject({ ok: false, badSeq: 1 });
    if (!dbOnly.ok) expect(dbOnly.reason).toMatch(/không có điểm kiểm tra đã ký nào, cách đầu chuỗi 25 sự kiện/);
    const anchored = await verifyWithAnchor();
    expect(anchored).toMatchObject({ ok: false, badSeq: 10 });
    if (!anchored.ok) expect(anchored.reason).toMatch(/số 10, 20, 25 có trong tệp neo nhưng không có trong cơ sở dữ liệu/);
  });

  it('(5) a deleted middle checkpoint breaks the chain of checkpoints; one re-linked or re-signed without the key is refused', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(35);
    await db().deleteFrom('audit_checkpoints').where('seq', '=', 20).execute();
    const r = await verifyDbOnly();
    expect(r).toMatchObject({ ok: false, badSeq: 20 });
    if (!r.ok) expect(r.reason).toBe('điểm kiểm tra đã ký số 30 nối với điểm kiểm tra số 20, điểm đó không có trong cơ sở dữ liệu (bị xoá)');
    // Pointing checkpoint 30 at 10 instead: its signature covers the link.
    const ten = await db().selectFrom('audit_checkpoints').select('signature').where('seq', '=', 10).executeTakeFirstOrThrow();
    await db()
      .updateTable('audit_checkpoints')
      .set({ prev_seq: 10, prev_signature_hash: signatureHash(ten.signature) })
      .where('seq', '=', 30)
      .execute();
    expect(await verifyDbOnly()).toMatchObject({ ok: false, badSeq: 30 });
    // A checkpoint signed with another key (all an attacker can make) is refused too.
    const other = crypto.generateKeyPairSync('ed25519').privateKey;
    const cp30 = await db().selectFrom('audit_checkpoints').selectAll().where('seq', '=', 30).executeTakeFirstOrThrow();
    const fields = {
      seq: 30,
      hash: cp30.hash,
      signedAt: cp30.signed_at,
      prevSeq: 10,
      prevSignatureHash: signatureHash(ten.signature),
      every: 10,
      keyedFrom: 1,
    };
    await db()
      .updateTable('audit_checkpoints')
      .set({ signature: crypto.sign(null, checkpointMessageV2(fields), other).toString('base64') })
      .where('seq', '=', 30)
      .execute();
    expect(await verifyDbOnly()).toMatchObject({ ok: false, badSeq: 30 });
  });

  it('a checkpoint the server signs after checkpoints were deleted does not close the gap', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(35);
    await db().deleteFrom('audit_checkpoints').where('seq', '>', 10).execute();
    await writeEvents(10); // the server goes on: checkpoint 40 links to 10, thirty events back
    const r = await verifyDbOnly();
    expect(r).toMatchObject({ ok: false, badSeq: 11 });
    if (!r.ok) expect(r.reason).toMatch(/giữa điểm kiểm tra số 10 và số 40 cách nhau 30 sự kiện, quá khoảng 10/);
  });
});

describe.each(DIALECTS)('normal life of the audit trail on %s', (dialect) => {
  const verifyWithAnchor = (rt: TestRuntime) =>
    verifyAuditChain(rt.deps.dbh, rt.deps.keys, {
      checkpointEvery: rt.deps.config.auditCheckpointEvery,
      anchor: readAnchor(anchorFileFor(rt.deps.config.keyDir), rt.deps.keys.signingPublicKey()),
    });
  const append = (rt: TestRuntime, n: number) =>
    rt.deps.dbh.db.transaction().execute(async (tx) => {
      for (let i = 0; i < n; i++) await rt.deps.audit.append(tx, { actorId: null, action: 'test.event', details: { i } });
    });

  it('a fresh install, a chain shorter than N, a clean close and a reopen, a key rotation all verify against the anchor', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-audit-life-'));
    const pgSchema = dialect === 'postgres' ? await createPgSchema() : undefined;
    const open = () => createTestRuntime(dialect, { dir, ...(pgSchema ? { pgSchema } : {}) });
    try {
      const first = await open();
      expect(await verifyWithAnchor(first)).toMatchObject({ ok: true, count: 0, checkpoints: 0 });
      await seedAgency(first.deps);
      await append(first, 3); // shorter than N = 10, nothing signed yet
      expect(await verifyWithAnchor(first)).toMatchObject({ ok: true, checkpoints: 0, lastCheckpoint: null });
      const head = await first.deps.audit.head(first.deps.dbh.db);
      await first.cleanup(); // a clean close signs the head
      const lines = fs.readFileSync(anchorFileFor(first.deps.config.keyDir), 'utf8').trim().split('\n');
      expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([head.seq]);

      const second = await open();
      const r = await verifyWithAnchor(second);
      expect(r).toMatchObject({ ok: true, count: head.seq, checkpoints: 1, anchored: 1, lastCheckpoint: { seq: head.seq } });
      second.deps.keys.rotateMaster();
      await append(second, 12);
      await second.cleanup();

      const third = await open();
      expect(await verifyWithAnchor(third)).toMatchObject({ ok: true, count: head.seq + 12 });
      // Reading does not sign: closing a runtime that only verified leaves the checkpoints as they were.
      const before = await third.deps.dbh.db.selectFrom('audit_checkpoints').select('seq').execute();
      await third.cleanup();
      const fourth = await open();
      expect(await fourth.deps.dbh.db.selectFrom('audit_checkpoints').select('seq').execute()).toEqual(before);
      await fourth.cleanup();
    } finally {
      if (pgSchema) await dropPgSchema(pgSchema);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the anchor file refuses a line it did not sign', async () => {
    const rt = await createTestRuntime(dialect);
    try {
      await append(rt, 12);
      await rt.deps.audit.checkpointHead(rt.deps.dbh.db);
      const file = anchorFileFor(rt.deps.config.keyDir);
      const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
      const forged = { ...(JSON.parse(lines[0]!) as Record<string, unknown>), seq: 11 };
      fs.appendFileSync(file, JSON.stringify(forged) + '\n');
      const r = await verifyWithAnchor(rt);
      expect(r).toMatchObject({ ok: false });
      if (!r.ok) expect(r.reason).toBe(`tệp neo nhật ký hỏng ở dòng ${lines.length + 1}: chữ ký không hợp lệ`);
    } finally {
      await rt.cleanup();
    }
  });
});
