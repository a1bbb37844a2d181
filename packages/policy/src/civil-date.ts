// Civil dates (ngày dương lịch) as the law counts them: a day in the calendar, with no time and
// no time zone. Periods in Luật 117/2025 (Đ.19 thời hạn bảo vệ, Đ.20 gia hạn) are counted in
// whole years and days from a date, so KhoMật stores dates as 'YYYY-MM-DD' strings and does the
// arithmetic on { year, month, day } here. `Date` is used only to read "today" in Vietnam.
//
// Range: years 0001–9999 of the proleptic Gregorian calendar (four-digit years keep the string
// form sortable). Arithmetic that would leave that range throws a RangeError: it is a programming
// error, never user input (user input is checked with `parseCivilDate` / `isCivilDate` first).

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** A date in 'YYYY-MM-DD' form. A plain string alias: validate with `isCivilDate`. */
export type IsoDate = string;

export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

const DAYS_BEFORE_MONTH = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  const days = DAYS_IN_MONTH[month - 1];
  if (days === undefined) throw new RangeError(`month out of range: ${month}`);
  return days;
}

export function isValidCivilDate(d: CivilDate): boolean {
  return (
    Number.isInteger(d.year) &&
    Number.isInteger(d.month) &&
    Number.isInteger(d.day) &&
    d.year >= MIN_YEAR &&
    d.year <= MAX_YEAR &&
    d.month >= 1 &&
    d.month <= 12 &&
    d.day >= 1 &&
    d.day <= daysInMonth(d.year, d.month)
  );
}

/** Strict parse of 'YYYY-MM-DD'; null for anything else (wrong shape, 2026-02-30, year 0000). */
export function parseCivilDate(s: string): CivilDate | null {
  const m = ISO_DATE.exec(s);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isValidCivilDate(d) ? d : null;
}

export function isCivilDate(s: unknown): s is IsoDate {
  return typeof s === 'string' && parseCivilDate(s) !== null;
}

export function formatCivilDate(d: CivilDate): IsoDate {
  if (!isValidCivilDate(d)) throw new RangeError(`invalid civil date: ${JSON.stringify(d)}`);
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

function mustParse(s: IsoDate): CivilDate {
  const d = parseCivilDate(s);
  if (!d) throw new RangeError(`invalid civil date: ${JSON.stringify(s)}`);
  return d;
}

function daysBeforeYear(year: number): number {
  const p = year - 1;
  return 365 * p + Math.floor(p / 4) - Math.floor(p / 100) + Math.floor(p / 400);
}

/** Day number counted from 0001-01-01 = 1. */
export function toDayNumber(d: CivilDate): number {
  if (!isValidCivilDate(d)) throw new RangeError(`invalid civil date: ${JSON.stringify(d)}`);
  const leapShift = d.month > 2 && isLeapYear(d.year) ? 1 : 0;
  return daysBeforeYear(d.year) + (DAYS_BEFORE_MONTH[d.month - 1] ?? 0) + leapShift + d.day;
}

export function fromDayNumber(n: number): CivilDate {
  if (!Number.isInteger(n) || n < 1 || n > toDayNumber({ year: MAX_YEAR, month: 12, day: 31 })) {
    throw new RangeError(`day number out of range: ${n}`);
  }
  // Estimate the year, then correct it by at most a step or two either way.
  let year = Math.floor((n - 1) / 365.2425) + 1;
  while (year > MIN_YEAR && daysBeforeYear(year) >= n) year--;
  while (daysBeforeYear(year + 1) < n) year++;
  let rest = n - daysBeforeYear(year);
  let month = 1;
  while (rest > daysInMonth(year, month)) {
    rest -= daysInMonth(year, month);
    month++;
  }
  return { year, month, day: rest };
}

/** -1, 0 or 1. 'YYYY-MM-DD' strings sort like the dates once validated. */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const x = toDayNumber(mustParse(a));
  const y = toDayNumber(mustParse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isBefore(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) < 0;
}

export function isAfter(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) > 0;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(mustParse(to)) - toDayNumber(mustParse(from));
}

function assertWhole(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number: ${n}`);
}

export function addDays(d: IsoDate, days: number): IsoDate {
  assertWhole(days, 'days');
  return formatCivilDate(fromDayNumber(toDayNumber(mustParse(d)) + days));
}

/**
 * Same day `months` later; when the target month is shorter the result is its last day
 * (31 Jan + 1 month = 28/29 Feb).
 *
 * [I] Decision: a period of N years or months counted "from" a date ends on the corresponding
 * day of the last month of the period, and on that month's last day when it has no such day
 * (so 29 Feb 2024 + 1 year = 28 Feb 2025, never 1 Mar). This is how Bộ luật Dân sự 2015 Đ.148
 * ends periods counted in months and years (recalled, not in the domain docs); the BMNN law
 * itself only says the period is counted from the classification date (Luật 117/2025 Đ.19).
 */
export function addMonths(d: IsoDate, months: number): IsoDate {
  assertWhole(months, 'months');
  const { year, month, day } = mustParse(d);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  if (y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`year out of range: ${y}`);
  return formatCivilDate({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

/** `years` whole years later, with the end-of-month rule of `addMonths` (29 Feb → 28 Feb). */
export function addYears(d: IsoDate, years: number): IsoDate {
  assertWhole(years, 'years');
  return addMonths(d, years * 12);
}

export function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) <= 0 ? a : b;
}

export function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareDates(a, b) >= 0 ? a : b;
}

/**
 * Vietnam keeps UTC+7 all year (no daylight saving), so the civil date "today" at an instant is
 * the UTC date of the instant shifted by seven hours. The server's own time zone plays no part.
 */
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

export function civilDateInVietnam(instant: Date): IsoDate {
  const shifted = new Date(instant.getTime() + VIETNAM_UTC_OFFSET_MINUTES * 60_000);
  return formatCivilDate({
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  });
}
