import { sql, type Kysely } from 'kysely';
import { afterEach } from 'vitest';
import { createPgSchema, dropPgSchema, PG_URL } from '../../test/harness';
import { openDatabase, type Dialect } from './database';
import { MIGRATIONS } from './migrations';

/**
 * A fresh database of `dialect` (SQLite in memory, or a PostgreSQL schema of its own) with every
 * migration that sorts before `name` applied — the state a migration test starts from. `close`
 * closes it and drops the schema.
 */
export async function databaseBefore(dialect: Dialect, name: string): Promise<{ db: Kysely<unknown>; close: () => Promise<void> }> {
  const schema = dialect === 'postgres' ? await createPgSchema() : undefined;
  const h = await openDatabase(schema ? { databaseUrl: PG_URL, pgSchema: schema } : {});
  const db = h.db as unknown as Kysely<unknown>;
  for (const m of Object.keys(MIGRATIONS).sort()) if (m < name) await MIGRATIONS[m]!.up(db);
  return {
    db,
    close: async () => {
      await h.close();
      if (schema) await dropPgSchema(schema);
    },
  };
}

/**
 * For a migration test's describe block: `before(name)` opens databaseBefore(dialect, name) and
 * returns its database; whatever a test opened is closed after it.
 */
export function migrationDatabases(dialect: Dialect): (name: string) => Promise<Kysely<unknown>> {
  let opened: Awaited<ReturnType<typeof databaseBefore>> | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  return async (name) => {
    opened = await databaseBefore(dialect, name);
    return opened.db;
  };
}

/**
 * What the request-era migration tests (0012–0015) start from: the root unit 'root', one user
 * cleared for Mật in it, and an issued Mật document 'item' of that unit.
 */
export async function seedIssuedItem(db: Kysely<unknown>, userId: string, now: string): Promise<void> {
  await sql`insert into units (id, parent_id, name, code, created_at) values ('root', null, 'Sở', 'S', ${now})`.execute(db);
  await sql`insert into users (id, username, full_name, unit_id, position, password_hash, clearance, password_changed_at, created_at) values (${userId}, ${userId}, ${userId}, 'root', 'x', 'h', 'SECRET', ${now}, ${now})`.execute(
    db,
  );
  await sql`insert into secret_items (id, origin, kind, state, doc_type, level, copies_planned, copy_allowed, addressee_only, recall_required, search_text, unit_id, created_at, updated_at)
    values ('item', 'internal', 'document', 'issued', 'Kế hoạch', 'SECRET', 1, 1, 0, 0, '', 'root', ${now}, ${now})`.execute(db);
}
