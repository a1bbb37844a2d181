import { foldForSearch } from '@khomat/policy';

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
