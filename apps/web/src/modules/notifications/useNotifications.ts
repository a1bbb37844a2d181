import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../../kit/api';
import { useCan } from '../../kit/auth';
import type { NoticePage } from '../../kit/types';

export const NOTIFICATIONS_KEY = ['notifications'] as const;
/** How often the header asks for the unread count (and again whenever the window regains focus). */
export const UNREAD_POLL_MS = 60_000;

/** The bell's number: unread notices of the signed-in person, polled gently. */
export function useUnreadCount() {
  const can = useCan();
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'unread'],
    queryFn: () => api.get<NoticePage>('/notifications', { unreadOnly: 'true', page: 1, pageSize: 1 }).then((r) => r.unread),
    enabled: can('notification.read'),
    refetchInterval: UNREAD_POLL_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
    // A failed poll (e.g. the server restarting) must not keep the header busy: the next one tries again.
    retry: false,
  });
}

export function useNotificationPage(unreadOnly: boolean, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...NOTIFICATIONS_KEY, 'page', unreadOnly, page, pageSize],
    queryFn: () => api.get<NoticePage>('/notifications', { unreadOnly: unreadOnly ? 'true' : undefined, page, pageSize }),
    placeholderData: (prev) => prev,
    refetchOnWindowFocus: true,
  });
}

/** Marking read (one or all) and refreshing both the list and the bell. */
export function useMarkRead() {
  const qc = useQueryClient();
  const refresh = useCallback(() => qc.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }), [qc]);
  const one = useCallback(
    async (id: string) => {
      await api.post(`/notifications/${encodeURIComponent(id)}/read`);
      await refresh();
    },
    [refresh],
  );
  const all = useCallback(async () => {
    const r = await api.post<{ marked: number }>('/notifications/read-all');
    await refresh();
    return r.marked;
  }, [refresh]);
  return { one, all };
}
