import { Alert } from 'antd';
import { useMe } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { holdNotice } from './changes';

/**
 * Shown on every page while the person's work with state secrets is suspended (a new account, a
 * change of roles or unit, a reset of password/TOTP not yet confirmed): says why and who confirms,
 * so that the missing screens and refusals are not a mystery.
 */
export function HoldBanner() {
  const i = useI18n();
  const me = useMe();
  const notice = holdNotice(i, me);
  if (!notice) return null;
  return (
    <Alert
      className="hold-banner"
      type="warning"
      showIcon
      title={notice.title}
      description={
        <>
          {notice.reasons.length > 0 ? (
            <>
              <span className="sr-only">{i.t('hold.reasons')}: </span>
              <ul className="hold-reasons">
                {notice.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="hold-meanwhile">{i.t('hold.meanwhile')}</p>
        </>
      }
    />
  );
}
