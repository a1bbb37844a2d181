import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/database';
import type { Database } from '../db/schema';
import { hashedText, hashEvent, type ChainKey } from './canonical';

// The fast pass of audit verification. Reading the rows out of the database into JavaScript is
// the bound (bench/audit.bench.ts), so each batch of events comes back as ONE row: the database
// checks every link and sequence number (window functions) and builds every event's canonical
// text, all joined in one buffer, and the stored hashes joined in one string. JavaScript only
// computes the keyed hashes and compares them, batch by batch. It says "clean" or "in doubt";
// in doubt, the exact walk of verify.ts re-reads from the batch where the doubt arose and
// names the first bad event. A text built by the database that does not hash right is re-checked
// from its columns in JavaScript before it causes doubt, so the shortcut cannot hide tampering
// nor raise a false alarm.

/** Free bytes in front of each text: one SHA-256 block, where the HMAC inner pad is written. */
const ROOM = 64;
const ROOM_TEXT = ' '.repeat(ROOM);
export const SCAN_BATCH = 4000;
/** Batches asked for ahead of the one being hashed, on PostgreSQL. */
const PG_BATCHES_AHEAD = 2;

/**
 * HMAC-SHA256 (RFC 2104) under the chain key, as canonical.ts chainKey computes it, over texts
 * that already sit in a buffer behind ROOM free bytes: the inner pad is written into the room and
 * each half is one `crypto.hash` call, with no per-event HMAC object (the cost that dominated).
 */
export class RoomHasher {
  private readonly ipad = Buffer.alloc(ROOM, 0x36);
  private readonly outer = Buffer.alloc(ROOM + 32, 0x5c);

  constructor(
    secret: Buffer,
    private readonly keyedFrom: number,
  ) {
    if (secret.length > ROOM) throw new Error('chain key longer than one SHA-256 block');
    for (let i = 0; i < secret.length; i++) {
      this.ipad[i] = secret[i]! ^ 0x36;
      this.outer[i] = secret[i]! ^ 0x5c;
    }
  }

  /** The hash (hex) of event `seq` whose text is buf[start + ROOM, end); overwrites buf[start, start + ROOM). */
  hex(seq: number, buf: Buffer, start: number, end: number): string {
    if (seq < this.keyedFrom) return crypto.hash('sha256', buf.subarray(start + ROOM, end), 'hex');
    buf.set(this.ipad, start);
    // 'binary' (latin1) out and in: one byte per character, and far cheaper than a Buffer per digest.
    this.outer.write(crypto.hash('sha256', buf.subarray(start, end), 'binary'), ROOM, 32, 'latin1');
    return crypto.hash('sha256', this.outer, 'hex');
  }
}

/** Where a scan starts: after event `after`, whose hash is `prevHash`. */
export interface ScanStart {
  after: number;
  prevHash: string;
}

export interface ScanSegment extends ScanStart {
  /** Last event of the segment; null: to the end of the chain. */
  hi: number | null;
  keyedFrom: number;
  /** Hashes signed by checkpoints (database or anchor file), by seq. */
  signed: ReadonlyMap<number, { hash: string }>;
  /** Events per batch (SCAN_BATCH; smaller in tests, to cross batch edges with few events). */
  batch?: number;
}

export type ScanResult =
  | { clean: true; count: number; lastSeq: number; lastHash: string }
  /** Everything up to `from` is clean (count events); the rest must be walked exactly. */
  | { clean: false; count: number; from: ScanStart };

interface Batch {
  n: number;
  lo: number | null;
  hi: number | null;
  /** Rows whose hash or prev_hash is not a 64-character text. */
  odd: number | null;
  texts: Buffer | string | null;
  hashes: string | null;
  /** PostgreSQL: the non-null columns it sent unescaped between markers. */
  marked?: number | string;
}

const MAX_SEQ = Number.MAX_SAFE_INTEGER;

