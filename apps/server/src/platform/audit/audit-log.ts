import crypto from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import type { Clock, IdGenerator } from '../clock';
import type { DbHandle, Dialect } from '../db/database';
import { forUpdate } from '../db/dialect';
import type { AuditEventRow, Database } from '../db/schema';
import type { KeyProvider } from '../keys/key-provider';
import { canonicalJson, checkpointMessage, GENESIS_HASH, hashedText, hashEvent, sha256Hex } from './canonical';

/** What a use case records. Details are metadata only: ids, codes, names — never content. */
export interface AuditInput {
  actorId: string | null;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

export interface AuditWriter {
  /** Appends one event inside the caller's transaction. */
  append(tx: Kysely<Database>, input: AuditInput): Promise<AuditEventRow>;
}

export interface AuditLogDeps {
  dialect: Dialect;
  keys: Pick<KeyProvider, 'sign' | 'signingKeyId' | 'signingPublicKey'>;
  clock: Clock;
  ids: IdGenerator;
  checkpointEvery: number;
}

export type VerifyResult =
  | { ok: true; count: number; headSeq: number; headHash: string; checkpoints: number }
  | { ok: false; count: number; badSeq: number | null; badId: string | null; reason: string };

/**
 * The append-only, hash-chained audit log. Each event commits to the previous one; the head row
 * is locked by every writer, so concurrent writers queue and never fork the chain. Every
 * `checkpointEvery` events (and on shutdown) the head is signed with the provider's Ed25519 key.
 */
export class AuditLog implements AuditWriter {
  constructor(private readonly deps: AuditLogDeps) {}

  async append(tx: Kysely<Database>, input: AuditInput): Promise<AuditEventRow> {
    const head = await forUpdate(this.deps.dialect, tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1)).executeTakeFirstOrThrow();
    const row: AuditEventRow = {
      seq: head.seq + 1,
      id: this.deps.ids(),
      occurred_at: this.deps.clock.now().toISOString(),
      actor_id: input.actorId,
      action: input.action,
      subject_type: input.subjectType ?? null,
      subject_id: input.subjectId ?? null,
      details: canonicalJson(input.details ?? {}),
      prev_hash: head.hash,
      hash: '',
    };
    row.hash = hashEvent(row);
    await tx.insertInto('audit_events').values(row).execute();
    await tx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
    if (row.seq % this.deps.checkpointEvery === 0) await this.writeCheckpoint(tx, row.seq, row.hash);
    return row;
  }

  private async writeCheckpoint(tx: Kysely<Database>, seq: number, hash: string): Promise<void> {
    const signature = this.deps.keys.sign(checkpointMessage(seq, hash)).toString('base64');
    await tx
      .insertInto('audit_checkpoints')
      .values({ seq, hash, signed_at: this.deps.clock.now().toISOString(), key_id: this.deps.keys.signingKeyId(), signature })
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
  }

  /** Signs the current head unless it is already signed (called on shutdown). */
  async checkpointHead(db: Kysely<Database>): Promise<void> {
    await db.transaction().execute(async (tx) => {
      const head = await forUpdate(this.deps.dialect, tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1)).executeTakeFirstOrThrow();
      if (head.seq > 0) await this.writeCheckpoint(tx, head.seq, head.hash);
    });
  }

  async head(db: Kysely<Database>): Promise<{ seq: number; hash: string }> {
    return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  }
}

/** [seq, id, prev_hash, hash, canonical text] — tuples, not objects: verification reads millions. */
type ChainRow = [number, string, string, string, string];

const VERIFY_BATCH = 5000;

/** Batches of the chain in sequence order (keyset pages, so memory stays flat). */
async function* chainBatches(db: Kysely<Database>, sqlite: SqliteRaw | undefined): AsyncGenerator<ChainRow[]> {
  if (sqlite) {
    // SQLite builds each event's canonical text in C (json_array gives the same text as
    // JSON.stringify for these scalar columns); any row whose text does not verify is
    // re-checked from its columns in JS before it is called bad, so the shortcut cannot hide
    // tampering nor report a false alarm.
    const stmt = sqlite
      .prepare(
        `select seq, id, prev_hash, hash, json_array(seq, id, occurred_at, actor_id, action, subject_type, subject_id, details, prev_hash) as text
           from audit_events where seq > ? order by seq limit ?`,
      )
      .raw(true);
    let after = 0;
    for (;;) {
      const raw = stmt.all(after, VERIFY_BATCH) as ChainRow[];
      if (raw.length === 0) return;
      yield raw;
      after = raw[raw.length - 1]![0];
    }
  }
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', after).orderBy('seq').limit(VERIFY_BATCH).execute();
    if (rows.length === 0) return;
    yield rows.map((r): ChainRow => [Number(r.seq), r.id, r.prev_hash, r.hash, hashedText({ ...r, seq: Number(r.seq) })]);
    after = Number(rows[rows.length - 1]!.seq);
  }
}

type SqliteRaw = NonNullable<DbHandle['sqlite']>;

/**
 * Walks the whole chain in sequence order and checks every link, every hash, the head and every
 * signed checkpoint. Names the first bad event.
 */
