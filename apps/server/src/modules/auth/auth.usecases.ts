import crypto from 'node:crypto';
import { rolesWhileHeld, isPositionKind, type PositionKind } from '@khomat/policy';
import { permissionsOf, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { sealSmall, unsealSmall } from '../../platform/crypto/seal';
import type { SessionRow } from '../../platform/db/schema';
import { authErrors } from './auth.errors';
import * as repo from './auth.repository';
import type { UserWithRoles } from './auth.repository';
import { afterFailedLogin, isLocked, isPasswordStrongEnough, needsTouch, sessionValidity, stageAfterPassword, type SessionStage } from './auth.rules';
import { newTotpSecret, totpQrSvg, totpUri, verifyTotp } from './totp';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'config' | 'passwords' | 'keys'>;

export interface Me {
  id: string;
  username: string;
  fullName: string;
  unitId: string;
  unitName: string;
  position: string;
  positionId: string | null;
  positionKind: PositionKind | null;
  roles: UserWithRoles['roles'];
  clearance: Actor['clearance'];
  totpEnabled: boolean;
  mustChangePassword: boolean;
  permissions: string[];
  /** Pending changes that suspend work with secrets until a second person confirms them. */
  hold: { kinds: string[] } | null;
}

export interface AuthenticatedSession {
  session: SessionRow;
  user: UserWithRoles;
}

export interface SessionState {
  authenticated: true;
  stage: SessionStage;
  csrfToken: string;
  user: Me;
}

export function toMe(u: UserWithRoles): Me {
  return {
    id: u.id,
    username: u.username,
    fullName: u.full_name,
    unitId: u.unit_id,
    unitName: u.unit_name,
    position: u.position,
    positionId: u.position_id,
    positionKind: isPositionKind(u.position_kind) ? u.position_kind : null,
    roles: u.roles,
    clearance: u.clearance as Me['clearance'],
    totpEnabled: u.totp_enabled === 1,
    mustChangePassword: u.must_change_password === 1,
    // What the person may do now: a held account's permissions are those of the held actor.
    permissions: permissionsOf(actorOf(u).roles),
    hold: u.hold.length > 0 ? { kinds: [...u.hold] } : null,
  };
}

/**
 * The one place an Actor is made. An account with a pending account/roles/unit/identity change
 * (issue 11; DESIGN.md principle 8) works without the roles that work with secrets and with no
 * clearance until a second person confirms: every permission, content, approval and handling
 * check downstream then refuses by design, with no check of its own.
 */
export function actorOf(u: UserWithRoles): Actor {
  const clearance = u.clearance as Actor['clearance'];
  if (u.hold.length === 0) return { userId: u.id, roles: u.roles, clearance, unitId: u.unit_id };
  return { userId: u.id, roles: rolesWhileHeld(u.roles), clearance: 'NONE', unitId: u.unit_id, held: true };
}

export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

const newSessionToken = () => crypto.randomBytes(32).toString('base64url');
const newCsrfToken = () => crypto.randomBytes(24).toString('base64url');

/** Creates a server-side session; returns the cookie token (only its hash is stored). */
export async function createSession(deps: Pick<Deps, 'clock' | 'config'>, db: AppDeps['dbh']['db'], userId: string, stage: SessionStage) {
  const token = newSessionToken();
  const now = deps.clock.now();
  const row: SessionRow = {
    id: hashToken(token),
    user_id: userId,
    csrf_token: newCsrfToken(),
    stage,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3_600_000).toISOString(),
  };
  await repo.insertSession(db, row);
  return { token, session: row };
}

/**
 * The session goes on under a new id and a new CSRF token, at `stage`; the old row is deleted, so
 * the cookie from before (which someone may have planted or seen) opens nothing any more. Done
 * whenever the session gains rights: the TOTP step, TOTP enrolment, a password change (session
 * fixation, OWASP ASVS 4.0 §3.2.1). The absolute lifetime still counts from the sign-in.
 */
async function renewSession(deps: Pick<Deps, 'clock'>, tx: AppDeps['dbh']['db'], old: SessionRow, stage: SessionStage) {
  const token = newSessionToken();
  const row: SessionRow = {
    id: hashToken(token),
    user_id: old.user_id,
    csrf_token: newCsrfToken(),
    stage,
    created_at: old.created_at,
    last_seen_at: deps.clock.now().toISOString(),
    expires_at: old.expires_at,
  };
  await repo.deleteSession(tx, old.id);
  await repo.insertSession(tx, row);
  return { token, session: row };
}

export interface LoginResult {
  token: string;
  state: SessionState;
}

/**
 * Password step of a sign-in. `replaces` is the session the browser presented, if any: a new
 * sign-in ends it, so a session id planted before sign-in never outlives it.
 */
