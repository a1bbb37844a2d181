import { useQuery } from '@tanstack/react-query';
import type { ColumnsType } from 'antd/es/table';
import { Link } from 'react-router-dom';
import { api } from '../../kit/api';
import { DataTable, usePageState } from '../../kit/DataTable';
import { formatDateTime } from '../../kit/format';
import { useI18n, type MessageKey } from '../../kit/i18n';
import { PageTitle } from '../../kit/ui';
import { LevelTag } from '../items/labels';
import { REQUESTS_KEY, type RequestListRow } from './requests';

/** "Đề nghị chờ phê duyệt": the submitted requests this person may decide (or, routed outside, record). */
export function RequestsInboxPage() {
  const { t } = useI18n();
  // A page at a time from the server (oldest first): an inbox may hold thousands when a decider is away.
  const paging = usePageState(20);
  const { page, pageSize } = paging;
  const inbox = useQuery({
    queryKey: [...REQUESTS_KEY, 'inbox', page, pageSize],
    queryFn: () => api.get<{ items: RequestListRow[]; total: number }>(`/requests/inbox?page=${page}&pageSize=${pageSize}`),
  });
  const columns: ColumnsType<RequestListRow> = [
    {
      title: t('request.type'),
      key: 'type',
      render: (_v, r) => (
        <Link to={`/requests/${r.id}`} className="request-link">
          {t(`request.type.${r.type}` as MessageKey)}
        </Link>
      ),
    },
    { title: t('catalog.level'), key: 'level', width: 110, render: (_v, r) => <LevelTag level={r.level} /> },
    { title: t('request.requester'), key: 'requester', render: (_v, r) => r.requester.name },
    { title: t('request.submittedAt'), key: 'submittedAt', render: (_v, r) => formatDateTime(r.submittedAt) },
    {
      title: t('request.route'),
      key: 'route',
      render: (_v, r) => (r.route === 'higher_authority' ? t('request.route.higher_authority') : t('request.route.agency')),
    },
  ];
  return (
    <>
      <PageTitle title={t('request.inboxTitle')} intro={t('request.inboxIntro')} />
      <DataTable<RequestListRow>
        className="requests-inbox-table"
        caption={t('request.inboxCaption')}
        error={inbox.error}
        rowKey="id"
        columns={columns}
        dataSource={inbox.data?.items ?? []}
        loading={inbox.isPending}
        pager={{ ...paging, total: inbox.data?.total ?? 0, sizes: [20, 50, 100] }}
        empty={t('request.inboxEmpty')}
        plainEmpty
      />
    </>
  );
}
