import type { Role } from './roles';

// Chức vụ (positions). The agency keeps its own list of position titles (Giám đốc Sở, Phó Giám
// đốc, Chánh Văn phòng, Trưởng phòng …); each title has one of these kinds, and the authority
// table (authority.ts) speaks only of kinds. Every user holds one position, held in their own
// unit: "Trưởng phòng" held in the Phòng Lãnh sự is the head of that department.

export const POSITION_KINDS = ['agency_head', 'deputy_agency_head', 'office_chief', 'unit_head', 'deputy_unit_head', 'staff'] as const;
export type PositionKind = (typeof POSITION_KINDS)[number];

export interface PositionKindDefinition {
  kind: PositionKind;
  /** What the kind means, in the words of the law and the agency's organisation chart. */
  labelVi: string;
  /** The title a new agency starts with for this kind (the agency renames it, e.g. "Giám đốc Sở"). */
  defaultNameVi: string;
}

export const POSITION_KIND_TABLE: Record<PositionKind, PositionKindDefinition> = {
  // Người đứng đầu cơ quan, tổ chức (Luật 29/2018 Đ.10, Đ.11; Luật 117/2025).
  agency_head: { kind: 'agency_head', labelVi: 'Người đứng đầu cơ quan (Thủ trưởng)', defaultNameVi: 'Giám đốc' },
  // Cấp phó của người đứng đầu: decides only under a written delegation (Luật 29/2018 Đ.11 k.5).
  deputy_agency_head: { kind: 'deputy_agency_head', labelVi: 'Cấp phó của người đứng đầu cơ quan', defaultNameVi: 'Phó Giám đốc' },
  office_chief: { kind: 'office_chief', labelVi: 'Chánh Văn phòng', defaultNameVi: 'Chánh Văn phòng' },
  unit_head: { kind: 'unit_head', labelVi: 'Người đứng đầu đơn vị thuộc cơ quan (cấp phòng)', defaultNameVi: 'Trưởng phòng' },
  deputy_unit_head: { kind: 'deputy_unit_head', labelVi: 'Cấp phó của người đứng đầu đơn vị', defaultNameVi: 'Phó Trưởng phòng' },
  staff: { kind: 'staff', labelVi: 'Công chức, viên chức, người lao động', defaultNameVi: 'Chuyên viên' },
};

export const isPositionKind = (k: unknown): k is PositionKind => (POSITION_KINDS as readonly unknown[]).includes(k);

/**
 * Is this person the head of the agency (người đứng đầu cơ quan)? The one answer every module
 * asks: a position of kind agency_head, held in the agency itself (the root unit), by an account
 * that has the head role (the role gives the screens and permissions; a held account, which has
 * lost its secret-working roles, decides nothing). A Phó Giám đốc, or a head of a department, is
 * not the agency head, whatever their role.
 */
export function isAgencyHead(
  p: { positionKind: PositionKind | null | undefined; unitId: string | null | undefined; roles: readonly Role[] },
  rootUnitId: string | null | undefined,
): boolean {
  return p.positionKind === 'agency_head' && !!rootUnitId && p.unitId === rootUnitId && p.roles.includes('head');
}

/**
 * The position given to an account that was not given one: the reading used to assign positions
 * to accounts that existed before positions (migration 0009) and by the set-up. A head in the
 * agency itself is its head, a head elsewhere heads their unit, everyone else is staff.
 */
export function defaultPositionKind(roles: readonly Role[], inAgencyUnit: boolean): PositionKind {
  if (!roles.includes('head')) return 'staff';
  return inAgencyUnit ? 'agency_head' : 'unit_head';
}

/**
 * The position of an account the administrator creates without choosing one. Never the agency
 * head's: that position is chosen, and confirmed by the agency head (account-changes.ts). A head
 * created in the agency itself is taken for a deputy (Phó Giám đốc), who decides nothing without
 * a delegation.
 */
export function newAccountPositionKind(roles: readonly Role[], inAgencyUnit: boolean): PositionKind {
  if (!roles.includes('head')) return 'staff';
  return inAgencyUnit ? 'deputy_agency_head' : 'unit_head';
}
