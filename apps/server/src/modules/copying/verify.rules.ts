import type { Role } from '@khomat/policy';
import { VERIFICATION_ID_PATTERN } from './copy-pdf';

// Who may trace a printed copy back to its holder (issue 13 point 4), and what an id typed on the
// verify page is. Pure.

/** The facts about the viewer the rule needs. */
export interface Tracer {
  roles: readonly Role[];
  /** Heads the agency itself (today: head role in the root unit; after issue 13 §1, the position). */
  isAgencyHead: boolean;
}

/**
 * The security officer and the agency head trace a leaked page (issue 13 point 4); nobody else,
 * not a department head, an inspector or the administrator.
 */
export function mayTraceCopies(t: Tracer): boolean {
  return t.roles.includes('security_officer') || (t.isAgencyHead && t.roles.includes('head'));
}

/**
 * The id as typed or read: spaces and hyphens (a person may group the characters when copying
 * them from the footer) dropped, letters upper-cased. Null when it is not a well-formed
 * verification id (26 base32 characters) — or is absurdly long.
 */
export function normaliseVerificationId(raw: string): string | null {
  if (raw.length > 200) return null;
  const id = raw.replace(/[\s-]/g, '').toUpperCase();
  return VERIFICATION_ID_PATTERN.test(id) ? id : null;
}
