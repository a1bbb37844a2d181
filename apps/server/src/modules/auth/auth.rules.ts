import { rolesRequireTotp, type Role } from '@khomat/policy';

// Pure rules of signing in: password strength, lock-out, session expiry, login stage.

export const PASSWORD_MIN_LENGTH = 10;

export function isPasswordStrongEnough(pw: string): boolean {
  return pw.length >= PASSWORD_MIN_LENGTH && pw.length <= 256 && /\p{L}/u.test(pw) && /\p{N}/u.test(pw);
}

export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export function isLocked(lockedUntil: string | null, now: Date): boolean {
  return lockedUntil !== null && new Date(lockedUntil).getTime() > now.getTime();
}

/** State after one more failed attempt. Failures counted since the last success or lock. */
export function afterFailedLogin(failed: number, now: Date, policy: LockoutPolicy): { failedLogins: number; lockedUntil: string | null } {
  const n = failed + 1;
  if (n >= policy.maxFailures) {
    return { failedLogins: 0, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000).toISOString() };
  }
  return { failedLogins: n, lockedUntil: null };
}

export type SessionStage = 'totp' | 'enrol' | 'full';

/** Stage a session reaches once the password is accepted. */
export function stageAfterPassword(roles: readonly Role[], totpEnabled: boolean): SessionStage {
  if (totpEnabled) return 'totp';
  return rolesRequireTotp(roles) ? 'enrol' : 'full';
}

export interface SessionTimes {
  lastSeenAt: string;
  expiresAt: string;
}

export type SessionValidity = 'valid' | 'idle' | 'expired';

export function sessionValidity(s: SessionTimes, now: Date, idleMinutes: number): SessionValidity {
  const t = now.getTime();
  if (new Date(s.expiresAt).getTime() <= t) return 'expired';
  if (new Date(s.lastSeenAt).getTime() + idleMinutes * 60_000 <= t) return 'idle';
  return 'valid';
}

/** last_seen_at is written at most this often, to keep reads cheap; idle timeout stays accurate to it. */
export const SESSION_TOUCH_SECONDS = 20;

export function needsTouch(lastSeenAt: string, now: Date): boolean {
  return now.getTime() - new Date(lastSeenAt).getTime() >= SESSION_TOUCH_SECONDS * 1000;
}

/** `scheme://host[:port]` of a URL, in the form browsers send it; null when it is not a web URL. */
export function originOf(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const u = new URL(url);
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
}

export interface RequestOrigin {
  /** The Origin header, if the client sent one. */
  origin: string | undefined;
  /** The Referer header, consulted only when there is no Origin. */
  referer: string | undefined;
  /** The server's own origin as this request addressed it (scheme + Host); null if the Host is unusable. */
  own: string | null;
  /** Further origins the agency configured (KHOMAT_ALLOWED_ORIGINS), already normalised. */
  allowed: readonly string[];
}

/**
 * May a state-changing request go on? A browser names the page that sent it (Origin, or at least
 * Referer); a page of another site must not act with the user's session (OWASP ASVS 4.0 §13.2.3,
 * defence in depth beside SameSite=Strict and the CSRF token). A request naming no page at all
 * comes from a program (CLI, script), not from another site's page, and goes on to the CSRF check.
 */
export function isRequestOriginAccepted(r: RequestOrigin): boolean {
  const named = r.origin ?? r.referer;
  if (named === undefined) return true;
  // "null" (sandboxed frame, file:, some redirects) and anything unparsable are not an origin.
  const from = originOf(named);
  return from !== null && (from === r.own || r.allowed.includes(from));
}
