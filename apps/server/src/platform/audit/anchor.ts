import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { checkpointMessageV2, type CheckpointFields } from './canonical';

// The anchor: every signed checkpoint, also written outside the database, one JSON line each,
// appended and fsync'd, in the key directory (which a database administrator does not reach).
// `audit verify` requires every checkpoint of the file to be in the database with the same
// signature, so removing events, checkpoints or the tail shows as what is missing.

export const AUDIT_ANCHOR_FILE = 'audit-anchor.log';

const lineSchema = z
  .object({
    seq: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    signedAt: z.string().min(1),
    prevSeq: z.number().int().min(0),
    prevSignatureHash: z.string().regex(/^[0-9a-f]{64}$/),
    every: z.number().int().positive(),
    keyedFrom: z.number().int().positive(),
    keyId: z.string().min(1),
    signature: z.string().min(1),
    /**
     * Written by `khomat restore`: the database was deliberately rolled back to a backup, so the
     * checkpoints anchored before this line and after its predecessor are no longer expected.
     */
    restored: z.literal(true).optional(),
  })
  .strict();

export type AnchorEntry = z.infer<typeof lineSchema>;

export function anchorFileFor(keyDir: string): string {
  return path.join(keyDir, AUDIT_ANCHOR_FILE);
}

export function anchorSignatureValid(e: CheckpointFields & { signature: string }, publicKey: crypto.KeyObject): boolean {
  return crypto.verify(null, checkpointMessageV2(e), publicKey, Buffer.from(e.signature, 'base64'));
}

export type AnchorRead = { ok: true; entries: AnchorEntry[] } | { ok: false; line: number; reason: string };

/** Reads and checks the whole file: every line well formed and signed by this installation. */
export function readAnchor(file: string, publicKey: crypto.KeyObject): AnchorRead | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const entries: AnchorEntry[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return { ok: false, line: i + 1, reason: 'dòng không đọc được' };
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) return { ok: false, line: i + 1, reason: 'dòng sai định dạng' };
    if (!anchorSignatureValid(parsed.data, publicKey)) return { ok: false, line: i + 1, reason: 'chữ ký không hợp lệ' };
    entries.push(parsed.data);
  }
  return { ok: true, entries };
}

/**
 * The checkpoints the database must still hold, by seq: a line marked `restored` drops those
 * anchored earlier past its predecessor (a restore rolled the chain back there on purpose).
 */
export function expectedCheckpoints(entries: readonly AnchorEntry[]): Map<number, AnchorEntry> {
  const out = new Map<number, AnchorEntry>();
  for (const e of entries) {
    if (e.restored) for (const seq of [...out.keys()]) if (seq > e.prevSeq) out.delete(seq);
    out.set(e.seq, e);
  }
  return out;
}

/** Appends checkpoints to the anchor file and waits until they are on disk. */
export class AnchorFile {
  private lastSeq: number | undefined;

  constructor(readonly file: string) {}

  /** Highest seq already in the file (read from its tail once). */
  anchoredSeq(): number {
    if (this.lastSeq === undefined) this.lastSeq = tailSeq(this.file);
    return this.lastSeq;
  }

  append(entries: readonly AnchorEntry[]): void {
    if (entries.length === 0) return;
    const fresh = !fs.existsSync(this.file);
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      fs.writeSync(fd, entries.map((e) => JSON.stringify(e) + '\n').join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (fresh) fsyncDir(path.dirname(this.file));
    this.lastSeq = Math.max(this.anchoredSeq(), ...entries.map((e) => e.seq));
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the line itself is on disk.
  }
}

const TAIL_BYTES = 64 * 1024;

function tailSeq(file: string): number {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    let max = 0;
    for (const line of buf.toString('utf8').split('\n')) {
      const m = /^\{"seq":(\d+),/.exec(line);
      if (m) max = Math.max(max, Number(m[1]));
    }
    return max;
  } finally {
    fs.closeSync(fd);
  }
}
