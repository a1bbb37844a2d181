import { describe, expect, it } from 'vitest';
import { nameMatches } from './people';

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
