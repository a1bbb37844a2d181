import { compareDates, isCivilDate, type IsoDate } from './civil-date';
import { LEVELS, type Level } from './levels';
import type { PositionKind } from './positions';

// Who decides what (người có thẩm quyền), as data. One row per operation × level, each with the
// article it rests on and a confidence note where the law text we could read is uncertain
// (shared/domain/legal-basis.md: [V] read in a source, [I] inferred, [NF] not found). An agency's
// legal officer corrects a row, never the logic: decide() reads the table and nothing else.
//
// The table is written for the agency KhoMật serves today: a provincial department (sở, ban,
// ngành cấp tỉnh — the demo's Sở Ngoại vụ). Its head is among the persons of Luật 29/2018 Đ.11
// k.2 (Tối mật) but not of Đ.11 k.1 (Tuyệt mật), so every Tuyệt mật copy, and every provision to a
// foreign party, is decided outside the agency ("higher authority"): KhoMật then records the
// outside decision instead of an in-system approval. Another tier of agency needs its own table.

export const AUTHORITY_OPERATIONS = [
  'classify',
  'copy',
  'provide_domestic',
  'provide_foreign',
  'take_out_domestic',
  'take_out_abroad',
  'extend',
  'adjust_level',
  'declassify',
  'destroy',
] as const;
export type AuthorityOperation = (typeof AUTHORITY_OPERATIONS)[number];

export const AUTHORITY_OPERATION_LABEL_VI: Record<AuthorityOperation, string> = {
  classify: 'Xác định bí mật nhà nước và độ mật',
  copy: 'Sao, chụp (sao y, sao lục, trích sao, chụp)',
  provide_domestic: 'Cung cấp, chuyển giao cho cơ quan, tổ chức, người Việt Nam',
  provide_foreign: 'Cung cấp, chuyển giao cho cơ quan, tổ chức, cá nhân nước ngoài',
  take_out_domestic: 'Mang ra khỏi nơi lưu giữ phục vụ công tác trong nước',
  take_out_abroad: 'Mang ra khỏi nơi lưu giữ phục vụ công tác ở nước ngoài',
  extend: 'Gia hạn thời hạn bảo vệ',
  adjust_level: 'Điều chỉnh độ mật',
  declassify: 'Giải mật',
  destroy: 'Tiêu hủy',
};

export type AuthorityRow =
  | {
      decidedBy: 'agency';
      /** Position kinds that decide by their position (agency_head: only the agency head itself, isAgencyHead). */
      positions: readonly PositionKind[];
      /** Whether a written delegation of the agency head to a deputy stands in. */
      delegable: boolean;
      article: string;
      /** Set where the law text read is uncertain ([I] / [NF]); the report and docs list these rows. */
      note?: string;
    }
  | {
      decidedBy: 'higher_authority';
      /** Who decides outside the agency, in Vietnamese, for the routed request. */
      authorityVi: string;
      article: string;
      note?: string;
    };

export type AuthorityTable = Record<AuthorityOperation, Record<Level, AuthorityRow>>;

const sameForAllLevels = (row: AuthorityRow): Record<Level, AuthorityRow> => ({ CONFIDENTIAL: row, SECRET: row, TOP_SECRET: row });

const HEAD_OR_DELEGATE = (article: string, note?: string): AuthorityRow => ({
  decidedBy: 'agency',
  positions: ['agency_head'],
  delegable: true,
  article,
  ...(note ? { note } : {}),
});
const HEAD_ONLY = (article: string, note?: string): AuthorityRow => ({
  decidedBy: 'agency',
  positions: ['agency_head'],
  delegable: false,
  article,
  ...(note ? { note } : {}),
});

