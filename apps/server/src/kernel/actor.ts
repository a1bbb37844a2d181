import { PERMISSIONS, rolesAllow, type Clearance, type Permission, type Role } from '@khomat/policy';
import { commonErrors } from '../platform/errors';

/** The signed-in person a use case acts for. */
export interface Actor {
  userId: string;
  roles: readonly Role[];
  clearance: Clearance;
  unitId: string;
  /**
   * The account is held (a pending account change awaits a second person): `roles` and
   * `clearance` already exclude everything that works with secrets (auth.usecases actorOf).
   */
  held?: boolean;
}

/**
 * First line of every use case (CONVENTIONS.md habit 4): the role must allow the action. Content
 * access adds clearance and need-to-know checks in the module that owns the content.
 */
export function requirePermission(actor: Actor | null | undefined, permission: Permission): asserts actor is Actor {
  if (!actor) throw commonErrors.unauthenticated();
  if (!rolesAllow(actor.roles, permission)) throw commonErrors.forbidden({ permission });
}

export function permissionsOf(roles: readonly Role[]): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => rolesAllow(roles, p));
}
