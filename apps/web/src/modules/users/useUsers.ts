import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';
import type { ListReply, User } from '../../app/types';

export interface UserFilter {
  unitId?: string;
  q?: string;
  includeInactive?: boolean;
}

export function useUsers(filter: UserFilter, enabled = true) {
  return useQuery({
    queryKey: ['users', filter],
    queryFn: () =>
      api
        .get<ListReply<User>>('/users', { unitId: filter.unitId, q: filter.q, includeInactive: filter.includeInactive ? 'true' : undefined })
        .then((r) => r.items),
    enabled,
  });
}
