import type { SelectQueryBuilder } from 'kysely';
import type { Dialect } from './database';

// The one place where the two databases differ in query shape (CONVENTIONS.md habit 6).

/** Row lock on PostgreSQL; SQLite needs none because a write transaction holds the database lock. */
export function forUpdate<DB, TB extends keyof DB, O>(dialect: Dialect, qb: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialect === 'postgres' ? qb.forUpdate() : qb;
}

/** True when the error is a unique-constraint violation on either database. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isCheckViolation(e: unknown): boolean {
  const err = e as { code?: string };
  return err?.code === '23514' || err?.code === 'SQLITE_CONSTRAINT_CHECK';
}
