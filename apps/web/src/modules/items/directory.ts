import { useMemo } from 'react';
import { useCan, useMe } from '../../kit/auth';
import { useUnits } from '../../kit/queries';
import type { Unit } from '../../kit/types';
import { useUsers } from '../users/useUsers';

/**
 * Units to pick and to name, and whether this person may pick colleagues by name. Every role reads
 * units; people are picked through GET /api/people (PersonPicker), which clerks, officers, heads
 * and security officers may read. Names of people on the item page come with the item itself;
 * `userName` is only a fallback, from the user list for the roles that may read it.
 */
export function useDirectory() {
  const can = useCan();
  const me = useMe();
  const canListPeople = can('org.people.read');
  const canListUsers = can('org.user.read');
  const users = useUsers({}, canListUsers);
  const units = useUnits();
  return useMemo(() => {
    const openUnits: Unit[] = (units.data ?? []).filter((u) => u.closedAt === null);
    const userName = new Map<string, string>((users.data ?? []).map((u) => [u.id, u.fullName]));
    userName.set(me.id, me.fullName);
    const unitName = new Map<string, string>((units.data ?? []).map((u) => [u.id, u.name]));
    return {
      canListPeople,
      units: openUnits,
      loading: units.isPending,
      userName: (id: string | null | undefined) => (id ? userName.get(id) : undefined),
      unitName: (id: string | null | undefined) => (id ? unitName.get(id) : undefined),
    };
  }, [canListPeople, users.data, units.data, units.isPending, me.id, me.fullName]);
}
