import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Config } from '../../platform/config';

export const SESSION_COOKIE = 'khomat_sid';

/** The session cookie's flags: the same when it is set, renewed and cleared (else a browser keeps a twin). */
export function sessionCookieOptions(config: Pick<Config, 'secureCookie'>): CookieSerializeOptions {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: config.secureCookie };
}
