import { describe, expect, it } from 'vitest';
import { diskFullCause } from './errors';

// The one place where "no space left" is recognised, whichever layer says it.
describe('diskFullCause', () => {
  const err = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each([
    ['a file write (ENOSPC)', err('ENOSPC', 'ENOSPC: no space left on device, write'), 'ENOSPC'],
    ['better-sqlite3 (SQLITE_FULL)', err('SQLITE_FULL', 'database or disk is full'), 'SQLITE_FULL'],
    ['PostgreSQL (SQLSTATE 53100 disk_full)', err('53100', 'could not extend file'), 'PG_53100'],
    ['any of them as the cause of another error', new Error('upload failed', { cause: err('ENOSPC') }), 'ENOSPC'],
    ['a permission error', err('EACCES'), undefined],
    ['a busy database', err('SQLITE_BUSY'), undefined],
    ['a unique violation', err('23505'), undefined],
    ['PostgreSQL out of memory (53200)', err('53200'), undefined],
    ['not an error', 'ENOSPC', undefined],
  ])('%s', (_label, e, cause) => {
    expect(diskFullCause(e)).toBe(cause);
  });
});
