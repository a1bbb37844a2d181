// Kinds of tài liệu, vật chứa bí mật nhà nước (Luật 117/2025 Đ.2: paper and electronic documents,
// objects, places, speech, activities and other forms that hold state secrets) and how the
// protection period of each ends (Luật 117/2025 Đ.19).

export const ITEM_KINDS = ['document', 'electronic_document', 'object', 'medium', 'place', 'activity'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export interface ItemKindDefinition {
  kind: ItemKind;
  labelVi: string;
  /**
   * 'fixed_term': ends a number of years after classification (30/20/10 or shorter).
   * 'while_in_use': Luật 117/2025 Đ.19 — a place stays protected until the competent agency no
   * longer uses it to hold secrets; it has no end date, the end is recorded by decision.
   */
  periodEnds: 'fixed_term' | 'while_in_use';
  /**
   * May a shorter period than 30/20/10 years be set at classification?
   * [I] The law names activities (Luật 29/2018 Đ.19, [I] kept in 2025); KhoMật's issue lets any
   * fixed-term item carry one (some sector rules let the classifier set it). An agency that reads
   * the law strictly sets this to false for everything but 'activity'.
   */
  shorterPeriodAllowed: boolean;
}

export const ITEM_KIND_TABLE: Record<ItemKind, ItemKindDefinition> = {
  document: { kind: 'document', labelVi: 'Tài liệu giấy', periodEnds: 'fixed_term', shorterPeriodAllowed: true },
  electronic_document: { kind: 'electronic_document', labelVi: 'Tài liệu điện tử', periodEnds: 'fixed_term', shorterPeriodAllowed: true },
  object: { kind: 'object', labelVi: 'Vật', periodEnds: 'fixed_term', shorterPeriodAllowed: true },
  medium: { kind: 'medium', labelVi: 'Vật mang tin (thiết bị, phương tiện lưu trữ)', periodEnds: 'fixed_term', shorterPeriodAllowed: true },
  place: { kind: 'place', labelVi: 'Địa điểm', periodEnds: 'while_in_use', shorterPeriodAllowed: false },
  activity: { kind: 'activity', labelVi: 'Hoạt động', periodEnds: 'fixed_term', shorterPeriodAllowed: true },
};
