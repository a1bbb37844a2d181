import { describe, expect, it } from 'vitest';
import { delegationStatus } from './status';

describe('delegationStatus', () => {
  const d = { validFrom: '2026-01-10', validTo: '2026-03-31', revokedAt: null };
  it('is in force on both bounds', () => {
    expect(delegationStatus(d, '2026-01-10')).toBe('active');
    expect(delegationStatus(d, '2026-03-31')).toBe('active');
  });
  it('is expired after the end and pending before the start', () => {
    expect(delegationStatus(d, '2026-04-01')).toBe('expired');
    expect(delegationStatus(d, '2026-01-09')).toBe('pending');
  });
  it('is revoked whatever the dates', () => {
    expect(delegationStatus({ ...d, revokedAt: '2026-02-01T03:00:00.000Z' }, '2026-02-02')).toBe('revoked');
  });
});
