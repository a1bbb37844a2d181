import { useI18n } from '../../kit/i18n';
import { useInboxCount } from './requests';

/** The count beside "Đề nghị chờ phê duyệt" in the navigation (read out with the link's name). */
export function InboxBadge() {
  const { t, lang } = useI18n();
  const count = useInboxCount();
  const n = count.data ?? 0;
  if (n === 0) return null;
  return (
    <span className="nav-count" data-count={n}>
      <span aria-hidden="true">{n > 99 ? '99+' : n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}</span>
      <span className="sr-only"> {t('request.inboxCount', { count: n })}</span>
    </span>
  );
}
