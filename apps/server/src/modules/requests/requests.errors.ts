import { defineError } from '../../platform/errors';
import { acceptedLabels } from '../attachments/attachments.rules';
import type { RequestScanRefusal } from './request-scans.rules';
import type { DecisionRefusal, DeciderRefusal, OutsideRecorderRefusal, SubmissionRefusal, TransitionRefusal } from './requests.rules';

type Code =
  | TransitionRefusal
  | SubmissionRefusal
  | DeciderRefusal
  | OutsideRecorderRefusal
  | DecisionRefusal
  | 'request.not_found'
  | 'request.item_not_found'
  | 'request.copy_not_of_item'
  | 'request.details_invalid'
  | 'request.not_requester'
  | RequestScanRefusal
  | 'request.scan_kind_unknown'
  | 'request.scan_not_found'
  | 'request.scan_concurrent'
  | 'request.scan_media_type_not_allowed';

export const requestErrors: Record<Code, ReturnType<typeof defineError>> = {
  'request.not_found': defineError('request.not_found', 'not_found', 'Không tìm thấy đề nghị.'),
  'request.item_not_found': defineError('request.item_not_found', 'not_found', 'Không tìm thấy tài liệu, vật chứa bí mật nhà nước được đề nghị.'),
  'request.copy_not_of_item': defineError(
    'request.copy_not_of_item',
    'unprocessable',
    'Bản được chọn không phải là bản của tài liệu này, hoặc đã bị tiêu hủy, thất lạc.',
  ),
  'request.details_invalid': defineError('request.details_invalid', 'unprocessable', 'Nội dung đề nghị chưa đủ hoặc không hợp lệ với loại đề nghị.'),
  'request.not_requester': defineError('request.not_requester', 'forbidden', 'Chỉ người đề nghị mới được sửa, gửi hoặc hủy đề nghị này.'),
  'request.transition_not_allowed': defineError('request.transition_not_allowed', 'conflict', 'Đề nghị đang ở trạng thái không cho phép thao tác này.'),
  'request.already_decided': defineError('request.already_decided', 'conflict', 'Đề nghị đã được quyết định (phê duyệt hoặc từ chối); không quyết định lại.'),
  'request.approval_expired': defineError('request.approval_expired', 'conflict', 'Phê duyệt đã hết hạn; không được thực hiện. Hãy lập đề nghị mới.'),
  'request.item_not_classified': defineError('request.item_not_classified', 'unprocessable', 'Tài liệu chưa được xác định độ mật; chưa thể đề nghị.'),
  'request.clearance_below_level': defineError(
    'request.clearance_below_level',
    'forbidden',
    'Người đề nghị chưa được phép tiếp cận bí mật nhà nước ở độ mật của tài liệu này.',
  ),
  'request.period_past': defineError('request.period_past', 'unprocessable', 'Thời gian mang ra đã qua: ngày mang về phải từ hôm nay trở đi.'),
  'request.copy_forbidden': defineError('request.copy_forbidden', 'unprocessable', 'Tài liệu này được đánh dấu không được sao, chụp.'),
  'request.self_decision': defineError('request.self_decision', 'forbidden', 'Không ai được tự quyết định đề nghị của chính mình.'),
  'request.wrong_authority': defineError('request.wrong_authority', 'forbidden', 'Người này không có thẩm quyền quyết định việc này ở độ mật này.'),
  'request.delegation_expired': defineError('request.delegation_expired', 'forbidden', 'Văn bản ủy quyền đã hết hạn, chưa có hiệu lực hoặc đã bị thu hồi.'),
  'request.higher_authority': defineError(
    'request.higher_authority',
    'unprocessable',
    'Việc này do cấp có thẩm quyền ngoài cơ quan quyết định; ghi nhận văn bản quyết định của cấp đó thay vì phê duyệt trong hệ thống.',
  ),
  'request.decider_clearance': defineError('request.decider_clearance', 'forbidden', 'Người quyết định chưa được phép tiếp cận bí mật nhà nước ở độ mật này.'),
  'request.not_higher_authority': defineError(
    'request.not_higher_authority',
    'unprocessable',
    'Đề nghị này do cơ quan quyết định; không ghi nhận quyết định của cấp ngoài.',
  ),
  'request.reason_required': defineError('request.reason_required', 'unprocessable', 'Từ chối phải nêu rõ lý do.'),
  'request.deadline_required': defineError('request.deadline_required', 'unprocessable', 'Phê duyệt phải có thời hạn.'),
  'request.not_recorder': defineError(
    'request.not_recorder',
    'forbidden',
    'Chỉ Thủ trưởng cơ quan, cán bộ bảo mật hoặc văn thư cơ quan mới ghi nhận quyết định của cấp có thẩm quyền.',
  ),
  'request.deadline_invalid': defineError('request.deadline_invalid', 'unprocessable', 'Thời hạn của phê duyệt không được trước ngày hôm nay.'),
  'request.scan_kind_unknown': defineError('request.scan_kind_unknown', 'not_found', 'Không có loại bản chụp này.'),
  'request.scan_not_found': defineError('request.scan_not_found', 'not_found', 'Đề nghị này chưa có bản chụp này.'),
  'request.scan_kind_not_allowed': defineError(
    'request.scan_kind_not_allowed',
    'unprocessable',
    'Đề nghị này không có loại bản chụp này: văn bản đề nghị chỉ có ở đề nghị cung cấp, chuyển giao; văn bản quyết định của cấp có thẩm quyền chỉ có ở đề nghị trình cấp có thẩm quyền ngoài cơ quan.',
  ),
  'request.scan_closed': defineError(
    'request.scan_closed',
    'conflict',
    'Không còn đính kèm hoặc thay bản chụp được: văn bản đề nghị chỉ khi đề nghị còn là dự thảo hoặc đang chờ quyết định; văn bản quyết định của cấp có thẩm quyền chỉ đến khi đề nghị được thực hiện.',
  ),
  'request.scan_concurrent': defineError(
    'request.scan_concurrent',
    'conflict',
    'Một bản chụp khác của đề nghị này vừa được tải lên cùng lúc; hãy tải lại trang rồi thử lại.',
  ),
  'request.scan_media_type_not_allowed': defineError(
    'request.scan_media_type_not_allowed',
    'unprocessable',
    `Bản chụp chỉ nhận: ${acceptedLabels('receipt_scan')}.`,
  ),
  'request.quantity_required': defineError('request.quantity_required', 'unprocessable', 'Phê duyệt sao, chụp phải nêu số lượng bản.'),
};
