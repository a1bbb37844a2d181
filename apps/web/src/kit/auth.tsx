import { createContext, useCallback, useContext } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { isAgencyHead as isAgencyHeadByPosition, type Permission, type PositionKind, type Role } from '@khomat/policy';
import { api, setCsrfToken } from './api';
import type { Me, SessionState } from './types';

export const SESSION_KEY = ['session'] as const;
export const SETUP_STATUS_KEY = ['setup-status'] as const;

export async function fetchSession(): Promise<SessionState> {
  const s = await api.get<SessionState>('/auth/session');
  setCsrfToken(s.authenticated ? s.csrfToken : null);
  return s;
}

/** Stores a SessionState received from any auth call (login, totp, setup…). */
export function applySession(qc: QueryClient, s: SessionState): void {
  setCsrfToken(s.authenticated ? s.csrfToken : null);
  qc.setQueryData(SESSION_KEY, s);
}

export function useSession() {
  return useQuery({ queryKey: SESSION_KEY, queryFn: fetchSession, staleTime: 60_000 });
}

export function useSetupStatus() {
  return useQuery({
    queryKey: SETUP_STATUS_KEY,
    queryFn: () => api.get<{ initialized: boolean }>('/setup/status'),
    staleTime: Infinity,
  });
}

/**
 * The signed-in user, as the gate last saw it. Screens read it from here rather than from the
 * session query, so that a screen never renders with a session that the gate has not seen yet
 * (e.g. while signing out, the route changes before the gate swaps the screen).
 */
export const MeContext = createContext<Me | null>(null);

/** The signed-in user (stage full). Only below the gate that provides it. */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside the signed-in application');
  return me;
}

/**
 * Whether the signed-in person may use a function: their permissions from Me. A held account
 * (its secret roles suspended until confirmed) still reads its own notices — the server allows it
 * so that the person learns what changed and that it waits — though its permissions leave that out.
 */
export function useCan(): (p: Permission) => boolean {
  const me = useContext(MeContext);
  const perms = me?.permissions;
  const held = !!me?.hold && me.hold.kinds.length > 0;
  return useCallback((p: Permission) => (perms ?? []).includes(p) || (held && p === 'notification.read'), [perms, held]);
}

/**
 * The head of the agency itself — the agency head's position (chức vụ) held in the root unit, with
 * the head role (packages/policy isAgencyHead, the server's one answer) — not a deputy nor the head
 * of a department: the one who grants clearances and confirms the security officer's account
 * changes (issue 11, issue 13).
 */
export function isAgencyHead(
  p: { roles: readonly Role[]; unitId: string; positionKind?: PositionKind | null | undefined },
  rootUnitId: string | undefined,
): boolean {
  return isAgencyHeadByPosition({ positionKind: p.positionKind ?? null, unitId: p.unitId, roles: p.roles }, rootUnitId);
}

/** Forgets every cached answer except the session itself and the set-up status. */
export function forgetUserData(qc: QueryClient): void {
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] && q.queryKey[0] !== SETUP_STATUS_KEY[0] });
}

export function useLogout() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  return useCallback(async () => {
    // Nothing of the previous user's work stays on screen.
    message.destroy();
    try {
      await api.post('/auth/logout');
    } catch {
      // The session may already be gone; signing out locally is what matters.
    }
    applySession(qc, { authenticated: false });
    forgetUserData(qc);
    navigate('/', { replace: true });
  }, [qc, navigate, message]);
}
