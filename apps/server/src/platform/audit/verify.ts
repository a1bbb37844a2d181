import crypto from 'node:crypto';
import { PostgresAdapter, type Kysely } from 'kysely';
import type { DbHandle, Dialect } from '../db/database';
import type { Database } from '../db/schema';
import { expectedCheckpoints, type AnchorEntry, type AnchorRead } from './anchor';
import { chainKey, checkpointCode, deriveChainSecret, GENESIS_HASH, hashedText, hashEvent, signatureHash, type ChainKey } from './canonical';
import { scanSegment, type ScanSegment, type ScanStart } from './chain-scan';
import { DEFAULT_CHECKPOINT_EVERY, checkpointSignatureValid, fieldsOf, type CheckpointRow, type CheckpointSummary } from './audit-log';
import { PARALLEL_MIN_EVENTS, verifyInProcesses, verifySegments, type ParallelSource } from './parallel-verify';

// Verification of the audit trail (`khomat audit verify`, the audit screen, restore): the chain
// of signed checkpoints, then the events — by the fast pass of chain-scan.ts, in parallel processes
// (parallel-verify.ts) for a long chain, and by the exact walk here wherever the fast pass doubts.

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
export function checkCheckpointChain(
  cps: readonly CheckpointRow[],
  head: { keyed_from: number },
  publicKey: crypto.KeyObject,
  defaultEvery: number,
): ChainOfCheckpoints | Failure {
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
      return failure(
        0,
        prevSeq + 1,
        `giữa điểm kiểm tra số ${prevSeq} và số ${seq} cách nhau ${seq - prevSeq} sự kiện, quá khoảng ${allowed}: có điểm kiểm tra bị xoá`,
      );
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
        return failure(
          0,
          null,
          'không có tệp neo nhật ký cạnh các khoá nhưng cơ sở dữ liệu có điểm kiểm tra đã ký: khôi phục tệp audit-anchor.log từ bản sao lưu thư mục khoá',
        );
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
    dialect === 'sqlite'
      ? file
        ? { dialect, sqliteFile: file, databaseKey: keys.databaseKey(), databaseUrl: undefined, pgSchema: undefined }
        : null
      : opts.databaseUrl
        ? { dialect, sqliteFile: undefined, databaseKey: keys.databaseKey(), databaseUrl: opts.databaseUrl, pgSchema: pgSchema ?? undefined }
        : null;
  let clean: { count: number; lastSeq: number; lastHash: string; processes?: number } | null = null;
  if (parallelSource && parts > 1 && headSeq >= (opts.parallelMinEvents ?? PARALLEL_MIN_EVENTS)) {
    const here = (seg: Omit<ScanSegment, 'keyedFrom' | 'signed'>) =>
      scanSegment(db, dialect, secret, chain, { ...seg, keyedFrom: chainOfCps.keyedFrom, signed: signedHash });
    clean = await verifyInProcesses(parallelSource, secret, chainOfCps.keyedFrom, headSeq, signedHash, parts, here);
  }
  let from = { after: 0, prevHash: GENESIS_HASH, count: 0 };
  if (!clean) {
    const scanned = await scanSegment(
      db,
      dialect,
      secret,
      chain,
      { after: 0, prevHash: GENESIS_HASH, hi: null, keyedFrom: chainOfCps.keyedFrom, signed: signedHash },
      (n) => opts.onProgress?.(n, Math.max(n, headSeq)),
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
    return failure(
      count,
      lastSeq + 1,
      `thiếu sự kiện từ số ${lastSeq + 1} đến ${to}: điểm kiểm tra đã ký ở số ${to} có trong tệp neo nhưng không có trong cơ sở dữ liệu`,
    );
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
  const { n: totalRaw } = await db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
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
