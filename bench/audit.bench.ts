import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog, checkCheckpointChain, verifyAuditChain, verifySegments } from '../apps/server/src/platform/audit/audit-log';
import { hashedText } from '../apps/server/src/platform/audit/canonical';
import { randomId, systemClock } from '../apps/server/src/platform/clock';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest, openDatabase } from '../apps/server/src/platform/db/database';
import type { Database } from '../apps/server/src/platform/db/schema';
import { FileKeyProvider } from '../apps/server/src/platform/keys/file-key-provider';

// Audit verification rate (reads from the encrypted database + canonical JSON + HMAC-SHA256 under
// the chain key + link and checkpoint checks) against the raw read of the same rows through the
// same driver and raw SHA-256 over the same records' canonical text, in the same run.

const EVENTS = Number(process.env.KHOMAT_BENCH_AUDIT_EVENTS ?? 200_000);

type Raw = SqliteDatabase.Database;

/**
 * For the team's cipher decision only: the same chain copied into a file with another page
 * layout — SQLite3 Multiple Ciphers' AEGIS-256 (authenticated, AES-NI), or none at all (the
 * rows are this bench's synthetic events, never real content). KhoMật itself writes SQLCipher 4.
 */
function copyChain(src: Raw, file: string, keyHex: string | null): Raw {
  const dst = new SqliteDatabase(file);
  if (keyHex) {
    dst.pragma(`cipher='aegis'`);
    dst.pragma(`algorithm='aegis-256'`);
    dst.pragma(`key="x'${keyHex}'"`);
  }
  dst.pragma('journal_mode = WAL');
  for (const table of ['audit_events', 'audit_head', 'audit_checkpoints']) {
    dst.exec(src.prepare('select sql from sqlite_master where type = ? and name = ?').pluck().get('table', table) as string);
    const cols = (src.prepare(`select * from ${table} limit 1`).columns() as { name: string }[]).map((c) => c.name);
    const insert = dst.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
    const rows = src.prepare(`select ${cols.join(', ')} from ${table}`).raw(true);
    dst.transaction(() => {
      for (const r of rows.iterate()) insert.run(...(r as unknown[]));
    })();
  }
  dst.pragma('wal_checkpoint(TRUNCATE)');
  return dst;
}

