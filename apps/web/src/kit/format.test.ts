import { describe, expect, it } from 'vitest';
import { endOfVnDay, formatCivilDate, formatDate, formatDateTime, startOfVnDay } from './format';

describe('Vietnam time formatting', () => {
  it('shows UTC instants as dd/MM/yyyy HH:mm:ss in Asia/Ho_Chi_Minh (UTC+7)', () => {
    expect(formatDateTime('2026-03-01T17:05:09.000Z')).toBe('02/03/2026 00:05:09');
    expect(formatDateTime('2026-12-31T16:59:59Z')).toBe('31/12/2026 23:59:59');
    expect(formatDate('2026-12-31T17:00:00Z')).toBe('01/01/2027');
  });

  it('leaves empty and unreadable values alone', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('không phải ngày')).toBe('không phải ngày');
  });

  it('turns a Vietnamese calendar day into a UTC range', () => {
    expect(startOfVnDay('2026-03-01')).toBe('2026-02-28T17:00:00.000Z');
    expect(endOfVnDay('2026-03-01')).toBe('2026-03-01T16:59:59.999Z');
  });

  it('shows civil dates of the API as dd/MM/yyyy without moving them across time zones', () => {
    expect(formatCivilDate('2026-03-01')).toBe('01/03/2026');
    expect(formatCivilDate(null)).toBe('');
    expect(formatCivilDate('01/03/2026')).toBe('01/03/2026');
  });
});
