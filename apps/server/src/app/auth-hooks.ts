import crypto from 'node:crypto';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../kernel/context';
import type { Config } from '../platform/config';
import { commonErrors } from '../platform/errors';
import { authErrors } from '../modules/auth/auth.errors';
import { isRequestOriginAccepted, originOf } from '../modules/auth/auth.rules';
import { actorOf, resolveSession, type AuthenticatedSession } from '../modules/auth/auth.usecases';
import { SESSION_COOKIE } from '../modules/auth/session-cookie';
import type { Actor } from '../kernel/actor';

export const CSRF_HEADER = 'X-CSRF-Token';

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
    /**
     * The built web UI's files (set from the route's path by `classifyRoutes`, never by a module):
     * public, no session looked up, and a browser may cache them.
     */
    web?: boolean;
    /** An /api route whose reply a browser may keep. Off by default: every /api reply is `no-store`. */
    cacheable?: boolean;
  }
  interface FastifyRequest {
    auth: AuthenticatedSession | null;
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isApiPath(routeUrl: string): boolean {
  return routeUrl === '/api' || routeUrl.startsWith('/api/');
}

/** What a route demands of a request, from the route's own declaration (one answer for the hook and the API document). */
export interface RouteRequirements {
  access: Access;
  /** A live session must be presented (the cookie). */
  session: boolean;
  /** The session's CSRF token must come in the X-CSRF-Token header. */
  csrf: boolean;
}

export function routeRequirements(method: string, cfg: FastifyContextConfig | undefined): RouteRequirements {
  const access: Access = cfg?.web ? 'public' : (cfg?.access ?? 'full');
  // Every state change made within a session carries the session's CSRF token.
  const csrf = !SAFE_METHODS.has(method.toUpperCase()) && !cfg?.csrfExempt;
  return { access, session: access !== 'public' || csrf, csrf };
}

/**
 * The OpenAPI `security` of an operation: the session cookie where a session is needed, with the
 * CSRF header where the request changes something; none (an empty list) on public operations.
 */
export function operationSecurity(methods: readonly string[], cfg: FastifyContextConfig | undefined): Record<string, string[]>[] {
  const need = methods.map((m) => routeRequirements(m, cfg));
  if (!need.some((n) => n.session)) return [];
  return [need.some((n) => n.csrf) ? { session: [], csrf: [] } : { session: [] }];
}

/**
 * Classifies every route once, by its own path pattern as registered (not by what a request
 * spells): routes outside /api are the web UI's files; the API description is public. Whatever a
 * module declares nothing for is a fully signed-in API route. Must be installed before any route
 * is registered (the API description's routes included).
 */
export function classifyRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (r) => {
    if (!isApiPath(r.url)) r.config = { ...r.config, web: true, access: 'public' };
    else if (r.url === '/api/docs' || r.url.startsWith('/api/docs/')) r.config = { ...r.config, access: 'public' };
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** The server's origin as this request addressed it: the Host header, https when the server runs behind HTTPS. */
function ownOrigin(request: FastifyRequest, config: Config): string | null {
  const host = header(request, 'host');
  if (!host) return null;
  return originOf(`${config.secureCookie ? 'https' : request.protocol}://${host}`);
}

export function installAuthHooks(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('actor', null);

  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    // Decided from the route the request reached (its registered pattern and config), never from
    // the raw URL: "/%61pi/units" reaches /api/units and gets every check /api/units gets.
    // No route reached: the 404 handler answers; there is nothing to protect.
    if (!request.routeOptions.url) return;
    const cfg = request.routeOptions.config;
    const need = routeRequirements(request.method, cfg);

    if (!SAFE_METHODS.has(request.method)) {
      const from = { origin: header(request, 'origin'), referer: header(request, 'referer') };
      if (!isRequestOriginAccepted({ ...from, own: ownOrigin(request, deps.config), allowed: deps.config.allowedOrigins })) {
        throw authErrors.originMismatch();
      }
    }
    if (cfg.web) return;

    const auth = await resolveSession(deps, request.cookies[SESSION_COOKIE]);
    request.auth = auth;
    request.actor = auth && auth.session.stage === 'full' ? actorOf(auth.user) : null;

    if (need.csrf) {
      if (!auth) throw commonErrors.unauthenticated();
      const token = header(request, 'x-csrf-token');
      if (token === undefined || !sameToken(token, auth.session.csrf_token)) throw commonErrors.csrf();
    }
    if (!need.session) return;
    if (!auth) throw commonErrors.unauthenticated();
    if (need.access === 'full') {
      if (auth.session.stage !== 'full') throw authErrors.sessionStage();
      if (auth.user.must_change_password === 1 && !cfg.duringPasswordChange) throw authErrors.passwordChangeRequired();
    }
  });

  // No /api reply may be kept by a browser or a proxy: content, register rows, search hits and
  // exported files are secret, and so is what an error names. Only the web UI's files and routes
  // that say so may be cached.
  app.addHook('onSend', async (request, reply, payload) => {
    const cfg = request.routeOptions.config as FastifyContextConfig | undefined;
    if (!cfg?.web && !cfg?.cacheable) {
      reply.header('cache-control', 'no-store');
      reply.header('pragma', 'no-cache');
    }
    return payload;
  });
}
