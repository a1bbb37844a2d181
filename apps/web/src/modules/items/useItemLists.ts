import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../kit/api';
import type { ItemListRow, ItemState, MyCopies, Paged } from '../../kit/types';

export const MY_COPIES_KEY = ['my-copies'] as const;

export function useMyCopies(enabled = true) {
  return useQuery({ queryKey: MY_COPIES_KEY, queryFn: () => api.get<MyCopies>('/my/copies'), enabled });
}

/** GET /api/items?state= (work lists); a 404 means this server has no list yet. */
/** A work list; `decide` keeps only the proposals this person may approve or return now. */
export function useItemList(state: ItemState, opts: { mine?: boolean; decide?: boolean; page?: number; pageSize?: number; enabled?: boolean } = {}) {
  const page = opts.page ?? 1;
  const pageSize = opts.pageSize ?? 20;
  return useQuery({
    queryKey: ['items', 'list', state, !!opts.mine, !!opts.decide, page, pageSize],
    queryFn: () =>
      api.get<Paged<ItemListRow>>('/items', { state, mine: opts.mine ? 'true' : undefined, decide: opts.decide ? 'true' : undefined, page, pageSize }),
    enabled: opts.enabled ?? true,
    placeholderData: (prev) => prev,
  });
}

export function listUnavailable(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
