import { useMemo } from 'react';
import { useCan, useMe } from '../../app/auth';
import { useUnits } from '../../app/queries';
import type { Unit, User } from '../../app/types';
import { useUsers } from '../users/useUsers';

/**
 * People and units to pick and to name. Every role reads units; only some read the user list
 * (docs/api.md: officers cannot). `canListPeople` says which case applies, so that a form offers
 * persons only when it can show them.
 */
export function useDirectory() {
  const can = useCan();
  const me = useMe();
  const canListPeople = can('org.user.read');
  const users = useUsers({}, canListPeople);
  const units = useUnits();
  return useMemo(() => {
    const people: User[] = canListPeople ? (users.data ?? []).filter((u) => u.active) : [];
    const openUnits: Unit[] = (units.data ?? []).filter((u) => u.closedAt === null);
    const userName = new Map<string, string>((users.data ?? []).map((u) => [u.id, u.fullName]));
    userName.set(me.id, me.fullName);
    const unitName = new Map<string, string>((units.data ?? []).map((u) => [u.id, u.name]));
    return {
      canListPeople,
      people,
      units: openUnits,
      loading: (canListPeople && users.isPending) || units.isPending,
      userName: (id: string | null | undefined) => (id ? userName.get(id) : undefined),
      unitName: (id: string | null | undefined) => (id ? unitName.get(id) : undefined),
    };
  }, [canListPeople, users.data, users.isPending, units.data, units.isPending, me.id, me.fullName]);
}
