import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { PostgresAdapter, type Kysely, type Selectable } from 'kysely';
import type { Clock, IdGenerator } from '../clock';
import type { DbHandle, Dialect } from '../db/database';
import { forUpdate } from '../db/dialect';
import type { AuditCheckpointsTable, AuditEventRow, Database } from '../db/schema';
import type { KeyProvider } from '../keys/key-provider';
import { AnchorFile, anchorSignatureValid, expectedCheckpoints, type AnchorEntry, type AnchorRead } from './anchor';
import {
  canonicalJson,
  chainKey,
  checkpointCode,
  checkpointMessage,
  checkpointMessageV2,
  deriveChainSecret,
  GENESIS_HASH,
  hashedText,
  hashEvent,
  signatureHash,
  type ChainKey,
  type CheckpointFields,
} from './canonical';
import { scanSegment, type ScanResult, type ScanSegment, type ScanStart } from './chain-scan';
import type { SegmentReply, SegmentRequest } from './verify-segment.child';

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
  keys: Pick<KeyProvider, 'sign' | 'signingKeyId' | 'signingPublicKey' | 'databaseKey'>;
  clock: Clock;
  ids: IdGenerator;
  checkpointEvery: number;
  /** The anchor file (KHOMAT_KEY_DIR/audit-anchor.log); without it checkpoints stay in the database only. */
  anchorFile?: string;
  /** The database outside any transaction: checkpoints written inside an append are anchored once committed. */
  db?: Kysely<Database>;
}

export interface CheckpointSummary {
  seq: number;
  signedAt: string;
  code: string;
}

export type VerifyResult =
  | {
      ok: true;
      count: number;
      headSeq: number;
      headHash: string;
      checkpoints: number;
      anchored: number | null;
      lastCheckpoint: CheckpointSummary | null;
      /** Processes that scanned the chain: 1, or the segments verified in parallel. */
      processes: number;
    }
  | { ok: false; count: number; badSeq: number | null; badId: string | null; reason: string };

/** The default interval, used only for a chain without any chained checkpoint yet. */
export const DEFAULT_CHECKPOINT_EVERY = 100;

type CheckpointRow = Selectable<AuditCheckpointsTable>;

function fieldsOf(c: CheckpointRow): CheckpointFields {
  return {
    seq: Number(c.seq),
    hash: c.hash,
    signedAt: c.signed_at,
    prevSeq: Number(c.prev_seq ?? 0),
    prevSignatureHash: c.prev_signature_hash ?? '',
    every: Number(c.every ?? 0),
    keyedFrom: Number(c.keyed_from ?? 0),
  };
}

function anchorEntryOf(c: CheckpointRow): AnchorEntry {
  return { ...fieldsOf(c), keyId: c.key_id, signature: c.signature };
}

/** A checkpoint row's signature over what its format signs. */
export function checkpointSignatureValid(c: CheckpointRow, publicKey: crypto.KeyObject): boolean {
  const msg = Number(c.format) === 2 ? checkpointMessageV2(fieldsOf(c)) : checkpointMessage(Number(c.seq), c.hash);
  return crypto.verify(null, msg, publicKey, Buffer.from(c.signature, 'base64'));
}

