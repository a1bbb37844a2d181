import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Card, Descriptions } from 'antd';
import { api } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import { LevelTag } from '../items/labels';
import type { CopyLinks } from './copyExecution';

/**
 * An item's extract links (trích sao): the item an extract was taken from, and the extracts taken
 * from this item. Nothing when there are none, or when this person may not see them.
 */
export function CopyLinksCard({ itemId }: { itemId: string }) {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['copy-links', itemId], queryFn: () => api.get<CopyLinks>(`/items/${encodeURIComponent(itemId)}/copy-links`), retry: false });
  const v = q.data;
  if (!v || (!v.source && v.extracts.length === 0)) return null;
  const link = (i: CopyLinks['extracts'][number]) => (
    <li key={i.id}>
      <Link to={`/items/${encodeURIComponent(i.id)}`}>{[i.docType, i.numberSymbol].filter(Boolean).join(' ')}</Link> <LevelTag level={i.level} />
    </li>
  );
  return (
    <Card className="card-gap copy-links-card" title={<h2 className="card-h2">{t('copyExec.linksTitle')}</h2>}>
      <Descriptions column={1} bordered size="small">
        {v.source ? (
          <Descriptions.Item label={t('copyExec.sourceOf')}>
            <ul style={{ margin: 0, paddingLeft: 18 }}>{link(v.source)}</ul>
          </Descriptions.Item>
        ) : null}
        {v.extracts.length > 0 ? (
          <Descriptions.Item label={t('copyExec.extractsOf')}>
            <ul style={{ margin: 0, paddingLeft: 18 }}>{v.extracts.map(link)}</ul>
          </Descriptions.Item>
        ) : null}
      </Descriptions>
    </Card>
  );
}
