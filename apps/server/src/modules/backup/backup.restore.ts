import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { AppDeps } from '../../kernel/context';
import { blobDirFor } from '../../platform/data-paths';
import type { DbHandle } from '../../platform/db/database';
import type { Database } from '../../platform/db/schema';
import { backupErrors } from './backup.errors';
import { REGISTER_SEARCH_SHADOW_TABLES, REGISTER_SEARCH_WORDS_TABLE, rebuildRegisterSearch } from '../search/search.index';
import { syncDirectory } from '../../platform/durable-fs';
import { BACKUP_EXCLUDED_TABLES, BACKUP_TABLES, summaryOf, type BackupSummary, type BackupTable, type ProgressFn, type Row } from './backup.format';
import { walkBackup, type BlobSink } from './backup.read';

// Restoring a backup into an empty installation (restoreBackup), and listDatabaseTables, with
// which a restore (and backup.test.ts) compares a database's tables to the backup's.

/** Bind parameters per INSERT on restore: well under SQLite's 32766 and PostgreSQL's 65535. */
const MAX_INSERT_PARAMS = 8000;

/**
 * Tables that an empty, freshly migrated database may already have rows in: their rows are
 * replaced by the backup's on restore (audit_head holds the genesis row from the migration).
 */
const REPLACED_ON_RESTORE: readonly BackupTable[] = ['audit_head', 'settings'];

/**
 * Self-references that rows in primary-key order may violate (a unit's parent can sort after it).
 * Neither database defers these checks (PostgreSQL constraints are not DEFERRABLE here), so the
 * column is inserted as NULL and set once the whole table is in.
 */
const SELF_REFERENCES: Partial<Record<BackupTable, { column: string; key: string }>> = {
  units: { column: 'parent_id', key: 'id' },
};

/** Tables of the database (not Kysely's own) with their columns; PostgreSQL: this schema only. */
export async function listDatabaseTables(dbh: DbHandle): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (dbh.dialect === 'postgres') {
    // Only the schema in use, asked directly: Kysely's introspection walks every schema of the
    // database and fails when another one is dropped meanwhile (seen with parallel test schemas).
    const rows = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name
        from information_schema.columns c
        join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
       where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
       order by c.table_name, c.ordinal_position`.execute(dbh.db);
    for (const r of rows.rows) {
      if (r.table_name.startsWith('kysely_migration')) continue;
      // The word list of the search index (migration 0016) is part of register_search (in
      // BACKUP_EXCLUDED_TABLES), as FTS5's shadow tables are on SQLite: rebuilt with it.
      if (r.table_name === REGISTER_SEARCH_WORDS_TABLE) continue;
      out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
    }
    return out;
  }
  const tables = await dbh.db.introspection.getTables();
  for (const t of tables) {
    if (t.isView || t.name.startsWith('kysely_migration')) continue;
    // SQLite's FTS5 keeps the search index in shadow tables of register_search (in BACKUP_EXCLUDED_TABLES).
    if (dbh.dialect === 'sqlite' && REGISTER_SEARCH_SHADOW_TABLES.includes(t.name)) continue;
    out.set(
      t.name,
      t.columns.map((c) => c.name),
    );
  }
  return out;
}

async function countRows(db: Kysely<Database>, table: string): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  return (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
}

async function assertEmptyTarget(deps: AppDeps): Promise<void> {
  const mustBeEmpty = [...BACKUP_TABLES.filter((t) => !REPLACED_ON_RESTORE.includes(t)), ...Object.keys(BACKUP_EXCLUDED_TABLES)];
  for (const t of mustBeEmpty) {
    if ((await countRows(deps.dbh.db, t)) > 0) throw backupErrors.targetNotEmpty({ table: t });
  }
  const head = await deps.dbh.db.selectFrom('audit_head').select('seq').executeTakeFirst();
  if (head && Number(head.seq) > 0) throw backupErrors.targetNotEmpty({ table: 'audit_head' });
  const dir = blobDirFor(deps.config);
  let names: fs.Dirent[] = [];
  try {
    names = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // Any file counts, a stray .part too: the blob files of a restore must be the backup's alone.
  const file = names.find((d) => !d.isDirectory());
  if (file) throw backupErrors.targetNotEmpty({ blobFile: path.relative(dir, path.join(file.parentPath, file.name)) });
}

/** Inserts restored rows in multi-row INSERTs, deferring self-references until a table is in. */
class RowInserter {
  private deferred: { table: BackupTable; column: string; key: string; pairs: [unknown, unknown][] } | undefined;

  constructor(private readonly tx: Kysely<Database>) {}

  async insert(table: BackupTable, rows: Row[]): Promise<void> {
    if (this.deferred && this.deferred.table !== table) await this.flushDeferred();
    const first = rows[0];
    if (!first) return;
    const columns = Object.keys(first);
    const self = SELF_REFERENCES[table];
    if (self) this.deferred ??= { table, ...self, pairs: [] };
    const perStatement = Math.max(1, Math.floor(MAX_INSERT_PARAMS / columns.length));
    for (let i = 0; i < rows.length; i += perStatement) {
      const values = rows.slice(i, i + perStatement).map((row) => {
        let r = row;
        if (self && r[self.column] !== null) {
          this.deferred!.pairs.push([r[self.key], r[self.column]]);
          r = { ...r, [self.column]: null };
        }
        return sql`(${sql.join(columns.map((c) => r[c]))})`;
      });
      await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values ${sql.join(values)}`.execute(this.tx);
    }
  }

  async finish(): Promise<void> {
    await this.flushDeferred();
  }

  private async flushDeferred(): Promise<void> {
    const d = this.deferred;
    this.deferred = undefined;
    if (!d) return;
    for (const [key, value] of d.pairs) {
      await sql`update ${sql.table(d.table)} set ${sql.ref(d.column)} = ${value} where ${sql.ref(d.key)} = ${key}`.execute(this.tx);
    }
  }
}

