import { addDays, addMonths, addYears, compareDates, daysBetween, isCivilDate, type IsoDate } from './civil-date';
import { LEVEL_TABLE, LEVELS, type Level } from './levels';

// Thời hạn bảo vệ bí mật nhà nước and its extension.
//   Luật 117/2025 Đ.19: Tuyệt mật 30, Tối mật 20, Mật 10 years, counted from the date the level is
//   determined (the figures of Luật 29/2018 Đ.19; [I] assumed unchanged by the 2025 law — the
//   years live in LEVEL_TABLE.protectionYears). Activities may carry a shorter period, written on
//   the item when the level is determined.
//   Luật 117/2025 Đ.20 (gia hạn, [I] article number and content assumed kept from Luật 29/2018
//   Đ.20 as restated in TT 104/2021): decided at least 60 days before the end, each extension no
//   longer than the base period of the level, related parties notified within 15 days.
//   Luật 117/2025 Đ.22 k.1 a: declassified automatically when the (extended) period ends.
//
// Convention used throughout: `end` is the LAST day on which the item is protected ([I], see
// addMonths in civil-date.ts: a period of N years from D ends at the end of D + N years). The item
// is declassified from the next day (`declassifiedOn`).

/** Luật 117/2025 Đ.20 [I]: an extension is decided at least this many days before the end. */
export const EXTENSION_MIN_DAYS_BEFORE_END = 60;
/** Luật 117/2025 Đ.20 [I]: related parties are notified in writing within this many days. */
export const EXTENSION_NOTIFY_WITHIN_DAYS = 15;
/**
 * Items start to be listed as "sắp hết thời hạn bảo vệ" this many days before the end.
 * [I] Decision: 90, not 60. The extension must be DECIDED at least 60 days before the end, so a
 * warning that started at 60 days would arrive on the last day an extension is still possible;
 * 90 leaves the authority 30 days to decide. An agency may change the figure here.
 */
export const EXPIRY_WARNING_DAYS = 90;

/** Either a length (years, months, days, added in that order) or a last protected day. */
export type ShorterPeriod = { years?: number; months?: number; days?: number } | { until: IsoDate };

export type PeriodErrorCode = 'period.invalid_date' | 'period.invalid_length' | 'period.not_positive' | 'period.not_shorter' | 'period.out_of_range';

export type ExtensionErrorCode = 'period.invalid_date' | 'extension.invalid_length' | 'extension.too_long' | 'extension.too_late';

export const PERIOD_ERROR_MESSAGES_VI: Record<PeriodErrorCode | ExtensionErrorCode, string> = {
  'period.invalid_date': 'Ngày không hợp lệ (định dạng YYYY-MM-DD).',
  'period.invalid_length': 'Thời hạn phải là số năm, tháng, ngày nguyên không âm, hoặc một ngày kết thúc.',
  'period.not_positive': 'Thời hạn bảo vệ phải kết thúc sau ngày xác định độ mật.',
  'period.not_shorter': 'Thời hạn rút ngắn phải ngắn hơn thời hạn bảo vệ của độ mật (30/20/10 năm).',
  'period.out_of_range': 'Ngày kết thúc nằm ngoài phạm vi lịch được hỗ trợ.',
  'extension.invalid_length': 'Số năm gia hạn phải là số nguyên dương.',
  'extension.too_long': 'Mỗi lần gia hạn không được dài hơn thời hạn bảo vệ của độ mật.',
  'extension.too_late': 'Việc gia hạn phải được quyết định chậm nhất 60 ngày trước khi hết thời hạn bảo vệ.',
};

export function baseProtectionYears(level: Level): number {
  return LEVEL_TABLE[level].protectionYears;
}

/** Last protected day of the base period. Throws on an invalid date (validated callers only). */
export function baseProtectionEnd(level: Level, classifiedOn: IsoDate): IsoDate {
  return addYears(classifiedOn, baseProtectionYears(level));
}

/** First day on which an item whose protection ends on `end` is declassified. */
export function declassifiedOn(end: IsoDate): IsoDate {
  return addDays(end, 1);
}

export type ProtectionEndResult = { ok: true; end: IsoDate; shortened: boolean } | { ok: false; code: PeriodErrorCode };

