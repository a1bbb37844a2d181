import { defineError } from '../../platform/errors';

export const registerErrors = {
  yearLocked: defineError('register.year_locked', 'unprocessable', 'Sổ của năm này đã khoá; cần mở khoá (có lý do) trước khi ghi thêm.'),
  topSecretSummary: defineError(
    'register.top_secret_summary',
    'unprocessable',
    'Sổ đăng ký không được ghi trích yếu của tài liệu Tuyệt mật (Nghị định 63/2026/NĐ-CP).',
  ),
  entryNotFound: defineError('register.entry_not_found', 'not_found', 'Không tìm thấy mục trong sổ.'),
  alreadyCancelled: defineError('register.already_cancelled', 'conflict', 'Mục này đã bị huỷ trước đó.'),
  alreadyLocked: defineError('register.already_locked', 'conflict', 'Sổ của năm này đã được khoá.'),
  notLocked: defineError('register.not_locked', 'conflict', 'Sổ của năm này đang mở.'),
};
