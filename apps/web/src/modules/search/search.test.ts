import { describe, expect, it } from 'vitest';
import { filtersFromParams, hasCriteria, paramsFromFilters } from './search';
import { SUMMARY_HIDDEN_VI, SUMMARY_NONE_VI } from '@khomat/policy';
import { en } from '../../kit/dict.en';
import { vi } from '../../kit/dict.vi';

describe('search filters in the address bar', () => {
  it('round-trips every filter', () => {
    const f = {
      q: 'doi tac',
      register: 'incoming',
      year: 2026,
      level: 'SECRET',
      unitId: '0b6f3c1e-2a4d-4c8e-9f10-123456789abc',
      state: 'issued',
      from: '2026-01-01',
      to: '2026-03-31',
      page: 3,
      pageSize: 50,
    } as const;
    expect(filtersFromParams(new URLSearchParams(paramsFromFilters(f)))).toEqual(f);
  });

  it('leaves out defaults and empty values', () => {
    expect(paramsFromFilters({ page: 1, pageSize: 20 })).toEqual({});
    expect(paramsFromFilters({ q: '', page: 1, pageSize: 20 })).toEqual({});
  });

  it('drops whatever is malformed instead of sending it to the server', () => {
    const f = filtersFromParams(new URLSearchParams('register=secret&year=1999&level=TOP&unitId=abc&state=lost&from=01/02/2026&to=2026-13&page=0&pageSize=7'));
    expect(f).toEqual({ page: 1, pageSize: 20 });
    expect(hasCriteria(f)).toBe(false);
  });

  it('keeps Vietnamese text as typed, trimmed and bounded', () => {
    const f = filtersFromParams(new URLSearchParams({ q: '  Bộ Ngoại giao ' }));
    expect(f.q).toBe('Bộ Ngoại giao');
    expect(hasCriteria(f)).toBe(true);
    expect(filtersFromParams(new URLSearchParams({ q: 'a'.repeat(300) })).q).toHaveLength(200);
  });
});

describe('the two summary placeholders', () => {
  it('say on screen exactly what the printed register says, and differ from each other', () => {
    expect(vi['registers.summaryHidden']).toBe(SUMMARY_HIDDEN_VI);
    expect(vi['registers.summaryNone']).toBe(SUMMARY_NONE_VI);
    expect(en['registers.summaryHidden']).not.toBe(en['registers.summaryNone']);
  });
});