function isNonNegativeWhole(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/**
 * End of protection for an item classified on `classifiedOn`. A shorter period must end after the
 * classification date and strictly before the end of the base period; anything else is an error
 * result, never an exception (the values come from users).
 */
export function protectionEnd(input: { level: Level; classifiedOn: IsoDate; shorterPeriod?: ShorterPeriod | null }): ProtectionEndResult {
  const { level, classifiedOn, shorterPeriod } = input;
  if (!(LEVELS as readonly string[]).includes(level) || !isCivilDate(classifiedOn)) return { ok: false, code: 'period.invalid_date' };
  let base: IsoDate;
  try {
    base = baseProtectionEnd(level, classifiedOn);
  } catch {
    return { ok: false, code: 'period.out_of_range' };
  }
  if (shorterPeriod == null) return { ok: true, end: base, shortened: false };

  let end: IsoDate;
  if ('until' in shorterPeriod) {
    const sp = shorterPeriod as { until: unknown; years?: unknown; months?: unknown; days?: unknown };
    if (sp.years !== undefined || sp.months !== undefined || sp.days !== undefined) return { ok: false, code: 'period.invalid_length' };
    if (!isCivilDate(sp.until)) return { ok: false, code: 'period.invalid_date' };
    end = sp.until;
  } else {
    const { years = 0, months = 0, days = 0 } = shorterPeriod;
    if (shorterPeriod.years === undefined && shorterPeriod.months === undefined && shorterPeriod.days === undefined) {
      return { ok: false, code: 'period.invalid_length' };
    }
    if (!isNonNegativeWhole(years) || !isNonNegativeWhole(months) || !isNonNegativeWhole(days)) {
      return { ok: false, code: 'period.invalid_length' };
    }
    if (years + months + days === 0) return { ok: false, code: 'period.not_positive' };
    // Lengths that obviously reach the base period are refused before any date arithmetic, so
    // absurd inputs cannot run off the calendar.
    const baseYears = baseProtectionYears(level);
    if (years * 12 + months >= baseYears * 12 || days > baseYears * 366) return { ok: false, code: 'period.not_shorter' };
    try {
      // [I] Years and months are added together (as months), then days: 29 Feb + 1 year 1 month
      // = 29 Mar, not 28 Mar.
      end = addDays(addMonths(classifiedOn, years * 12 + months), days);
    } catch {
      return { ok: false, code: 'period.out_of_range' };
    }
  }
  if (compareDates(end, classifiedOn) <= 0) return { ok: false, code: 'period.not_positive' };
  if (compareDates(end, base) >= 0) return { ok: false, code: 'period.not_shorter' };
  return { ok: true, end, shortened: true };
}

/** Last day on which an extension of a period ending on `currentEnd` may still be decided. */
export function extensionDeadline(currentEnd: IsoDate): IsoDate {
  return addDays(currentEnd, -EXTENSION_MIN_DAYS_BEFORE_END);
}

export type ExtensionResult = { ok: true; newEnd: IsoDate; notifyBy: IsoDate } | { ok: false; code: ExtensionErrorCode };

/**
 * May protection ending on `currentEnd` be extended by `extensionYears`, decided on `decidedOn`?
 * [I] The extension runs on from the current end (new end = current end + N years), and a
 * number of extensions is not limited (Luật 29/2018 Đ.20 sets no limit in the text seen).
 * [I] Extensions are counted in whole years, as the law's limits are.
 */
export function extensionAllowed(input: { level: Level; currentEnd: IsoDate; decidedOn: IsoDate; extensionYears: number }): ExtensionResult {
  const { level, currentEnd, decidedOn, extensionYears } = input;
  if (!(LEVELS as readonly string[]).includes(level) || !isCivilDate(currentEnd) || !isCivilDate(decidedOn)) {
    return { ok: false, code: 'period.invalid_date' };
  }
  if (!Number.isSafeInteger(extensionYears) || extensionYears < 1) return { ok: false, code: 'extension.invalid_length' };
  if (extensionYears > baseProtectionYears(level)) return { ok: false, code: 'extension.too_long' };
  if (daysBetween(decidedOn, currentEnd) < EXTENSION_MIN_DAYS_BEFORE_END) return { ok: false, code: 'extension.too_late' };
  try {
    return { ok: true, newEnd: addYears(currentEnd, extensionYears), notifyBy: addDays(decidedOn, EXTENSION_NOTIFY_WITHIN_DAYS) };
  } catch {
    return { ok: false, code: 'period.invalid_date' };
  }
}

/**
 * True while the item should be listed as nearing the end of its protection: from
 * `leadDays` (default EXPIRY_WARNING_DAYS) before `end` up to and including `end`. After the end
 * the item is declassified automatically and `protectionExpired` takes over.
 */
export function expiryWarning(end: IsoDate, today: IsoDate, leadDays: number = EXPIRY_WARNING_DAYS): boolean {
  const left = daysBetween(today, end);
  return left >= 0 && left <= leadDays;
}

/** True once `today` is past the last protected day (đương nhiên giải mật, Luật 117/2025 Đ.22). */
export function protectionExpired(end: IsoDate, today: IsoDate): boolean {
  return compareDates(today, end) > 0;
}

// ---- the period from its basis ----------------------------------------------------------------

/** A catalogue row (danh mục BMNN) as a basis for the period: its own period and its citation. */
export interface CatalogPeriodBasis {
  /** The row's period when it sets one ("3 năm"); null: the level's period. */
  period: ShorterPeriod | null;
  /** "điểm a khoản 2 Điều 1 Quyết định 19/QĐ-TTg". */
  ref: string;
}

/** Why an item's protection ends when it does. */
export type PeriodBasis =
  { source: 'level'; level: Level; years: number } | { source: 'catalog'; period: ShorterPeriod; ref: string } | { source: 'decision'; period: ShorterPeriod };

export type PeriodFromBasisResult = { ok: true; end: IsoDate; basis: PeriodBasis } | { ok: false; code: PeriodErrorCode };

/**
 * End of protection from its bases: the level's period (Luật 117/2025 Đ.19), the period of the
 * catalogue row the item is classified under, and the shorter period the person who decides the
 * level sets within the law (written on the item, Đ.19). The shortest applicable one wins; on a
 * tie the catalogue is cited, being the legal ground of the decision. A catalogue period that is
 * not shorter than the level's does not apply; a decided period that is not valid is an error,
 * as in `protectionEnd`.
 */
export function protectionPeriodFromBasis(input: {
  level: Level;
  classifiedOn: IsoDate;
  catalog?: CatalogPeriodBasis | null;
  decision?: ShorterPeriod | null;
}): PeriodFromBasisResult {
  const base = protectionEnd({ level: input.level, classifiedOn: input.classifiedOn });
  if (!base.ok) return base;
  let best: { end: IsoDate; basis: PeriodBasis } = { end: base.end, basis: { source: 'level', level: input.level, years: baseProtectionYears(input.level) } };
  const catalogPeriod = input.catalog?.period;
  if (catalogPeriod) {
    const r = protectionEnd({ level: input.level, classifiedOn: input.classifiedOn, shorterPeriod: catalogPeriod });
    if (r.ok) best = { end: r.end, basis: { source: 'catalog', period: catalogPeriod, ref: input.catalog!.ref } };
  }
  if (input.decision) {
    const r = protectionEnd({ level: input.level, classifiedOn: input.classifiedOn, shorterPeriod: input.decision });
    if (!r.ok) return r;
    if (compareDates(r.end, best.end) < 0) best = { end: r.end, basis: { source: 'decision', period: input.decision } };
  }
  return { ok: true, ...best };
}

const dateVi = (d: IsoDate) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

/** "3 năm", "1 năm 6 tháng", "đến ngày 31/12/2027". */
export function periodTextVi(p: ShorterPeriod): string {
  if ('until' in p) return `đến ngày ${dateVi(p.until)}`;
  const parts = [p.years ? `${p.years} năm` : '', p.months ? `${p.months} tháng` : '', p.days ? `${p.days} ngày` : ''].filter(Boolean);
  return parts.join(' ');
}

/** The sentence the item page shows under the end of protection: where the period comes from. */
export function periodReasonVi(basis: PeriodBasis): string {
  switch (basis.source) {
    case 'level':
      return `Thời hạn mặc định của độ ${LEVEL_TABLE[basis.level].labelVi}: ${basis.years} năm (Luật Bảo vệ bí mật nhà nước, Điều 19).`;
    case 'catalog':
      return `Thời hạn ${periodTextVi(basis.period)} theo danh mục bí mật nhà nước: ${basis.ref}.`;
    case 'decision':
      return `Thời hạn ${periodTextVi(basis.period)} do người có thẩm quyền xác định độ mật quyết định khi xác định độ mật.`;
  }
}
