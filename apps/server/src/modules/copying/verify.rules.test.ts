import { ROLES } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import { newCopyVerificationId } from './copy-pdf';
import { mayTraceCopies, normaliseVerificationId } from './verify.rules';

describe('who may trace a copy', () => {
  it.each(ROLES.flatMap((role) => [true, false].map((isAgencyHead) => [role, isAgencyHead] as const)))('%s (agency head: %s)', (role, isAgencyHead) => {
    const expected = role === 'security_officer' || (role === 'head' && isAgencyHead);
    expect(mayTraceCopies({ roles: [role], isAgencyHead })).toBe(expected);
  });
});

describe('a verification id as typed', () => {
  const id = newCopyVerificationId();
  it('is taken in lower case, grouped with spaces or hyphens', () => {
    expect(normaliseVerificationId(id)).toBe(id);
    expect(normaliseVerificationId(id.toLowerCase())).toBe(id);
    expect(normaliseVerificationId(` ${id.slice(0, 4)}-${id.slice(4, 13)} ${id.slice(13)} `)).toBe(id);
  });
  it.each(['', 'abc', `${id}A`, id.slice(1), id.replace(/^./, '0'), id.replace(/^./, '1'), 'x'.repeat(500)])('refuses %j', (raw) => {
    expect(normaliseVerificationId(raw)).toBeNull();
  });
});
