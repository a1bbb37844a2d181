import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Radio, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, FolderOpenOutlined } from '@ant-design/icons';
import { formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { Notice } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { ErrorAlert, PageTitle } from '../../kit/ui';
import { useQueryParams } from '../../kit/useQueryParam';
import { useMarkRead, useNotificationPage } from './useNotifications';

const PAGE_SIZE = 20;
/** Kinds that report a possible leak or loss: shown in the alarm colour. */
const URGENT = new Set(['envelope_damaged', 'incident']);

/** "Thông báo": the person's notices, newest first; each can be marked read, or all at once. */
export function NotificationsPage() {
  const i = useI18n();
  const { t } = i;
  const { message } = App.useApp();
  const [params, setParams] = useQueryParams();
  const unreadOnly = params.get('show') === 'unread';
  const pageParam = Number(params.get('page'));
  const page = Number.isInteger(pageParam) && pageParam >= 1 ? pageParam : 1;
  const list = useNotificationPage(unreadOnly, page, PAGE_SIZE);
  const mark = useMarkRead();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const unread = list.data?.unread ?? 0;

  const go = (next: { show?: 'unread' | 'all'; page?: number }) => {
    const show = next.show ?? (unreadOnly ? 'unread' : 'all');
    const p = next.page ?? 1;
    setParams({ ...(show === 'unread' ? { show } : {}), ...(p > 1 ? { page: String(p) } : {}) });
  };

  const markOne = async (n: Notice, quiet = false) => {
    setBusy(n.id);
    setError(null);
    try {
      await mark.one(n.id);
      if (!quiet) void message.success(t('notice.markedOne'));
    } catch (e) {
      if (!quiet) setError(e);
    } finally {
      setBusy(null);
    }
  };

  const markAll = async () => {
    setBusy('all');
    setError(null);
    try {
      const marked = await mark.all();
      void message.success(t('notice.markedAll', { count: marked }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const columns: ColumnsType<Notice> = [
    {
      title: t('notice.time'),
      key: 'time',
      width: 170,
      render: (_v, n) => (
        <span className="nowrap">
          <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
        </span>
      ),
    },
    {
      title: t('notice.kind'),
      key: 'kind',
      width: 220,
      render: (_v, n) => (
        <span className="notice-kind">
          <Tag className={URGENT.has(n.kind) ? 'tag-locked' : 'tag-info'}>{i.codeLabel('noticeKind', n.kind)}</Tag>
          {!n.readAt ? <Tag className="tag-new">{t('notice.new')}</Tag> : null}
        </span>
      ),
    },
    { title: t('notice.message'), key: 'message', render: (_v, n) => <span className={n.readAt ? 'notice-read' : 'notice-unread'}>{n.message}</span> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 300,
      render: (_v, n) => (
        <span className="notice-actions">
          {n.subjectType === 'item' && n.subjectId ? (
            <Link
              to={`/items/${n.subjectId}`}
              className="ant-btn ant-btn-default ant-btn-sm notice-open"
              onClick={() => (n.readAt ? undefined : void markOne(n, true))}
            >
              <FolderOpenOutlined aria-hidden="true" /> {t('notice.openItem')}
            </Link>
          ) : null}
          {n.subjectType === 'request' && n.subjectId ? (
            <Link
              to={`/requests/${n.subjectId}`}
              className="ant-btn ant-btn-default ant-btn-sm notice-open"
              onClick={() => (n.readAt ? undefined : void markOne(n, true))}
            >
              <FolderOpenOutlined aria-hidden="true" /> {t('notice.openRequest')}
            </Link>
          ) : null}
          {!n.readAt ? (
            <Button
              size="small"
              icon={<CheckOutlined aria-hidden="true" />}
              loading={busy === n.id}
              onClick={() => void markOne(n)}
              aria-label={t('notice.markOneFor', { time: formatDateTime(n.createdAt) })}
            >
              {t('notice.markOne')}
            </Button>
          ) : (
            <span className="muted small">{t('notice.readAt', { time: formatDateTime(n.readAt) })}</span>
          )}
        </span>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('notice.title')}
        intro={t('notice.intro')}
        extra={
          <Button type="primary" icon={<CheckOutlined aria-hidden="true" />} disabled={unread === 0} loading={busy === 'all'} onClick={() => void markAll()}>
            {t('notice.markAll')}
          </Button>
        }
      />
      <div className="filter-bar notice-filter">
        <Radio.Group
          optionType="button"
          aria-label={t('notice.show')}
          value={unreadOnly ? 'unread' : 'all'}
          onChange={(e) => go({ show: e.target.value as 'unread' | 'all' })}
          options={[
            { value: 'all', label: t('notice.showAll') },
            { value: 'unread', label: t('notice.showUnread', { count: unread }) },
          ]}
        />
      </div>
      <div aria-live="polite">
        <ErrorAlert error={list.error ?? error} />
      </div>
      <DataTable<Notice>
        className="notice-table"
        caption={unreadOnly ? t('notice.captionUnread') : t('notice.caption')}
        rowKey="id"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.rows ?? []}
        rowClassName={(n) => (n.readAt ? 'row-read' : 'row-unread')}
        empty={unreadOnly ? t('notice.emptyUnread') : t('notice.empty')}
        pager={{ page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: (p) => go({ page: p }) }}
      />
    </>
  );
}