export async function login(deps: Deps, input: { username: string; password: string }, replaces?: AuthenticatedSession | null): Promise<LoginResult> {
  const { db } = deps.dbh;
  const user = await repo.findUserForLogin(db, input.username);
  const now = deps.clock.now();
  if (!user) {
    await deps.passwords.dummyVerify(input.password);
    await db.transaction().execute((tx) =>
      deps.audit.append(tx, {
        actorId: null,
        action: 'auth.login_failed',
        details: { username: input.username.toLowerCase().slice(0, 64), reason: 'unknown_user' },
      }),
    );
    throw authErrors.invalidCredentials();
  }
  if (isLocked(user.locked_until, now)) {
    await deps.passwords.dummyVerify(input.password);
    throw authErrors.locked({ lockedUntil: user.locked_until });
  }
  const ok = await deps.passwords.verify(user.password_hash, input.password);
  if (!ok) {
    const next = afterFailedLogin(user.failed_logins, now, { maxFailures: deps.config.loginMaxFailures, lockMinutes: deps.config.loginLockMinutes });
    await db.transaction().execute(async (tx) => {
      await repo.recordLoginFailure(tx, user.id, next.failedLogins, next.lockedUntil);
      await deps.audit.append(tx, {
        actorId: null,
        action: 'auth.login_failed',
        subjectType: 'user',
        subjectId: user.id,
        details: { reason: 'wrong_password' },
      });
      if (next.lockedUntil) {
        await deps.audit.append(tx, {
          actorId: null,
          action: 'auth.account_locked',
          subjectType: 'user',
          subjectId: user.id,
          details: { until: next.lockedUntil },
        });
      }
    });
    if (next.lockedUntil) throw authErrors.locked({ lockedUntil: next.lockedUntil });
    throw authErrors.invalidCredentials();
  }
  if (user.active !== 1) throw authErrors.inactive();
  return db.transaction().execute(async (tx) => {
    const full = (await repo.findUserWithRoles(tx, user.id))!;
    const stage = stageAfterPassword(full.roles, full.totp_enabled === 1);
    await repo.clearLoginFailures(tx, user.id);
    if (replaces) await repo.deleteSession(tx, replaces.session.id);
    const { token, session } = await createSession(deps, tx, user.id, stage);
    await deps.audit.append(tx, { actorId: user.id, action: 'auth.login', subjectType: 'user', subjectId: user.id, details: { stage } });
    return { token, state: { authenticated: true as const, stage, csrfToken: session.csrf_token, user: toMe(full) } };
  });
}

/**
 * Resolves the cookie token to a live session. Expired, idle or orphaned sessions are deleted.
 */
export async function resolveSession(deps: Pick<Deps, 'dbh' | 'clock' | 'config'>, token: string | undefined): Promise<AuthenticatedSession | null> {
  if (!token || token.length > 128) return null;
  const { db } = deps.dbh;
  const id = hashToken(token);
  const session = await repo.findSession(db, id);
  if (!session) return null;
  const now = deps.clock.now();
  const validity = sessionValidity({ lastSeenAt: session.last_seen_at, expiresAt: session.expires_at }, now, deps.config.sessionIdleMinutes);
  const user = validity === 'valid' ? await repo.findUserWithRoles(db, session.user_id) : undefined;
  if (!user || user.active !== 1) {
    await repo.deleteSession(db, id);
    return null;
  }
  if (needsTouch(session.last_seen_at, now)) {
    session.last_seen_at = now.toISOString();
    await repo.touchSession(db, id, session.last_seen_at);
  }
  return { session, user };
}

export function sessionState(s: AuthenticatedSession): SessionState {
  return { authenticated: true, stage: s.session.stage as SessionStage, csrfToken: s.session.csrf_token, user: toMe(s.user) };
}

export async function logout(deps: Deps, s: AuthenticatedSession): Promise<void> {
  await deps.dbh.db.transaction().execute(async (tx) => {
    await repo.deleteSession(tx, s.session.id);
    await deps.audit.append(tx, { actorId: s.user.id, action: 'auth.logout', subjectType: 'user', subjectId: s.user.id });
  });
}

