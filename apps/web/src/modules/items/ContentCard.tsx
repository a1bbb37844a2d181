import { useState } from 'react';
import { Alert, Button, Card, Descriptions } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined, LockOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import type { Item, ItemContent } from '../../kit/types';
import { ErrorAlert } from '../../kit/ui';

/**
 * "Xem nội dung": the content (trích yếu) is fetched only on request, shown until hidden, never
 * cached; the server checks clearance and need-to-know and writes every attempt to the log.
 */
export function ContentCard({ item, canRead }: { item: Item; canRead: boolean }) {
  const { t } = useI18n();
  const [content, setContent] = useState<ItemContent | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const refused = error instanceof ApiError && error.status === 403;

  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      setContent(await api.get<ItemContent>(`/items/${item.id}/content`));
    } catch (e) {
      setContent(null);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const noSummary = item.addresseeOnly
    ? t('content.noSummaryAddressee')
    : item.level === 'TOP_SECRET'
      ? t('content.noSummaryTopSecret')
      : t('content.noSummary');

  return (
    <Card className="card-gap" title={<h2 className="card-h2">{t('content.title')}</h2>}>
      <p className="muted">{t('content.audited')}</p>
      {!canRead && !content && !error ? <p className="content-maybe">{t('content.maybeNot')}</p> : null}
      <div aria-live="polite">
        {content ? (
          <div className="content-box">
            <Descriptions
              column={1}
              size="small"
              bordered
              items={[
                { key: 'doc', label: t('item.docType'), children: content.docType },
                {
                  key: 'sum',
                  label: t('item.summary'),
                  children: content.summary ? <div className="content-summary">{content.summary}</div> : <span className="muted">{noSummary}</span>,
                },
              ]}
            />
          </div>
        ) : null}
        {refused ? (
          <Alert
            type="error"
            showIcon
            icon={<LockOutlined aria-hidden="true" />}
            className="form-error content-refused"
            title={t('content.refused')}
            description={t('content.refusedWhy')}
          />
        ) : (
          <ErrorAlert error={error} />
        )}
      </div>
      {content ? (
        <Button icon={<EyeInvisibleOutlined aria-hidden="true" />} onClick={() => setContent(null)}>
          {t('content.hide')}
        </Button>
      ) : (
        <Button icon={<EyeOutlined aria-hidden="true" />} onClick={() => void open()} loading={busy}>
          {t('content.show')}
        </Button>
      )}
    </Card>
  );
}
