import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '../db/database';
import { GENESIS_HASH } from './canonical';
import { type ScanResult, type ScanSegment } from './chain-scan';
import type { SegmentReply, SegmentRequest } from './verify-segment.child';

// The parallel pass of audit verification: the chain cut at signed checkpoints, one verifier
// process (verify-segment.child.ts) per segment beside this process's own scan.

/**
 * Below this many events the chain is scanned in this process: starting a verifier process (tsx,
 * the driver, a connection) costs ≈ 0.3–0.5 s, about what one process scans in that time.
 */
export const PARALLEL_MIN_EVENTS = 200_000;

const SEGMENT_ENTRY = new URL('./verify-segment.child.mjs', import.meta.url);

/**
 * Fewest cores for a parallel pass. On two cores the verifier processes share them with this
 * process and the database, and two processes measured slower than one (bench audit: 0.61–0.72×
 * of one process over several runs), so a two-core machine scans in one process.
 */
export const PARALLEL_MIN_CORES = 3;

/** Processes of the parallel verification: one per core, at most 4, from PARALLEL_MIN_CORES on; 1 means no parallel pass. */
export function verifySegments(cores: number = os.availableParallelism()): number {
  return cores >= PARALLEL_MIN_CORES ? Math.min(4, cores) : 1;
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
export async function verifyInProcesses(
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
