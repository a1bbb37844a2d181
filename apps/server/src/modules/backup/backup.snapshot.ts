import { sql } from 'kysely';
import type { AppDeps } from '../../kernel/context';
import { openSqlite } from '../../platform/db/database';
import { PAGE_ROWS, type BackupTable, type Row } from './backup.format';

// One consistent snapshot of the database, read by createBackup (backup.write.ts) on SQLite or
// PostgreSQL. The exports here are internal to the backup module, not public API.

/** Ordering of each table's rows in the backup (its primary key). */
const PRIMARY_KEYS: Record<BackupTable, readonly string[]> = {
  units: ['id'],
  positions: ['id'],
  users: ['id'],
  user_roles: ['user_id', 'role'],
  audit_head: ['id'],
  audit_checkpoints: ['seq'],
  audit_events: ['seq'],
  blobs: ['id'],
  settings: ['key'],
  catalog_items: ['id'],
  delegations: ['id'],
  secret_items: ['id'],
  item_recipients: ['id'],
  item_assignments: ['item_id', 'user_id'],
  copies: ['id'],
  custody_events: ['id'],
  custody_event_copies: ['event_id', 'copy_id'],
  item_attachments: ['id'],
  counters: ['name', 'year'],
  register_entries: ['id'],
  register_years: ['register', 'year'],
  notifications: ['id'],
  account_changes: ['id'],
  requests: ['id'],
  request_decisions: ['id'],
  take_outs: ['id'],
  take_out_copies: ['take_out_id', 'copy_id'],
  incidents: ['id'],
  copy_executions: ['id'],
  provisions: ['id'],
  request_letters: ['request_id'],
  request_scans: ['id'],
};

function selectAllSql(table: BackupTable): string {
  // Table and column names come from BACKUP_TABLES and PRIMARY_KEYS, never from input.
  return `select * from "${table}" order by ${PRIMARY_KEYS[table].map((c) => `"${c}"`).join(', ')}`;
}

/** Reads of one consistent snapshot of the database. */
export interface SnapshotReader {
  migrations(): Promise<string[]>;
  count(table: BackupTable): Promise<number>;
  columns(table: BackupTable): Promise<string[]>;
  /** The table's rows in primary-key order, a page at a time (never the whole table). */
  pages(table: BackupTable): AsyncGenerator<Row[]>;
}

/**
 * SQLite: a deferred read transaction on a second connection. In WAL mode it sees one snapshot
 * from its first read to COMMIT and takes no write lock, so the server keeps writing. Kysely's
 * connection is not used: its transactions begin IMMEDIATE (the write lock) and it has only the
 * one connection, which a long read would hold up.
 */
export async function withSqliteSnapshot<T>(deps: AppDeps, fn: (r: SnapshotReader) => Promise<T>): Promise<T> {
  const file = deps.dbh.sqliteFile;
  if (!file) throw new Error('An online backup needs the database in a file (an in-memory SQLite database cannot be opened twice).');
  const conn = openSqlite(file, deps.keys.databaseKey());
  try {
    conn.exec('begin');
    const reader: SnapshotReader = {
      migrations: async () => (conn.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name),
      count: async (t) => Number((conn.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n),
      columns: async (t) =>
        conn
          .prepare(selectAllSql(t))
          .columns()
          .map((c) => c.name),
      pages: async function* (t) {
        const it = conn.prepare(selectAllSql(t)).iterate() as IterableIterator<Row>;
        try {
          let page: Row[] = [];
          for (const row of it) {
            page.push(row);
            if (page.length >= PAGE_ROWS) {
              yield page;
              page = [];
            }
          }
          if (page.length > 0) yield page;
        } finally {
          // Frees the statement when the consumer stops early (error), so COMMIT can run.
          it.return?.();
        }
      },
    };
    return await fn(reader);
  } finally {
    try {
      if (conn.inTransaction) conn.exec('commit');
    } finally {
      conn.close();
    }
  }
}

/**
 * PostgreSQL: a read-only REPEATABLE READ transaction sees one snapshot for all its statements.
 * Rows are read through a cursor in that transaction, a page per FETCH.
 */
export async function withPostgresSnapshot<T>(deps: AppDeps, fn: (r: SnapshotReader) => Promise<T>): Promise<T> {
  return deps.dbh.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const reader: SnapshotReader = {
        migrations: async () => (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(tx)).rows.map((r) => r.name),
        count: async (t) => Number((await sql<{ n: string | number }>`select count(*) as n from ${sql.table(t)}`.execute(tx)).rows[0]?.n ?? 0),
        columns: async (t) =>
          (
            await sql<{ column_name: string }>`select column_name from information_schema.columns
              where table_schema = current_schema() and table_name = ${t} order by ordinal_position`.execute(tx)
          ).rows.map((r) => r.column_name),
        pages: async function* (t) {
          await sql`declare khomat_backup no scroll cursor for ${sql.raw(selectAllSql(t))}`.execute(tx);
          try {
            for (;;) {
              const r = await sql<Row>`fetch forward ${sql.raw(String(PAGE_ROWS))} from khomat_backup`.execute(tx);
              if (r.rows.length === 0) break;
              yield r.rows;
            }
          } finally {
            // After an error the transaction is aborted and rolls back, closing the cursor anyway.
            await sql`close khomat_backup`.execute(tx).catch(() => undefined);
          }
        },
      };
      return fn(reader);
    });
}
