import { defineError } from '../../../platform/errors';

export const printErrors = {
  noForm: defineError('register.no_form_in_force', 'unprocessable', 'Chưa có mẫu sổ nào có hiệu lực cho sổ và năm này, nên không in được.'),
  tooLarge: defineError('register.print_too_large', 'unprocessable', 'Phạm vi in quá lớn; hãy in theo từng khoảng số (từ số … đến số …).'),
  rangeInvalid: defineError('register.print_range_invalid', 'validation', 'Khoảng số không hợp lệ: "từ số" phải nhỏ hơn hoặc bằng "đến số".'),
};
