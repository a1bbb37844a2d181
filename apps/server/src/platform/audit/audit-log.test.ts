import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRuntime, dialects, type TestRuntime } from '../../test/harness';
import { AuditLog, verifyAuditChain } from './audit-log';
import { canonicalJson, hashEvent } from './canonical';

const DIALECTS = await dialects();

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
      await rt.deps.dbh.db.transaction().execute((tx) => rt.deps.audit.append(tx, { actorId: null, action: 'test.event', subjectType: 'thing', subjectId: `s${i}`, details: { i } }));
    }
  }
  const verify = () => verifyAuditChain(rt.deps.dbh, rt.deps.keys.signingPublicKey());

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

  it('detects an inserted event even when its own hash is recomputed', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(6);
    const db = rt.deps.dbh.db;
    // Shift events 4.. up by one and forge a well-formed event at 4 that links to 3.
    const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>=', 4).orderBy('seq', 'desc').execute();
    for (const r of rows) await db.updateTable('audit_events').set({ seq: Number(r.seq) + 1 }).where('seq', '=', r.seq).execute();
    const prev = await db.selectFrom('audit_events').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
    const forged = { seq: 4, id: 'forged', occurred_at: prev.occurred_at, actor_id: null, action: 'test.forged', subject_type: null, subject_id: null, details: '{}', prev_hash: prev.hash, hash: '' };
    forged.hash = hashEvent(forged);
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
    await rt.deps.dbh.db.updateTable('audit_checkpoints').set({ signature: Buffer.alloc(64, 1).toString('base64') }).execute();
    const r = await verify();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.badSeq).toBe(10);
  });

  it('never forks under 50 concurrent writers', async () => {
    rt = await createTestRuntime(dialect);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => rt.deps.dbh.db.transaction().execute((tx) => rt.deps.audit.append(tx, { actorId: null, action: 'test.concurrent', details: { i } }))),
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

  it.runIf(dialect === 'sqlite')('the parallel pass agrees with the sequential walk, and falls back to it to name a bad event', async () => {
    rt = await createTestRuntime(dialect);
    await writeEvents(40);
    const parallel = () => verifyAuditChain(rt.deps.dbh, rt.deps.keys.signingPublicKey(), undefined, { databaseKey: rt.deps.keys.databaseKey(), parallelMinEvents: 1 });
    expect(await parallel()).toEqual(await verify());
    expect(await parallel()).toMatchObject({ ok: true, count: 40, checkpoints: 4 });
    await rt.deps.dbh.db.updateTable('audit_events').set({ details: '{"i":-1}' }).where('seq', '=', 33).execute();
    expect(await parallel()).toMatchObject({ ok: false, badSeq: 33 });
    await rt.deps.dbh.db.updateTable('audit_events').set({ details: '{"i":32}' }).where('seq', '=', 33).execute();
    expect(await parallel()).toMatchObject({ ok: true, count: 40 });
    await rt.deps.dbh.db.deleteFrom('audit_events').where('seq', '=', 12).execute();
    expect(await parallel()).toMatchObject({ ok: false, badSeq: 13 });
  });
});
