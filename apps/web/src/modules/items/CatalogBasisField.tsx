import { useMemo } from 'react';
import { Button, Select } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined } from '@ant-design/icons';
import { useI18n } from '../../kit/i18n';
import type { CatalogItem } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { useSearchText } from '../../kit/useSearchText';
import { useCatalogSearch } from '../catalog/useCatalog';
import { LevelTag } from './labels';

/**
 * Picks catalogue items as the basis of a proposal: type to search (the server ignores
 * diacritics), each option shows the reference, the level and the text; the chosen ones are
 * listed below with a button to remove each.
 */
export function CatalogBasisField({
  id,
  value,
  onChange,
  field,
  picked,
  onPicked,
  invalid,
}: {
  id?: string;
  value?: string[];
  onChange?: (v: string[]) => void;
  field?: string;
  picked: ReadonlyMap<string, CatalogItem>;
  onPicked: (items: CatalogItem[]) => void;
  invalid?: boolean;
}) {
  const { t } = useI18n();
  const { text: q, setText: setQ, settled: debounced } = useSearchText();
  const search = useCatalogSearch({ q: debounced || undefined, field, page: 1, pageSize: 50 });
  const selected = useMemo(() => (value ?? []).map((v) => picked.get(v)).filter((c): c is CatalogItem => !!c), [value, picked]);

  const options = (search.data?.items ?? []).map((c) => ({
    value: c.id,
    label: c.reference,
    item: c,
  }));

  const columns: ColumnsType<CatalogItem> = [
    { title: t('catalog.reference'), dataIndex: 'reference', key: 'ref', width: 260 },
    { title: t('catalog.description'), dataIndex: 'description', key: 'desc' },
    { title: t('catalog.level'), key: 'level', width: 110, render: (_v, c) => <LevelTag level={c.level} /> },
    {
      title: t('common.actions'),
      key: 'remove',
      width: 110,
      render: (_v, c) => (
        <Button
          size="small"
          icon={<DeleteOutlined aria-hidden="true" />}
          aria-label={t('draft.basisRemove', { ref: c.reference })}
          onClick={() => onChange?.((value ?? []).filter((x) => x !== c.id))}
        >
          {t('draft.remove')}
        </Button>
      ),
    },
  ];

  return (
    <div className="basis-field">
      <Select<string[], (typeof options)[number]>
        id={id}
        mode="multiple"
        className="full-width"
        status={invalid ? 'error' : undefined}
        value={value ?? []}
        placeholder={t('draft.basisPh')}
        loading={search.isFetching}
        notFoundContent={search.isFetching ? t('app.loading') : t('draft.basisNone')}
        showSearch={{ filterOption: false, onSearch: setQ, searchValue: q, autoClearSearchValue: true }}
        options={options}
        optionRender={(o) => (
          <div className="basis-option">
            <div className="basis-option-head">
              <span className="basis-ref">{o.data.item.reference}</span>
              <LevelTag level={o.data.item.level} />
            </div>
            <div className="basis-desc">{o.data.item.description}</div>
          </div>
        )}
        labelRender={(l) => picked.get(String(l.value))?.reference ?? l.label}
        onChange={(ids) => {
          const found = (search.data?.items ?? []).filter((c) => ids.includes(c.id));
          onPicked(found);
          onChange?.(ids);
          setQ('');
        }}
        popupMatchSelectWidth
      />
      {selected.length > 0 ? (
        <DataTable<CatalogItem> className="basis-table" caption={t('draft.basisChosen')} rowKey="id" size="small" columns={columns} dataSource={selected} />
      ) : null}
    </div>
  );
}