/** Writes one restored blob file as `<id>.part`, published under its id only on commit. */
async function openBlobSink(deps: AppDeps, id: string, published: string[], dirs: Set<string>): Promise<BlobSink> {
  const final = deps.blobs.pathFor(id);
  const part = `${final}.part`;
  const dir = path.dirname(final);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const handle = await fsp.open(part, 'wx', 0o600);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(chunk) {
      let at = 0;
      while (at < chunk.length) at += (await handle.write(chunk, at, chunk.length - at)).bytesWritten;
    },
    async commit() {
      await handle.sync();
      await close();
      // link, not rename: never replace a file that appeared meanwhile.
      try {
        await fsp.link(part, final);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw backupErrors.targetNotEmpty({ blobFile: id });
        throw e;
      }
      published.push(final);
      await fsp.unlink(part);
      dirs.add(dir);
    },
    async abort() {
      await close().catch(() => undefined);
      await fsp.rm(part, { force: true });
    },
  };
}

/**
 * Restores a backup into an empty installation (migrated, no data, no blob files) using the same
 * key ring (keys are backed up separately). The whole file is verified first; a second pass then
 * inserts all rows in one transaction and writes the blob files before that transaction commits.
 * On any failure the transaction rolls back and the files written are removed, so the target is
 * left as it was. Works across databases (SQLite ↔ PostgreSQL).
 */
export async function restoreBackup(deps: AppDeps, file: string, onProgress?: ProgressFn): Promise<BackupSummary> {
  await assertEmptyTarget(deps);
  const first = await walkBackup(deps.keys, file, { onBytes: (done, total) => onProgress?.({ phase: 'verify', done, total }) });
  const manifest = first.manifest;

  const migrations = await appliedMigrations(deps.dbh.db);
  if (JSON.stringify(migrations) !== JSON.stringify(manifest.migrations)) {
    throw backupErrors.incompatible({ reason: 'migrations', backup: manifest.migrations, target: migrations });
  }
  const targetTables = await listDatabaseTables(deps.dbh);
  for (const t of BACKUP_TABLES) {
    const want = [...manifest.tables[t]!.columns].sort();
    const have = [...(targetTables.get(t) ?? [])].sort();
    if (JSON.stringify(want) !== JSON.stringify(have)) throw backupErrors.incompatible({ reason: 'columns', table: t });
  }

  const expectEntries = new Map(manifest.entries.map((e) => [e.name, e]));
  const total = manifest.entries.length + 1;
  let done = 0;
  const published: string[] = [];
  const dirs = new Set<string>();
  try {
    await deps.dbh.db.transaction().execute(async (tx) => {
      for (const t of REPLACED_ON_RESTORE) await sql`delete from ${sql.table(t)}`.execute(tx);
      const inserter = new RowInserter(tx);
      await walkBackup(deps.keys, file, {
        expectHeader: first.headerLine,
        expectEntries,
        hooks: {
          rows: (table, rows) => inserter.insert(table, rows),
          openBlob: (id) => openBlobSink(deps, id, published, dirs),
          entryDone: () => onProgress?.({ phase: 'restore', done: ++done, total }),
        },
      });
      await inserter.finish();
      await rebuildRegisterSearch(tx);
      for (const d of dirs) await syncDirectory(d);
      for (const t of BACKUP_TABLES) {
        const n = await countRows(tx, t);
        if (n !== manifest.tables[t]!.rows) throw new Error(`restore: ${t} has ${n} rows after restore, the backup has ${manifest.tables[t]!.rows}`);
      }
    });
  } catch (e) {
    await Promise.all(published.map((f) => fsp.rm(f, { force: true })));
    throw e;
  }
  return summaryOf(manifest, first.bytes);
}
