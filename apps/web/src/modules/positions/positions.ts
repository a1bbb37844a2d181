import { POSITION_KINDS, type PositionKind } from '@khomat/policy';
import type { Position } from '../../kit/types';

// The agency's positions (chức vụ) as the administrator's screen shows them: in the order of the
// organisation chart (the head first, staff last), and who holds each, unit by unit.

const KIND_ORDER = new Map<PositionKind, number>(POSITION_KINDS.map((k, n) => [k, n]));

/** Head of the agency first, then deputies, office chief, unit heads …; by name within a kind. */
export function sortPositions(list: readonly Position[]): Position[] {
  return [...list].sort((a, b) => (KIND_ORDER.get(a.kind) ?? 99) - (KIND_ORDER.get(b.kind) ?? 99) || a.name.localeCompare(b.name, 'vi'));
}

/** For each position, the units its holders work in with how many hold it there, units by name. */
export function holdersByUnit(
  users: readonly { positionId?: string | null; unitName: string; active: boolean }[],
): Map<string, { unit: string; count: number }[]> {
  const counts = new Map<string, Map<string, number>>();
  for (const u of users) {
    if (!u.positionId || !u.active) continue;
    const m = counts.get(u.positionId) ?? new Map<string, number>();
    m.set(u.unitName, (m.get(u.unitName) ?? 0) + 1);
    counts.set(u.positionId, m);
  }
  const out = new Map<string, { unit: string; count: number }[]>();
  for (const [id, m] of counts)
    out.set(
      id,
      [...m].map(([unit, count]) => ({ unit, count })).sort((a, b) => a.unit.localeCompare(b.unit, 'vi')),
    );
  return out;
}

/** A new or renamed title must not repeat another's (the server says the same: org.position_name_taken). */
export function nameTaken(list: readonly Position[], name: string, exceptId?: string): boolean {
  const n = name.trim().toLocaleLowerCase('vi');
  return list.some((p) => p.id !== exceptId && p.name.trim().toLocaleLowerCase('vi') === n);
}
