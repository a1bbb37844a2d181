import { useQuery } from '@tanstack/react-query';
import { api } from '../../kit/api';
import type { ListReply, User, WithAccountChangeWarnings } from '../../kit/types';

export interface UserFilter {
  unitId?: string;
  q?: string;
  includeInactive?: boolean;
}

type UsersReply = ListReply<User> & WithAccountChangeWarnings;

/** GET /api/users as it came: the people and the warnings about account changes. */
export function useUsersReply(filter: UserFilter, enabled = true) {
  return useQuery({ queryKey: ['users', filter], queryFn: () => fetchUsers(filter), enabled });
}

/** The people of GET /api/users (the same cache entry as useUsersReply). */
export function useUsers(filter: UserFilter, enabled = true) {
  return useQuery({ queryKey: ['users', filter], queryFn: () => fetchUsers(filter), enabled, select: (r) => r.items });
}

const fetchUsers = (filter: UserFilter) =>
  api.get<UsersReply>('/users', { unitId: filter.unitId, q: filter.q, includeInactive: filter.includeInactive ? 'true' : undefined });
