import { defineError } from '../../platform/errors';

export const orgErrors = {
  unitNotFound: defineError('org.unit_not_found', 'not_found', 'Không tìm thấy đơn vị.'),
  unitCodeTaken: defineError('org.unit_code_taken', 'conflict', 'Mã đơn vị đã được dùng cho một đơn vị khác.'),
  unitClosed: defineError('org.unit_closed', 'unprocessable', 'Đơn vị đã giải thể/đóng; không thể thao tác.'),
  parentClosed: defineError('org.parent_closed', 'unprocessable', 'Không thể đặt vào một đơn vị đã đóng.'),
  moveIntoItself: defineError('org.unit_move_cycle', 'unprocessable', 'Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.'),
  rootImmutable: defineError('org.root_unit_immutable', 'unprocessable', 'Không thể chuyển hoặc đóng cơ quan gốc.'),
  unitHasOpenChildren: defineError('org.unit_has_open_children', 'unprocessable', 'Đơn vị còn đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc đóng chúng trước.'),
  unitHasActiveUsers: defineError('org.unit_has_active_users', 'unprocessable', 'Đơn vị còn người dùng đang hoạt động; hãy chuyển họ sang đơn vị khác trước.'),
  userNotFound: defineError('org.user_not_found', 'not_found', 'Không tìm thấy người dùng.'),
  usernameTaken: defineError('org.username_taken', 'conflict', 'Tên đăng nhập đã tồn tại.'),
  rolesInvalid: defineError('org.roles_invalid', 'unprocessable', 'Tổ hợp vai trò không hợp lệ: vai trò Quản trị hệ thống và Thanh tra phải được giao riêng.'),
  selfClearance: defineError('org.clearance_self', 'forbidden', 'Không ai được tự thay đổi mức tiếp cận bí mật nhà nước của chính mình.'),
  clearanceNotApplicable: defineError('org.clearance_not_applicable', 'unprocessable', 'Tài khoản quản trị hệ thống và thanh tra không được cấp quyền tiếp cận nội dung bí mật nhà nước.'),
  clearanceUnchanged: defineError('org.clearance_unchanged', 'conflict', 'Mức tiếp cận mới trùng với mức hiện tại.'),
  userInactive: defineError('org.user_inactive', 'unprocessable', 'Tài khoản đã bị vô hiệu hoá.'),
  userAlreadyActive: defineError('org.user_already_active', 'conflict', 'Tài khoản đang hoạt động.'),
  selfDeactivate: defineError('org.user_self_deactivate', 'unprocessable', 'Không thể tự vô hiệu hoá tài khoản của mình.'),
  lastAdmin: defineError('org.last_admin', 'unprocessable', 'Không thể bỏ quyền hoặc vô hiệu hoá quản trị viên cuối cùng.'),
};
