import { useQuery } from '@tanstack/react-query';
import type { Level } from '@khomat/policy';
import { api } from '../../kit/api';
import type { CatalogItem, ListReply, Paged } from '../../kit/types';

export const CATALOG_KEY = ['catalog'] as const;

export interface CatalogFilter {
  q?: string;
  field?: string;
  level?: Level;
  page: number;
  pageSize: number;
}

export function useCatalogFields(enabled = true) {
  return useQuery({
    queryKey: [...CATALOG_KEY, 'fields'],
    queryFn: () => api.get<ListReply<string>>('/catalog/fields').then((r) => r.items),
    enabled,
  });
}

export function useCatalogSearch(f: CatalogFilter, enabled = true) {
  return useQuery({
    queryKey: [...CATALOG_KEY, 'search', f],
    queryFn: () => api.get<Paged<CatalogItem>>('/catalog', { q: f.q, field: f.field, level: f.level, page: f.page, pageSize: f.pageSize }),
    placeholderData: (prev) => prev,
    enabled,
  });
}
