import { useMemo } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Col, Form, Input, Row, Select, Space, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ClearOutlined, SearchOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { civilDateInVietnam, REGISTERS, type Level, type RegisterKind } from '@khomat/policy';
import { api } from '../../kit/api';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import { useUnits } from '../../kit/queries';
import type { ItemState, SearchHit, SearchReply } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { DateRangeFields, FilterPanel } from '../../kit/filters';
import { ErrorAlert, PageTitle } from '../../kit/ui';
import { foldedSearch } from '../../kit/validation';
import { useQueryParams } from '../../kit/useQueryParam';
import { ItemStateTag, LEVELS_DESC, LevelTag } from '../items/labels';
import { filtersFromParams, hasCriteria, ITEM_STATES_FOR_SEARCH, PAGE_SIZES, paramsFromFilters, type SearchFilters } from './search';

interface FilterForm {
  q?: string;
  register?: RegisterKind;
  year?: number;
  level?: Level;
  unitId?: string;
  state?: SearchFilters['state'];
  from?: Dayjs | null;
  to?: Dayjs | null;
}

function toForm(f: SearchFilters): FilterForm {
  return {
    q: f.q,
    register: f.register,
    year: f.year,
    level: f.level,
    unitId: f.unitId,
    state: f.state,
    from: f.from ? dayjs(f.from) : null,
    to: f.to ? dayjs(f.to) : null,
  };
}

