import { describe, expect, it } from 'vitest';
import type { Position } from '../../kit/types';
import { holdersByUnit, nameTaken, sortPositions } from './positions';

const p = (id: string, name: string, kind: Position['kind'], holders = 0): Position => ({ id, name, kind, holders, createdAt: '2026-01-01T00:00:00Z' });

describe('positions screen', () => {
  it('orders positions as the organisation chart: the head first, staff last, by name within a kind', () => {
    const list = [
      p('1', 'Chuyên viên', 'staff'),
      p('2', 'Trưởng phòng', 'unit_head'),
      p('3', 'Phó Giám đốc', 'deputy_agency_head'),
      p('4', 'Giám đốc Sở', 'agency_head'),
      p('5', 'Chánh Thanh tra', 'unit_head'),
    ];
    expect(sortPositions(list).map((x) => x.name)).toEqual(['Giám đốc Sở', 'Phó Giám đốc', 'Chánh Thanh tra', 'Trưởng phòng', 'Chuyên viên']);
  });

  it('counts the active holders of each position unit by unit', () => {
    const users = [
      { positionId: 'a', unitName: 'Phòng Lãnh sự', active: true },
      { positionId: 'a', unitName: 'Phòng Lãnh sự', active: true },
      { positionId: 'a', unitName: 'Văn phòng', active: true },
      { positionId: 'a', unitName: 'Văn phòng', active: false },
      { positionId: null, unitName: 'Văn phòng', active: true },
      { positionId: 'b', unitName: 'Ban Giám đốc', active: true },
    ];
    const m = holdersByUnit(users);
    expect(m.get('a')).toEqual([
      { unit: 'Phòng Lãnh sự', count: 2 },
      { unit: 'Văn phòng', count: 1 },
    ]);
    expect(m.get('b')).toEqual([{ unit: 'Ban Giám đốc', count: 1 }]);
    expect(m.has('c')).toBe(false);
  });

  it('refuses a title already used by another position, case and spaces aside, but not the position itself', () => {
    const list = [p('1', 'Trưởng phòng', 'unit_head')];
    expect(nameTaken(list, ' trưởng phòng ')).toBe(true);
    expect(nameTaken(list, 'Trưởng phòng', '1')).toBe(false);
    expect(nameTaken(list, 'Phó Trưởng phòng')).toBe(false);
  });
});
