import { foldForSearch } from '@khomat/policy';
import type { Person } from '../../kit/types';

/**
 * Whether a name matches what was typed, as GET /api/people matches it: every typed word inside
 * the name, without diacritics or case ("binh" finds "Trần Văn Bình"). The picker narrows the
 * list it already has with it while the server's answer to the new text is on its way, so the
 * list does not jump under the pointer when that answer arrives.
 */
export function nameMatches(fullName: string, typed: string): boolean {
  const words = foldForSearch(typed).split(' ').filter(Boolean);
  if (words.length === 0) return true;
  const name = foldForSearch(fullName);
  return words.every((w) => name.includes(w));
}

/** The words the picker adds after a person who cannot be chosen. */
export interface UnavailableWords {
  /** "chưa đủ độ mật": the person's clearance does not cover the item's level. */
  notCleared: string;
  /** "Chờ xác nhận tài khoản": the person's work with secrets waits for a confirmation. */
  held: string;
}

/**
 * A picker option: "Họ tên — Đơn vị", and why the person cannot be chosen when that is the case.
 * A held person (issue 11: account, roles, unit or password reset not yet confirmed) cannot be
 * chosen at any level; the server then also answers `cleared: false`, and the hold is the reason
 * to give, since a clerk would otherwise think the colleague lacks the clearance.
 */
export function personOption(p: Pick<Person, 'fullName' | 'unitName' | 'cleared' | 'held'>, words: UnavailableWords): { label: string; disabled: boolean } {
  const why = p.held ? words.held : p.cleared === false ? words.notCleared : null;
  return { label: `${p.fullName} — ${p.unitName}${why ? ` (${why})` : ''}`, disabled: why !== null };
}
