import { Link, useLocation } from 'react-router-dom';
import { BellOutlined } from '@ant-design/icons';
import { useI18n } from '../../kit/i18n';
import { useUnreadCount } from './useNotifications';

/** The header's bell: a link to "Thông báo" that carries the unread count, for eyes and for screen readers. */
export function NotificationBell() {
  const { t, lang } = useI18n();
  const unread = useUnreadCount();
  const { pathname } = useLocation();
  const n = unread.data ?? 0;
  const label = n > 0 ? t('notice.bellUnread', { count: n }) : t('notice.bellNone');
  return (
    <Link
      to="/notifications"
      className={`bell${n > 0 ? ' bell-unread' : ''}`}
      aria-label={label}
      title={label}
      aria-current={pathname === '/notifications' ? 'page' : undefined}
    >
      <BellOutlined aria-hidden="true" className="bell-icon" />
      {n > 0 ? (
        <span className="bell-count" aria-hidden="true" data-count={n}>
          {n > 99 ? '99+' : n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}
        </span>
      ) : null}
    </Link>
  );
}