/** "Tra cứu": search over every register, diacritics-free typing allowed; filters live in the URL. */
export function SearchPage() {
  const i = useI18n();
  const { t } = i;
  const [params, setParams] = useQueryParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const [form] = Form.useForm<FilterForm>();
  const units = useUnits();
  const thisYear = Number(civilDateInVietnam(new Date()).slice(0, 4));
  const years = Array.from({ length: thisYear - 2019 }, (_, k) => thisYear - k);

  const q = useQuery({
    queryKey: ['search', filters],
    queryFn: () => api.get<SearchReply>('/search', { ...filters }),
    placeholderData: (prev) => prev,
  });
  const data = q.data;
  const go = (next: SearchFilters) => setParams(paramsFromFilters(next));

  const unitOptions = useMemo(
    () => (units.data ?? []).map((u) => ({ value: u.id, label: u.name })).sort((a, b) => a.label.localeCompare(b.label, 'vi')),
    [units.data],
  );

  const summaryCell = (h: SearchHit) => {
    if (h.summary) return <div className="search-summary">{h.summary}</div>;
    const why = h.summaryHidden
      ? t('registers.noSummaryRole')
      : h.level === 'TOP_SECRET'
        ? t('registers.noSummaryTopSecret')
        : t('registers.noSummaryAddressee');
    return (
      <Tooltip title={why} trigger={['hover', 'focus']}>
        <span className="summary-blank" tabIndex={0} aria-label={why}>
          {h.summaryHidden ? t('registers.summaryHidden') : t('registers.summaryNone')}
        </span>
      </Tooltip>
    );
  };

  const columns: ColumnsType<SearchHit> = [
    {
      title: t('search.entry'),
      key: 'register',
      width: 135,
      render: (_v, h) => (
        <div>
          <div className="search-register">{t(`registers.${h.register}`)}</div>
          <div className="small">{t('search.entryNumber', { number: h.number, year: h.year })}</div>
          <div className="muted small nowrap">{formatCivilDate(h.entryDate)}</div>
        </div>
      ),
    },
    {
      title: t('item.numberSymbol'),
      key: 'ns',
      width: 170,
      render: (_v, h) => (
        <Link to={`/items/${h.itemId}`} className="item-link">
          <span className="item-link-main">{h.numberSymbol ?? t('item.noNumber')}</span>
          <span className="item-link-sub">{[h.docType, h.documentDate ? formatCivilDate(h.documentDate) : null].filter(Boolean).join(' · ')}</span>
        </Link>
      ),
    },
    ...(data?.summaryShown ? [{ title: t('item.summary'), key: 'summary', render: (_v: unknown, h: SearchHit) => summaryCell(h) }] : []),
    { title: t('catalog.level'), key: 'level', width: 100, render: (_v, h) => <LevelTag level={h.level} /> },
    {
      title: t('search.party'),
      key: 'party',
      width: 180,
      render: (_v, h) => (h.register === 'incoming' ? h.issuer : h.recipient) ?? <span className="muted">{t('common.none')}</span>,
    },
    {
      title: t('search.state'),
      key: 'state',
      width: 140,
      render: (_v, h) => (
        <div>
          <ItemStateTag state={h.itemState as ItemState} />
          {h.cancelledAt ? (
            <Tag className="tag-locked search-cancelled" title={formatDateTime(h.cancelledAt)}>
              {t('search.cancelled')}
            </Tag>
          ) : null}
        </div>
      ),
    },
  ];

  const total = data?.total ?? 0;
  const resultLine = !data
    ? null
    : data.totalExact
      ? t('search.found', { count: total.toLocaleString(i.lang === 'vi' ? 'vi-VN' : 'en-GB') })
      : t('search.foundMore', { count: total.toLocaleString(i.lang === 'vi' ? 'vi-VN' : 'en-GB') });

  return (
    <>
      <PageTitle title={t('search.title')} intro={t('search.intro')} />
      <FilterPanel headingId="search-filters-h" title={t('audit.filters')}>
        <Form<FilterForm>
          key={params.toString()}
          form={form}
          layout="vertical"
          role="search"
          initialValues={toForm(filters)}
          onFinish={(v) =>
            go({
              q: v.q?.trim() || undefined,
              register: v.register,
              year: v.year,
              level: v.level,
              unitId: v.unitId,
              state: v.state,
              from: v.from ? v.from.format('YYYY-MM-DD') : undefined,
              to: v.to ? v.to.format('YYYY-MM-DD') : undefined,
              page: 1,
              pageSize: filters.pageSize,
            })
          }
        >
          <Row gutter={16}>
            <Col xs={24} xl={12}>
              <Form.Item name="q" label={t('search.q')} extra={t('search.qHint')}>
                <Input allowClear maxLength={200} placeholder={t('search.qPh')} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8} xl={6}>
              <Form.Item name="register" label={t('search.register')}>
                <Select allowClear placeholder={t('search.allRegisters')} options={REGISTERS.map((r) => ({ value: r, label: t(`registers.${r}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8} xl={6}>
              <Form.Item name="year" label={t('registers.year')}>
                <Select allowClear placeholder={t('search.allYears')} options={years.map((y) => ({ value: y, label: String(y) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Form.Item name="level" label={t('catalog.level')}>
                <Select allowClear placeholder={t('catalog.allLevels')} options={LEVELS_DESC.map((l) => ({ value: l, label: i.clearanceLabel(l) }))} />
              </Form.Item>
            </Col>
            <Col xs={12} md={8} xl={5}>
              <Form.Item name="state" label={t('search.state')}>
                <Select
                  allowClear
                  placeholder={t('search.allStates')}
                  options={ITEM_STATES_FOR_SEARCH.map((s) => ({ value: s, label: i.codeLabel('itemState', s) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8} xl={6}>
              <Form.Item name="unitId" label={t('field.unit')}>
                <Select allowClear showSearch={foldedSearch} placeholder={t('search.allUnits')} options={unitOptions} loading={units.isPending} />
              </Form.Item>
            </Col>
            <DateRangeFields col={{ xs: 12, md: 6, xl: 4 }} />
          </Row>
          <Space wrap>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden="true" />}>
              {t('common.search')}
            </Button>
            <Button icon={<ClearOutlined aria-hidden="true" />} onClick={() => go({ page: 1, pageSize: filters.pageSize })} disabled={!hasCriteria(filters)}>
              {t('audit.reset')}
            </Button>
          </Space>
        </Form>
      </FilterPanel>

      <ErrorAlert error={q.error} />
      <div className="search-results" aria-live="polite">
        {resultLine ? (
          <p className={`result-line${data && !data.totalExact ? ' result-line-more' : ''}`}>
            {resultLine}
            {!hasCriteria(filters) && data && data.items.length > 0 ? <span className="muted"> {t('search.newestFirst')}</span> : null}
          </p>
        ) : null}
        {data && !data.totalExact ? <Alert type="info" showIcon className="dialog-alert" title={t('search.narrow')} /> : null}
        {data && !data.summaryShown ? <p className="muted small">{t('search.noSummaryRole')}</p> : null}
      </div>
      <DataTable<SearchHit>
        className="search-table"
        caption={t('search.caption')}
        rowKey="id"
        loading={q.isFetching}
        columns={columns}
        dataSource={data?.items ?? []}
        rowClassName={(h) => (h.cancelledAt ? 'row-cancelled' : '')}
        empty={hasCriteria(filters) ? t('search.empty') : t('search.emptyAll')}
        pager={{
          page: filters.page,
          pageSize: filters.pageSize,
          total,
          sizes: PAGE_SIZES,
          hideTotal: true,
          onChange: (page, pageSize) => go({ ...filters, page, pageSize }),
        }}
      />
    </>
  );
}
