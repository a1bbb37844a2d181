import { useQuery } from '@tanstack/react-query';
import type { ColumnsType } from 'antd/es/table';
import { Button } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router-dom';
import { api } from '../../kit/api';
import { useCan } from '../../kit/auth';
import { DataTable, usePageState } from '../../kit/DataTable';
import { formatDateTime } from '../../kit/format';
import { useI18n, type MessageKey } from '../../kit/i18n';
import { PageTitle } from '../../kit/ui';
import { LevelTag } from '../items/labels';
import { REQUESTS_KEY, type RequestListRow } from './requests';
import { RequestStatusTag } from './RequestStatusTag';

/** "Đề nghị của tôi": the requests this person made, newest first, with their status as of today. */
export function MyRequestsPage() {
  const { t } = useI18n();
  const can = useCan();
  const navigate = useNavigate();
  const paging = usePageState(20);
  const list = useQuery({
    queryKey: [...REQUESTS_KEY, 'mine', paging.page, paging.pageSize],
    queryFn: () => api.get<{ items: RequestListRow[]; total: number }>('/requests', { page: paging.page, pageSize: paging.pageSize }),
    placeholderData: (prev) => prev,
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
    {
      title: t('request.item'),
      key: 'item',
      render: (_v, r) => (
        <span className="request-item">
          <Link to={`/items/${r.itemId}`}>{r.item ? `${r.item.docType}${r.item.numberSymbol ? ` ${r.item.numberSymbol}` : ''}` : t('request.item')}</Link>{' '}
          <LevelTag level={r.level} />
        </span>
      ),
    },
    { title: t('request.status'), key: 'status', width: 150, render: (_v, r) => <RequestStatusTag status={r.status} /> },
    { title: t('requestForm.createdAt'), key: 'createdAt', width: 150, render: (_v, r) => formatDateTime(r.createdAt) },
    {
      title: t('request.submittedAt'),
      key: 'submittedAt',
      width: 150,
      render: (_v, r) => (r.submittedAt ? formatDateTime(r.submittedAt) : <span className="muted">{t('requestForm.notSent')}</span>),
    },
    {
      title: t('request.route'),
      key: 'route',
      width: 170,
      render: (_v, r) => (r.route === 'higher_authority' ? t('request.route.higher_authority') : r.route === 'agency' ? t('request.route.agency') : '—'),
    },
  ];
  return (
    <>
      <PageTitle
        title={t('requestForm.mineTitle')}
        intro={t('requestForm.mineIntro')}
        extra={
          can('request.create') ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden="true" />} onClick={() => navigate('/requests/new')}>
              {t('requestForm.newTitle')}
            </Button>
          ) : null
        }
      />
      <DataTable<RequestListRow>
        className="my-requests-table"
        caption={t('requestForm.mineCaption')}
        error={list.error}
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending}
        pager={{ ...paging, total: list.data?.total ?? 0, sizes: [20, 50, 100] }}
        empty={t('requestForm.mineEmpty')}
        plainEmpty
      />
    </>
  );
}
