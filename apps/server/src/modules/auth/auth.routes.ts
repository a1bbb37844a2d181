import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../kernel/context';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie';
import { commonErrors } from '../../platform/errors';
import * as uc from './auth.usecases';
import { changePasswordBody, enrolmentReply, loginBody, okReply, sessionStateSchema, totpBody } from './auth.schemas';

export function setSessionCookie(reply: FastifyReply, deps: AppDeps, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(deps.config));
}

/** Clearing repeats every flag of the cookie: a browser only replaces a cookie set with the same ones. */
export function clearSessionCookie(reply: FastifyReply, deps: AppDeps): void {
  reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(deps.config));
}

export function authRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const tags = ['auth'];

    app.get('/api/auth/session', { config: { access: 'public' }, schema: { tags, response: { 200: sessionStateSchema } } }, async (req) => {
      return req.auth ? uc.sessionState(req.auth) : { authenticated: false as const };
    });

    app.post(
      '/api/auth/login',
      {
        config: { access: 'public', csrfExempt: true, rateLimit: { max: deps.config.loginRatePerMinute, timeWindow: 60_000 } },
        schema: { tags, body: loginBody, response: { 200: sessionStateSchema } },
      },
      async (req, reply) => {
        const { token, state } = await uc.login(deps, req.body, req.auth);
        setSessionCookie(reply, deps, token);
        return state;
      },
    );

    // The three steps that give a session more rights issue it under a new id (the cookie) and a new CSRF token.
    app.post(
      '/api/auth/totp',
      { config: { access: 'session' }, schema: { tags, body: totpBody, response: { 200: sessionStateSchema } } },
      async (req, reply) => {
        const { token, state } = await uc.submitTotp(deps, req.auth!, req.body.code);
        setSessionCookie(reply, deps, token);
        return state;
      },
    );

    app.post('/api/auth/totp/enrolment', { config: { access: 'session' }, schema: { tags, response: { 200: enrolmentReply } } }, async (req) => {
      return uc.startTotpEnrolment(deps, req.auth!);
    });

    app.post(
      '/api/auth/totp/enrolment/confirm',
      { config: { access: 'session' }, schema: { tags, body: totpBody, response: { 200: sessionStateSchema } } },
      async (req, reply) => {
        const { token, state } = await uc.confirmTotpEnrolment(deps, req.auth!, req.body.code);
        setSessionCookie(reply, deps, token);
        return state;
      },
    );

    app.post('/api/auth/logout', { config: { access: 'session' }, schema: { tags, response: { 200: okReply } } }, async (req, reply) => {
      if (!req.auth) throw commonErrors.unauthenticated();
      await uc.logout(deps, req.auth);
      clearSessionCookie(reply, deps);
      return { ok: true as const };
    });

    app.post(
      '/api/auth/password',
      { config: { access: 'full', duringPasswordChange: true }, schema: { tags, body: changePasswordBody, response: { 200: sessionStateSchema } } },
      async (req, reply) => {
        const { token, state } = await uc.changePassword(deps, req.auth!, req.body);
        setSessionCookie(reply, deps, token);
        return state;
      },
    );
  };
}
