import type { FormColumn, RegisterFormDefinition } from '../forms';
import { ND63_EFFECTIVE_FROM, ND63_SAME_COLUMNS_NOTE, REGISTER_COVER_FIELDS, TT24_EFFECTIVE_FROM } from './common';

// Sổ quản lý sao, chụp bí mật nhà nước (NĐ 26/2020 Đ.3 k.2). Column headings of Mẫu 12 were not
// retrievable [NF]; these follow the fields the copying rules require to be traceable [I]
// (shared/domain/legal-basis.md §3.5). Summary of the original left blank for Tuyệt mật.
const COLUMNS: FormColumn[] = [
  { key: 'stt', headerVi: 'Số thứ tự', field: 'sequenceNo', widthMm: 10, align: 'center' },
  { key: 'ngaySao', headerVi: 'Ngày sao, chụp', field: 'copyDate', widthMm: 18, align: 'center' },
  { key: 'gocSoKyHieu', headerVi: 'Số, ký hiệu', field: 'sourceNumberSymbol', widthMm: 26, groupVi: 'Tài liệu gốc' },
  { key: 'gocNgay', headerVi: 'Ngày, tháng, năm', field: 'sourceDate', widthMm: 18, align: 'center', groupVi: 'Tài liệu gốc' },
  { key: 'gocCoQuan', headerVi: 'Cơ quan ban hành', field: 'sourceIssuer', widthMm: 24, groupVi: 'Tài liệu gốc' },
  { key: 'gocTrichYeu', headerVi: 'Trích yếu', field: 'summary', widthMm: 39, groupVi: 'Tài liệu gốc', holdsSummary: true },
  { key: 'doMat', headerVi: 'Độ mật', field: 'level', widthMm: 18, align: 'center' },
  { key: 'hinhThuc', headerVi: 'Hình thức (sao y, sao lục, trích sao, chụp)', field: 'copyForm', widthMm: 18 },
  { key: 'soLuong', headerVi: 'Số lượng, số bản sao', field: 'copies', widthMm: 22, align: 'center' },
  { key: 'nguoiChoPhep', headerVi: 'Người cho phép', field: 'authorisedBy', widthMm: 22 },
  { key: 'nguoiThucHien', headerVi: 'Người thực hiện', field: 'performedBy', widthMm: 22 },
  { key: 'noiNhan', headerVi: 'Nơi nhận bản sao', field: 'copyRecipients', widthMm: 24 },
  { key: 'ghiChu', headerVi: 'Ghi chú (bản hỏng đã hủy)', field: 'note', widthMm: 16 },
];

export const COPY_REGISTER_FORMS: RegisterFormDefinition[] = [
  {
    code: 'TT24-M12',
    register: 'copy',
    titleVi: 'SỔ QUẢN LÝ SAO, CHỤP BÍ MẬT NHÀ NƯỚC',
    legalBasis: 'Thông tư 24/2020/TT-BCA, Mẫu 12; Nghị định 26/2020/NĐ-CP Điều 3 khoản 2',
    effectiveFrom: TT24_EFFECTIVE_FROM,
    verification: 'provisional',
    noteVi:
      'Tiêu đề cột của Mẫu 12 chưa tra được; các cột dựng theo những thông tin quy định về sao, chụp yêu cầu phải theo dõi — sửa dữ liệu khi có mẫu chính thức.',
    coverFields: REGISTER_COVER_FIELDS,
    columns: COLUMNS,
  },
  {
    code: 'ND63-SAO',
    register: 'copy',
    titleVi: 'SỔ QUẢN LÝ SAO, CHỤP BÍ MẬT NHÀ NƯỚC',
    legalBasis: 'Nghị định 63/2026/NĐ-CP',
    effectiveFrom: ND63_EFFECTIVE_FROM,
    verification: 'provisional',
    noteVi: ND63_SAME_COLUMNS_NOTE,
    coverFields: REGISTER_COVER_FIELDS,
    columns: COLUMNS,
  },
];
