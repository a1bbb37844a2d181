import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addYears, compareDates, daysBetween, daysInMonth, formatCivilDate, isLeapYear, parseCivilDate } from './civil-date';
import { LEVELS, type Level } from './levels';
import {
  EXPIRY_WARNING_DAYS,
  EXTENSION_MIN_DAYS_BEFORE_END,
  PERIOD_ERROR_MESSAGES_VI,
  periodReasonVi,
  periodTextVi,
  protectionPeriodFromBasis,
  baseProtectionEnd,
  declassifiedOn,
  expiryWarning,
  extensionAllowed,
  extensionDeadline,
  protectionEnd,
  protectionExpired,
  type ShorterPeriod,
} from './periods';

const isoArb = (minYear = 1900, maxYear = 2900) =>
  fc
    .record({ year: fc.integer({ min: minYear, max: maxYear }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
    .map((d) => formatCivilDate({ ...d, day: Math.min(d.day, daysInMonth(d.year, d.month)) }));
/** Leap days get their own generator so that every run exercises them. */
const leapDayArb = fc
  .integer({ min: 475, max: 724 })
  .map((q) => `${String(q * 4).padStart(4, '0')}-02-29`)
  .filter((s) => parseCivilDate(s) !== null);
const dateArb = fc.oneof(isoArb(), leapDayArb);
const levelArb = fc.constantFrom(...LEVELS);
const YEARS: Record<Level, number> = { TOP_SECRET: 30, SECRET: 20, CONFIDENTIAL: 10 };

describe('base protection period (Luật 117/2025 Đ.19)', () => {
  it.each([
    ['TOP_SECRET', '2026-03-01', '2056-03-01'],
    ['SECRET', '2026-03-01', '2046-03-01'],
    ['CONFIDENTIAL', '2026-03-01', '2036-03-01'],
    // Leap days: 2034 and 2054 are common years, 2044 is a leap year.
    ['CONFIDENTIAL', '2024-02-29', '2034-02-28'],
    ['SECRET', '2024-02-29', '2044-02-29'],
    ['TOP_SECRET', '2024-02-29', '2054-02-28'],
    ['CONFIDENTIAL', '2026-12-31', '2036-12-31'],
  ] as const)('%s classified on %s is protected until %s', (level, on, end) => {
    expect(protectionEnd({ level, classifiedOn: on })).toEqual({ ok: true, end, shortened: false });
    expect(baseProtectionEnd(level, on)).toBe(end);
  });

  it('declassified from the day after the end', () => {
    expect(declassifiedOn('2036-02-28')).toBe('2036-02-29');
    expect(declassifiedOn('2034-02-28')).toBe('2034-03-01');
  });

  it('invalid dates and levels are error results, not exceptions', () => {
    expect(protectionEnd({ level: 'SECRET', classifiedOn: '2025-02-29' })).toEqual({ ok: false, code: 'period.invalid_date' });
    expect(protectionEnd({ level: 'SECRET', classifiedOn: '01/03/2026' })).toEqual({ ok: false, code: 'period.invalid_date' });
    expect(protectionEnd({ level: 'HUSH' as Level, classifiedOn: '2026-03-01' })).toEqual({ ok: false, code: 'period.invalid_date' });
    expect(protectionEnd({ level: 'TOP_SECRET', classifiedOn: '9980-01-01' })).toEqual({ ok: false, code: 'period.out_of_range' });
  });

  it('the end is the same month and day N years on, 29 Feb clamped in common years (property)', () => {
    fc.assert(
      fc.property(levelArb, dateArb, (level, on) => {
        const r = protectionEnd({ level, classifiedOn: on });
        if (!r.ok) return false;
        const s = parseCivilDate(on)!;
        const e = parseCivilDate(r.end)!;
        expect(e.year).toBe(s.year + YEARS[level]);
        expect(e.month).toBe(s.month);
        expect(e.day).toBe(s.month === 2 && s.day === 29 && !isLeapYear(e.year) ? 28 : s.day);
        // Between N×365 and N×366 days.
        const span = daysBetween(on, r.end);
        expect(span).toBeGreaterThanOrEqual(YEARS[level] * 365);
        expect(span).toBeLessThanOrEqual(YEARS[level] * 366);
        return true;
      }),
    );
  });

  it('higher levels are protected longer (property)', () => {
    fc.assert(
      fc.property(dateArb, (on) => {
        const end = (l: Level) => baseProtectionEnd(l, on);
        return compareDates(end('CONFIDENTIAL'), end('SECRET')) < 0 && compareDates(end('SECRET'), end('TOP_SECRET')) < 0;
      }),
    );
  });
});

describe('shorter period (activities, Luật 117/2025 Đ.19)', () => {
  const on = '2026-03-10';
  it.each<[Level, ShorterPeriod, string]>([
    ['CONFIDENTIAL', { years: 2 }, '2028-03-10'],
    ['CONFIDENTIAL', { months: 6 }, '2026-09-10'],
    ['CONFIDENTIAL', { days: 1 }, '2026-03-11'],
    ['CONFIDENTIAL', { years: 1, months: 2, days: 3 }, '2027-05-13'],
    ['CONFIDENTIAL', { years: 9, months: 11, days: 28 }, '2036-03-09'], // one day short of 10 years (Feb 2036 has 29 days)
    ['CONFIDENTIAL', { months: 119 }, '2036-02-10'],
    ['SECRET', { years: 19 }, '2045-03-10'],
    ['TOP_SECRET', { years: 29, months: 11 }, '2056-02-10'],
    ['TOP_SECRET', { years: 0, months: 0, days: 10 }, '2026-03-20'],
    ['CONFIDENTIAL', { until: '2030-01-01' }, '2030-01-01'],
    ['CONFIDENTIAL', { until: '2036-03-09' }, '2036-03-09'],
    ['CONFIDENTIAL', { until: '2026-03-11' }, '2026-03-11'],
  ])('%s %j → %s', (level, shorterPeriod, end) => {
    expect(protectionEnd({ level, classifiedOn: on, shorterPeriod })).toEqual({ ok: true, end, shortened: true });
  });

  it.each<[Level, ShorterPeriod, string]>([
    ['CONFIDENTIAL', { years: 10 }, 'period.not_shorter'],
    ['CONFIDENTIAL', { years: 11 }, 'period.not_shorter'],
    ['CONFIDENTIAL', { years: 9, months: 12 }, 'period.not_shorter'],
    ['CONFIDENTIAL', { years: 9, months: 11, days: 29 }, 'period.not_shorter'], // exactly 10 years
    ['CONFIDENTIAL', { days: 3653 }, 'period.not_shorter'],
    ['CONFIDENTIAL', { days: 1e12 }, 'period.not_shorter'],
    ['SECRET', { years: 20 }, 'period.not_shorter'],
    ['TOP_SECRET', { years: 30 }, 'period.not_shorter'],
    ['TOP_SECRET', { years: 1e9 }, 'period.not_shorter'],
    ['CONFIDENTIAL', { until: '2036-03-10' }, 'period.not_shorter'],
    ['CONFIDENTIAL', { until: '2040-01-01' }, 'period.not_shorter'],
    ['CONFIDENTIAL', { until: '2026-03-10' }, 'period.not_positive'],
    ['CONFIDENTIAL', { until: '2020-01-01' }, 'period.not_positive'],
    ['CONFIDENTIAL', { years: 0 }, 'period.not_positive'],
    ['CONFIDENTIAL', { years: 0, months: 0, days: 0 }, 'period.not_positive'],
    ['CONFIDENTIAL', {}, 'period.invalid_length'],
    ['CONFIDENTIAL', { years: -1, months: 14 }, 'period.invalid_length'],
    ['CONFIDENTIAL', { months: 1.5 }, 'period.invalid_length'],
    ['CONFIDENTIAL', { days: Number.NaN }, 'period.invalid_length'],
    ['CONFIDENTIAL', { years: '2' as unknown as number }, 'period.invalid_length'],
    ['CONFIDENTIAL', { until: '2030-01-01', years: 1 } as ShorterPeriod, 'period.invalid_length'],
    ['CONFIDENTIAL', { until: '2030-02-30' }, 'period.invalid_date'],
    ['CONFIDENTIAL', { until: 20300101 as unknown as string }, 'period.invalid_date'],
  ])('%s %j → %s', (level, shorterPeriod, code) => {
    expect(protectionEnd({ level, classifiedOn: on, shorterPeriod })).toEqual({ ok: false, code });
  });

  it('null or absent shorter period means the base period', () => {
    expect(protectionEnd({ level: 'SECRET', classifiedOn: on, shorterPeriod: null })).toEqual({ ok: true, end: '2046-03-10', shortened: false });
  });

  it('leap days: a shorter period from 29 Feb clamps like the base period', () => {
    expect(protectionEnd({ level: 'CONFIDENTIAL', classifiedOn: '2024-02-29', shorterPeriod: { years: 1 } })).toEqual({
      ok: true,
      end: '2025-02-28',
      shortened: true,
    });
    expect(protectionEnd({ level: 'CONFIDENTIAL', classifiedOn: '2024-02-29', shorterPeriod: { years: 1, months: 1 } })).toEqual({
      ok: true,
      end: '2025-03-29',
      shortened: true,
    });
    expect(protectionEnd({ level: 'CONFIDENTIAL', classifiedOn: '2024-02-29', shorterPeriod: { years: 4 } })).toEqual({
      ok: true,
      end: '2028-02-29',
      shortened: true,
    });
    // Base ends 2034-02-28; 2034-02-27 is the last acceptable "until".
    expect(protectionEnd({ level: 'CONFIDENTIAL', classifiedOn: '2024-02-29', shorterPeriod: { until: '2034-02-27' } }).ok).toBe(true);
    expect(protectionEnd({ level: 'CONFIDENTIAL', classifiedOn: '2024-02-29', shorterPeriod: { until: '2034-02-28' } })).toEqual({
      ok: false,
      code: 'period.not_shorter',
    });
  });

  it('an accepted shorter period ends strictly between the classification date and the base end (property)', () => {
    const lengthArb = fc.record(
      { years: fc.integer({ min: 0, max: 40 }), months: fc.integer({ min: 0, max: 400 }), days: fc.integer({ min: 0, max: 12_000 }) },
      { requiredKeys: [] },
    );
    const untilArb = isoArb(1890, 2950).map((until) => ({ until }));
    fc.assert(
      fc.property(levelArb, dateArb, fc.oneof(lengthArb, untilArb), (level, on, sp) => {
        const r = protectionEnd({ level, classifiedOn: on, shorterPeriod: sp });
        const base = baseProtectionEnd(level, on);
        if (r.ok) {
          expect(compareDates(on, r.end)).toBe(-1);
          expect(compareDates(r.end, base)).toBe(-1);
          expect(r.shortened).toBe(true);
        } else {
          expect(['period.not_shorter', 'period.not_positive', 'period.invalid_length']).toContain(r.code);
        }
      }),
    );
  });

  it('"until" is accepted exactly when it lies strictly inside the base period (property)', () => {
    fc.assert(
      fc.property(levelArb, dateArb, fc.integer({ min: -400, max: 12_000 }), (level, on, offset) => {
        const until = addDays(on, offset);
        const base = baseProtectionEnd(level, on);
        const r = protectionEnd({ level, classifiedOn: on, shorterPeriod: { until } });
        const inside = offset > 0 && compareDates(until, base) < 0;
        expect(r.ok).toBe(inside);
        if (r.ok) expect(r.end).toBe(until);
      }),
    );
  });

  it('a length of at least the base years is never shorter (property)', () => {
    fc.assert(
      fc.property(
        levelArb,
        dateArb,
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 11 }),
        fc.integer({ min: 0, max: 400 }),
        (level, on, extra, months, days) => {
          const r = protectionEnd({ level, classifiedOn: on, shorterPeriod: { years: YEARS[level] + extra, months, days } });
          expect(r).toEqual({ ok: false, code: 'period.not_shorter' });
        },
      ),
    );
  });
});

describe('extension (Luật 117/2025 Đ.20)', () => {
  const end = '2036-03-10';
  it('the deadline is 60 days before the end', () => {
    expect(extensionDeadline(end)).toBe('2036-01-10');
    expect(daysBetween(extensionDeadline(end), end)).toBe(EXTENSION_MIN_DAYS_BEFORE_END);
  });

  it.each([
    ['CONFIDENTIAL', '2036-01-10', 10, { ok: true, newEnd: '2046-03-10', notifyBy: '2036-01-25' }],
    ['CONFIDENTIAL', '2035-06-01', 1, { ok: true, newEnd: '2037-03-10', notifyBy: '2035-06-16' }],
    ['CONFIDENTIAL', '2036-01-11', 5, { ok: false, code: 'extension.too_late' }],
    ['CONFIDENTIAL', '2036-03-10', 5, { ok: false, code: 'extension.too_late' }],
    ['CONFIDENTIAL', '2036-05-01', 5, { ok: false, code: 'extension.too_late' }],
    ['CONFIDENTIAL', '2030-01-01', 11, { ok: false, code: 'extension.too_long' }],
    ['SECRET', '2030-01-01', 20, { ok: true, newEnd: '2056-03-10', notifyBy: '2030-01-16' }],
    ['SECRET', '2030-01-01', 21, { ok: false, code: 'extension.too_long' }],
    ['TOP_SECRET', '2030-01-01', 30, { ok: true, newEnd: '2066-03-10', notifyBy: '2030-01-16' }],
    ['TOP_SECRET', '2030-01-01', 31, { ok: false, code: 'extension.too_long' }],
    ['TOP_SECRET', '2030-01-01', 0, { ok: false, code: 'extension.invalid_length' }],
    ['TOP_SECRET', '2030-01-01', -3, { ok: false, code: 'extension.invalid_length' }],
    ['TOP_SECRET', '2030-01-01', 2.5, { ok: false, code: 'extension.invalid_length' }],
    ['TOP_SECRET', '2030-13-01', 2, { ok: false, code: 'period.invalid_date' }],
  ] as const)('%s decided %s for %i years → %j', (level, decidedOn, extensionYears, expected) => {
    expect(extensionAllowed({ level, currentEnd: end, decidedOn, extensionYears })).toEqual(expected);
  });

  it('leap day end: the extension clamps and the deadline counts 29 Feb', () => {
    expect(extensionAllowed({ level: 'CONFIDENTIAL', currentEnd: '2044-02-29', decidedOn: '2043-12-31', extensionYears: 1 })).toEqual({
      ok: true,
      newEnd: '2045-02-28',
      notifyBy: '2044-01-15',
    });
    expect(extensionDeadline('2044-02-29')).toBe('2043-12-31');
    expect(extensionAllowed({ level: 'CONFIDENTIAL', currentEnd: '2044-02-29', decidedOn: '2044-01-01', extensionYears: 1 }).ok).toBe(false);
  });

  it('allowed exactly when decided ≥ 60 days ahead and 1 ≤ years ≤ base (property)', () => {
    fc.assert(
      fc.property(levelArb, dateArb, fc.integer({ min: -100, max: 2000 }), fc.integer({ min: -2, max: 35 }), (level, currentEnd, ahead, years) => {
        const decidedOn = addDays(currentEnd, -ahead);
        const r = extensionAllowed({ level, currentEnd, decidedOn, extensionYears: years });
        const expectedOk = ahead >= 60 && years >= 1 && years <= YEARS[level];
        expect(r.ok).toBe(expectedOk);
        if (r.ok) {
          expect(r.newEnd).toBe(addYears(currentEnd, years));
          expect(compareDates(r.newEnd, currentEnd)).toBe(1);
          expect(daysBetween(decidedOn, r.notifyBy)).toBe(15);
        }
      }),
    );
  });
});

describe('expiry warning', () => {
  const end = '2036-03-10';
  it.each([
    ['2035-12-10', false], // 91 days before
    ['2035-12-11', true], // 90 days before
    ['2036-01-10', true], // the extension deadline
    ['2036-03-10', true], // the last protected day
    ['2036-03-11', false], // declassified: protectionExpired takes over
  ])('today %s → %s', (today, warn) => {
    expect(expiryWarning(end, today)).toBe(warn);
  });

  it('the default lead leaves time before the extension deadline', () => {
    expect(EXPIRY_WARNING_DAYS).toBeGreaterThan(EXTENSION_MIN_DAYS_BEFORE_END);
  });

  it('lead time can be given', () => {
    expect(expiryWarning(end, '2036-01-09', 60)).toBe(false);
    expect(expiryWarning(end, '2036-01-10', 60)).toBe(true);
  });

  it('expired only after the end', () => {
    expect(protectionExpired(end, '2036-03-10')).toBe(false);
    expect(protectionExpired(end, '2036-03-11')).toBe(true);
  });

  it('warning holds on an unbroken window that ends on the end date, then expiry (property)', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -500, max: 500 }), (endDate, offset) => {
        const today = addDays(endDate, offset);
        expect(expiryWarning(endDate, today)).toBe(offset >= -EXPIRY_WARNING_DAYS && offset <= 0);
        expect(protectionExpired(endDate, today)).toBe(offset > 0);
      }),
    );
  });
});

