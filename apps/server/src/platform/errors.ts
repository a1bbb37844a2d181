// Domain errors: a stable dotted code and a Vietnamese message. Domain code never throws HTTP
// types; the one error handler (app/error-handler.ts) maps `kind` to a status.
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unprocessable'
  | 'rate_limited'
  | 'integrity';

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
};
