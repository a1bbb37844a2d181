import { defineError } from '../../platform/errors';
import type { DelegationRefusal } from './delegations.rules';

export const delegationErrors: Record<DelegationRefusal | 'delegation.not_found' | 'delegation.already_revoked', ReturnType<typeof defineError>> = {
  'delegation.not_agency_head': defineError('delegation.not_agency_head', 'forbidden', 'Chỉ người đứng đầu cơ quan mới được ủy quyền.'),
  'delegation.sub_delegation': defineError('delegation.sub_delegation', 'forbidden', 'Người được ủy quyền không được ủy quyền lại cho người khác.'),
  'delegation.scope_invalid': defineError(
    'delegation.scope_invalid',
    'unprocessable',
    'Phạm vi ủy quyền không hợp lệ: chỉ ủy quyền được những việc, độ mật mà Thủ trưởng cơ quan có thẩm quyền quyết định và pháp luật cho phép ủy quyền.',
  ),
  'delegation.self': defineError('delegation.self', 'unprocessable', 'Không thể tự ủy quyền cho chính mình.'),
  'delegation.delegate_not_found': defineError('delegation.delegate_not_found', 'unprocessable', 'Không tìm thấy người được ủy quyền.'),
  'delegation.delegate_inactive': defineError('delegation.delegate_inactive', 'unprocessable', 'Tài khoản người được ủy quyền đã ngừng hoạt động.'),
  'delegation.delegate_role': defineError('delegation.delegate_role', 'unprocessable', 'Quản trị viên và thanh tra không được nhận ủy quyền.'),
  'delegation.invalid_period': defineError(
    'delegation.invalid_period',
    'unprocessable',
    'Thời hạn ủy quyền không hợp lệ: ngày bắt đầu phải trước hoặc bằng ngày kết thúc.',
  ),
  'delegation.not_found': defineError('delegation.not_found', 'not_found', 'Không tìm thấy văn bản ủy quyền.'),
  'delegation.already_revoked': defineError('delegation.already_revoked', 'conflict', 'Ủy quyền này đã bị thu hồi.'),
};
