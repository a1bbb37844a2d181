import { describe, expect, it } from 'vitest';
import type { Unit } from '../../kit/types';
import { buildUnitTree, subtreeIds, unitTreeOptions } from './tree';

const unit = (id: string, parentId: string | null, name: string, closed = false): Unit => ({
  id,
  parentId,
  name,
  code: id.toUpperCase(),
  parentBody: null,
  closedAt: closed ? '2026-01-01T00:00:00Z' : null,
  closedReason: closed ? 'sáp nhập' : null,
  createdAt: '2026-01-01T00:00:00Z',
});

const units = [
  unit('b', 'root', 'Phòng Tư pháp'),
  unit('root', null, 'Sở Tư pháp'),
  unit('a', 'root', 'Phòng Hành chính'),
  unit('a1', 'a', 'Tổ Văn thư'),
  unit('old', 'root', 'Tổ Lưu trữ', true),
];

describe('unit tree', () => {
  it('nests children under parents, open units first, then by Vietnamese name', () => {
    const [root] = buildUnitTree(units);
    expect(root?.id).toBe('root');
    expect(root?.depth).toBe(0);
    expect(root?.children?.map((u) => u.id)).toEqual(['a', 'b', 'old']);
    expect(root?.children?.[0]?.children?.[0]?.depth).toBe(2);
    expect(root?.children?.[1]?.children).toBeUndefined();
  });

  it('finds a unit and all its descendants', () => {
    expect([...subtreeIds(units, 'a')].sort()).toEqual(['a', 'a1']);
    expect(subtreeIds(units, 'root').size).toBe(5);
  });

  it('offers no closed unit and disables the excluded ones (a move cannot create a cycle)', () => {
    const opts = unitTreeOptions(buildUnitTree(units), subtreeIds(units, 'a'));
    const root = opts[0]!;
    expect(root.disabled).toBe(false);
    expect(root.children?.map((o) => o.value)).toEqual(['a', 'b']);
    expect(root.children?.[0]?.disabled).toBe(true);
    expect(root.children?.[0]?.children?.[0]?.disabled).toBe(true);
  });
});
