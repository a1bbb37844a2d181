import { defineError } from '../../platform/errors';
import type { ExecuteRefusal, LossRefusal, ReturnRefusal } from './take-out.rules';

type Code = ExecuteRefusal | ReturnRefusal | LossRefusal | 'take_out.not_found' | 'take_out.already_executed' | 'take_out.no_due_date';

export const takeOutErrors: Record<Code, ReturnType<typeof defineError>> = {
  'take_out.not_found': defineError('take_out.not_found', 'not_found', 'Không tìm thấy lần mang tài liệu ra khỏi nơi lưu giữ.'),
  'take_out.not_take_out': defineError('take_out.not_take_out', 'unprocessable', 'Đề nghị này không phải đề nghị mang tài liệu ra khỏi nơi lưu giữ.'),
  'take_out.no_copies': defineError('take_out.no_copies', 'unprocessable', 'Đề nghị chưa nêu bản nào được mang ra.'),
  'take_out.no_due_date': defineError('take_out.no_due_date', 'unprocessable', 'Chưa xác định được ngày phải mang về (ngày kết thúc hoặc thời hạn phê duyệt).'),
  'take_out.not_executor': defineError(
    'take_out.not_executor',
    'forbidden',
    'Chỉ người đang giữ bản (người đề nghị) hoặc văn thư, lãnh đạo đơn vị đang quản lý bản mới được giao bản để mang ra.',
  ),
  'take_out.mixed_keepers': defineError(
    'take_out.mixed_keepers',
    'unprocessable',
    'Các bản mang ra phải do cùng một người hoặc đơn vị quản lý; hãy lập đề nghị riêng cho từng nơi quản lý.',
  ),
  'take_out.already_executed': defineError('take_out.already_executed', 'conflict', 'Đề nghị này đã được thực hiện.'),
  'take_out.not_out': defineError('take_out.not_out', 'conflict', 'Tài liệu không còn ở trạng thái đang mang ra ngoài.'),
  'take_out.not_returner': defineError(
    'take_out.not_returner',
    'forbidden',
    'Chỉ người mang tài liệu ra hoặc người, đơn vị quản lý bản mới được ghi nhận trả lại.',
  ),
  'take_out.report_required': defineError('take_out.report_required', 'unprocessable', 'Phải có báo cáo việc bảo vệ tài liệu khi mang ra ngoài.'),
  'take_out.not_loss_reporter': defineError('take_out.not_loss_reporter', 'forbidden', 'Chỉ người đang mang tài liệu hoặc cán bộ bảo mật mới được báo mất.'),
  'take_out.copy_not_out': defineError('take_out.copy_not_out', 'unprocessable', 'Bản được báo mất không thuộc lần mang ra này hoặc không còn ở ngoài.'),
  'take_out.description_required': defineError('take_out.description_required', 'unprocessable', 'Phải mô tả sự việc mất tài liệu.'),
};
