import type { Envelope } from '@khomat/policy';
import { useI18n } from '../../kit/i18n';

/** One envelope as the clerk must make it: which layer, what is written and stamped on it. */
export function EnvelopeView({ envelope }: { envelope: Envelope }) {
  const { t } = useI18n();
  return (
    <div className={`envelope envelope-${envelope.layer}`}>
      <div className="envelope-layer">{envelope.layer === 'outer' ? t('envelope.outer') : t('envelope.inner')}</div>
      <ul className="envelope-marks" aria-label={t('envelope.marks')}>
        {envelope.marks.map((m) => (
          <li key={`${m.code}-${m.text}`} className={`stamp stamp-${m.code}`}>
            {m.text}
          </li>
        ))}
      </ul>
      <div className="envelope-lines">
        {envelope.numberSymbol ? (
          <div>{t('envelope.numberSymbol', { value: envelope.numberSymbol })}</div>
        ) : (
          <div className="muted">{t('envelope.noNumberSymbol')}</div>
        )}
        {envelope.recipientName ? <div>{t('envelope.recipient', { value: envelope.recipientName })}</div> : null}
        {envelope.ordinaryAddress ? <div className="muted">{t('envelope.ordinaryAddress')}</div> : null}
        {envelope.sealed ? <div>{t('envelope.sealed')}</div> : null}
      </div>
    </div>
  );
}
