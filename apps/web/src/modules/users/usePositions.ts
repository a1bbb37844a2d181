import { useQuery } from '@tanstack/react-query';
import { api } from '../../kit/api';
import type { ListReply, Position } from '../../kit/types';

export const POSITIONS_KEY = ['positions'] as const;

/** GET /api/positions: the agency's list of positions (chức vụ), by name. */
export function usePositions(enabled = true) {
  return useQuery({ queryKey: POSITIONS_KEY, queryFn: () => api.get<ListReply<Position>>('/positions').then((r) => r.items), enabled });
}
