import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditLog, verifyAuditChain } from '../apps/server/src/platform/audit/audit-log';
import { hashedText } from '../apps/server/src/platform/audit/canonical';
import { randomId, systemClock } from '../apps/server/src/platform/clock';
import { migrateToLatest, openDatabase } from '../apps/server/src/platform/db/database';
import { FileKeyProvider } from '../apps/server/src/platform/keys/file-key-provider';

// Audit verification rate (reads from the encrypted database + canonical JSON + SHA-256 + chain
// checks) against raw SHA-256 over the same records' canonical text, in the same run.

const EVENTS = Number(process.env.KHOMAT_BENCH_AUDIT_EVENTS ?? 200_000);

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
      const r = await verifyAuditChain(dbh, keys.signingPublicKey(), undefined, { databaseKey: keys.databaseKey() });
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
    const rawRate = median(raw);
    const verifyRate = median(verify);
    return {
      'events in chain': EVENTS,
      'average canonical record (bytes)': avgBytes,
      'append rate incl. transaction (events/s)': Math.round(writeRate),
      'raw SHA-256 over same records (records/s)': Math.round(rawRate),
      'raw read of the same rows, SQLCipher (rows/s)': Math.round(median(reads)),
      'decrypt-and-scan in C only, no JS (rows/s)': Math.round(median(scans)),
      'ratio C-only scan / raw SHA-256 (a single-thread ceiling)': Number((median(scans) / rawRate).toFixed(2)),
      'audit verify incl. reads (events/s)': Math.round(verifyRate),
      'ratio verify / raw read (reads are the floor)': Number((verifyRate / median(reads)).toFixed(2)),
      'ratio verify / raw (target ≥ 0.5)': Number((verifyRate / rawRate).toFixed(2)),
      verdict: verifyRate / rawRate >= 0.5 ? 'met' : 'MISSED',
    };
  } finally {
    await dbh.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
