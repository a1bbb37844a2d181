import type { Role } from './roles';

// Who may do what: the one table every use case reads (CONVENTIONS.md habit 4). Content access
// additionally needs clearance and need-to-know; that check lives with the items module.
export const PERMISSIONS = {
  'org.unit.read': ['clerk', 'officer', 'head', 'security_officer', 'inspector', 'admin'],
  'org.unit.manage': ['admin'],
  'org.user.read': ['clerk', 'head', 'security_officer', 'inspector', 'admin'],
  'org.user.manage': ['admin'],
  // The agency's list of positions (chức vụ), like its units. Giving a position that decides is an
  // account change confirmed by a second person (account-changes.ts positionChangeNeedsConfirmation).
  'org.position.manage': ['admin'],
  // Luật 117/2025: clearance is a security decision, never the administrator's. The role gives
  // the right to ask; the clearance grant table (account-changes.ts CLEARANCE_GRANTERS) narrows
  // 'head' to the agency head — a department head no longer grants clearances.
  'org.user.clearance': ['security_officer', 'head'],
  // Account changes waiting for a second person (DESIGN.md principle 8): the security officer and
  // the agency head see and decide them; checkConfirmer says who may decide each one.
  'account.change.read': ['security_officer', 'head'],
  'account.change.decide': ['security_officer', 'head'],
  // The danh mục BMNN is itself often classified: every role that works with secrets may read
  // it, the inspector checks it; only the security officer maintains it.
  'catalog.read': ['clerk', 'officer', 'head', 'security_officer', 'inspector'],
  'catalog.manage': ['security_officer'],
  // Registry (issue 3). Content itself needs clearance and need-to-know on top (items.rules).
  'item.draft': ['officer', 'head', 'clerk', 'security_officer'],
  // Who may ever decide a proposal; the decision itself also needs to be the head or to hold a
  // delegation for the field (items.rules checkApproval).
  'item.decide': ['head', 'officer', 'clerk', 'security_officer'],
  'item.view': ['clerk', 'officer', 'head', 'security_officer', 'inspector'],
  'item.content.read': ['clerk', 'officer', 'head', 'security_officer'],
  'custody.mine': ['clerk', 'officer', 'head', 'security_officer'],
  'item.issue': ['clerk'],
  'item.receive': ['clerk'],
  'item.metadata.read': ['clerk', 'head', 'security_officer', 'inspector'],
  'custody.hand_over': ['clerk', 'officer', 'head', 'security_officer'],
  'register.read': ['clerk', 'head', 'security_officer', 'inspector'],
  'register.manage': ['clerk'],
  'register.lock': ['clerk', 'security_officer'],
  'register.export': ['clerk', 'security_officer', 'inspector'],
  // People who work with secrets pick colleagues (recipients, hand-overs) from a short directory:
  // names, units and positions only, never the account details the administrator manages.
  'org.people.read': ['clerk', 'officer', 'head', 'security_officer'],
  // What a unit holds: its own clerk and head; the security officer and the inspector for any unit.
  'unit.holdings.read': ['clerk', 'head', 'security_officer', 'inspector'],
  // Need-to-know by assignment: the head of the unit that holds the item assigns a colleague.
  'item.assign': ['head'],
  // A deputy decides classification proposals only under a written delegation of the agency head
  // for a field and a period (CV 4114/BCA-ANCTNB; NĐ 63/2026). Heads record them (the use case
  // requires the head of the agency itself); security officer and inspector check them.
  'delegation.read': ['head', 'security_officer', 'inspector'],
  'delegation.manage': ['head'],
  // Requests (đề nghị) to copy, provide or take out (issue 13): whoever works with secrets asks;
  // who decides is the authority table's answer (authority.ts decide()), asked in the use case —
  // the role only opens the door. Recording a decision taken outside the agency (a request routed
  // to a higher authority) is the agency head's, the security officer's or the văn thư's.
  'request.create': ['officer', 'head', 'clerk', 'security_officer'],
  'request.read': ['officer', 'head', 'clerk', 'security_officer'],
  'request.decide': ['head', 'officer', 'clerk', 'security_officer'],
  'request.record_outside': ['head', 'clerk', 'security_officer'],
  // Take-out (mang ra khỏi nơi lưu giữ): carrying out, returning, declaring a loss — the role
  // opens the door, the take-out rules (holder, keeper, security officer) decide in the use case.
  'take_out.act': ['officer', 'head', 'clerk', 'security_officer'],
  // Provision (cung cấp, chuyển giao): sending the approved copies (the văn thư who keeps them —
  // provision.rules decides in the use case) and printing the answer letter (whoever sees the request).
  'provision.act': ['officer', 'head', 'clerk', 'security_officer'],
  // The list of what is out and overdue: the security officer and heads.
  'take_out.oversee': ['head', 'security_officer'],
  // Carrying out an approved copy / photograph / extract request: the văn thư (NĐ 26/2020 Đ.3);
  // the copying rules (checkExecutor) narrow it to the clerk of the unit keeping the original or
  // of the agency, cleared for the level.
  'copy.execute': ['clerk'],
  'notification.read': ['clerk', 'officer', 'head', 'security_officer', 'inspector', 'admin'],
  'audit.read': ['security_officer', 'inspector'],
  'audit.export': ['security_officer', 'inspector'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return roles.some((r) => allowed.includes(r));
}
