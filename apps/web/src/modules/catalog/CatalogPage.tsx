import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Select, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, ImportOutlined } from '@ant-design/icons';
import type { Level } from '@khomat/policy';
import { api } from '../../kit/api';
import { useCan } from '../../kit/auth';
import { formatCivilDate } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { CatalogItem } from '../../kit/types';
import { DataTable, usePageState } from '../../kit/DataTable';
import { FilterField } from '../../kit/filters';
import { PageTitle } from '../../kit/ui';
import { LevelFilter, LevelTag } from '../items/labels';
import { ImportDialog } from './ImportDialog';
import { CATALOG_KEY, useCatalogFields, useCatalogSearch } from './useCatalog';

export function CatalogPage() {
  const i = useI18n();
  const { t } = i;
  const can = useCan();
  const manage = can('catalog.manage');
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const [text, setText] = useState('');
  const [q, setQ] = useState<string | undefined>();
  const [field, setField] = useState<string | undefined>();
  const [level, setLevel] = useState<Level | undefined>();
  const paging = usePageState(20);
  const { page, pageSize, toFirstPage, withFirstPage } = paging;
  const [importing, setImporting] = useState(false);
  const fields = useCatalogFields();
  const list = useCatalogSearch({ q, field, level, page, pageSize });
  const filtered = !!(q || field || level);

  const refresh = () => qc.invalidateQueries({ queryKey: CATALOG_KEY });

  const columns: ColumnsType<CatalogItem> = [
    {
      title: t('catalog.reference'),
      key: 'reference',
      width: 230,
      render: (_v, c) => (
        <div>
          <div className="catalog-ref">
            {[`${t('catalog.article')} ${c.article}`, c.clause ? `${t('catalog.clause')} ${c.clause}` : '', c.point ? `${t('catalog.point')} ${c.point}` : '']
              .filter(Boolean)
              .join(', ')}
          </div>
          <div className="muted small">
            {c.decisionNumber} · {formatCivilDate(c.decisionDate)}
          </div>
          {c.sample ? <Tag className="tag-sample">{t('catalog.sample')}</Tag> : null}
        </div>
      ),
    },
    { title: t('catalog.field'), dataIndex: 'field', key: 'field', width: 170 },
    { title: t('catalog.description'), dataIndex: 'description', key: 'description' },
    { title: t('catalog.level'), key: 'level', width: 110, render: (_v, c) => <LevelTag level={c.level} /> },
    {
      title: t('catalog.period'),
      key: 'period',
      width: 150,
      render: (_v, c) => (c.shorterPeriodYears ? t('catalog.years', { n: c.shorterPeriodYears }) : <span className="muted">{t('catalog.periodByLevel')}</span>),
    },
  ];

  const removeSample = () =>
    modal.confirm({
      title: t('catalog.removeSampleTitle'),
      content: t('catalog.removeSampleConfirm'),
      okText: t('catalog.removeSample'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const r = await api.post<{ removed: number }>('/catalog/remove-sample');
          await refresh();
          void message.success(r.removed > 0 ? t('catalog.sampleRemoved', { count: r.removed }) : t('catalog.noSample'));
        } catch (e) {
          void message.error(i.errorText(e));
        }
      },
    });

  const empty = filtered ? t('catalog.emptyFiltered') : manage ? t('catalog.emptyManage') : t('catalog.empty');

  return (
    <>
      <PageTitle
        title={t('catalog.title')}
        intro={t('catalog.intro')}
        extra={
          manage ? (
            <>
              <Button type="primary" icon={<ImportOutlined aria-hidden="true" />} onClick={() => setImporting(true)}>
                {t('catalog.import')}
              </Button>
              <Button icon={<DeleteOutlined aria-hidden="true" />} onClick={removeSample}>
                {t('catalog.removeSample')}
              </Button>
            </>
          ) : null
        }
      />
      <div className="filter-bar" role="search">
        <FilterField htmlFor="catalog-q" label={t('catalog.search')} className="filter-grow">
          <Input.Search
            id="catalog-q"
            allowClear
            value={text}
            placeholder={t('catalog.searchPh')}
            enterButton={t('common.search')}
            onChange={(e) => {
              setText(e.target.value);
              if (e.target.value === '') {
                setQ(undefined);
                toFirstPage();
              }
            }}
            onSearch={(v) => {
              setQ(v.trim() || undefined);
              toFirstPage();
            }}
          />
        </FilterField>
        <FilterField htmlFor="catalog-field" label={t('catalog.field')}>
          <Select
            id="catalog-field"
            className="filter-select"
            allowClear
            placeholder={t('catalog.allFields')}
            value={field}
            loading={fields.isPending}
            options={(fields.data ?? []).map((f) => ({ value: f, label: f }))}
            onChange={withFirstPage((v: string | undefined) => setField(v))}
          />
        </FilterField>
        <LevelFilter id="catalog-level" value={level} onChange={withFirstPage(setLevel)} />
      </div>
      <DataTable<CatalogItem>
        className="catalog-table"
        caption={t('catalog.caption')}
        error={list.error}
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        empty={empty}
        pager={{ ...paging, total: list.data?.total ?? 0, sizes: [20, 50, 100] }}
      />
      <ImportDialog
        open={importing}
        onClose={() => setImporting(false)}
        onImported={(n) => {
          void refresh();
          void message.success(t('catalog.imported', { count: n }));
        }}
      />
    </>
  );
}