it('every error code has a Vietnamese message', () => {
  for (const msg of Object.values(PERIOD_ERROR_MESSAGES_VI)) expect(msg.length).toBeGreaterThan(10);
});

describe('protectionPeriodFromBasis and its reason', () => {
  const on = '2026-03-02';
  it('takes the shortest applicable basis and says which', () => {
    expect(protectionPeriodFromBasis({ level: 'CONFIDENTIAL', classifiedOn: on })).toEqual({
      ok: true,
      end: '2036-03-02',
      basis: { source: 'level', level: 'CONFIDENTIAL', years: 10 },
    });
    const catalog = { period: { years: 3 }, ref: 'Điều 1, khoản 2 — 19/QĐ-TTg' };
    expect(protectionPeriodFromBasis({ level: 'CONFIDENTIAL', classifiedOn: on, catalog })).toMatchObject({ end: '2029-03-02', basis: { source: 'catalog' } });
    expect(protectionPeriodFromBasis({ level: 'CONFIDENTIAL', classifiedOn: on, catalog, decision: { months: 6 } })).toMatchObject({
      end: '2026-09-02',
      basis: { source: 'decision' },
    });
    // A tie cites the catalogue; a catalogue period not shorter than the level's is not applied.
    expect(protectionPeriodFromBasis({ level: 'CONFIDENTIAL', classifiedOn: on, catalog, decision: { years: 3 } })).toMatchObject({
      basis: { source: 'catalog' },
    });
    expect(protectionPeriodFromBasis({ level: 'SECRET', classifiedOn: on, catalog: { period: { years: 20 }, ref: 'x' } })).toMatchObject({
      end: '2046-03-02',
      basis: { source: 'level' },
    });
    expect(protectionPeriodFromBasis({ level: 'CONFIDENTIAL', classifiedOn: on, catalog: { period: null, ref: 'x' } })).toMatchObject({
      basis: { source: 'level' },
    });
    // An invalid decided period is refused, as protectionEnd refuses it.
    expect(protectionPeriodFromBasis({ level: 'CONFIDENTIAL', classifiedOn: on, catalog, decision: { years: 12 } })).toEqual({
      ok: false,
      code: 'period.not_shorter',
    });
  });

  it('words the reason for the item page', () => {
    expect(periodReasonVi({ source: 'level', level: 'CONFIDENTIAL', years: 10 })).toBe(
      'Thời hạn mặc định của độ Mật: 10 năm (Luật Bảo vệ bí mật nhà nước, Điều 19).',
    );
    expect(periodReasonVi({ source: 'catalog', period: { years: 3 }, ref: 'Điều 1 — 19/QĐ-TTg' })).toBe(
      'Thời hạn 3 năm theo danh mục bí mật nhà nước: Điều 1 — 19/QĐ-TTg.',
    );
    expect(periodTextVi({ years: 1, months: 6 })).toBe('1 năm 6 tháng');
    expect(periodTextVi({ until: '2027-12-31' })).toBe('đến ngày 31/12/2027');
  });
});
