import { Link, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Result, Select } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ApartmentOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../kit/api';
import { formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import { useUnits } from '../../kit/queries';
import type { CopyStatus, HoldingRow, Holdings } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { FilterField } from '../../kit/filters';
import { PageTitle } from '../../kit/ui';
import { useQueryParams } from '../../kit/useQueryParam';
import { COPY_STATUSES, CopyStatusTag, LevelTag } from '../items/labels';

const PAGE_SIZES = [20, 50, 100];

/** "Đơn vị đang giữ": every copy held by a unit or its members, and those on their way to them. */
export function HoldingsPage() {
  const { id = '' } = useParams();
  const i = useI18n();
  const { t } = i;
  const [params, setParams] = useQueryParams();
  const units = useUnits();
  const requested = params.get('status') as CopyStatus | null;
  const status = requested && COPY_STATUSES.includes(requested) ? requested : undefined;
  const pageParam = Number(params.get('page'));
  const page = Number.isInteger(pageParam) && pageParam >= 1 ? pageParam : 1;
  const sizeParam = Number(params.get('pageSize'));
  const pageSize = PAGE_SIZES.includes(sizeParam) ? sizeParam : 20;
  const q = useQuery({
    queryKey: ['holdings', id, status, page, pageSize],
    queryFn: () => api.get<Holdings>(`/units/${encodeURIComponent(id)}/holdings`, { status, page, pageSize }),
    placeholderData: (prev) => (prev?.unit.id === id ? prev : undefined),
  });
  const unitName = q.data?.unit.name ?? units.data?.find((u) => u.id === id)?.name ?? '';

  const go = (next: { status?: CopyStatus | undefined; page?: number; pageSize?: number }) => {
    const s = 'status' in next ? next.status : status;
    const p = next.page ?? 1;
    const ps = next.pageSize ?? pageSize;
    setParams({ ...(s ? { status: s } : {}), ...(p > 1 ? { page: String(p) } : {}), ...(ps !== 20 ? { pageSize: String(ps) } : {}) });
  };

  if (q.error instanceof ApiError && (q.error.status === 403 || q.error.status === 404)) {
    const forbidden = q.error.status === 403;
    return (
      <>
        <PageTitle title={forbidden ? t('holdings.forbiddenTitle') : t('holdings.notFoundTitle')} />
        <Result
          className="plain-result"
          icon={<LockOutlined aria-hidden="true" />}
          subTitle={forbidden ? t('holdings.forbidden') : t('holdings.notFound')}
          extra={
            <Link to="/" className="ant-btn ant-btn-primary">
              {t('common.backHome')}
            </Link>
          }
        />
      </>
    );
  }

  const columns: ColumnsType<HoldingRow> = [
    { title: t('copy.label'), key: 'label', width: 130, render: (_v, r) => <strong>{r.label}</strong> },
    {
      title: t('work.item'),
      key: 'item',
      render: (_v, r) => (
        <Link to={`/items/${r.itemId}`} className="item-link">
          <span className="item-link-main">{r.numberSymbol ?? r.docType}</span>
          <span className="item-link-sub">{r.numberSymbol ? r.docType : t('item.noNumber')}</span>
        </Link>
      ),
    },
    { title: t('catalog.level'), key: 'level', width: 110, render: (_v, r) => <LevelTag level={r.level} /> },
    { title: t('copy.status'), key: 'status', width: 150, render: (_v, r) => <CopyStatusTag status={r.status} /> },
    {
      title: t('holdings.holder'),
      key: 'holder',
      width: 260,
      render: (_v, r) => (
        <div>
          <span className="holder">
            {r.holder.kind === 'unit' ? <ApartmentOutlined aria-hidden="true" /> : <UserOutlined aria-hidden="true" />} {r.holder.name}
            <span className="sr-only"> ({r.holder.kind === 'unit' ? t('holdings.holderUnit') : t('holdings.holderPerson')})</span>
          </span>
          {r.pending ? <div className="small holder-pending">{t('holdings.toward', { name: r.pending.name })}</div> : null}
        </div>
      ),
    },
    { title: t('holdings.since'), key: 'since', width: 170, render: (_v, r) => <span className="nowrap">{formatDateTime(r.since)}</span> },
  ];

  return (
    <>
      <PageTitle
        title={unitName ? t('holdings.title', { unit: unitName }) : t('holdings.titlePlain')}
        intro={t('holdings.intro')}
        extra={
          <Link to="/units" className="ant-btn ant-btn-default">
            <ApartmentOutlined aria-hidden="true" /> {t('holdings.allUnits')}
          </Link>
        }
      />
      <Card className="tabs-card">
        <div className="filter-bar">
          <FilterField htmlFor="holdings-status" label={t('copy.status')}>
            <Select<CopyStatus | undefined>
              id="holdings-status"
              className="filter-status"
              allowClear
              placeholder={t('holdings.statusLive')}
              value={status}
              options={COPY_STATUSES.map((s) => ({ value: s, label: i.codeLabel('copyStatus', s) }))}
              onChange={(v) => go({ status: v ?? undefined })}
            />
          </FilterField>
          <p className="muted filter-note">{status ? t('holdings.statusOnly', { status: i.codeLabel('copyStatus', status) }) : t('holdings.statusLiveHint')}</p>
          {status ? (
            <Button onClick={() => go({ status: undefined })} className="filter-reset">
              {t('audit.reset')}
            </Button>
          ) : null}
        </div>
        <DataTable<HoldingRow>
          className="holdings-table"
          caption={t('holdings.caption', { unit: unitName })}
          error={q.error}
          rowKey="copyId"
          loading={q.isFetching}
          columns={columns}
          dataSource={q.data?.rows ?? []}
          empty={status ? t('holdings.emptyStatus') : t('holdings.empty', { unit: unitName })}
          pager={{ page, pageSize, total: q.data?.total ?? 0, sizes: PAGE_SIZES, onChange: (p, ps) => go({ page: p, pageSize: ps }) }}
        />
      </Card>
    </>
  );
}