export const AUTHORITY_TABLE: AuthorityTable = {
  // Người đứng đầu xác định BMNN và độ mật; cấp phó được giao (phân công, ủy quyền bằng văn bản)
  // xác định trong lĩnh vực được giao. Every level.
  classify: sameForAllLevels(
    HEAD_OR_DELEGATE(
      'Luật 29/2018 Đ.10 k.2 (Luật 117/2025 Đ.10); CV 4114/BCA-ANCTNB (2022); dự thảo NĐ 63/2026 (văn bản ủy quyền hoặc phân công)',
      '[I] Luật 117/2025 nói "người có thẩm quyền theo quy định của Luật này"; câu chữ Đ.10 Luật 117/2025 chưa đọc được.',
    ),
  ),
  // Sao, chụp: Luật 29/2018 Đ.11 (Luật 117/2025 Đ.11). The head of a sở is a person of k.2.
  copy: {
    TOP_SECRET: {
      decidedBy: 'higher_authority',
      authorityVi: 'Người có thẩm quyền tại Điều 11 khoản 1 (Bộ trưởng, Chủ tịch UBND cấp tỉnh …)',
      article: 'Luật 29/2018 Đ.11 k.1',
      note: '[NF] Các điểm i, k, l của k.1 (cấp tỉnh) chưa đọc được; Giám đốc sở không có trong các điểm a–h đã đọc.',
    },
    SECRET: HEAD_OR_DELEGATE('Luật 29/2018 Đ.11 k.2 (người đứng đầu sở, ban, ngành cấp tỉnh); ủy quyền cho cấp phó: Đ.11 k.5'),
    CONFIDENTIAL: HEAD_OR_DELEGATE(
      'Luật 29/2018 Đ.11 k.3 (gồm người tại k.1, k.2); ủy quyền cho cấp phó: Đ.11 k.5',
      '[NF] Câu chữ Đ.11 k.3 chưa đọc được; có thể k.3 cho cả người đứng đầu đơn vị cấp phòng (Trưởng phòng, Chánh Văn phòng) cho phép sao Mật — nếu đúng, thêm unit_head, office_chief vào dòng này.',
    ),
  },
  // Cung cấp, chuyển giao trong nước: người có thẩm quyền sao, chụp theo độ mật (Đ.15).
  provide_domestic: {
    TOP_SECRET: {
      decidedBy: 'higher_authority',
      authorityVi: 'Người có thẩm quyền tại Điều 11 khoản 1',
      article: 'Luật 29/2018 Đ.15 (người tại Đ.11 k.1)',
      note: '[I] Đ.15 đọc qua trích dẫn; bản Luật 117/2025 chưa đọc được.',
    },
    SECRET: HEAD_ONLY(
      'Luật 29/2018 Đ.15 (người tại Đ.11 k.2)',
      '[I] Đ.15 không nói về ủy quyền; Đ.11 k.5 chỉ nói ủy quyền cho phép sao, chụp, nên dòng này không cho ủy quyền.',
    ),
    CONFIDENTIAL: HEAD_ONLY('Luật 29/2018 Đ.15 (người tại Đ.11 k.3)', '[I] Như trên; danh sách Đ.11 k.3 chưa đọc được.'),
  },
  // Cung cấp cho nước ngoài: Tuyệt mật — Thủ tướng; Tối mật, Mật — Bộ trưởng Bộ Quốc phòng, Bộ
  // Công an và người tại Đ.11 k.1 điểm a–k, trong phạm vi quản lý (Đ.16) [V].
  provide_foreign: {
    TOP_SECRET: { decidedBy: 'higher_authority', authorityVi: 'Thủ tướng Chính phủ', article: 'Luật 29/2018 Đ.16 k.1 điểm a' },
    SECRET: {
      decidedBy: 'higher_authority',
      authorityVi: 'Bộ trưởng Bộ Quốc phòng, Bộ trưởng Bộ Công an, người tại Điều 11 khoản 1 (trong phạm vi quản lý)',
      article: 'Luật 29/2018 Đ.16 k.1 điểm b',
    },
    CONFIDENTIAL: {
      decidedBy: 'higher_authority',
      authorityVi: 'Bộ trưởng Bộ Quốc phòng, Bộ trưởng Bộ Công an, người tại Điều 11 khoản 1 (trong phạm vi quản lý)',
      article: 'Luật 29/2018 Đ.16 k.1 điểm b',
    },
  },
  // Mang ra khỏi nơi lưu giữ, trong nước: người đứng đầu cơ quan trực tiếp quản lý hoặc cấp phó
  // được ủy quyền; not tied to the level (Đ.14 k.1) [V].
  take_out_domestic: sameForAllLevels(HEAD_OR_DELEGATE('Luật 29/2018 Đ.14 k.1; NĐ 63/2026 Đ.7')),
  // Ra nước ngoài: Bộ trưởng Bộ Quốc phòng, Bộ Công an, người tại Đ.11 k.1 (a–l) hoặc cấp phó được
  // ủy quyền (Đ.14 k.2) [V]; not the head of a sở.
  take_out_abroad: sameForAllLevels({
    decidedBy: 'higher_authority',
    authorityVi: 'Bộ trưởng Bộ Quốc phòng, Bộ trưởng Bộ Công an, người tại Điều 11 khoản 1 hoặc cấp phó được ủy quyền',
    article: 'Luật 29/2018 Đ.14 k.2; NĐ 63/2026 Đ.7',
    note: '[NF] Các điểm i, k, l của Đ.11 k.1 chưa đọc được: nếu có Chủ tịch UBND tỉnh thì vẫn là cấp trên của sở.',
  }),
  // Gia hạn: người đứng đầu cơ quan đã xác định BMNN hoặc cấp phó được ủy quyền.
  extend: sameForAllLevels(
    HEAD_OR_DELEGATE(
      'Luật 29/2018 Đ.20 (Luật 117/2025 Đ.20)',
      '[I] "hoặc cấp phó được ủy quyền" đọc trong TT 104/2021/TT-BCA (ngành Công an); quy định chung chưa đọc được.',
    ),
  ),
  // Điều chỉnh độ mật: người có thẩm quyền xác định độ mật (Luật 117/2025 Đ.21) [V] — as classify.
  adjust_level: sameForAllLevels(HEAD_OR_DELEGATE('Luật 29/2018 Đ.21; Luật 117/2025 Đ.21', '[I] Ủy quyền cho cấp phó theo cách hiểu như xác định độ mật.')),
  // Giải mật theo quyết định: người đứng đầu cơ quan đã xác định lập Hội đồng giải mật và ra quyết định.
  declassify: sameForAllLevels(HEAD_ONLY('Luật 29/2018 Đ.22', '[I] Trình tự đọc qua quy chế của Bộ Tài chính (QĐ 1500/QĐ-BTC); không thấy quy định ủy quyền.')),
  // Tiêu hủy: người có thẩm quyền cho phép sao, chụp Tuyệt mật và Tối mật (Đ.11 k.1, k.2) [V]; the
  // head of a sở is a person of k.2, for items of every level.
  destroy: sameForAllLevels(
    HEAD_ONLY(
      'Luật 29/2018 Đ.23 (người tại Đ.11 k.1, k.2)',
      '[I] Thẩm quyền này áp dụng cho tài liệu mọi độ mật (kể cả Mật) là cách hiểu; không thấy quy định ủy quyền. Luật 117/2025 Đ.23 chưa đọc được.',
    ),
  ),
};

