import type { Kysely } from 'kysely';
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
