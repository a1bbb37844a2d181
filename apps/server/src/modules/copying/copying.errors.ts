import { defineError } from '../../platform/errors';

// Errors of copy production (copy-pdf.ts), of reading a copy's trace mark back (trace-reader.ts)
// and of verifying a copy (verify.usecases.ts). Messages never name the document: they reach logs
// and the clerk's screen.
export const copyingErrors = {
  originalEmpty: defineError('copy.original_empty', 'unprocessable', 'Tệp gốc rỗng (không có dữ liệu), nên không tạo được bản sao.'),
  originalNotPdf: defineError('copy.original_not_pdf', 'unprocessable', 'Tệp gốc không phải là tệp PDF đọc được, nên không tạo được bản sao điện tử.'),
  originalEncrypted: defineError(
    'copy.original_encrypted',
    'unprocessable',
    'Tệp gốc là PDF có đặt mật khẩu (mã hóa), nên không đóng dấu bản sao được. Hãy lưu lại tệp gốc không đặt mật khẩu rồi sao lại.',
  ),
  descriptionInvalid: defineError(
    'copy.description_invalid',
    'validation',
    'Thông tin bản sao không hợp lệ (số bản sao, số lượng, mã kiểm tra hoặc người giữ).',
  ),
  imageUnreadable: defineError('copy.trace_image_unreadable', 'unprocessable', 'Không đọc được ảnh tải lên; chỉ nhận ảnh JPEG hoặc PNG.'),
  traceNotFound: defineError(
    'copy.trace_not_found',
    'unprocessable',
    'Không tìm thấy mã QR kiểm tra bản sao trong ảnh. Hãy chụp hoặc quét lại trang rõ hơn, đủ góc dưới bên phải của trang.',
  ),
  imageTooLarge: defineError(
    'copy.trace_image_too_large',
    'too_large',
    'Ảnh tải lên quá lớn (tối đa 20 MB). Hãy chụp hoặc quét trang với độ phân giải thấp hơn.',
  ),
  /**
   * The one answer to everyone who may not trace copies, whatever they asked, and to those who
   * may, for an id no copy carries: the same code, message and status either way.
   */
  verificationNotFound: defineError('copy.verification_not_found', 'not_found', 'Không tìm thấy bản sao có mã kiểm tra này.'),
  verificationIdNotRecorded: defineError(
    'copy.verification_id_not_recorded',
    'conflict',
    'Không ghi được mã kiểm tra cho bản sao: bản sao đã có mã, hoặc mã đã dùng cho bản sao khác.',
  ),
};
