import { describe, expect, it } from 'vitest';
import { logSafeError, pathOnly } from './log-serializers';

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
});
