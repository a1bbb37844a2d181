import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  addYears,
  civilDateInVietnam,
  compareDates,
  daysBetween,
  daysInMonth,
  formatCivilDate,
  fromDayNumber,
  isAfter,
  isBefore,
  isCivilDate,
  isLeapYear,
  maxDate,
  minDate,
  parseCivilDate,
  toDayNumber,
  type CivilDate,
} from './civil-date';

/** Any valid civil date, leap days included. */
const civilDateArb = (minYear = 1, maxYear = 9999): fc.Arbitrary<CivilDate> =>
  fc
    .record({ year: fc.integer({ min: minYear, max: maxYear }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
    .map((d) => ({ ...d, day: Math.min(d.day, daysInMonth(d.year, d.month)) }));
const isoArb = (minYear = 1, maxYear = 9999) => civilDateArb(minYear, maxYear).map(formatCivilDate);

/** Oracle: the proleptic Gregorian calendar of `Date` in UTC (no local time zone involved). */
function utcDayNumber(d: CivilDate): number {
  const t = new Date(0);
  t.setUTCFullYear(d.year, d.month - 1, d.day);
  return Math.round(t.getTime() / 86_400_000);
}

describe('leap years and month lengths', () => {
  it.each([
    [2024, true],
    [2025, false],
    [1900, false],
    [2000, true],
    [2100, false],
    [2400, true],
  ])('%i leap = %s', (y, leap) => expect(isLeapYear(y)).toBe(leap));

  it('month lengths', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2025, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(() => daysInMonth(2024, 13)).toThrow(RangeError);
  });
});

describe('parse / format', () => {
  it.each(['2026-03-01', '2024-02-29', '0001-01-01', '9999-12-31', '2000-02-29'])('accepts %s', (s) => {
    expect(isCivilDate(s)).toBe(true);
    expect(formatCivilDate(parseCivilDate(s)!)).toBe(s);
  });

  it.each([
    '2025-02-29', // not a leap year
    '1900-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '0000-01-01',
    '2026-1-5',
    '26-01-05',
    '2026/01/05',
    '2026-01-05T00:00:00Z',
    ' 2026-01-05',
    '２０２６-01-05', // full-width digits
    '',
  ])('rejects %j', (s) => {
    expect(parseCivilDate(s)).toBeNull();
    expect(isCivilDate(s)).toBe(false);
  });

  it('isCivilDate rejects non-strings', () => {
    expect(isCivilDate(20260101)).toBe(false);
    expect(isCivilDate(null)).toBe(false);
    expect(isCivilDate(new Date())).toBe(false);
  });

  it('format pads and refuses invalid dates', () => {
    expect(formatCivilDate({ year: 33, month: 4, day: 7 })).toBe('0033-04-07');
    expect(() => formatCivilDate({ year: 2025, month: 2, day: 29 })).toThrow(RangeError);
    expect(() => formatCivilDate({ year: 2025, month: 1, day: 1.5 })).toThrow(RangeError);
  });

  it('round trip string → date → string (property)', () => {
    fc.assert(fc.property(isoArb(), (s) => formatCivilDate(parseCivilDate(s)!) === s));
  });

  it('round trip date → string → date (property)', () => {
    fc.assert(
      fc.property(civilDateArb(), (d) => {
        expect(parseCivilDate(formatCivilDate(d))).toEqual(d);
      }),
    );
  });
});

describe('day numbers', () => {
  it('anchors', () => {
    expect(toDayNumber({ year: 1, month: 1, day: 1 })).toBe(1);
    expect(toDayNumber({ year: 1, month: 12, day: 31 })).toBe(365);
    expect(fromDayNumber(1)).toEqual({ year: 1, month: 1, day: 1 });
    expect(() => fromDayNumber(0)).toThrow(RangeError);
    expect(() => fromDayNumber(toDayNumber({ year: 9999, month: 12, day: 31 }) + 1)).toThrow(RangeError);
  });

  it('agrees with the UTC calendar of Date (property)', () => {
    const epoch = toDayNumber({ year: 1970, month: 1, day: 1 });
    fc.assert(fc.property(civilDateArb(), (d) => toDayNumber(d) - epoch === utcDayNumber(d)));
  });

  it('fromDayNumber inverts toDayNumber (property)', () => {
    fc.assert(
      fc.property(civilDateArb(), (d) => {
        expect(fromDayNumber(toDayNumber(d))).toEqual(d);
      }),
    );
  });

  it('consecutive day numbers are consecutive dates over a leap-year boundary', () => {
    const start = toDayNumber({ year: 2024, month: 2, day: 27 });
    expect([0, 1, 2, 3].map((i) => formatCivilDate(fromDayNumber(start + i)))).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01']);
  });
});

describe('compare', () => {
  it('examples', () => {
    expect(compareDates('2026-03-01', '2026-02-28')).toBe(1);
    expect(compareDates('2026-03-01', '2026-03-01')).toBe(0);
    expect(compareDates('2025-12-31', '2026-01-01')).toBe(-1);
    expect(isBefore('2025-12-31', '2026-01-01')).toBe(true);
    expect(isAfter('2025-12-31', '2026-01-01')).toBe(false);
    expect(minDate('2026-01-02', '2026-01-01')).toBe('2026-01-01');
    expect(maxDate('2026-01-02', '2026-01-01')).toBe('2026-01-02');
  });

  it('throws on invalid input (a programming error)', () => {
    expect(() => compareDates('2026-02-30', '2026-01-01')).toThrow(RangeError);
  });

  it('is a total order consistent with string order and day numbers (property)', () => {
    fc.assert(
      fc.property(isoArb(), isoArb(), isoArb(), (a, b, c) => {
        const ab = compareDates(a, b);
        expect(ab).toBe(-compareDates(b, a) || 0);
        expect(ab).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(Math.sign(daysBetween(a, b))).toBe(-ab || 0);
        if (ab <= 0 && compareDates(b, c) <= 0) expect(compareDates(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});

describe('addDays / daysBetween', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-04-30', 60, '2026-06-29'],
    ['2026-03-01', 0, '2026-03-01'],
    ['2000-01-01', 366, '2001-01-01'],
  ] as const)('%s + %i days = %s', (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
    expect(daysBetween(d, expected)).toBe(n);
  });

  it('refuses fractional days and leaving the range', () => {
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0001-01-01', -1)).toThrow(RangeError);
  });

  it('addDays(d, n) then addDays(-n) is the identity (property)', () => {
    fc.assert(fc.property(isoArb(1000, 9000), fc.integer({ min: -300_000, max: 300_000 }), (d, n) => addDays(addDays(d, n), -n) === d));
  });

  it('daysBetween(d, addDays(d, n)) = n and addDays is monotone (property)', () => {
    fc.assert(
      fc.property(isoArb(1000, 9000), fc.integer({ min: -300_000, max: 300_000 }), (d, n) => {
        const e = addDays(d, n);
        expect(daysBetween(d, e)).toBe(n);
        expect(compareDates(d, e)).toBe(n === 0 ? 0 : n > 0 ? -1 : 1);
      }),
    );
  });

  it('daysBetween is antisymmetric and additive (property)', () => {
    fc.assert(
      fc.property(isoArb(), isoArb(), isoArb(), (a, b, c) => {
        expect(daysBetween(a, b)).toBe(-daysBetween(b, a));
        expect(daysBetween(a, b) + daysBetween(b, c)).toBe(daysBetween(a, c));
      }),
    );
  });
});

describe('addMonths / addYears (end-of-month clamping)', () => {
  it.each([
    ['2024-02-29', 1, '2025-02-28'], // [I] leap day + 1 year → 28 Feb
    ['2024-02-29', 4, '2028-02-29'],
    ['2024-02-29', 100, '2124-02-29'],
    ['2000-02-29', 100, '2100-02-28'], // 2100 is not a leap year
    ['2024-02-29', -1, '2023-02-28'],
    ['2026-03-01', 30, '2056-03-01'],
    ['2026-03-01', 10, '2036-03-01'],
  ] as const)('addYears(%s, %i) = %s', (d, n, expected) => expect(addYears(d, n)).toBe(expected));

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-05-31', 13, '2027-06-30'],
    ['2026-05-31', -17, '2024-12-31'],
    ['2026-05-31', 0, '2026-05-31'],
  ] as const)('addMonths(%s, %i) = %s', (d, n, expected) => expect(addMonths(d, n)).toBe(expected));

  it('refuses fractional amounts and leaving the range', () => {
    expect(() => addMonths('2026-01-01', 1.5)).toThrow(RangeError);
    expect(() => addYears('9990-01-01', 10)).toThrow(RangeError);
    expect(() => addYears('0005-01-01', -5)).toThrow(RangeError);
  });

  it('keeps the day when the target month has it, else takes the last day (property)', () => {
    fc.assert(
      fc.property(civilDateArb(100, 9000), fc.integer({ min: -1000, max: 1000 }), (d, n) => {
        const r = parseCivilDate(addMonths(formatCivilDate(d), n))!;
        expect((r.year - d.year) * 12 + (r.month - d.month)).toBe(n);
        expect(r.day).toBe(Math.min(d.day, daysInMonth(r.year, r.month)));
      }),
    );
  });

  it('addYears moves the year only, 29 Feb clamps to 28 Feb in common years (property)', () => {
    fc.assert(
      fc.property(civilDateArb(100, 9000), fc.integer({ min: -90, max: 90 }), (d, n) => {
        const r = parseCivilDate(addYears(formatCivilDate(d), n))!;
        expect(r.year).toBe(d.year + n);
        expect(r.month).toBe(d.month);
        const clamped = d.month === 2 && d.day === 29 && !isLeapYear(r.year);
        expect(r.day).toBe(clamped ? 28 : d.day);
      }),
    );
  });

  it('adding a positive number of months never goes backwards (property)', () => {
    fc.assert(fc.property(isoArb(100, 9000), fc.integer({ min: 1, max: 1000 }), (d, n) => compareDates(addMonths(d, n), d) === 1));
  });
});

describe('today in Vietnam (UTC+7, no daylight saving)', () => {
  it.each([
    ['2026-03-01T16:59:59.999Z', '2026-03-01'],
    ['2026-03-01T17:00:00.000Z', '2026-03-02'],
    ['2025-12-31T17:00:00.000Z', '2026-01-01'],
    ['2024-02-28T17:30:00.000Z', '2024-02-29'],
  ])('%s → %s', (instant, expected) => expect(civilDateInVietnam(new Date(instant))).toBe(expected));
});