// ---------------------------------------------------------------------------------------------
// Delegation (ủy quyền): written, scoped, for a period, revocable, never passed on
// ---------------------------------------------------------------------------------------------

/**
 * A written delegation of the agency head to a deputy (Luật 29/2018 Đ.11 k.5; CV 4114/BCA-ANCTNB):
 * the operations and levels it covers, one field (lĩnh vực), both dates inclusive [I]. A delegate
 * cannot delegate further [I — recalled detail of Đ.11 k.5].
 */
export interface DelegationScope {
  operations: readonly AuthorityOperation[];
  levels: readonly Level[];
  field: string;
  validFrom: IsoDate;
  validTo: IsoDate;
  /** Revoked delegations are passed too, so a refusal can say why; they never cover anything. */
  revoked?: boolean;
}

const inPeriod = (d: Pick<DelegationScope, 'validFrom' | 'validTo'>, today: IsoDate) =>
  isCivilDate(d.validFrom) && isCivilDate(d.validTo) && isCivilDate(today) && compareDates(d.validFrom, today) <= 0 && compareDates(today, d.validTo) <= 0;

/** Does the delegation's scope (operation, level, field) include this decision, whatever the date? */
export function delegationScopeIncludes(d: DelegationScope, operation: AuthorityOperation, level: Level, field: string): boolean {
  return d.operations.includes(operation) && d.levels.includes(level) && d.field === field;
}