export async function submitTotp(deps: Deps, s: AuthenticatedSession, code: string): Promise<LoginResult> {
  if (s.session.stage !== 'totp') throw authErrors.wrongStage();
  const { db } = deps.dbh;
  const user = s.user;
  const now = deps.clock.now();
  if (isLocked(user.locked_until, now)) throw authErrors.locked({ lockedUntil: user.locked_until });
  const secret = user.totp_secret_sealed ? unsealSmall(deps.keys, user.totp_secret_sealed) : null;
  const step = secret ? verifyTotp(secret, code, now, user.totp_last_step) : null;
  if (step === null) {
    // A wrong second factor counts towards the same lock-out as a wrong password.
    const next = afterFailedLogin(user.failed_logins, now, { maxFailures: deps.config.loginMaxFailures, lockMinutes: deps.config.loginLockMinutes });
    await db.transaction().execute(async (tx) => {
      await repo.recordLoginFailure(tx, user.id, next.failedLogins, next.lockedUntil);
      await deps.audit.append(tx, { actorId: user.id, action: 'auth.totp_failed', subjectType: 'user', subjectId: user.id });
      if (next.lockedUntil) {
        await repo.deleteSessionsOfUser(tx, user.id);
        await deps.audit.append(tx, {
          actorId: null,
          action: 'auth.account_locked',
          subjectType: 'user',
          subjectId: user.id,
          details: { until: next.lockedUntil },
        });
      }
    });
    if (next.lockedUntil) throw authErrors.locked({ lockedUntil: next.lockedUntil });
    throw authErrors.totpInvalid();
  }
  return db.transaction().execute(async (tx) => {
    await repo.recordTotpStep(tx, user.id, step);
    await repo.clearLoginFailures(tx, user.id);
    const { token, session } = await renewSession(deps, tx, s.session, 'full');
    await deps.audit.append(tx, { actorId: user.id, action: 'auth.totp_verified', subjectType: 'user', subjectId: user.id });
    const fresh = (await repo.findUserWithRoles(tx, user.id))!;
    return { token, state: sessionState({ session, user: fresh }) };
  });
}

export async function startTotpEnrolment(deps: Deps, s: AuthenticatedSession): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
  if (s.session.stage !== 'enrol' && s.session.stage !== 'full') throw authErrors.wrongStage();
  const secret = newTotpSecret();
  const url = totpUri(secret, s.user.username);
  await deps.dbh.db.transaction().execute(async (tx) => {
    await repo.savePendingTotpSecret(tx, s.user.id, sealSmall(deps.keys, secret));
    await deps.audit.append(tx, { actorId: s.user.id, action: 'auth.totp_enrolment_started', subjectType: 'user', subjectId: s.user.id });
  });
  return { secret, otpauthUrl: url, qrSvg: await totpQrSvg(url) };
}

export async function confirmTotpEnrolment(deps: Deps, s: AuthenticatedSession, code: string): Promise<LoginResult> {
  if (s.session.stage !== 'enrol' && s.session.stage !== 'full') throw authErrors.wrongStage();
  const { db } = deps.dbh;
  const pending = s.user.totp_pending_sealed;
  if (!pending) throw authErrors.enrolmentNotStarted();
  const now = deps.clock.now();
  const step = verifyTotp(unsealSmall(deps.keys, pending), code, now, null);
  if (step === null) throw authErrors.totpInvalid();
  return db.transaction().execute(async (tx) => {
    await repo.activatePendingTotp(tx, s.user.id, pending, step);
    const { token, session } = await renewSession(deps, tx, s.session, 'full');
    await deps.audit.append(tx, { actorId: s.user.id, action: 'auth.totp_enrolled', subjectType: 'user', subjectId: s.user.id });
    const fresh = (await repo.findUserWithRoles(tx, s.user.id))!;
    return { token, state: sessionState({ session, user: fresh }) };
  });
}

export async function changePassword(deps: Deps, s: AuthenticatedSession, input: { currentPassword: string; newPassword: string }): Promise<LoginResult> {
  if (s.session.stage !== 'full') throw authErrors.sessionStage();
  if (!isPasswordStrongEnough(input.newPassword)) throw authErrors.passwordTooWeak();
  if (input.newPassword === input.currentPassword) throw authErrors.passwordReused();
  if (!(await deps.passwords.verify(s.user.password_hash, input.currentPassword))) throw authErrors.wrongCurrentPassword();
  const hash = await deps.passwords.hash(input.newPassword);
  const now = deps.clock.now().toISOString();
  return deps.dbh.db.transaction().execute(async (tx) => {
    await repo.updatePasswordHash(tx, s.user.id, hash, now, false);
    // Every other session of this person ends: whoever knew the old password is out; this one goes
    // on under a new id.
    await repo.deleteSessionsOfUser(tx, s.user.id, s.session.id);
    const { token, session } = await renewSession(deps, tx, s.session, 'full');
    await deps.audit.append(tx, { actorId: s.user.id, action: 'auth.password_changed', subjectType: 'user', subjectId: s.user.id });
    const fresh = (await repo.findUserWithRoles(tx, s.user.id))!;
    return { token, state: sessionState({ session, user: fresh }) };
  });
}
