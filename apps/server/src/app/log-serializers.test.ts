import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { dialects, PG_URL } from '../test/harness';
import { logSafeError, pathOnly } from './log-serializers';

const DIALECTS = await dialects();

describe('what the log keeps of a request and an error', () => {
  it('a URL loses its query string (file names, search words)', () => {
    expect(pathOnly('/api/items/abc/attachments?name=K%E1%BA%BF%20ho%E1%BA%A1ch.pdf')).toBe('/api/items/abc/attachments');
    expect(pathOnly('/api/search')).toBe('/api/search');
    expect(pathOnly(undefined)).toBeUndefined();
  });

  it("an error keeps type, code and message, never PostgreSQL's detail that quotes a row", () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "items_summary_key"'), {
      code: '23505',
      detail: 'Key (summary)=(Kế hoạch bảo vệ đoàn) already exists.',
      where: 'SQL statement "insert into items values (\'Kế hoạch bảo vệ đoàn\')"',
      table: 'items',
    });
    const wrapped = new Error('could not save', { cause: pgError });
    const logged = logSafeError(wrapped);
    expect(logged).toMatchObject({ type: 'Error', message: 'could not save', cause: { code: '23505', message: pgError.message } });
    expect(JSON.stringify(logged)).not.toContain('bảo vệ đoàn');
  });

  it.runIf(DIALECTS.includes('postgres'))("a PostgreSQL data error's message and stack lose the value it quotes", async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    let error: unknown;
    try {
      await client.query('select $1::int', ['Kế hoạch bảo vệ đoàn']);
    } catch (e) {
      error = e;
    } finally {
      await client.end();
    }
    expect((error as Error).message).toContain('bảo vệ đoàn'); // as PostgreSQL words it
    const logged = logSafeError(new Error('could not read', { cause: error }));
    expect(logged.cause).toMatchObject({ code: '22P02', message: 'invalid input syntax for type integer: "…"' });
    expect(logged.cause!.stack).toContain('invalid input syntax for type integer: "…"');
    expect(JSON.stringify(logged)).not.toContain('bảo vệ đoàn');
    // Other errors keep their quotes (constraint names, not values).
    expect(logSafeError(Object.assign(new Error('violates unique constraint "users_username_key"'), { code: '23505', severity: 'ERROR' })).message).toContain(
      '"users_username_key"',
    );
  });
});
