import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  afterFailedLogin,
  isLocked,
  isPasswordStrongEnough,
  isRequestOriginAccepted,
  sessionValidity,
  stageAfterPassword,
  type RequestOrigin,
} from './auth.rules';

describe('auth rules', () => {
  it('password strength', () => {
    expect(isPasswordStrongEnough('abc')).toBe(false);
    expect(isPasswordStrongEnough('abcdefghij')).toBe(false);
    expect(isPasswordStrongEnough('1234567890')).toBe(false);
    expect(isPasswordStrongEnough('Mậtkhẩu2026')).toBe(true);
  });
  it('locks exactly at the configured failure count (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), (max) => {
        let failed = 0;
        const now = new Date('2026-01-01T00:00:00Z');
        for (let i = 1; i <= max; i++) {
          const r = afterFailedLogin(failed, now, { maxFailures: max, lockMinutes: 15 });
          if (i < max && r.lockedUntil !== null) return false;
          if (i === max && r.lockedUntil !== '2026-01-01T00:15:00.000Z') return false;
          failed = r.failedLogins;
        }
        return true;
      }),
    );
    expect(isLocked('2026-01-01T00:15:00.000Z', new Date('2026-01-01T00:14:59Z'))).toBe(true);
    expect(isLocked('2026-01-01T00:15:00.000Z', new Date('2026-01-01T00:15:00Z'))).toBe(false);
  });
  it('login stage by role and enrolment', () => {
    expect(stageAfterPassword(['officer'], false)).toBe('full');
    expect(stageAfterPassword(['officer'], true)).toBe('totp');
    expect(stageAfterPassword(['officer', 'clerk'], false)).toBe('enrol');
    for (const r of ['clerk', 'head', 'security_officer', 'inspector', 'admin'] as const) expect(stageAfterPassword([r], false)).toBe('enrol');
  });
  it('session validity', () => {
    const s = { lastSeenAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-01T08:00:00Z' };
    expect(sessionValidity(s, new Date('2026-01-01T00:14:59Z'), 15)).toBe('valid');
    expect(sessionValidity(s, new Date('2026-01-01T00:15:00Z'), 15)).toBe('idle');
    expect(sessionValidity({ ...s, lastSeenAt: '2026-01-01T07:59:00Z' }, new Date('2026-01-01T08:00:00Z'), 15)).toBe('expired');
  });

  it('accepts a state change only from the own or a configured origin, or from a client naming none', () => {
    const own = 'https://khomat.snv.local';
    const allowed = ['https://cong.snv.vn'];
    const table: [Partial<RequestOrigin>, boolean][] = [
      [{}, true],
      [{ origin: own }, true],
      [{ origin: 'https://KHOMAT.snv.local:443' }, true],
      [{ origin: 'https://cong.snv.vn' }, true],
      [{ referer: `${own}/don-vi?x=1#y` }, true],
      [{ referer: 'https://cong.snv.vn/a' }, true],
      [{ origin: 'http://khomat.snv.local' }, false],
      [{ origin: 'https://khomat.snv.local:8443' }, false],
      [{ origin: 'https://khomat.snv.local.evil.example' }, false],
      [{ origin: 'null' }, false],
      [{ origin: '' }, false],
      [{ origin: 'file:///etc/passwd' }, false],
      [{ referer: 'https://evil.example/' }, false],
      [{ referer: 'không phải địa chỉ' }, false],
      [{ origin: 'https://evil.example', referer: `${own}/` }, false],
      [{ origin: own, referer: 'https://evil.example/' }, true],
      [{ origin: own, own: null }, false],
    ];
    for (const [input, accepted] of table) {
      expect(isRequestOriginAccepted({ origin: undefined, referer: undefined, own, allowed, ...input }), JSON.stringify(input)).toBe(accepted);
    }
  });
});
