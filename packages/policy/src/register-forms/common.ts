import type { FormCoverField } from '../forms';

// Cover page of a register volume: TT 24/2020/TT-BCA Mẫu 15 notes (1)–(6), verified on the
// incoming register and [I] assumed the same for the other registers.
export const REGISTER_COVER_FIELDS: FormCoverField[] = [
  { key: 'superiorBody', labelVi: 'Tên cơ quan, tổ chức chủ quản cấp trên trực tiếp' },
  { key: 'agencyName', labelVi: 'Tên cơ quan, tổ chức' },
  { key: 'year', labelVi: 'Năm' },
  { key: 'dateRange', labelVi: 'Từ ngày … đến ngày …' },
  { key: 'numberRange', labelVi: 'Từ số … đến số …' },
  { key: 'volume', labelVi: 'Quyển số' },
];

/** TT 24/2020/TT-BCA forms apply from the day Luật 29/2018 and its decrees took effect. */
export const TT24_EFFECTIVE_FROM = '2020-07-01';
/** NĐ 63/2026/NĐ-CP (28/02/2026) forms, with Luật 117/2025 in force from 01/3/2026. */
export const ND63_EFFECTIVE_FROM = '2026-03-01';

// [I] The exact NĐ 63/2026 column lists were not read (legal-basis §16 q.1): every register keeps
// the columns of its previous form, cited to the decree in force.
export const ND63_SAME_COLUMNS_NOTE =
  'Tạm dùng các cột của mẫu TT24 tương ứng cho đến khi đối chiếu được các mẫu sổ của Nghị định 63/2026/NĐ-CP (Phụ lục III, sửa đổi theo Công văn 2663/VPCP-NC ngày 27/03/2026 — chưa kiểm chứng). Trích yếu của tài liệu Tuyệt mật không được ghi; tên loại vẫn ghi.';