/** Verify rate (one thread, no workers) and the C-only scan rate over one file. */
async function measureLayout(raw: Raw, keys: FileKeyProvider, events: number): Promise<{ verify: number; scan: number }> {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  const verify: number[] = [];
  const scan: number[] = [];
  for (let run = 0; run < 3; run++) {
    let t0 = performance.now();
    const r = await verifyAuditChain({ db, sqlite: raw, sqliteFile: undefined }, keys);
    if (!r.ok || r.count !== events) throw new Error(`verify failed: ${JSON.stringify(r)}`);
    verify.push(events / ((performance.now() - t0) / 1000));
    t0 = performance.now();
    raw.prepare('select sum(length(details) + length(hash) + length(id)) from audit_events').pluck().get();
    scan.push(events / ((performance.now() - t0) / 1000));
  }
  return { verify: median(verify), scan: median(scan) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchAudit(): Promise<Record<string, number | string>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-bench-audit-'));
  const keys = FileKeyProvider.open({ keyDir: path.join(dir, 'keys'), create: true });
  const dbh = await openDatabase({ sqliteFile: path.join(dir, 'khomat.db'), sqliteKey: keys.databaseKey() });
  try {
    await migrateToLatest(dbh.db);
    const log = new AuditLog({ dialect: 'sqlite', keys, clock: systemClock, ids: randomId, checkpointEvery: 1000 });
    // Realistic ~320-byte events, written through the real append path in batches.
    const tWrite = performance.now();
    for (let i = 0; i < EVENTS; i += 500) {
      await dbh.db.transaction().execute(async (tx) => {
        for (let j = i; j < Math.min(EVENTS, i + 500); j++) {
          await log.append(tx, {
            actorId: '6f1c2a8e-3b7d-4c55-9a10-2d9b8e7f4a31',
            action: 'registers.entry_created',
            subjectType: 'register_entry',
            subjectId: crypto.randomUUID(),
            details: { register: 'outgoing', year: 2026, number: j + 1, level: 'SECRET', unitId: 'a3d1e4c2-7b9f-4e21-8c3a-5f6b7d8e9a0b' },
          });
        }
      });
    }
    const writeRate = EVENTS / ((performance.now() - tWrite) / 1000);

    const rows = await dbh.db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    const texts = rows.map((r) => hashedText(r));
    const avgBytes = Math.round(texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / texts.length);

    const raw: number[] = [];
    const verify: number[] = [];
    const reads: number[] = [];
    const scans: number[] = [];
    const readStmt = dbh.sqlite!.prepare('select * from audit_events order by seq').raw(true);
    for (let run = 0; run < 3; run++) {
      let t0 = performance.now();
      // The fastest raw form (one-shot crypto.hash), so the ratio is not flattered.
      for (const t of texts) crypto.hash('sha256', t, 'hex');
      raw.push(EVENTS / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      const r = await verifyAuditChain(dbh, keys);
      if (!r.ok || r.count !== EVENTS) throw new Error(`verify failed: ${JSON.stringify(r)}`);
      verify.push(EVENTS / ((performance.now() - t0) / 1000));
      // The floor under verification: only reading the rows out of the encrypted database.
      t0 = performance.now();
      let n = 0;
      for (const _row of readStmt.iterate()) n++;
      if (n !== EVENTS) throw new Error('read count');
      reads.push(EVENTS / ((performance.now() - t0) / 1000));
      // Lower still: SQLite decrypting and walking every page in C, no row reaching JavaScript.
      t0 = performance.now();
      dbh.sqlite!.prepare('select sum(length(details) + length(hash) + length(id)) from audit_events').pluck().get();
      scans.push(EVENTS / ((performance.now() - t0) / 1000));
    }
    // The chain of signed checkpoints alone (signatures, links, gaps), and the walk in one thread
    // against the walk in parallel segments (worker threads, one per core).
    const cps = await dbh.db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
    const headRow = await dbh.db.selectFrom('audit_head').select('keyed_from').executeTakeFirstOrThrow();
    const cpTimes: number[] = [];
    const sequential: number[] = [];
    const parallel: number[] = [];
    for (let run = 0; run < 3; run++) {
      let t0 = performance.now();
      const chain = checkCheckpointChain(cps, headRow, keys.signingPublicKey(), 1000);
      if ('ok' in chain) throw new Error(`checkpoint chain: ${chain.reason}`);
      cpTimes.push(performance.now() - t0);
      t0 = performance.now();
      if (!(await verifyAuditChain(dbh, keys, { parallelMinEvents: Infinity })).ok) throw new Error('sequential verify failed');
      sequential.push(EVENTS / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      if (!(await verifyAuditChain(dbh, keys, { parallelMinEvents: 1 })).ok) throw new Error('parallel verify failed');
      parallel.push(EVENTS / ((performance.now() - t0) / 1000));
    }
    const rawRate = median(raw);
    const verifyRate = median(verify);
    const sqlcipher = await measureLayout(dbh.sqlite!, keys, EVENTS);
    const aegisRaw = copyChain(dbh.sqlite!, path.join(dir, 'aegis.db'), crypto.randomBytes(32).toString('hex'));
    const aegis = await measureLayout(aegisRaw, keys, EVENTS);
    aegisRaw.close();
    const plainRaw = copyChain(dbh.sqlite!, path.join(dir, 'plain.db'), null);
    const plain = await measureLayout(plainRaw, keys, EVENTS);
    plainRaw.close();
    const r2 = (x: number): number => Number((x / rawRate).toFixed(2));
    return {
      'events in chain': EVENTS,
      'average canonical record (bytes)': avgBytes,
      'append rate incl. transaction (events/s)': Math.round(writeRate),
      'raw SHA-256 over same records (records/s)': Math.round(rawRate),
      'raw read of the same rows, SQLCipher (rows/s)': Math.round(median(reads)),
      'decrypt-and-scan in C only, no JS (rows/s)': Math.round(median(scans)),
      'ratio C-only scan / raw SHA-256 (a single-thread ceiling)': Number((median(scans) / rawRate).toFixed(2)),
      'audit verify incl. reads (events/s)': Math.round(verifyRate),
      'ratio verify / raw read (reads are the floor; target ≥ 0.7)': Number((verifyRate / median(reads)).toFixed(2)),
      'verdict verify / raw read': verifyRate / median(reads) >= 0.7 ? 'met' : 'MISSED',
      'ratio one-thread verify / raw read (same driver, one thread each)': Number((median(sequential) / median(reads)).toFixed(2)),
      [`checkpoint chain check, ${cps.length} checkpoints (ms)`]: Number(median(cpTimes).toFixed(2)),
      'checkpoint chain check per checkpoint (µs)': Math.round((median(cpTimes) * 1000) / Math.max(1, cps.length)),
      [`parallel segments (${verifySegments()} on ${os.availableParallelism()} cores) speed-up over one thread`]: Number(
        (median(parallel) / median(sequential)).toFixed(2),
      ),
      'ratio verify / raw (target ≥ 0.5)': Number((verifyRate / rawRate).toFixed(2)),
      verdict: verifyRate / rawRate >= 0.5 ? 'met' : 'MISSED',
      '— same chain, one thread, by page layout (ratio to raw SHA-256) —': '',
      'SQLCipher 4 (KhoMật): C-only scan / verify': `${r2(sqlcipher.scan)} / ${r2(sqlcipher.verify)}`,
      'AEGIS-256 (other cipher, not used): C-only scan / verify': `${r2(aegis.scan)} / ${r2(aegis.verify)}`,
      'no encryption (not used): C-only scan / verify': `${r2(plain.scan)} / ${r2(plain.verify)}`,
    };
  } finally {
    await dbh.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
