import { defineError } from '../../platform/errors';
import type { ExecuteRefusal } from './provision.rules';

type Code = ExecuteRefusal | 'provision.already_executed' | 'provision.not_decided' | 'provision.not_sent';

export const provisionErrors: Record<Code, ReturnType<typeof defineError>> = {
  'provision.not_provision': defineError('provision.not_provision', 'unprocessable', 'Đề nghị này không phải đề nghị cung cấp, chuyển giao bí mật nhà nước.'),
  'provision.no_copies': defineError('provision.no_copies', 'unprocessable', 'Đề nghị chưa nêu bản nào được cung cấp, chuyển giao.'),
  'provision.quantity_exceeded': defineError('provision.quantity_exceeded', 'unprocessable', 'Số bản gửi đi nhiều hơn số bản được phê duyệt.'),
  'provision.not_clerk': defineError('provision.not_clerk', 'forbidden', 'Chỉ văn thư đang quản lý bản mới được gửi bản cho bên nhận.'),
  'provision.clearance_below_level': defineError(
    'provision.clearance_below_level',
    'forbidden',
    'Văn thư chưa được phép tiếp cận bí mật nhà nước ở độ mật của tài liệu này.',
  ),
  'provision.copy_unavailable': defineError(
    'provision.copy_unavailable',
    'conflict',
    'Bản được đề nghị không còn ở nơi lưu giữ (đang chuyển, đang mang ra ngoài, đã mất hoặc đã tiêu hủy); không gửi được.',
  ),
  'provision.not_keeper': defineError(
    'provision.not_keeper',
    'forbidden',
    'Bản được đề nghị không do bạn hoặc đơn vị của bạn quản lý; nơi đang giữ bản phải chuyển giao cho văn thư trước.',
  ),
  'provision.already_executed': defineError('provision.already_executed', 'conflict', 'Đề nghị này đã được thực hiện; bản đã được gửi cho bên nhận.'),
  'provision.not_sent': defineError('provision.not_sent', 'conflict', 'Bản chưa được gửi cho bên nhận; chưa có bì để in nhãn.'),
  'provision.not_decided': defineError('provision.not_decided', 'conflict', 'Đề nghị chưa được quyết định; chưa có văn bản trả lời.'),
};
