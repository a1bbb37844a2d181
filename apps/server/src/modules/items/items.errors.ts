import { defineError, type ErrorKind } from '../../platform/errors';
import type { AssignmentErrorCode, RevocationErrorCode } from './items.rules';

// Messages for the rule codes of items.rules.ts and copies.rules.ts, and the use cases' own.
export const ITEM_MESSAGES_VI: Record<string, string> = {
  'item.kind_required': 'Chưa chọn loại tài liệu, vật chứa.',
  'item.level_required': 'Chưa đề xuất độ mật.',
  'item.catalog_basis_required': 'Phải nêu căn cứ trong danh mục bí mật nhà nước; không có căn cứ thì không được xác định độ mật (Luật 117/2025 Đ.5).',
  'item.level_not_from_catalog': 'Độ mật đề xuất phải đúng độ mật của mục danh mục làm căn cứ (cao nhất nếu nhiều căn cứ).',
  'item.recipients_required': 'Phải có ít nhất một nơi nhận.',
  'item.recipient_duplicate': 'Nơi nhận bị trùng.',
  'item.copies_required': 'Số lượng bản phát hành phải là số nguyên dương.',
  'item.copies_fewer_than_recipients': 'Số lượng bản phát hành ít hơn số nơi nhận.',
  'item.copy_permission_required': 'Phải nêu rõ được phép hay không được phép sao, chụp.',
  'item.period_not_applicable': 'Loại này không được đặt thời hạn bảo vệ ngắn hơn.',
  'period.not_shorter': 'Thời hạn bảo vệ riêng phải ngắn hơn thời hạn theo độ mật.',
  'period.invalid_date': 'Ngày trong thời hạn bảo vệ không hợp lệ.',
  'period.invalid_length': 'Thời hạn bảo vệ không hợp lệ.',
  'period.not_positive': 'Thời hạn bảo vệ phải dương.',
  'period.out_of_range': 'Thời hạn bảo vệ vượt quá giới hạn.',
  'item.transition_not_allowed': 'Thao tác không phù hợp với trạng thái hiện tại của tài liệu.',
  'item.not_proposed': 'Tài liệu chưa được trình hoặc đã được quyết định.',
  'item.self_approval': 'Người đề xuất không được tự phê duyệt đề xuất của mình.',
  'item.approver_not_authorised': 'Bạn không phải người có thẩm quyền (hoặc chưa được ủy quyền cho lĩnh vực này) để quyết định độ mật.',
  'item.approver_clearance_insufficient': 'Mức tiếp cận của bạn thấp hơn độ mật của tài liệu.',
  'copy.destroyed': 'Bản này đã bị tiêu hủy.',
  'copy.transition_not_allowed': 'Không thể thực hiện thao tác này với bản ở trạng thái hiện tại.',
  'copy.invalid_holder': 'Người/đơn vị nhận không hợp lệ.',
  'copy.same_holder': 'Người nhận trùng với người đang giữ.',
  'copy.holder_outside': 'Bản đang ở ngoài cơ quan.',
  'copy.hand_over_internal_only': 'Chuyển giao nội bộ chỉ cho người hoặc đơn vị trong cơ quan.',
  'copy.dispatch_outside_only': 'Gửi đi chỉ dành cho cơ quan, tổ chức bên ngoài.',
  'copy.must_come_back_inside': 'Bản phải được trả về người hoặc đơn vị trong cơ quan.',
  'copy.not_pending_holder': 'Chỉ người nhận có tên mới được ký nhận bản này.',
  'copy.take_out_by_user_only': 'Chỉ một người cụ thể được mang tài liệu ra ngoài.',
  'copy.not_holder': 'Bạn không giữ bản này.',
};

/** A rule's refusal as a domain error (422), with its own code and the Vietnamese message. */
export function ruleError(code: string, details?: Record<string, unknown>) {
  return defineError(code, 'unprocessable', ITEM_MESSAGES_VI[code] ?? 'Thao tác không hợp lệ.')(details);
}

