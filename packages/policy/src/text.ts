// Text helpers shared by search and exports.

/**
 * Letters that read as "d" in Vietnamese text. Unicode does not decompose đ (U+0111) into d plus a
 * mark, so NFD alone leaves it. [I] Text typed with old Vietnamese fonts or keyboards often has
 * Ð/ð (U+00D0/U+00F0, Icelandic eth) or Ɖ/ɖ (U+0189/U+0256, African D) in place of Đ/đ; they
 * look the same, so they fold to "d" too.
 */
const D_LIKE = /[đĐðÐɖƉ]/g;
const COMBINING_MARKS = /\p{M}/gu;
const WHITESPACE = /\s+/gu;

/**
 * Search key of a text: lower-case, without Vietnamese diacritics, đ → d, runs of white space
 * collapsed to one space, trimmed. "Quyết định" and "quyet  dinh" have the same key.
 */
export function foldForSearch(s: string): string {
  // Lower-case first: some capitals lower-case to a letter plus a combining mark (İ → i̇).
  return s.toLowerCase().normalize('NFD').replace(COMBINING_MARKS, '').replace(D_LIKE, 'd').replace(WHITESPACE, ' ').trim();
}

/**
 * Characters that make a spreadsheet read a text cell as a formula (CSV/formula injection):
 * = + - @ at the start, and a leading tab or carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell safe to put in XLSX or CSV: a leading apostrophe when the text would otherwise
 * start a formula. For text only: numbers and dates are written as typed values, not through here.
 */
export function neutraliseSpreadsheetCell(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}