export async function verifyAuditChain(
  source: Kysely<Database> | Pick<DbHandle, 'db' | 'sqlite' | 'sqliteFile'>,
  publicKey: crypto.KeyObject,
  onProgress?: (done: number, total: number) => void,
  opts: { databaseKey?: Buffer; parallelMinEvents?: number } = {},
): Promise<VerifyResult> {
  const db = 'sqlite' in source ? source.db : source;
  const sqlite = 'sqlite' in source ? source.sqlite : undefined;
  const file = 'sqliteFile' in source ? source.sqliteFile : undefined;
  // A long chain in an SQLite file is checked in parallel first; a clean result only needs the
  // head and the checkpoints checked, anything else falls through to the exact sequential walk.
  if (file && opts.databaseKey) {
    const fast = await verifyInParallel(db, file, opts.databaseKey, publicKey, opts.parallelMinEvents ?? PARALLEL_MIN_EVENTS);
    if (fast) {
      onProgress?.(fast.count, fast.count);
      return fast;
    }
  }
  const { n: totalRaw } = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(totalRaw);
  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
  const checkpointAt = new Map(checkpoints.map((c) => [Number(c.seq), c]));
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  let lastId: string | null = null;
  for await (const rows of chainBatches(db, sqlite)) {
    for (const [seq, id, rowPrev, hash, text] of rows) {
      const fail = (reason: string): VerifyResult => ({ ok: false, count, badSeq: seq, badId: id, reason });
      if (seq !== expectedSeq) return fail(expectedSeq < seq ? `thiếu sự kiện số ${expectedSeq} (bị xoá?)` : `số thứ tự ${seq} không liên tục`);
      if (rowPrev !== prevHash) return fail('liên kết với sự kiện trước bị sai (bị chèn, xoá hoặc đổi thứ tự)');
      if (sha256Hex(text) !== hash) {
        const full = await db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
        if (hashEvent({ ...full, seq }) !== hash) return fail('nội dung sự kiện không khớp mã băm (bị sửa)');
      }
      const cp = checkpointAt.get(seq);
      if (cp) {
        if (cp.hash !== hash) return fail('không khớp điểm kiểm tra đã ký');
        if (!crypto.verify(null, checkpointMessage(seq, cp.hash), publicKey, Buffer.from(cp.signature, 'base64'))) {
          return fail('chữ ký điểm kiểm tra không hợp lệ');
        }
      }
      prevHash = hash;
      expectedSeq = seq + 1;
      lastId = id;
      count++;
    }
    onProgress?.(count, total);
  }
  const lastSeq = expectedSeq - 1;
  const beyond = checkpoints.find((c) => Number(c.seq) > lastSeq);
  if (beyond) return { ok: false, count, badSeq: lastSeq + 1, badId: null, reason: `thiếu các sự kiện sau số ${lastSeq} (điểm kiểm tra đã ký ở số ${beyond.seq})` };
  if (Number(head.seq) !== lastSeq || head.hash !== prevHash) {
    return { ok: false, count, badSeq: lastSeq + 1, badId: lastId, reason: 'đầu chuỗi không khớp sự kiện cuối cùng (bị xoá ở cuối?)' };
  }
  return { ok: true, count, headSeq: lastSeq, headHash: prevHash, checkpoints: checkpoints.length };
}

const PARALLEL_MIN_EVENTS = 50_000;

interface RangeResult {
  count: number;
  firstPrev: string | null;
  lastHash: string | null;
  lastSeq: number;
  suspicious: boolean;
}

function verifyRange(file: string, key: Buffer, lo: number, hi: number): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./verify-worker.mjs', import.meta.url), { workerData: { file, keyHex: key.toString('hex'), lo, hi } });
    w.once('message', (m: RangeResult) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`audit verify worker exited with ${code}`));
    });
  });
}

/**
 * Parallel pass over an SQLite file: one worker per core, each on its own range of sequence
 * numbers. Returns a verdict only when everything is clean; null means "walk it sequentially".
 */
async function verifyInParallel(db: Kysely<Database>, file: string, key: Buffer, publicKey: crypto.KeyObject, minEvents: number): Promise<VerifyResult | null> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const n = Number(head.seq);
  if (n < minEvents) return null;
  const parts = Math.max(1, Math.min(4, os.availableParallelism()));
  const size = Math.ceil(n / parts);
  const ranges = Array.from({ length: parts }, (_, i) => [i * size + 1, Math.min(n, (i + 1) * size)] as const).filter(([lo, hi]) => lo <= hi);
  let results: RangeResult[];
  try {
    results = await Promise.all(ranges.map(([lo, hi]) => verifyRange(file, key, lo, hi)));
  } catch {
    return null;
  }
  let prev = GENESIS_HASH;
  let count = 0;
  for (const [i, r] of results.entries()) {
    if (r.suspicious || r.lastSeq !== ranges[i]![1] || r.firstPrev !== prev) return null;
    prev = r.lastHash!;
    count += r.count;
  }
  const total = Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  if (count !== n || total !== n || prev !== head.hash) return null;
  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
  for (const cp of checkpoints) {
    const ev = await db.selectFrom('audit_events').select('hash').where('seq', '=', cp.seq).executeTakeFirst();
    if (!ev || ev.hash !== cp.hash || !crypto.verify(null, checkpointMessage(Number(cp.seq), cp.hash), publicKey, Buffer.from(cp.signature, 'base64'))) return null;
  }
  return { ok: true, count: n, headSeq: n, headHash: prev, checkpoints: checkpoints.length };
}