export const itemErrors = {
  notFound: defineError('item.not_found', 'not_found', 'Không tìm thấy tài liệu, vật chứa bí mật nhà nước.'),
  notDrafter: defineError('item.not_drafter', 'forbidden', 'Chỉ người soạn thảo được sửa hoặc trình đề xuất này.'),
  catalogItemNotFound: defineError('item.catalog_item_not_found', 'unprocessable', 'Căn cứ được chọn không có trong danh mục.'),
  recipientNotFound: defineError('item.recipient_not_found', 'unprocessable', 'Nơi nhận không tồn tại hoặc đã ngừng hoạt động.'),
  contentForbidden: defineError(
    'item.content_forbidden',
    'forbidden',
    'Bạn không được đọc nội dung tài liệu này (cần mức tiếp cận phù hợp và có nhu cầu cần biết).',
  ),
  copyNotFound: defineError('copy.not_found', 'not_found', 'Không tìm thấy bản.'),
  transferNotFound: defineError('custody.not_found', 'not_found', 'Không tìm thấy lần giao nhận.'),
  alreadyConfirmed: defineError('custody.already_confirmed', 'conflict', 'Lần giao nhận này đã được ký nhận.'),
  clearanceTooLow: defineError('item.receiver_clearance', 'unprocessable', 'Người nhận không có mức tiếp cận phù hợp với độ mật của tài liệu.'),
  notClassified: defineError('item.not_classified', 'unprocessable', 'Tài liệu chưa được phê duyệt độ mật nên chưa thể phát hành.'),
  notEditable: defineError(
    'item.not_editable',
    'conflict',
    'Chỉ sửa được dự thảo hoặc đề xuất bị trả lại; tài liệu đã trình, đã phê duyệt hoặc đã phát hành thì không sửa được.',
  ),
  holdingsForbidden: defineError('unit.holdings_forbidden', 'forbidden', 'Bạn chỉ xem được tài liệu, vật chứa bí mật nhà nước do đơn vị của mình đang giữ.'),
};

/** Refusals of checkAssignment / checkRevocation, each with the status that fits. */
const ASSIGNMENT_ERRORS: Record<AssignmentErrorCode | RevocationErrorCode, { kind: ErrorKind; message: string }> = {
  'item.assign_not_head': { kind: 'forbidden', message: 'Chỉ người đứng đầu đơn vị được giao người có nhu cầu cần biết.' },
  'item.assign_not_responsible': {
    kind: 'forbidden',
    message: 'Đơn vị của bạn không giữ bản nào của tài liệu này và không phải nơi nhận, nên bạn không giao hoặc thu hồi việc giao tài liệu này.',
  },
  'item.assign_addressee_only': {
    kind: 'unprocessable',
    message: 'Tài liệu "Chỉ người có tên mới được bóc bì" chỉ người có tên được đọc; không giao cho người khác.',
  },
  'item.assign_self': { kind: 'unprocessable', message: 'Không tự giao tài liệu cho chính mình.' },
  'item.assignee_not_found': { kind: 'unprocessable', message: 'Không tìm thấy người được giao.' },
  'item.assignee_inactive': { kind: 'unprocessable', message: 'Tài khoản người được giao đã bị vô hiệu hoá.' },
  'item.assignee_other_unit': { kind: 'unprocessable', message: 'Chỉ giao cho người thuộc đơn vị của bạn.' },
  'item.assignee_no_content_role': { kind: 'unprocessable', message: 'Vai trò của người được giao không cho phép đọc nội dung tài liệu bí mật nhà nước.' },
  'item.assignee_clearance_below_level': { kind: 'unprocessable', message: 'Mức tiếp cận của người được giao thấp hơn độ mật của tài liệu.' },
  'item.already_assigned': { kind: 'conflict', message: 'Người này đã được giao tài liệu này.' },
  'item.assignment_not_found': { kind: 'not_found', message: 'Người này không được giao tài liệu này.' },
};

export function assignmentError(code: AssignmentErrorCode | RevocationErrorCode, details?: Record<string, unknown>) {
  const e = ASSIGNMENT_ERRORS[code];
  return defineError(code, e.kind, e.message)(details);
}
