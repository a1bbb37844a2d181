import { defineError } from '../../platform/errors';
import type { ExecutionRefusal, ExecutorRefusal } from './copy-execution.rules';

// Errors of carrying out a copy / photograph / extract request. Messages never name the document.

type Code =
  | ExecutorRefusal
  | ExecutionRefusal
  | 'copy_execution.already_executed'
  | 'copy_execution.original_changed'
  | 'copy_execution.recipient_clearance'
  | 'copy_execution.recipient_unavailable'
  | 'copy_execution.file_not_found'
  | 'copy_execution.record_not_found';

export const copyExecutionErrors: Record<Code, ReturnType<typeof defineError>> = {
  'copy_execution.not_copying': defineError('copy_execution.not_copying', 'unprocessable', 'Đề nghị này không phải đề nghị sao, chụp hoặc trích sao.'),
  'copy_execution.not_clerk': defineError(
    'copy_execution.not_clerk',
    'forbidden',
    'Chỉ văn thư của đơn vị quản lý tài liệu gốc hoặc văn thư cơ quan mới được thực hiện sao, chụp.',
  ),
  'copy_execution.not_keeper_unit': defineError(
    'copy_execution.not_keeper_unit',
    'forbidden',
    'Tài liệu gốc do đơn vị khác quản lý: chỉ văn thư của đơn vị đó hoặc văn thư cơ quan mới được thực hiện sao, chụp.',
  ),
  'copy_execution.clearance_below_level': defineError(
    'copy_execution.clearance_below_level',
    'forbidden',
    'Mức tiếp cận bí mật nhà nước của bạn thấp hơn độ mật của tài liệu: bạn không được sao, chụp tài liệu này.',
  ),
  'copy_execution.copy_forbidden': defineError(
    'copy_execution.copy_forbidden',
    'unprocessable',
    'Tài liệu này được đánh dấu không được sao, chụp; không thực hiện được.',
  ),
  'copy_execution.form_mismatch': defineError(
    'copy_execution.form_mismatch',
    'unprocessable',
    'Hình thức sao, chụp không đúng với hình thức đã được đề nghị và phê duyệt.',
  ),
  'copy_execution.quantity_mismatch': defineError('copy_execution.quantity_mismatch', 'unprocessable', 'Số bản sao phải đúng bằng số lượng đã được phê duyệt.'),
  'copy_execution.equipment_required': defineError('copy_execution.equipment_required', 'unprocessable', 'Phải ghi rõ thiết bị dùng để sao, chụp.'),
  'copy_execution.spoiled_invalid': defineError('copy_execution.spoiled_invalid', 'unprocessable', 'Số bản hỏng phải là số nguyên không âm.'),
  'copy_execution.spoiled_note_required': defineError(
    'copy_execution.spoiled_note_required',
    'unprocessable',
    'Có bản hỏng thì phải ghi chú việc hủy bản hỏng.',
  ),
  'copy_execution.part_level_required': defineError('copy_execution.part_level_required', 'unprocessable', 'Phải xác định độ mật của phần nội dung trích sao.'),
  'copy_execution.part_level_above_source': defineError(
    'copy_execution.part_level_above_source',
    'unprocessable',
    'Độ mật của phần trích sao không được cao hơn độ mật của tài liệu gốc.',
  ),
  'copy_execution.no_recipients': defineError('copy_execution.no_recipients', 'unprocessable', 'Phê duyệt chưa nêu nơi nhận bản sao.'),
  'copy_execution.recipients_exceed_quantity': defineError(
    'copy_execution.recipients_exceed_quantity',
    'unprocessable',
    'Số nơi nhận nhiều hơn số bản sao được phê duyệt; không chia được bản sao.',
  ),
  'copy_execution.already_executed': defineError('copy_execution.already_executed', 'conflict', 'Đề nghị này đã được thực hiện sao, chụp.'),
  'copy_execution.original_changed': defineError(
    'copy_execution.original_changed',
    'conflict',
    'Tệp gốc của tài liệu vừa thay đổi trong khi tạo bản sao; hãy thực hiện lại.',
  ),
  'copy_execution.recipient_clearance': defineError(
    'copy_execution.recipient_clearance',
    'unprocessable',
    'Một người nhận bản sao chưa được phép tiếp cận bí mật nhà nước ở độ mật này (hoặc không còn hoạt động).',
  ),
  'copy_execution.recipient_unavailable': defineError(
    'copy_execution.recipient_unavailable',
    'unprocessable',
    'Một nơi nhận bản sao không còn hoạt động hoặc đang bị tạm giữ quyền.',
  ),
  'copy_execution.file_not_found': defineError('copy_execution.file_not_found', 'not_found', 'Không tìm thấy tệp của bản sao này.'),
  'copy_execution.record_not_found': defineError('copy_execution.record_not_found', 'not_found', 'Không có văn bản ghi nhận việc chụp cho đề nghị này.'),
};
