import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { openDatabase, PreparedStatements } from './database';

describe('SQLite statements kept prepared', () => {
  it('the same SQL text gets the same statement; the least recently used goes past the limit', () => {
    const raw = new SqliteDatabase(':memory:');
    const kept = new PreparedStatements(raw, 2);
    const a = kept.prepare('select 1 as a');
    expect(kept.prepare('select 1 as a')).toBe(a);
    const b = kept.prepare('select 2 as b');
    kept.prepare('select 1 as a'); // a is now the most recent
    kept.prepare('select 3 as c'); // b goes
    expect(kept.count).toBe(2);
    expect(kept.prepare('select 1 as a')).toBe(a);
    expect(kept.prepare('select 2 as b')).not.toBe(b);
    kept.close();
    expect(raw.open).toBe(false);
  });

  it('a statement still iterating is not handed out again: the same query meanwhile gets its own', () => {
    const raw = new SqliteDatabase(':memory:');
    const kept = new PreparedStatements(raw);
    raw.exec('create table t (n integer); insert into t values (1), (2), (3);');
    const text = 'select n from t order by n';
    const seen: number[][] = [];
    for (const row of kept.prepare(text).iterate() as IterableIterator<{ n: number }>) {
      seen.push([row.n, ...(kept.prepare(text).all() as { n: number }[]).map((r) => r.n)]);
    }
    expect(seen).toEqual([
      [1, 1, 2, 3],
      [2, 1, 2, 3],
      [3, 1, 2, 3],
    ]);
    kept.close();
  });

  it('a kept statement sees a schema change made after it was prepared', async () => {
    const h = await openDatabase({});
    try {
      await sql`create table t (a integer)`.execute(h.db);
      await sql`insert into t (a) values (1)`.execute(h.db);
      const all = sql<Record<string, number | null>>`select * from t`;
      expect((await all.execute(h.db)).rows).toEqual([{ a: 1 }]);
      await sql`alter table t add column b integer`.execute(h.db);
      expect((await all.execute(h.db)).rows).toEqual([{ a: 1, b: null }]);
    } finally {
      await h.close();
    }
  });
});
