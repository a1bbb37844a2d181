import type { FormColumn, RegisterFormDefinition } from '../forms';
import { ND63_EFFECTIVE_FROM, ND63_SAME_COLUMNS_NOTE, REGISTER_COVER_FIELDS, TT24_EFFECTIVE_FROM } from './common';

// Sổ đăng ký bí mật nhà nước đi. Columns from shared/domain/README.md "Forms are data"; only
// column 1 (số thứ tự) is verified against TT24 Mẫu 14 [V], the rest are [I].
const COLUMNS: FormColumn[] = [
  { key: 'stt', headerVi: 'Số thứ tự', field: 'sequenceNo', widthMm: 12, align: 'center' },
  { key: 'soKyHieu', headerVi: 'Số, ký hiệu', field: 'numberSymbol', widthMm: 30 },
  { key: 'ngayVanBan', headerVi: 'Ngày, tháng, năm văn bản', field: 'documentDate', widthMm: 22, align: 'center' },
  { key: 'trichYeu', headerVi: 'Tên loại và trích yếu nội dung', field: 'summary', widthMm: 60, holdsSummary: true },
  { key: 'doMat', headerVi: 'Độ mật', field: 'level', widthMm: 18, align: 'center' },
  { key: 'nguoiKy', headerVi: 'Người ký', field: 'signer', widthMm: 28 },
  { key: 'noiNhan', headerVi: 'Nơi nhận (ký nhận, ngày)', field: 'recipients', widthMm: 45 },
  { key: 'donViLuu', headerVi: 'Đơn vị, người lưu bản', field: 'retainedBy', widthMm: 22 },
  // Wide enough for the quantity with its copy numbers, "2 (Bản số 2, 3/4)", on two lines.
  { key: 'soLuongBan', headerVi: 'Số lượng bản', field: 'copyCount', widthMm: 24, align: 'center' },
  { key: 'ghiChu', headerVi: 'Ghi chú', field: 'note', widthMm: 16 },
];

export const OUTGOING_REGISTER_FORMS: RegisterFormDefinition[] = [
  {
    code: 'TT24-M14',
    register: 'outgoing',
    titleVi: 'SỔ ĐĂNG KÝ BÍ MẬT NHÀ NƯỚC ĐI',
    legalBasis: 'Thông tư 24/2020/TT-BCA, Mẫu 14; Nghị định 26/2020/NĐ-CP Điều 4 khoản 1',
    effectiveFrom: TT24_EFFECTIVE_FROM,
    verification: 'provisional',
    noteVi:
      'Mới đối chiếu được cột 1 (Số thứ tự). Mẫu gốc có 9 cột; danh sách này có 10 cột (thêm "Đơn vị, người lưu bản") theo ghi chú nghiệp vụ — cần đối chiếu bản PDF chính thức của TT24 và sửa dữ liệu, không sửa mã.',
    coverFields: REGISTER_COVER_FIELDS,
    columns: COLUMNS,
  },
  {
    code: 'ND63-PL3-DI',
    register: 'outgoing',
    titleVi: 'SỔ ĐĂNG KÝ BÍ MẬT NHÀ NƯỚC ĐI',
    legalBasis: 'Nghị định 63/2026/NĐ-CP, Phụ lục III',
    effectiveFrom: ND63_EFFECTIVE_FROM,
    verification: 'provisional',
    noteVi: ND63_SAME_COLUMNS_NOTE,
    coverFields: REGISTER_COVER_FIELDS,
    columns: COLUMNS,
  },
];
