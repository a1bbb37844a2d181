import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from './context';
import { commonErrors } from '../platform/errors';
import { authErrors } from '../modules/auth/auth.errors';
import { actorOf, resolveSession, type AuthenticatedSession } from '../modules/auth/auth.usecases';
import type { Actor } from './actor';

export const SESSION_COOKIE = 'khomat_sid';

/**
 * Route access levels:
 *  - public: anyone (health, set-up, login, session state);
 *  - session: a session at any stage (TOTP, enrolment, logout);
 *  - full: a fully signed-in session; while a password change is due only routes that allow it.
 */
export type Access = 'public' | 'session' | 'full';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Allowed while the user must change the password. */
    duringPasswordChange?: boolean;
    /** Public state-changing routes that carry no CSRF token (no session exists yet). */
    csrfExempt?: boolean;
  }
  interface FastifyRequest {
    auth: AuthenticatedSession | null;
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function installAuthHooks(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('actor', null);

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    // The web UI's files and the API description are public; everything else under /api is not.
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
    // No route matched: the 404 handler answers; there is nothing to protect.
    if (!request.routeOptions.url) return;
    const cfg = request.routeOptions.config ?? {};
    const access: Access = cfg.access ?? 'full';
    const auth = await resolveSession(deps, request.cookies[SESSION_COOKIE]);
    request.auth = auth;
    request.actor = auth && auth.session.stage === 'full' ? actorOf(auth.user) : null;

    if (!SAFE_METHODS.has(request.method) && !cfg.csrfExempt) {
      // Every state change made within a session carries the session's CSRF token.
      if (!auth) throw commonErrors.unauthenticated();
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !sameToken(header, auth.session.csrf_token)) throw commonErrors.csrf();
    }
    if (access === 'public') return;
    if (!auth) throw commonErrors.unauthenticated();
    if (access === 'full') {
      if (auth.session.stage !== 'full') throw authErrors.sessionStage();
      if (auth.user.must_change_password === 1 && !cfg.duringPasswordChange) throw authErrors.passwordChangeRequired();
    }
  });
}