// Every prev_hash and every hash is exactly 64 characters (`odd` counts those that are not), so
// `hashes` holds the batch's stored hashes end to end, and each link is read from the end of the
// event's own text (`,"<prev_hash>"]`), where the text being canonical JSON puts it.
// A batch is a range of seq, (after, last]: a chain without gaps fills it, and a gap shows as a
// short batch before the end (the next batch then does not start where this one stopped).
function batchQuery(dialect: Dialect, after: number, last: number) {
  if (dialect === 'sqlite') {
    // json_array gives the same text as JSON.stringify for these scalar columns. No ORDER BY in
    // the aggregates (three sorts of the batch, a third of the query's time): the rows arrive in
    // the subquery's order, and the scan checks it anyway — each text starts with its seq, which
    // must be the batch's next one, and the links are compared in that same order; rows out of
    // order only cause doubt, and the exact walk.
    return sql<Batch>`
      select count(*) as n, min(seq) as lo, max(seq) as hi,
             sum(typeof(hash) <> 'text' or length(hash) <> 64 or typeof(prev_hash) <> 'text' or length(prev_hash) <> 64) as odd,
             cast(group_concat(${ROOM_TEXT} || json_array(seq, id, occurred_at, actor_id, action, subject_type, subject_id, details, prev_hash), char(10)) as blob) as texts,
             group_concat(hash, '') as hashes
        from (select * from audit_events where seq > ${after} and seq <= ${last} order by seq)`;
  }
  // PostgreSQL escapes only details (to_json); the other columns (ids, times, codes, hashes) come
  // as they are between marker characters and JavaScript turns the markers into quotes after
  // proving that no such column needs escaping (rawColumns). to_json on every column was the
  // bound of the whole scan; one format() per row is cheaper still than concat (about half its
  // time per batch, measured with EXPLAIN ANALYZE). The columns declared NOT NULL are marked
  // without a test: a null forced into one prints as "", which does not hash right and is then
  // re-checked from its columns.
  const nullable = (c: string) => sql`coalesce(${sql.lit(MARK)} || ${sql.ref(c)} || ${sql.lit(MARK)}, 'null')`;
  return sql<Batch>`
    select count(*)::int as n, min(seq) as lo, max(seq) as hi,
           sum((length(hash) <> 64 or length(prev_hash) <> 64)::int) as odd,
           4 * count(*) + count(actor_id) + count(subject_type) + count(subject_id) as marked,
           string_agg(format(${ROW_FORMAT}, seq, id, occurred_at, ${nullable('actor_id')}, action, ${nullable('subject_type')}, ${nullable('subject_id')}, to_json(details), prev_hash), E'\n') as texts,
           string_agg(hash, '') as hashes
      from (select * from audit_events where seq > ${after}::bigint and seq <= ${last}::bigint order by seq) e`;
}

/** Stands for a quote around a column PostgreSQL sends unescaped (a control character: never in those columns). */
const MARK = '\x1f';
const MARK_BYTE = 0x1f;
/** One event's text for PostgreSQL's format(): the room, then the canonical array with id, occurred_at, action and prev_hash marked. */
const ROW_FORMAT = `${ROOM_TEXT}[%s,${MARK}%s${MARK},${MARK}%s${MARK},%s,${MARK}%s${MARK},%s,%s,%s,${MARK}%s${MARK}]`;

/**
 * Turns the markers of a batch PostgreSQL built into quotes, in place, and says whether the texts
 * are now canonical: every unescaped column (between two markers) holds no character that
 * JSON.stringify would escape (a quote, a backslash, a control character), and the markers number
 * exactly two per non-null such column (`marked`), so no column holds a marker of its own. Else
 * the batch is built from its columns (columnTexts): an unescaped quote or backslash could make
 * one row's text read as another's.
 */
export function rawColumns(buf: Buffer, marked: number): boolean {
  let count = 0;
  for (let open = buf.indexOf(MARK_BYTE); open >= 0; open = buf.indexOf(MARK_BYTE, open + 1)) {
    const close = buf.indexOf(MARK_BYTE, open + 1);
    if (close < 0) return false;
    for (let i = open + 1; i < close; i++) {
      const c = buf[i]!;
      if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
    }
    buf[open] = 0x22;
    buf[close] = 0x22;
    count += 2;
    open = close;
  }
  return count === 2 * marked;
}

/** The canonical texts of events (after, last], built from their columns as the exact walk does. */
async function columnTexts(db: Kysely<Database>, after: number, last: number): Promise<Buffer> {
  const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', after).where('seq', '<=', last).orderBy('seq').execute();
  return Buffer.from(rows.map((r) => ROOM_TEXT + hashedText({ ...r, seq: Number(r.seq) })).join('\n'), 'utf8');
}

