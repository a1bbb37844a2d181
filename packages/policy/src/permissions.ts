import type { Role } from './roles';

// Who may do what: the one table every use case reads (CONVENTIONS.md habit 4). Content access
// additionally needs clearance and need-to-know; that check lives with the items module.
export const PERMISSIONS = {
  'org.unit.read': ['clerk', 'officer', 'head', 'security_officer', 'inspector', 'admin'],
  'org.unit.manage': ['admin'],
  'org.user.read': ['clerk', 'head', 'security_officer', 'inspector', 'admin'],
  'org.user.manage': ['admin'],
  // Luật 117/2025: clearance is a security decision, never the administrator's.
  'org.user.clearance': ['security_officer', 'head'],
  // The danh mục BMNN is itself often classified: every role that works with secrets may read
  // it, the inspector checks it; only the security officer maintains it.
  'catalog.read': ['clerk', 'officer', 'head', 'security_officer', 'inspector'],
  'catalog.manage': ['security_officer'],
  'audit.read': ['security_officer', 'inspector'],
  'audit.export': ['security_officer', 'inspector'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}
