import { Card } from 'antd';
import { formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { ItemEvent } from '../../kit/types';
import { eventDetailLines, RETURN_ACTIONS, TONE, type NameBook } from './timeline';

// The item's life as the audit trail records it, oldest first.

export function ItemTimeline({ events, truncated, names }: { events: readonly ItemEvent[]; truncated?: boolean; names: NameBook }) {
  const i = useI18n();
  const { t } = i;
  const sorted = [...events].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Card className="card-gap" title={<h2 className="card-h2">{t('timeline.title')}</h2>}>
      <p className="muted">{t('timeline.hint')}</p>
      {truncated ? <p className="muted small">{t('timeline.truncated')}</p> : null}
      {sorted.length === 0 ? (
        <p className="empty-text">{t('timeline.empty')}</p>
      ) : (
        <ol className="timeline" aria-label={t('timeline.title')}>
          {sorted.map((e, n) => {
            const reason = RETURN_ACTIONS.has(e.action) && typeof e.details?.reason === 'string' ? e.details.reason : null;
            const lines = eventDetailLines(i, e, names);
            return (
              <li key={`${e.at}-${e.action}-${n}`} className={`timeline-item tone-${TONE[e.action] ?? 'info'}`} data-action={e.action}>
                <span className="timeline-dot" aria-hidden="true" />
                <div className="timeline-head">
                  <strong className="timeline-action">{i.actionLabel(e.action)}</strong>
                  <span className="timeline-meta">
                    {e.actor ? e.actor.name : t('audit.system')} · <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </span>
                </div>
                {reason ? <div className="timeline-reason">{t('item.returnedReason', { reason })}</div> : null}
                {lines.length > 0 ? (
                  <div className="timeline-details">
                    {lines.map((l) => (
                      <span key={l.key} className="timeline-detail">
                        {l.label}: {l.value}
                      </span>
                    ))}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
