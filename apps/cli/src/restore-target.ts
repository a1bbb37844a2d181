import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { openRuntime, type RuntimeOptions } from '../../server/src/app/runtime';
import type { AppDeps } from '../../server/src/kernel/context';
import { restoreBackup, type BackupSummary, type ProgressFn } from '../../server/src/modules/backup/backup';
import type { Config } from '../../server/src/platform/config';
import { blobDirFor, sqliteFileFor } from '../../server/src/platform/data-paths';
import { migrateToLatest, type DbHandle } from '../../server/src/platform/db/database';

// `khomat restore` opens (and so creates) its target: the data directory, the SQLite file, the
// tables, the blob directory. A refused restore — wrong key ring, damaged or foreign archive,
// another schema version, a target that is not empty — must leave the target as it found it, so
// what existed before is noted first and whatever the attempt created is removed again.

const SQLITE_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

interface TargetBefore {
  dataDir: boolean;
  sqliteFile: boolean;
  blobDir: boolean;
  /** Directories under the blob directory (the two-character fan-out). */
  blobSubdirs: Set<string>;
  tables: Set<string> | undefined;
}

const exists = (p: string) => fs.existsSync(p);

function subdirs(dir: string): Set<string> {
  if (!exists(dir)) return new Set();
  return new Set(
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name),
  );
}

/** Every table of the database in use (PostgreSQL: this schema), Kysely's own and SQLite's FTS ones included. */
async function allTables(dbh: DbHandle): Promise<string[]> {
  if (dbh.dialect === 'postgres') {
    const r = await sql<{
      n: string;
    }>`select table_name as n from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(dbh.db);
    return r.rows.map((x) => x.n);
  }
  // Virtual tables first: dropping one drops its shadow tables with it.
  const r = await sql<{ n: string }>`select name as n from sqlite_master where type = 'table' and name not like 'sqlite_%'
    order by case when sql like 'CREATE VIRTUAL TABLE%' then 0 else 1 end, name`.execute(dbh.db);
  return r.rows.map((x) => x.n);
}

async function dropCreatedTables(dbh: DbHandle, before: Set<string>): Promise<void> {
  const created = (await allTables(dbh)).filter((t) => !before.has(t));
  if (created.length === 0) return;
  if (dbh.dialect === 'postgres') {
    await sql`drop table if exists ${sql.join(created.map((t) => sql.table(t)))} cascade`.execute(dbh.db);
    return;
  }
  await sql`pragma foreign_keys = off`.execute(dbh.db);
  for (const t of created) await sql`drop table if exists ${sql.table(t)}`.execute(dbh.db);
}

async function removeCreatedFiles(config: Config, before: TargetBefore): Promise<void> {
  const blobDir = blobDirFor(config);
  if (!before.blobDir) {
    await fsp.rm(blobDir, { recursive: true, force: true });
  } else {
    // The restore removed the files it wrote; the fan-out directories it made go too, when empty.
    for (const d of subdirs(blobDir)) if (!before.blobSubdirs.has(d)) await fsp.rmdir(path.join(blobDir, d)).catch(() => undefined);
  }
  if (!config.databaseUrl && !before.sqliteFile) {
    for (const s of SQLITE_SIDE_FILES) await fsp.rm(`${sqliteFileFor(config)}${s}`, { force: true });
  }
  if (!before.dataDir) await fsp.rmdir(config.dataDir).catch(() => undefined);
}

/**
 * Opens the target, restores `file` into it and, once it is in, runs `after` (the audit event);
 * a refused restore undoes whatever opening the target created (files, directories, tables).
 */
export async function restoreIntoTarget(
  config: Config,
  opts: RuntimeOptions,
  file: string,
  onProgress: ProgressFn | undefined,
  after: (deps: AppDeps, s: BackupSummary) => Promise<void>,
): Promise<BackupSummary> {
  const blobDir = blobDirFor(config);
  const before: TargetBefore = {
    dataDir: exists(config.dataDir),
    sqliteFile: !config.databaseUrl && exists(sqliteFileFor(config)),
    blobDir: exists(blobDir),
    blobSubdirs: subdirs(blobDir),
    tables: undefined,
  };
  let deps: AppDeps | undefined;
  let summary: BackupSummary;
  try {
    deps = await openRuntime(config, { ...opts, migrate: false });
    before.tables = new Set(await allTables(deps.dbh));
    await migrateToLatest(deps.dbh.db, deps.dbh.pgSchema);
    summary = await restoreBackup(deps, file, onProgress);
  } catch (e) {
    if (deps) {
      try {
        if (before.tables && (config.databaseUrl || before.sqliteFile)) await dropCreatedTables(deps.dbh, before.tables);
      } finally {
        // Closing settles the audit anchor, which reads tables just dropped: what matters to the
        // operator is why the restore was refused, not that.
        await deps.dbh.close().catch(() => undefined);
      }
    }
    await removeCreatedFiles(config, before);
    throw e;
  }
  try {
    await after(deps, summary);
  } finally {
    await deps.dbh.close();
  }
  return summary;
}
