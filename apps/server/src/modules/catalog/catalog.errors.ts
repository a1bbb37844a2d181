import { defineError } from '../../platform/errors';

export const catalogErrors = {
  importInvalid: defineError('catalog.import_invalid', 'unprocessable', 'Tệp danh mục có lỗi; chưa nhập dòng nào. Hãy sửa các dòng được nêu rồi nhập lại.'),
  importEmpty: defineError('catalog.import_empty', 'unprocessable', 'Tệp danh mục không có dòng dữ liệu nào.'),
  importUnreadable: defineError('catalog.import_unreadable', 'unprocessable', 'Không đọc được tệp danh mục (CSV có tiêu đề cột, hoặc JSON là một mảng).'),
  notFound: defineError('catalog.not_found', 'not_found', 'Không tìm thấy mục trong danh mục bí mật nhà nước.'),
};