/** The chain key of an installation (derived from its database key) from `keyedFrom` on. */
export function auditChainKey(keys: Pick<KeyProvider, 'databaseKey'>, keyedFrom: number): ChainKey {
  return chainKey(deriveChainSecret(keys.databaseKey()), keyedFrom);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The append-only, hash-chained audit log. Each event commits to the previous one under the chain
 * key; the head row is locked by every writer, so concurrent writers queue and never fork the
 * chain. Every `checkpointEvery` events, on demand (timer, clean shutdown) the head is signed with
 * the provider's Ed25519 key in a checkpoint that also signs the previous checkpoint, and each
 * checkpoint is appended to the anchor file outside the database once committed.
 */
export class AuditLog implements AuditWriter {
  private readonly secret: Buffer;
  private chain: ChainKey | undefined;
  private readonly anchor: AnchorFile | undefined;
  private appended = false;
  private readonly pending = new Set<number>();
  private anchorWork: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AuditLogDeps) {
    this.secret = deriveChainSecret(deps.keys.databaseKey());
    this.anchor = deps.anchorFile ? new AnchorFile(deps.anchorFile) : undefined;
  }

  private chainFor(keyedFrom: number): ChainKey {
    if (this.chain?.keyedFrom !== keyedFrom) this.chain = chainKey(this.secret, keyedFrom);
    return this.chain;
  }

  async append(tx: Kysely<Database>, input: AuditInput): Promise<AuditEventRow> {
    const head = await forUpdate(this.deps.dialect, tx.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from']).where('id', '=', 1)).executeTakeFirstOrThrow();
    const row: AuditEventRow = {
      seq: Number(head.seq) + 1,
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
    row.hash = hashEvent(row, this.chainFor(Number(head.keyed_from)));
    await tx.insertInto('audit_events').values(row).execute();
    await tx.updateTable('audit_head').set({ seq: row.seq, hash: row.hash }).where('id', '=', 1).execute();
    this.appended = true;
    if (row.seq % this.deps.checkpointEvery === 0) {
      const cp = await this.writeCheckpoint(tx, { seq: row.seq, hash: row.hash, keyedFrom: Number(head.keyed_from) });
      if (cp) this.anchorWhenCommitted(cp.seq);
    }
    return row;
  }

  /** Signs the head, chained to the latest checkpoint; nothing when the head is signed already. */
  private async writeCheckpoint(tx: Kysely<Database>, head: { seq: number; hash: string; keyedFrom: number }): Promise<AnchorEntry | null> {
    const last = await tx.selectFrom('audit_checkpoints').select(['seq', 'signature']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    // A checkpoint at or past the head: already signed, or the tail was cut — never sign over it.
    if (last && Number(last.seq) >= head.seq) return null;
    const fields: CheckpointFields = {
      seq: head.seq,
      hash: head.hash,
      signedAt: this.deps.clock.now().toISOString(),
      prevSeq: last ? Number(last.seq) : 0,
      prevSignatureHash: last ? signatureHash(last.signature) : GENESIS_HASH,
      every: this.deps.checkpointEvery,
      keyedFrom: head.keyedFrom,
    };
    const signature = this.deps.keys.sign(checkpointMessageV2(fields)).toString('base64');
    const keyId = this.deps.keys.signingKeyId();
    await tx
      .insertInto('audit_checkpoints')
      .values({
        seq: fields.seq,
        hash: fields.hash,
        signed_at: fields.signedAt,
        key_id: keyId,
        signature,
        format: 2,
        prev_seq: fields.prevSeq,
        prev_signature_hash: fields.prevSignatureHash,
        every: fields.every,
        keyed_from: fields.keyedFrom,
      })
      .execute();
    return { ...fields, keyId, signature };
  }

  /**
   * Signs the current head unless it is signed already (timer, clean shutdown, end of a command),
   * and writes the checkpoint to the anchor file. `restored` marks the checkpoint that follows a
   * restore from backup, so that the anchor stops expecting what the restore rolled back.
   */
  async checkpointHead(db: Kysely<Database>, opts: { restored?: boolean } = {}): Promise<CheckpointSummary | null> {
    const written = await db.transaction().execute(async (tx) => {
      const head = await forUpdate(this.deps.dialect, tx.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from']).where('id', '=', 1)).executeTakeFirstOrThrow();
      if (Number(head.seq) === 0) return null;
      return this.writeCheckpoint(tx, { seq: Number(head.seq), hash: head.hash, keyedFrom: Number(head.keyed_from) });
    });
    this.appended = false;
    let entry = written;
    if (!entry && opts.restored) {
      const last = await db.selectFrom('audit_checkpoints').selectAll().where('format', '=', 2).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      if (last) entry = anchorEntryOf(last);
    }
    if (entry && this.anchor) {
      const line = opts.restored ? { ...entry, restored: true as const } : entry;
      await this.serially(() => this.anchor!.append([line]));
    }
    return entry ? { seq: entry.seq, signedAt: entry.signedAt, code: checkpointCode(entry.signature) } : null;
  }

  /** True when this process appended events since it last signed the head. */
  hasUnsignedAppends(): boolean {
    return this.appended;
  }

  /** Anchors every signed checkpoint of the database newer than the anchor file's last one. */
  async syncAnchor(db: Kysely<Database>): Promise<void> {
    const anchor = this.anchor;
    if (!anchor) return;
    await this.serially(async () => {
      const rows = await db.selectFrom('audit_checkpoints').selectAll().where('seq', '>', anchor.anchoredSeq()).where('format', '=', 2).orderBy('seq').execute();
      const pub = this.deps.keys.signingPublicKey();
      anchor.append(rows.map(anchorEntryOf).filter((e) => anchorSignatureValid(e, pub)));
    });
  }

  /** Waits for the anchoring of checkpoints written inside transactions (before closing). */
  async settle(db: Kysely<Database>): Promise<void> {
    await this.anchorWork;
    await this.syncAnchor(db);
  }

  async head(db: Kysely<Database>): Promise<{ seq: number; hash: string }> {
    return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  }

  private serially(fn: () => void | Promise<void>): Promise<void> {
    const run = this.anchorWork.then(fn);
    this.anchorWork = run.catch(() => undefined);
    return run;
  }

  /**
   * A checkpoint written inside a caller's transaction reaches the anchor file only once that
   * transaction committed: it is read back from the database (SQLite queues the read behind the
   * transaction; PostgreSQL is asked again until it shows or, rolled back, never does).
   */
  private anchorWhenCommitted(seq: number): void {
    const db = this.deps.db;
    const anchor = this.anchor;
    if (!db || !anchor) return;
    this.pending.add(seq);
    void this.serially(async () => {
      const pub = this.deps.keys.signingPublicKey();
      for (let attempt = 0; attempt < 12 && this.pending.size > 0; attempt++) {
        if (attempt > 0) await sleep(25 * attempt);
        const rows = await db.selectFrom('audit_checkpoints').selectAll().where('seq', 'in', [...this.pending]).orderBy('seq').execute();
        const fresh = rows.map(anchorEntryOf).filter((e) => e.seq > anchor.anchoredSeq() && anchorSignatureValid(e, pub));
        anchor.append(fresh);
        for (const r of rows) this.pending.delete(Number(r.seq));
      }
      this.pending.clear();
    });
  }
}

/** [seq, id, prev_hash, hash, canonical text] — tuples, not objects: verification reads millions. */
type ChainRow = [number, string, string, string, string];

const VERIFY_BATCH = 5000;

/** Batches of the chain in sequence order (keyset pages, so memory stays flat). */
async function* chainBatches(db: Kysely<Database>, sqlite: SqliteRaw | undefined, from: number): AsyncGenerator<ChainRow[]> {
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
    let after = from;
    for (;;) {
      const raw = stmt.all(after, VERIFY_BATCH) as ChainRow[];
      if (raw.length === 0) return;
      yield raw;
      after = raw[raw.length - 1]![0];
    }
  }
  let after = from;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', after).orderBy('seq').limit(VERIFY_BATCH).execute();
    if (rows.length === 0) return;
    yield rows.map((r): ChainRow => [Number(r.seq), r.id, r.prev_hash, r.hash, hashedText({ ...r, seq: Number(r.seq) })]);
    after = Number(rows[rows.length - 1]!.seq);
  }
}

type SqliteRaw = NonNullable<DbHandle['sqlite']>;

type Failure = Extract<VerifyResult, { ok: false }>;
const failure = (count: number, badSeq: number | null, reason: string, badId: string | null = null): Failure => ({ ok: false, count, badSeq, badId, reason });

interface ChainOfCheckpoints {
  /** First event hashed under the chain key, as signed by the checkpoints (or the head's, before any). */
  keyedFrom: number;
  last: CheckpointRow | null;
}

/**
 * The checkpoints as a chain: every signature valid, each checkpoint of format 2 linked to the
 * one before it (its seq and the hash of its signature), no gap longer than the interval signed
 * in them, all agreeing on where keyed hashing began. A deleted or replaced checkpoint breaks it.
 */
export function checkCheckpointChain(cps: readonly CheckpointRow[], head: { keyed_from: number }, publicKey: crypto.KeyObject, defaultEvery: number): ChainOfCheckpoints | Failure {
  let prev: CheckpointRow | null = null;
  let keyedFrom: number | null = null;
  let lastV1 = 0;
  for (const c of cps) {
    const seq = Number(c.seq);
    if (!checkpointSignatureValid(c, publicKey)) return failure(0, seq, `chữ ký điểm kiểm tra số ${seq} không hợp lệ`);
    if (Number(c.format) !== 2) {
      if (prev && Number(prev.format) === 2) return failure(0, seq, `điểm kiểm tra số ${seq} theo định dạng cũ nằm sau điểm kiểm tra đã nối chuỗi`);
      lastV1 = seq;
      prev = c;
      continue;
    }
    const f = fieldsOf(c);
    const prevSeq = prev ? Number(prev.seq) : 0;
    const prevSig = prev ? signatureHash(prev.signature) : GENESIS_HASH;
    if (f.prevSeq !== prevSeq || f.prevSignatureHash !== prevSig) {
      const what = f.prevSeq > prevSeq ? 'không có trong cơ sở dữ liệu (bị xoá)' : 'đã bị thay';
      return failure(0, f.prevSeq, `điểm kiểm tra đã ký số ${seq} nối với điểm kiểm tra số ${f.prevSeq}, điểm đó ${what}`);
    }
    const allowed = Math.max(f.every, prev && Number(prev.format) === 2 ? Number(prev.every) : f.every);
    if (seq - prevSeq > allowed) {
      return failure(0, prevSeq + 1, `giữa điểm kiểm tra số ${prevSeq} và số ${seq} cách nhau ${seq - prevSeq} sự kiện, quá khoảng ${allowed}: có điểm kiểm tra bị xoá`);
    }
    if (keyedFrom !== null && f.keyedFrom !== keyedFrom) return failure(0, seq, `điểm kiểm tra số ${seq} ghi điểm bắt đầu khoá chuỗi khác các điểm trước`);
    keyedFrom = f.keyedFrom;
    prev = c;
  }
  const headKeyedFrom = Number(head.keyed_from);
  if (keyedFrom !== null && headKeyedFrom !== keyedFrom) return failure(0, null, 'đầu chuỗi ghi điểm bắt đầu khoá chuỗi khác điểm kiểm tra đã ký');
  // Before any chained checkpoint, the unkeyed part cannot reach past what old checkpoints covered.
  if (keyedFrom === null && headKeyedFrom > lastV1 + defaultEvery + 1) return failure(0, null, 'đầu chuỗi ghi điểm bắt đầu khoá chuỗi không hợp lệ');
  return { keyedFrom: keyedFrom ?? headKeyedFrom, last: prev };
}

export interface VerifyKeys {
  signingPublicKey(): crypto.KeyObject;
  databaseKey(): Buffer;
}

export interface VerifyOptions {
  onProgress?: (done: number, total: number) => void;
  /** The checkpoint interval (config auditCheckpointEvery), for a chain with no chained checkpoint yet. */
  checkpointEvery?: number;
  /** The anchor file as read (readAnchor; null when the file does not exist). Omitted: not compared. */
  anchor?: AnchorRead | null;
  /** A code from the paper register (`khomat audit anchor`): its checkpoint must be in the database. */
  anchorCode?: string;
  /** Below this many events the chain is scanned in this process (default 200,000). */
  parallelMinEvents?: number;
  /** Processes of the parallel pass (default: one per core, at most 4; 1: none). */
  segments?: number;
  /** PostgreSQL: the connection string, for the verifier processes' own pools (without it, one process). */
  databaseUrl?: string;
}

/**
 * Checks the whole audit trail: the chain of signed checkpoints, every event's link and keyed
 * hash, every event a checkpoint (in the database or in the anchor file) signed, the head, that
 * the last checkpoint is within its interval of the head, and that every checkpoint of the anchor
 * file is still in the database. Names the first bad event, or what is missing.
 */
export async function verifyAuditChain(
  source: Kysely<Database> | (Pick<DbHandle, 'db' | 'sqlite' | 'sqliteFile'> & Partial<Pick<DbHandle, 'pgSchema'>>),
  keys: VerifyKeys,
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  const db = 'sqlite' in source ? source.db : source;
  const sqlite = 'sqlite' in source ? source.sqlite : undefined;
  const file = 'sqliteFile' in source ? source.sqliteFile : undefined;
  const pgSchema = 'pgSchema' in source ? source.pgSchema : undefined;
  const publicKey = keys.signingPublicKey();
  const defaultEvery = opts.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;

  const head = await db.selectFrom('audit_head').select(['seq', 'hash', 'keyed_from']).where('id', '=', 1).executeTakeFirstOrThrow();
  const headSeq = Number(head.seq);
  const cps = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
  const chainOfCps = checkCheckpointChain(cps, { keyed_from: Number(head.keyed_from) }, publicKey, defaultEvery);
  if ('ok' in chainOfCps) return chainOfCps;

  // What the anchor file says the database must hold.
  let expected = new Map<number, AnchorEntry>();
  if (opts.anchor !== undefined) {
    if (opts.anchor === null) {
      if (cps.some((c) => Number(c.format) === 2)) {
        return failure(0, null, 'không có tệp neo nhật ký cạnh các khoá nhưng cơ sở dữ liệu có điểm kiểm tra đã ký: khôi phục tệp audit-anchor.log từ bản sao lưu thư mục khoá');
      }
    } else if (!opts.anchor.ok) {
      return failure(0, null, `tệp neo nhật ký hỏng ở dòng ${opts.anchor.line}: ${opts.anchor.reason}`);
    } else {
      expected = expectedCheckpoints(opts.anchor.entries);
    }
  }
  const inDb = new Map(cps.map((c) => [Number(c.seq), c]));
  for (const [seq, e] of expected) {
    const c = inDb.get(seq);
    if (c && c.signature !== e.signature) return failure(0, seq, `điểm kiểm tra đã ký ở số ${seq} trong cơ sở dữ liệu khác với tệp neo (bị thay)`);
  }
  // The hash every signed event must have: from the database's checkpoints and the anchor's.
  const signedHash = new Map<number, { hash: string; where: string }>();
  for (const c of cps) signedHash.set(Number(c.seq), { hash: c.hash, where: '' });
  for (const [seq, e] of expected) signedHash.set(seq, { hash: e.hash, where: inDb.has(seq) ? '' : ' (trong tệp neo)' });

  const secret = deriveChainSecret(keys.databaseKey());
  const chain = chainKey(secret, chainOfCps.keyedFrom);
  const dialect: Dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
  const parts = opts.segments ?? verifySegments();
  const parallelSource: ParallelSource | null =
    dialect === 'sqlite' ? (file ? { dialect, sqliteFile: file, databaseKey: keys.databaseKey(), databaseUrl: undefined, pgSchema: undefined } : null)
    : opts.databaseUrl ? { dialect, sqliteFile: undefined, databaseKey: keys.databaseKey(), databaseUrl: opts.databaseUrl, pgSchema: pgSchema ?? undefined } : null;
  let clean: { count: number; lastSeq: number; lastHash: string; processes?: number } | null = null;
  if (parallelSource && parts > 1 && headSeq >= (opts.parallelMinEvents ?? PARALLEL_MIN_EVENTS)) {
    const here = (seg: Omit<ScanSegment, 'keyedFrom' | 'signed'>) => scanSegment(db, dialect, secret, chain, { ...seg, keyedFrom: chainOfCps.keyedFrom, signed: signedHash });
    clean = await verifyInProcesses(parallelSource, secret, chainOfCps.keyedFrom, headSeq, signedHash, parts, here);
  }
  let from = { after: 0, prevHash: GENESIS_HASH, count: 0 };
  if (!clean) {
    const scanned = await scanSegment(db, dialect, secret, chain, { after: 0, prevHash: GENESIS_HASH, hi: null, keyedFrom: chainOfCps.keyedFrom, signed: signedHash }, (n) =>
      opts.onProgress?.(n, Math.max(n, headSeq)),
    );
    if (scanned.clean) clean = scanned;
    else from = { ...scanned.from, count: scanned.count };
  }
  let walked: Walked | Failure;
  const processes = clean?.processes ?? 1;
  if (clean) {
    const last = await db.selectFrom('audit_events').select('id').where('seq', '=', clean.lastSeq).executeTakeFirst();
    walked = { ...clean, lastId: last?.id ?? null };
    opts.onProgress?.(clean.count, clean.count);
  } else {
    walked = await walkSequentially(db, sqlite, chain, signedHash, opts.onProgress, from);
  }
  if ('ok' in walked) return walked;
  const { count, lastSeq, lastHash, lastId } = walked;

  const beyond = cps.find((c) => Number(c.seq) > lastSeq);
  if (beyond) return failure(count, lastSeq + 1, `thiếu các sự kiện sau số ${lastSeq} (điểm kiểm tra đã ký ở số ${beyond.seq})`);
  const anchoredBeyond = [...expected.keys()].filter((s) => s > lastSeq);
  if (anchoredBeyond.length > 0) {
    const to = Math.max(...anchoredBeyond);
    return failure(count, lastSeq + 1, `thiếu sự kiện từ số ${lastSeq + 1} đến ${to}: điểm kiểm tra đã ký ở số ${to} có trong tệp neo nhưng không có trong cơ sở dữ liệu`);
  }
  if (headSeq !== lastSeq || head.hash !== lastHash) {
    return failure(count, lastSeq + 1, 'đầu chuỗi không khớp sự kiện cuối cùng (bị xoá ở cuối?)', lastId);
  }
  const missing = [...expected.keys()].filter((s) => !inDb.has(s)).sort((a, b) => a - b);
  if (missing.length > 0) {
    const list = missing.length > 5 ? `${missing.slice(0, 5).join(', ')}… (${missing.length} điểm)` : missing.join(', ');
    return failure(count, missing[0]!, `điểm kiểm tra đã ký ở số ${list} có trong tệp neo nhưng không có trong cơ sở dữ liệu (bị xoá)`);
  }
  const last = chainOfCps.last;
  const lastCpSeq = last ? Number(last.seq) : 0;
  const every = last && Number(last.format) === 2 ? Number(last.every) : defaultEvery;
  if (headSeq - lastCpSeq > every) {
    const where = last ? `điểm kiểm tra đã ký cuối cùng ở số ${lastCpSeq}` : 'không có điểm kiểm tra đã ký nào';
    return failure(count, lastCpSeq + 1, `${where}, cách đầu chuỗi ${headSeq - lastCpSeq} sự kiện (quá khoảng ${every}): các điểm kiểm tra sau đó đã bị xoá`);
  }
  if (opts.anchorCode !== undefined) {
    const want = opts.anchorCode.trim().toUpperCase();
    if (!cps.some((c) => checkpointCode(c.signature) === want)) {
      return failure(count, null, `mã neo ${want} (sổ giấy) không khớp điểm kiểm tra nào trong cơ sở dữ liệu: điểm kiểm tra đó đã bị xoá hoặc thay`);
    }
  }
  return {
    ok: true,
    count,
    headSeq: lastSeq,
    headHash: lastHash,
    checkpoints: cps.length,
    anchored: opts.anchor ? expected.size : null,
    lastCheckpoint: last ? { seq: lastCpSeq, signedAt: last.signed_at, code: checkpointCode(last.signature) } : null,
    processes,
  };
}

interface Walked {
  count: number;
  lastSeq: number;
  lastHash: string;
  lastId: string | null;
}

async function walkSequentially(
  db: Kysely<Database>,
  sqlite: SqliteRaw | undefined,
  chain: ChainKey,
  signedHash: ReadonlyMap<number, { hash: string; where: string }>,
  onProgress: VerifyOptions['onProgress'],
  from: ScanStart & { count: number } = { after: 0, prevHash: GENESIS_HASH, count: 0 },
): Promise<Walked | Failure> {
  const { n: totalRaw } = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(totalRaw);
  let expectedSeq = from.after + 1;
  let prevHash = from.prevHash;
  let count = from.count;
  let lastId: string | null = null;
  for await (const rows of chainBatches(db, sqlite, from.after)) {
    for (const [seq, id, rowPrev, hash, text] of rows) {
      const fail = (reason: string) => failure(count, seq, reason, id);
      if (seq !== expectedSeq) return fail(expectedSeq < seq ? `thiếu sự kiện số ${expectedSeq} (bị xoá?)` : `số thứ tự ${seq} không liên tục`);
      if (rowPrev !== prevHash) return fail('liên kết với sự kiện trước bị sai (bị chèn, xoá hoặc đổi thứ tự)');
      if (chain.hash(seq, text) !== hash) {
        const full = await db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
        if (hashEvent({ ...full, seq }, chain) !== hash) return fail('nội dung sự kiện không khớp mã băm (bị sửa hoặc giả mạo)');
      }
      const signed = signedHash.get(seq);
      if (signed && signed.hash !== hash) return fail(`không khớp điểm kiểm tra đã ký${signed.where}`);
      prevHash = hash;
      expectedSeq = seq + 1;
      lastId = id;
      count++;
    }
    onProgress?.(count, total);
  }
  return { count, lastSeq: expectedSeq - 1, lastHash: prevHash, lastId };
}

/**
 * Below this many events the chain is scanned in this process: starting a verifier process (tsx,
 * the driver, a connection) costs ≈ 0.3–0.5 s, about what one process scans in that time.
 */
const PARALLEL_MIN_EVENTS = 200_000;

const SEGMENT_ENTRY = new URL('./verify-segment.child.mjs', import.meta.url);

/** Processes of the parallel verification: one per core, at most 4; 1 means no parallel pass. */
export function verifySegments(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

function scanInProcess(req: SegmentRequest): { done: Promise<ScanResult>; child: ChildProcess } {
  const child = fork(fileURLToPath(SEGMENT_ENTRY), [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const done = new Promise<ScanResult>((resolve, reject) => {
    child.once('message', (m: SegmentReply) => (m.ok ? resolve(m.result) : reject(new Error(m.error))));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`audit verify process exited with ${code}: ${stderr}`)));
  });
  child.send(req);
  return { done, child };
}

export interface ParallelSource {
  dialect: Dialect;
  sqliteFile: string | undefined;
  databaseKey: Buffer;
  databaseUrl: string | undefined;
  pgSchema: string | undefined;
}

/**
 * The chain cut at signed checkpoints into one segment per process; each process scans its
 * segment from the signed hash of the checkpoint before it (so its first link is checked against
 * a signed value) to the checkpoint that ends it (whose signed hash it checks too): the segments
 * are stitched by signatures. Returns a verdict only when every segment is clean; null means
 * "scan in this process", which names what is bad.
 */
async function verifyInProcesses(
  src: ParallelSource,
  secret: Buffer,
  keyedFrom: number,
  headSeq: number,
  signedHash: ReadonlyMap<number, { hash: string }>,
  parts: number,
  here: (seg: Omit<ScanSegment, 'keyedFrom' | 'signed'>) => Promise<ScanResult>,
): Promise<{ count: number; lastSeq: number; lastHash: string; processes: number } | null> {
  const marks = [...signedHash.keys()].filter((s) => s < headSeq).sort((a, b) => a - b);
  const bounds: number[] = [];
  for (let i = 1; i < parts; i++) {
    const want = Math.round((headSeq * i) / parts);
    const b = marks.find((s) => s >= want) ?? marks[marks.length - 1];
    if (b !== undefined && b > (bounds[bounds.length - 1] ?? 0)) bounds.push(b);
  }
  if (bounds.length === 0) return null;
  const segments = [0, ...bounds].map((after, i) => ({
    after,
    prevHash: after === 0 ? GENESIS_HASH : signedHash.get(after)!.hash,
    hi: bounds[i] ?? null,
  }));
  const common = {
    dialect: src.dialect,
    secretHex: secret.toString('hex'),
    keyedFrom,
    ...(src.dialect === 'sqlite' ? { sqliteFile: src.sqliteFile!, databaseKeyHex: src.databaseKey.toString('hex') } : {}),
    ...(src.databaseUrl ? { databaseUrl: src.databaseUrl } : {}),
    ...(src.pgSchema ? { pgSchema: src.pgSchema } : {}),
  };
  // This process scans the first segment itself while the others start: one process fewer to
  // start, and its connection is already open.
  const runs = segments.slice(1).map((seg) =>
    scanInProcess({
      ...common,
      ...seg,
      signed: [...signedHash].filter(([s]) => s > seg.after && (seg.hi === null || s <= seg.hi)).map(([s, v]) => [s, v.hash]),
    }),
  );
  const mine = here(segments[0]!);
  let results: ScanResult[];
  try {
    results = await Promise.all([mine, ...runs.map((r) => r.done)]);
  } catch {
    await mine.catch(() => undefined); // not two scans at once on one connection
    return null;
  } finally {
    for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill();
  }
  let count = 0;
  for (const [i, r] of results.entries()) {
    const hi = segments[i]!.hi;
    if (!r.clean || (hi !== null && r.lastSeq !== hi)) return null;
    count += r.count;
  }
  const last = results[results.length - 1]!;
  return last.clean ? { count, lastSeq: last.lastSeq, lastHash: last.lastHash, processes: segments.length } : null;
}
