import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { CompiledQuery, Kysely, PostgresAdapter, PostgresDialect, sql, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { MIGRATIONS } from './migrations';

export type Dialect = 'sqlite' | 'postgres';

// int8 (bigint, count(*)) arrives from pg as a string; every value we store fits in 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface DbHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The SQLite file (undefined for PostgreSQL or in-memory). */
  sqliteFile: string | undefined;
  /** The raw SQLite connection, for online backup. */
  sqlite: SqliteDatabase.Database | undefined;
  /** PostgreSQL schema when not the default (tests). */
  pgSchema: string | undefined;
  close(): Promise<void>;
}

// Writers take the write lock at BEGIN: a deferred transaction that reads then writes can fail
// with SQLITE_BUSY_SNAPSHOT when another process (the CLI beside the server) wrote meanwhile,
// and the busy handler does not retry that case.
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly raw: SqliteDatabase.Database,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  // On SQLITE_FULL (and SQLITE_IOERR, SQLITE_NOMEM) SQLite may already have rolled the whole
  // transaction back itself; a ROLLBACK then fails with "cannot rollback - no transaction is
  // active", and that error would replace the one that says what went wrong (the disk is full).
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (!this.raw.inTransaction) return;
    await super.rollbackTransaction(connection);
  }
}

/** Statements kept prepared, by SQL text. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely's driver sees it, with prepared statements kept for reuse: the driver
 * prepares every query anew, and preparing cost a tenth of a small upload's time (~0.85 of 10 ms,
 * profiled). The most recently used STATEMENT_CACHE_SIZE texts are kept. A statement still
 * iterating (a streamed query) is busy: a query with the same text meanwhile gets a fresh one.
 * A schema change needs nothing here: SQLite prepares a kept statement again by itself.
 */
export class PreparedStatements {
  private readonly kept = new Map<string, SqliteDatabase.Statement>();

  constructor(
    private readonly raw: SqliteDatabase.Database,
    private readonly size = STATEMENT_CACHE_SIZE,
  ) {}

  prepare(sql: string): SqliteDatabase.Statement {
    const hit = this.kept.get(sql);
    if (hit && !hit.busy) {
      // Map order is insertion order: taking it out and back in marks it most recently used.
      this.kept.delete(sql);
      this.kept.set(sql, hit);
      return hit;
    }
    const stmt = this.raw.prepare(sql);
    if (hit) return stmt;
    this.kept.set(sql, stmt);
    if (this.kept.size > this.size) this.kept.delete(this.kept.keys().next().value as string);
    return stmt;
  }

  get count(): number {
    return this.kept.size;
  }

  close(): void {
    this.kept.clear();
    this.raw.close();
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #raw: SqliteDatabase.Database;
  readonly #statements: PreparedStatements;
  constructor(raw: SqliteDatabase.Database) {
    const statements = new PreparedStatements(raw);
    super({ database: statements });
    this.#raw = raw;
    this.#statements = statements;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#statements }, this.#raw);
  }
}

export class DatabaseKeyError extends Error {}

/**
 * The database file, owner-only (0600) whatever the umask, like the blobs and the keys. SQLite
 * gives its -wal and -shm files the mode of the database file when it creates them, so they
 * follow; files left by an older version (or a restore) are brought down to 0600 too.
 */
function ownerOnlyDatabaseFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
  } finally {
    fs.closeSync(fd);
  }
  for (const side of [`${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(side, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

/**
 * Opens (creating if needed) the embedded database, encrypted with a raw 256-bit key in the
 * standard SQLCipher 4 layout so that a stock SQLCipher tool can open it years later.
 */
export function openSqlite(file: string, key: Buffer | undefined): SqliteDatabase.Database {
  if (file !== ':memory:') ownerOnlyDatabaseFile(file);
  const raw = new SqliteDatabase(file);
  try {
    if (key) {
      if (key.length !== 32) throw new DatabaseKeyError('Khoá cơ sở dữ liệu phải dài 32 byte.');
      raw.pragma(`cipher='sqlcipher'`);
      raw.pragma('legacy=4');
      raw.pragma(`key="x'${key.toString('hex')}'"`);
    }
    try {
      raw.prepare('select count(*) as n from sqlite_master').get();
    } catch (e) {
      throw new DatabaseKeyError(`Không mở được cơ sở dữ liệu ${file}: sai khoá hoặc tệp hỏng (${(e as Error).message}).`);
    }
    if (file !== ':memory:') raw.pragma('journal_mode = WAL');
    // FULL: every commit is on disk before it returns. NORMAL in WAL mode may lose the last
    // commits on a power cut (never on a crash of the process): a number already written on a
    // paper would then be handed out again. PostgreSQL commits durably by default too.
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 10000');
    return raw;
  } catch (e) {
    raw.close();
    throw e;
  }
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent, SQLite at `sqliteFile`. */
  databaseUrl?: string | undefined;
  sqliteFile?: string;
  sqliteKey?: Buffer | undefined;
  /** PostgreSQL schema to use (tests isolate themselves this way). */
  pgSchema?: string;
  pgPoolSize?: number;
}

export async function openDatabase(opts: OpenDatabaseOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.pgPoolSize ?? 10,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', sqliteFile: undefined, sqlite: undefined, pgSchema: opts.pgSchema, close: () => db.destroy() };
  }
  const file = opts.sqliteFile ?? ':memory:';
  const raw = openSqlite(file, opts.sqliteKey);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(raw) });
  return {
    db,
    dialect: 'sqlite',
    sqliteFile: file === ':memory:' ? undefined : file,
    sqlite: raw,
    pgSchema: undefined,
    close: async () => {
      await db.destroy();
    },
  };
}

/**
 * Applies the pending migrations of the registry, in name order, in one transaction holding a
 * migration lock (PostgreSQL advisory lock per schema; SQLite's write lock), so two servers
 * starting together cannot both migrate. Applied names are kept in `kysely_migration` (the
 * same table Kysely's migrator uses). Kysely's own Migrator is not used: it looks tables up
 * across every schema of the database, which races with DDL in other schemas.
 */
export async function migrateToLatest(db: Kysely<Database>, _pgSchema?: string): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.transaction().execute(async (tx) => {
    const t = tx as unknown as Kysely<{ kysely_migration: { name: string; timestamp: string } }>;
    if (postgres) await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.kysely_migration'))`.execute(tx);
    await t.schema
      .createTable('kysely_migration')
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
      .execute();
    const done = new Set((await t.selectFrom('kysely_migration').select('name').execute()).map((r) => r.name));
    for (const name of Object.keys(MIGRATIONS).sort()) {
      if (done.has(name)) continue;
      try {
        await MIGRATIONS[name]!.up(tx as unknown as Kysely<unknown>);
      } catch (e) {
        throw new Error(`Migration failed at ${name}: ${String(e)}`);
      }
      await t.insertInto('kysely_migration').values({ name, timestamp: new Date().toISOString() }).execute();
    }
  });
}
