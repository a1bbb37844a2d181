import { useQuery } from '@tanstack/react-query';
import { api } from './api';
import type { ListReply, Unit } from './types';

export const UNITS_KEY = ['units'] as const;

/** Every unit (every role may read them); used by the header, filters and pickers. */
export function useUnits() {
  return useQuery({ queryKey: UNITS_KEY, queryFn: () => api.get<ListReply<Unit>>('/units').then((r) => r.items) });
}
