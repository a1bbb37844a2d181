import { Kysely, SqliteDialect } from 'kysely';
import { openDatabase, openSqlite } from '../db/database';
import type { Database } from '../db/schema';
import { chainKey } from './canonical';
import { scanSegment, type ScanResult } from './chain-scan';

// One process of the parallel audit verification: opens its own read-only connection (the SQLite
// file with the pragmas of platform/db/database.ts, or its own PostgreSQL pool), scans one segment
// of the chain between two signed checkpoints, replies with the result and exits. The keys come
// over the IPC channel, never on the command line or in the environment.

export interface SegmentRequest {
  dialect: 'sqlite' | 'postgres';
  sqliteFile?: string;
  databaseKeyHex?: string;
  databaseUrl?: string;
  pgSchema?: string;
  secretHex: string;
  keyedFrom: number;
  after: number;
  prevHash: string;
  hi: number | null;
  signed: [number, string][];
}

export type SegmentReply = { ok: true; result: ScanResult } | { ok: false; error: string };

async function run(req: SegmentRequest): Promise<ScanResult> {
  let db: Kysely<Database>;
  if (req.dialect === 'sqlite') {
    const raw = openSqlite(req.sqliteFile!, req.databaseKeyHex ? Buffer.from(req.databaseKeyHex, 'hex') : undefined);
    raw.pragma('query_only = ON');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  } else {
    db = (await openDatabase({ databaseUrl: req.databaseUrl!, pgPoolSize: 1, ...(req.pgSchema ? { pgSchema: req.pgSchema } : {}) })).db;
  }
  try {
    const secret = Buffer.from(req.secretHex, 'hex');
    const signed = new Map(req.signed.map(([seq, hash]) => [seq, { hash }]));
    return await scanSegment(db, req.dialect, secret, chainKey(secret, req.keyedFrom), { ...req, signed });
  } finally {
    await db.destroy();
  }
}

process.once('message', (req: SegmentRequest) => {
  run(req).then(
    (result) => process.send!({ ok: true, result } satisfies SegmentReply, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: String(e) } satisfies SegmentReply, () => process.exit(1)),
  );
});
