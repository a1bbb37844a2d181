import { useQuery } from '@tanstack/react-query';
import type { Level } from '@khomat/policy';
import { api } from '../../kit/api';
import { useCan } from '../../kit/auth';
import type { Person } from '../../kit/types';

export interface PeopleFilter {
  q?: string;
  unitId?: string;
  level?: Level | null;
}

/**
 * GET /api/people: the short directory of colleagues who work with secrets (name, unit, position;
 * with `level`, whether each one's clearance covers it). At most 50 answers: the person types to
 * narrow it; the server ignores diacritics and case.
 */
export function usePeople(f: PeopleFilter, enabled = true) {
  const can = useCan();
  const allowed = can('org.people.read');
  return useQuery({
    queryKey: ['people', f.q ?? '', f.unitId ?? '', f.level ?? ''],
    queryFn: () => api.get<{ people: Person[] }>('/people', { q: f.q?.slice(0, 100), unitId: f.unitId, level: f.level ?? undefined }).then((r) => r.people),
    enabled: enabled && allowed,
    placeholderData: (prev) => prev,
    staleTime: 30_000,
  });
}
