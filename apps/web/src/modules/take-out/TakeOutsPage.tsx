import { useQuery } from '@tanstack/react-query';
import type { ColumnsType } from 'antd/es/table';
import { Tag } from 'antd';
import { Link } from 'react-router-dom';
import { api } from '../../kit/api';
import { DataTable } from '../../kit/DataTable';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import { useI18n, type MessageKey } from '../../kit/i18n';
import { PageTitle } from '../../kit/ui';
import { LevelTag } from '../items/labels';
import { TAKE_OUT_KEY, type TakeOutListRow } from './takeOut';

/** "Đang mang ra ngoài / Quá hạn": what is out of its storage place now, overdue ones marked. */
export function TakeOutsPage() {
  const { t } = useI18n();
  const list = useQuery({
    queryKey: [...TAKE_OUT_KEY, 'list'],
    queryFn: () => api.get<{ items: TakeOutListRow[]; total: number }>('/take-outs').then((r) => r.items),
  });
  const columns: ColumnsType<TakeOutListRow> = [
    {
      title: t('takeOut.item'),
      key: 'item',
      render: (_v, r) => (
        <Link to={`/requests/${r.requestId}`} className="take-out-link">
          {`${r.item.docType}${r.item.numberSymbol ? ` ${r.item.numberSymbol}` : ''}`}
        </Link>
      ),
    },
    { title: t('catalog.level'), key: 'level', width: 110, render: (_v, r) => <LevelTag level={r.item.level} /> },
    { title: t('request.type'), key: 'type', render: (_v, r) => t(`request.type.${r.requestType}` as MessageKey) },
    { title: t('takeOut.takenBy'), key: 'takenBy', render: (_v, r) => r.takenBy.name },
    { title: t('takeOut.takenAt'), key: 'takenAt', render: (_v, r) => formatDateTime(r.takenAt) },
    {
      title: t('takeOut.dueDate'),
      key: 'dueDate',
      render: (_v, r) => (
        <>
          {formatCivilDate(r.dueDate)}{' '}
          {r.overdue ? (
            <Tag className="tag-overdue" data-overdue="true">
              {t('takeOut.overdue')}
            </Tag>
          ) : null}
        </>
      ),
    },
  ];
  return (
    <>
      <PageTitle title={t('takeOut.listTitle')} intro={t('takeOut.listIntro')} />
      <DataTable<TakeOutListRow>
        className="take-outs-table"
        caption={t('takeOut.listCaption')}
        error={list.error}
        rowKey="id"
        columns={columns}
        dataSource={list.data ?? []}
        loading={list.isPending}
        pager={{ pageSize: 20 }}
        empty={t('takeOut.listEmpty')}
        plainEmpty
      />
    </>
  );
}
