import type { FormColumn, RegisterFormDefinition } from '../forms';
import { ND63_EFFECTIVE_FROM, ND63_SAME_COLUMNS_NOTE, REGISTER_COVER_FIELDS, TT24_EFFECTIVE_FROM } from './common';

// Sổ chuyển giao bí mật nhà nước (NĐ 26/2020 Đ.4; Luật 29/2018 Đ.13 k.6, [I] kept in Luật 117/2025:
// every hand-over entered in a register, the receiver signs). Columns [I] from shared/domain/README.md; [I] a "Số thứ tự"
// column is added because entries are numbered per register and year. No summary column.
const COLUMNS: FormColumn[] = [
  { key: 'stt', headerVi: 'Số thứ tự', field: 'sequenceNo', widthMm: 12, align: 'center' },
  { key: 'ngayChuyen', headerVi: 'Ngày chuyển', field: 'transferDate', widthMm: 22, align: 'center' },
  { key: 'soKyHieu', headerVi: 'Số, ký hiệu / số đến', field: 'itemReference', widthMm: 45 },
  { key: 'doMat', headerVi: 'Độ mật', field: 'level', widthMm: 18, align: 'center' },
  { key: 'soLuong', headerVi: 'Số lượng (bản số)', field: 'copies', widthMm: 22, align: 'center' },
  { key: 'nguoiNhan', headerVi: 'Đơn vị hoặc người nhận', field: 'receiver', widthMm: 60 },
  { key: 'kyNhan', headerVi: 'Ký nhận (người, ngày)', field: 'receipt', widthMm: 50 },
  { key: 'ghiChu', headerVi: 'Ghi chú', field: 'note', widthMm: 40 },
];

export const TRANSFER_REGISTER_FORMS: RegisterFormDefinition[] = [
  {
    code: 'TT24-M16',
    register: 'transfer',
    titleVi: 'SỔ CHUYỂN GIAO BÍ MẬT NHÀ NƯỚC',
    legalBasis: 'Thông tư 24/2020/TT-BCA, Mẫu 16; Nghị định 26/2020/NĐ-CP Điều 4',
    effectiveFrom: TT24_EFFECTIVE_FROM,
    verification: 'provisional',
    noteVi: 'Các cột chưa đối chiếu được với mẫu chính thức; NĐ 63/2026 chưa rõ có thay mẫu này không — sửa dữ liệu khi có.',
    coverFields: REGISTER_COVER_FIELDS,
    columns: COLUMNS,
  },
  {
    code: 'ND63-CG',
    register: 'transfer',
    titleVi: 'SỔ CHUYỂN GIAO BÍ MẬT NHÀ NƯỚC',
    legalBasis: 'Nghị định 63/2026/NĐ-CP',
    effectiveFrom: ND63_EFFECTIVE_FROM,
    verification: 'provisional',
    noteVi: ND63_SAME_COLUMNS_NOTE,
    coverFields: REGISTER_COVER_FIELDS,
    columns: COLUMNS,
  },
];
