// Domain errors: a stable dotted code and a Vietnamese message. Domain code never throws HTTP
// types; the one error handler (app/error-handler.ts) maps `kind` to a status.
export type ErrorKind =
  'validation' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'unprocessable' | 'rate_limited' | 'integrity' | 'storage_full';

export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, kind: ErrorKind, messageVi: string, details?: Record<string, unknown>) {
    super(messageVi);
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.details = details;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}

/** Factory helper so each module's catalogue reads as a table of code → kind → message. */
export function defineError(code: string, kind: ErrorKind, messageVi: string) {
  return (details?: Record<string, unknown>) => new DomainError(code, kind, messageVi, details);
}

export const commonErrors = {
  validation: defineError('common.validation', 'validation', 'Dữ liệu gửi lên không hợp lệ.'),
  unauthenticated: defineError('auth.unauthenticated', 'unauthenticated', 'Bạn cần đăng nhập để tiếp tục.'),
  forbidden: defineError('auth.forbidden', 'forbidden', 'Bạn không có quyền thực hiện thao tác này.'),
  notFound: defineError('common.not_found', 'not_found', 'Không tìm thấy đối tượng yêu cầu.'),
  csrf: defineError('auth.csrf_invalid', 'forbidden', 'Phiên làm việc không hợp lệ (thiếu mã chống giả mạo). Hãy tải lại trang.'),
  rateLimited: defineError('common.rate_limited', 'rate_limited', 'Bạn đã gửi quá nhiều yêu cầu. Hãy thử lại sau ít phút.'),
  tooLarge: defineError('common.too_large', 'too_large', 'Dữ liệu gửi lên quá lớn.'),
  diskFull: defineError(
    'storage.disk_full',
    'storage_full',
    'Máy chủ đã hết dung lượng lưu trữ nên chưa ghi được thay đổi này; dữ liệu đã có vẫn xem được. Hãy báo quản trị viên giải phóng dung lượng rồi thử lại.',
  ),
};

/**
 * The three ways a write is refused for lack of space, in one place: a file write (ENOSPC), the
 * embedded database (better-sqlite3's SQLITE_FULL) and PostgreSQL (SQLSTATE 53100 disk_full).
 * Returns which one, looking through `cause` chains; undefined for any other error.
 */
export type DiskFullCause = 'ENOSPC' | 'SQLITE_FULL' | 'PG_53100';

export function diskFullCause(e: unknown): DiskFullCause | undefined {
  for (let cur = e, depth = 0; cur !== null && typeof cur === 'object' && depth < 8; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (code === 'ENOSPC') return 'ENOSPC';
    if (code === 'SQLITE_FULL') return 'SQLITE_FULL';
    if (code === '53100') return 'PG_53100';
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
