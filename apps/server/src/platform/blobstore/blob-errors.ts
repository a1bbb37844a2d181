import { defineError } from '../errors';

// One catalogue for the blob store. The integrity message is deliberately the same for every
// cause (flipped bit, truncation, wrong key…): a user can do nothing different for each, and the
// precise cause goes into `details.reason` for the operator's log, never into the UI.
export const blobErrors = {
  integrityFailed: defineError('blob.integrity_failed', 'integrity', 'Tệp đã bị hỏng hoặc bị sửa đổi; không thể giải mã an toàn.'),
  notFound: defineError('blob.not_found', 'not_found', 'Không tìm thấy tệp được yêu cầu.'),
  idInUse: defineError('blob.id_in_use', 'conflict', 'Mã tệp đã được dùng; hãy thử lưu lại.'),
};

/** Machine-readable causes put in `details.reason` of `blob.integrity_failed`. */
export type IntegrityReason =
  | 'header_truncated'
  | 'bad_magic'
  | 'unsupported_version'
  | 'bad_chunk_size'
  | 'chunk_truncated'
  | 'chunk_auth_failed'
  | 'size_mismatch'
  | 'sha256_mismatch'
  | 'file_missing'
  | 'unsupported_algorithm';

/** The causes in words, for the operator (`khomat files verify`); never shown in the web UI. */
export const INTEGRITY_REASON_VI: Readonly<Record<IntegrityReason, string>> = {
  header_truncated: 'tệp bị cắt cụt ở phần đầu',
  bad_magic: 'không phải tệp mã hoá của KhoMật',
  unsupported_version: 'phiên bản định dạng không hỗ trợ',
  bad_chunk_size: 'kích thước khối ghi ở đầu tệp không hợp lệ',
  chunk_truncated: 'tệp bị cắt cụt',
  chunk_auth_failed: 'một khối dữ liệu không xác thực được (tệp bị sửa, hỏng hoặc không đúng khoá)',
  size_mismatch: 'kích thước không khớp với cơ sở dữ liệu',
  sha256_mismatch: 'mã băm SHA-256 không khớp với cơ sở dữ liệu',
  file_missing: 'thiếu tệp trên đĩa',
  unsupported_algorithm: 'thuật toán mã hoá không hỗ trợ',
};

export function integrityError(reason: IntegrityReason, extra: Record<string, unknown> = {}) {
  return blobErrors.integrityFailed({ reason, ...extra });
}
