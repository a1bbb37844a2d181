import { describe, expect, it } from 'vitest';
import { nameMatches, personOption } from './people';

describe('people picker matching', () => {
  it.each<[string, string, boolean]>([
    ['Trần Văn Bình', '', true],
    ['Trần Văn Bình', '   ', true],
    ['Trần Văn Bình', 'binh', true],
    ['Trần Văn Bình', 'Bình', true],
    ['Trần Văn Bình', 'tran binh', true],
    ['Trần Văn Bình', 'BINH TRAN', true],
    ['Đinh Văn Tú', 'dinh van tu', true],
    ['Đinh Văn Tú', 'đinh', true],
    ['Phạm Thị Lan', 'lan anh', false],
    ['Hoàng Mai Anh', 'mai anh', true],
    ['Lý Thị Mai', 'mai anh', false],
  ])('%s ~ %j → %s', (name, typed, expected) => {
    expect(nameMatches(name, typed)).toBe(expected);
  });
});

describe('people picker options', () => {
  const words = { notCleared: 'chưa đủ độ mật', held: 'chờ xác nhận tài khoản' };
  const binh = { fullName: 'Trần Văn Bình', unitName: 'Văn phòng' };

  it.each<[string, { cleared?: boolean; held?: boolean }, string, boolean]>([
    ['anyone, no level asked', {}, 'Trần Văn Bình — Văn phòng', false],
    ['cleared for the level', { cleared: true, held: false }, 'Trần Văn Bình — Văn phòng', false],
    ['not cleared for the level', { cleared: false, held: false }, 'Trần Văn Bình — Văn phòng (chưa đủ độ mật)', true],
    // The server answers cleared: false for a held person: the hold is the reason given.
    ['held, level asked', { cleared: false, held: true }, 'Trần Văn Bình — Văn phòng (chờ xác nhận tài khoản)', true],
    ['held, no level asked', { held: true }, 'Trần Văn Bình — Văn phòng (chờ xác nhận tài khoản)', true],
  ])('%s', (_case, p, label, disabled) => {
    expect(personOption({ ...binh, ...p }, words)).toEqual({ label, disabled });
  });
});
