import { describe, expect, it } from 'vitest';
import type { User } from '../../kit/types';
import { byVietnameseName } from './sort';

const user = (username: string, fullName: string): User => ({
  id: username,
  username,
  fullName,
  unitId: 'u',
  unitName: 'Đơn vị',
  position: 'Chuyên viên',
  roles: ['officer'],
  clearance: 'NONE',
  active: true,
  totpEnabled: false,
  lockedUntil: null,
  createdAt: '2026-01-01T00:00:00Z',
});

describe('Vietnamese name order', () => {
  it('orders by given name (last word), then full name', () => {
    const list = [user('q', 'Nguyễn Văn Quản'), user('h', 'Trần Thị Hạnh'), user('a', 'Lê Văn An'), user('h2', 'Đỗ Thị Hạnh')];
    expect(list.sort(byVietnameseName).map((u) => u.username)).toEqual(['a', 'h2', 'h', 'q']);
  });
});