/** Does the delegation let its holder decide this today? */
export function delegationCoversDecision(d: DelegationScope, c: { operation: AuthorityOperation; level: Level; field: string; today: IsoDate }): boolean {
  return !d.revoked && delegationScopeIncludes(d, c.operation, c.level, c.field) && inPeriod(d, c.today);
}

/** The operations × levels a delegation may carry: those the agency head decides and the table lets a deputy decide. */
export function delegableScope(table: AuthorityTable = AUTHORITY_TABLE): { operation: AuthorityOperation; level: Level }[] {
  return AUTHORITY_OPERATIONS.flatMap((operation) =>
    LEVELS.filter((level) => {
      const row = table[operation][level];
      return row.decidedBy === 'agency' && row.delegable && row.positions.includes('agency_head');
    }).map((level) => ({ operation, level })),
  );
}

// ---------------------------------------------------------------------------------------------
// The decision
// ---------------------------------------------------------------------------------------------

export type AuthorityRefusal = 'wrong_authority' | 'self_decision' | 'delegation_expired' | 'higher_authority';

export interface Decider {
  id: string;
  positionKind: PositionKind | null;
  /** positions.ts isAgencyHead: the agency_head kind counts only for the agency head itself. */
  isAgencyHead: boolean;
  delegations: readonly DelegationScope[];
}

export type AuthorityDecision = { ok: true; via: 'position' | 'delegation'; row: AuthorityRow } | { ok: false; code: AuthorityRefusal; row: AuthorityRow };

export const AUTHORITY_REFUSAL_VI: Record<AuthorityRefusal, string> = {
  wrong_authority: 'Người này không có thẩm quyền quyết định việc này ở độ mật này.',
  self_decision: 'Không ai được tự quyết định đề nghị của chính mình.',
  delegation_expired: 'Văn bản ủy quyền đã hết hạn, chưa có hiệu lực hoặc đã bị thu hồi.',
  higher_authority: 'Việc này do cấp có thẩm quyền ngoài cơ quan quyết định; ghi nhận văn bản quyết định của cấp đó.',
};

/**
 * May `decider` decide `operation` on an item of `level` (in `field`, on `today`) asked for by
 * `requesterId`? In order: a decision outside the agency is never taken here; nobody decides
 * their own request; the decider's position (the table's kinds; agency_head only as the agency
 * head itself); else a delegation covering operation, level, field and today, where the row
 * allows one; a delegation whose scope fits but whose period does not (or which was revoked)
 * says so.
 */
export function decide(input: {
  operation: AuthorityOperation;
  level: Level;
  field: string;
  today: IsoDate;
  decider: Decider;
  requesterId: string | null;
  table?: AuthorityTable;
}): AuthorityDecision {
  const row = (input.table ?? AUTHORITY_TABLE)[input.operation][input.level];
  if (row.decidedBy === 'higher_authority') return { ok: false, code: 'higher_authority', row };
  const { decider } = input;
  if (input.requesterId !== null && decider.id === input.requesterId) return { ok: false, code: 'self_decision', row };
  const kind = decider.positionKind === 'agency_head' && !decider.isAgencyHead ? null : decider.isAgencyHead ? 'agency_head' : decider.positionKind;
  if (kind && row.positions.includes(kind)) return { ok: true, via: 'position', row };
  if (row.delegable) {
    const c = { operation: input.operation, level: input.level, field: input.field, today: input.today };
    if (decider.delegations.some((d) => delegationCoversDecision(d, c))) return { ok: true, via: 'delegation', row };
    if (decider.delegations.some((d) => delegationScopeIncludes(d, input.operation, input.level, input.field)))
      return { ok: false, code: 'delegation_expired', row };
  }
  return { ok: false, code: 'wrong_authority', row };
}

/** Position kinds that decide something by themselves (a position change to one of them needs a second person). */
export function decidingPositionKinds(table: AuthorityTable = AUTHORITY_TABLE): PositionKind[] {
  const kinds = new Set<PositionKind>();
  for (const op of AUTHORITY_OPERATIONS)
    for (const level of LEVELS) {
      const row = table[op][level];
      if (row.decidedBy === 'agency') for (const k of row.positions) kinds.add(k);
    }
  return [...kinds];
}
