import type { FormColumn, RegisterFormDefinition } from '../forms';
import { ND63_EFFECTIVE_FROM, ND63_SAME_COLUMNS_NOTE, REGISTER_COVER_FIELDS, TT24_EFFECTIVE_FROM } from './common';

// Sổ đăng ký bí mật nhà nước đến. Cover verified on TT24 Mẫu 15 [V]; columns from
// shared/domain/README.md "Forms are data" [I]. [I] Decision: the Tuyệt mật summary ban covers
// the incoming register too (README "Open questions").
// No "Số thứ tự" column: the entry's number in the register IS the "Số đến" (registerIncoming), and
// the recalled Mẫu 15 columns (legal-basis §4.3) have none — two columns printing the same number
// read as two numberings. The freed width widens "Độ mật" ("Tuyệt mật" on one line) and "Ghi chú".
const COLUMNS: FormColumn[] = [
  { key: 'ngayDen', headerVi: 'Ngày đến', field: 'arrivalDate', widthMm: 20, align: 'center' },
  { key: 'soDen', headerVi: 'Số đến', field: 'arrivalNo', widthMm: 14, align: 'center' },
  { key: 'coQuanBanHanh', headerVi: 'Cơ quan, tổ chức ban hành', field: 'issuer', widthMm: 32 },
  { key: 'soKyHieu', headerVi: 'Số, ký hiệu', field: 'numberSymbol', widthMm: 28 },
  { key: 'ngayVanBan', headerVi: 'Ngày, tháng, năm văn bản', field: 'documentDate', widthMm: 20, align: 'center' },
  { key: 'trichYeu', headerVi: 'Tên loại và trích yếu nội dung', field: 'summary', widthMm: 60, holdsSummary: true },
  { key: 'doMat', headerVi: 'Độ mật', field: 'level', widthMm: 18, align: 'center' },
  { key: 'nguoiNhan', headerVi: 'Đơn vị hoặc người nhận', field: 'receiver', widthMm: 32 },
  { key: 'kyNhan', headerVi: 'Ký nhận (người, ngày)', field: 'receipt', widthMm: 28 },
  { key: 'ghiChu', headerVi: 'Ghi chú', field: 'note', widthMm: 25 },
];

export const INCOMING_REGISTER_FORMS: RegisterFormDefinition[] = [
  {
    code: 'TT24-M15',
    register: 'incoming',
    titleVi: 'SỔ ĐĂNG KÝ BÍ MẬT NHÀ NƯỚC ĐẾN',
    legalBasis: 'Thông tư 24/2020/TT-BCA, Mẫu 15; Nghị định 26/2020/NĐ-CP Điều 4 khoản 2',
    effectiveFrom: TT24_EFFECTIVE_FROM,
    verification: 'provisional',
    noteVi: 'Trang bìa đã đối chiếu; các cột chưa đối chiếu được với bản PDF chính thức của TT24 — sửa dữ liệu khi có.',
    coverFields: REGISTER_COVER_FIELDS,
    columns: COLUMNS,
  },
  {
    code: 'ND63-PL3-DEN',
    register: 'incoming',
    titleVi: 'SỔ ĐĂNG KÝ BÍ MẬT NHÀ NƯỚC ĐẾN',
    legalBasis: 'Nghị định 63/2026/NĐ-CP, Phụ lục III',
    effectiveFrom: ND63_EFFECTIVE_FROM,
    verification: 'provisional',
    noteVi: ND63_SAME_COLUMNS_NOTE,
    coverFields: REGISTER_COVER_FIELDS,
    columns: COLUMNS,
  },
];