/** The seq a canonical text starts with (`[123,`), or -1: it ties each text to its place in the batch. */
function seqOf(buf: Buffer, at: number): number {
  if (buf[at] !== 0x5b) return -1;
  let v = 0;
  for (let i = at + 1; i < at + 18; i++) {
    const c = buf[i]!;
    if (c === 0x2c) return i > at + 1 ? v : -1;
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return -1;
}

/**
 * Scans a segment of the chain batch by batch. `chain` re-checks, from its columns, an event
 * whose database-built text does not hash right (a text the database escapes differently).
 */
export async function scanSegment(
  db: Kysely<Database>,
  dialect: Dialect,
  secret: Buffer,
  chain: ChainKey,
  seg: ScanSegment,
  onBatch?: (count: number) => void,
): Promise<ScanResult> {
  const hasher = new RoomHasher(secret, seg.keyedFrom);
  const hi = seg.hi ?? MAX_SEQ;
  let at: ScanStart = { after: seg.after, prevHash: seg.prevHash };
  let count = 0;
  const doubt = (): ScanResult => ({ clean: false, count, from: at });
  const signedSeqs = [...seg.signed.keys()].filter((s) => s > seg.after && s <= hi).sort((a, b) => a - b);
  let k = 0;
  const size = seg.batch ?? SCAN_BATCH;
  // The next batch is asked for before this one is hashed: on PostgreSQL the server builds it
  // (another process) while this process hashes, so reading and hashing overlap instead of taking
  // turns. Ranges are fixed in advance, so the next one does not wait for this one's result.
  const fetchBatch = (after: number): Promise<Batch | 'past-end' | 'unreadable'> =>
    after >= hi
      ? Promise.resolve('past-end')
      : batchQuery(dialect, after, Math.min(hi, after + size))
          .execute(db)
          .then((r) => r.rows[0]!)
          // A value the database cannot put in JSON (a BLOB written over a column).
          .catch(() => 'unreadable' as const);
  // PostgreSQL: two batches under way, on two connections of the pool, so two server processes
  // build texts while this one hashes (SQLite answers synchronously: one is enough).
  const depth = dialect === 'postgres' ? PG_BATCHES_AHEAD : 1;
  const ahead: Promise<Batch | 'past-end' | 'unreadable'>[] = [];
  let asked = at.after;
  const askMore = () => {
    while (ahead.length < depth) {
      ahead.push(fetchBatch(asked));
      asked += size;
    }
  };
  askMore();
  for (;;) {
    const b = await ahead.shift()!;
    if (b === 'past-end') break;
    if (b === 'unreadable') return doubt();
    const n = Number(b.n);
    if (n === 0) {
      // An empty range ends the chain only if nothing lies beyond it (a hole as wide as a batch).
      const beyond = await db
        .selectFrom('audit_events')
        .select('seq')
        .where('seq', '>', at.after)
        .$if(seg.hi !== null, (q) => q.where('seq', '<=', hi))
        .limit(1)
        .executeTakeFirst();
      if (beyond) return doubt();
      break;
    }
    askMore();
    const lo = Number(b.lo);
    const hashes = b.hashes;
    if (Number(b.odd) !== 0 || lo !== at.after + 1 || Number(b.hi) !== lo + n - 1 || b.texts === null || hashes?.length !== n * 64) return doubt();
    // A batch where some unescaped column would need escaping is built from its columns instead.
    let texts = typeof b.texts === 'string' ? Buffer.from(b.texts, 'utf8') : b.texts;
    if (typeof b.texts === 'string' && !rawColumns(texts, Number(b.marked))) texts = await columnTexts(db, at.after, lo + n - 1);
    const digests: string[] = new Array<string>(n);
    let pos = 0;
    for (let i = 0; i < n; i++) {
      const nl = texts.indexOf(10, pos + ROOM);
      const end = nl < 0 ? texts.length : nl;
      if (seqOf(texts, pos + ROOM) !== lo + i) return doubt();
      // The link: the text ends with `,"<prev_hash>"]` — an unescaped quote after a comma opens
      // the last element — and prev_hash is the stored hash of the event before.
      const link = end - 66;
      if (texts[end - 1] !== 0x5d || texts[end - 2] !== 0x22 || texts[link - 1] !== 0x22 || texts[link - 2] !== 0x2c) return doubt();
      if (texts.toString('latin1', link, end - 2) !== (i === 0 ? at.prevHash : hashes.slice(i * 64 - 64, i * 64))) return doubt();
      digests[i] = hasher.hex(lo + i, texts, pos, end);
      pos = end + 1;
    }
    if (pos !== texts.length + 1) return doubt();
    if (digests.join('') !== hashes) {
      for (let i = 0; i < n; i++) {
        const stored = hashes.slice(i * 64, i * 64 + 64);
        if (digests[i] === stored) continue;
        const full = await db
          .selectFrom('audit_events')
          .selectAll()
          .where('seq', '=', lo + i)
          .executeTakeFirst();
        if (!full || hashEvent({ ...full, seq: lo + i }, chain) !== stored) return doubt();
      }
    }
    const last = lo + n - 1;
    for (; k < signedSeqs.length && signedSeqs[k]! <= last; k++) {
      const seq = signedSeqs[k]!;
      if (seq >= lo && hashes.slice((seq - lo) * 64, (seq - lo) * 64 + 64) !== seg.signed.get(seq)!.hash) return doubt();
    }
    count += n;
    at = { after: last, prevHash: hashes.slice(-64) };
    onBatch?.(count);
  }
  if (seg.hi !== null && at.after !== seg.hi) return doubt();
  return { clean: true, count, lastSeq: at.after, lastHash: at.prevHash };
}
