import { defineError } from '../../platform/errors';

export const notificationErrors = {
  // Someone else's notice is "not found", not "forbidden": its existence is not told either.
  notFound: defineError('notification.not_found', 'not_found', 'Không tìm thấy thông báo.'),
};
