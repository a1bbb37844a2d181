import { defineError } from '../../platform/errors';

export const authErrors = {
  invalidCredentials: defineError('auth.invalid_credentials', 'unauthenticated', 'Tên đăng nhập hoặc mật khẩu không đúng.'),
  locked: defineError('auth.account_locked', 'rate_limited', 'Tài khoản tạm bị khoá do đăng nhập sai nhiều lần. Hãy thử lại sau.'),
  inactive: defineError('auth.account_inactive', 'unauthenticated', 'Tài khoản đã bị vô hiệu hoá. Liên hệ quản trị hệ thống.'),
  totpInvalid: defineError('auth.totp_invalid', 'unauthenticated', 'Mã xác thực (TOTP) không đúng hoặc đã hết hạn.'),
  wrongStage: defineError('auth.wrong_stage', 'forbidden', 'Bước đăng nhập không hợp lệ. Hãy đăng nhập lại.'),
  enrolmentNotStarted: defineError('auth.totp_enrolment_not_started', 'conflict', 'Chưa tạo mã QR xác thực. Hãy bắt đầu đăng ký lại.'),
  passwordTooWeak: defineError('auth.password_too_weak', 'unprocessable', 'Mật khẩu phải có ít nhất 10 ký tự, gồm cả chữ và số.'),
  passwordReused: defineError('auth.password_reused', 'unprocessable', 'Mật khẩu mới phải khác mật khẩu hiện tại.'),
  wrongCurrentPassword: defineError('auth.wrong_current_password', 'unprocessable', 'Mật khẩu hiện tại không đúng.'),
  passwordChangeRequired: defineError('auth.password_change_required', 'forbidden', 'Bạn cần đổi mật khẩu trước khi tiếp tục.'),
  originMismatch: defineError(
    'auth.origin_mismatch',
    'forbidden',
    'Yêu cầu bị từ chối vì được gửi từ một trang khác, không phải trang của hệ thống KhoMật. Hãy mở KhoMật trực tiếp từ địa chỉ của hệ thống rồi thử lại.',
  ),
  sessionStage: defineError('auth.totp_required', 'unauthenticated', 'Cần hoàn tất xác thực hai lớp (TOTP) trước khi tiếp tục.'),
};
