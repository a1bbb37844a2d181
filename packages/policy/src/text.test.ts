import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForSearch, neutraliseSpreadsheetCell } from './text';

describe('foldForSearch', () => {
  it.each([
    ['quyết định', 'quyet dinh'],
    ['Quyết Định', 'quyet dinh'],
    ['QUYẾT ĐỊNH', 'quyet dinh'],
    ['Đà Nẵng', 'da nang'],
    ['đường Điện Biên Phủ', 'duong dien bien phu'],
    ['Sở Thông tin và Truyền thông', 'so thong tin va truyen thong'],
    ['bí mật nhà nước', 'bi mat nha nuoc'],
    ['TUYỆT MẬT', 'tuyet mat'],
    ['Tối mật', 'toi mat'],
    ['Chỉ người có tên mới được bóc bì', 'chi nguoi co ten moi duoc boc bi'],
    ['Thừa Thiên Huế', 'thua thien hue'],
    ['Nguyễn Thị Ỷ Lan', 'nguyen thi y lan'],
    ['ươ ƯƠ ư ơ ă â ê ô', 'uo uo u o a a e o'],
    ['  12/QĐ-UBND \t ngày\n06/01/2026  ', '12/qd-ubnd ngay 06/01/2026'],
    ['Công\u00a0văn', 'cong van'], // no-break space
    ['Ðà Nẵng', 'da nang'], // Icelandic capital eth typed for Đ
    ['ðường', 'duong'],
    ['', ''],
    ['   ', ''],
    ['İstanbul', 'istanbul'], // capital whose lower case carries a combining dot
  ])('%j → %j', (input, expected) => {
    expect(foldForSearch(input)).toBe(expected);
  });

  it('composed (NFC) and decomposed (NFD) input fold alike', () => {
    const word = 'Quyết định số 19/QĐ-TTg';
    expect(foldForSearch(word.normalize('NFD'))).toBe(foldForSearch(word.normalize('NFC')));
  });

  it('is idempotent, keeps no marks, no đ, no upper case, no double spaces (property)', () => {
    const viChars = 'aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ AĂÂĐEÊIOÔƠUƯY\t\n0123456789-/';
    const viString = fc.array(fc.constantFrom(...viChars), { maxLength: 40 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.oneof(viString, fc.string(), fc.string({ unit: 'binary' })), (s) => {
        const f = foldForSearch(s);
        expect(foldForSearch(f)).toBe(f);
        expect(f).not.toMatch(/\p{M}|[đĐ]|\s\s|^\s|\s$/u);
        expect(f).toBe(f.toLowerCase());
      }),
    );
  });

  it('folds every Vietnamese letter to ASCII (property)', () => {
    const letters = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';
    const all = letters + letters.toUpperCase();
    fc.assert(fc.property(fc.array(fc.constantFrom(...all), { minLength: 1, maxLength: 30 }), (cs) => /^[a-z]+$/.test(foldForSearch(cs.join('')))));
  });
});

describe('neutraliseSpreadsheetCell', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+84 912 345 678', "'+84 912 345 678"],
    ['-5', "'-5"],
    ['@cmd', "'@cmd"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['=HYPERLINK("http://x","bấm")', '\'=HYPERLINK("http://x","bấm")'],
    ['Quyết định 12/QĐ', 'Quyết định 12/QĐ'],
    ['a=b', 'a=b'],
    [' =1', ' =1'],
    ["'=already", "'=already"],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(neutraliseSpreadsheetCell(input)).toBe(expected);
  });

  it('never leaves a dangerous first character, and only ever prepends (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom('=', '+', '-', '@', '\t', '\r').chain((c) => fc.string().map((s) => c + s)),
        ),
        (s) => {
          const out = neutraliseSpreadsheetCell(s);
          expect(out).not.toMatch(/^[=+\-@\t\r]/);
          expect(out === s || out === `'${s}`).toBe(true);
        },
      ),
    );
  });
});
