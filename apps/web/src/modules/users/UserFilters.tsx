import { useMemo, useState } from 'react';
import { Checkbox, Input, TreeSelect } from 'antd';
import { useI18n } from '../../kit/i18n';
import { useUnits } from '../../kit/queries';
import { buildUnitTree, unitTreeOptions } from '../units/tree';
import type { UserFilter } from './useUsers';

/** Unit filter, text search and "include deactivated", shared by the users and clearance screens. */
export function UserFilters({ value, onChange, idPrefix }: { value: UserFilter; onChange: (f: UserFilter) => void; idPrefix: string }) {
  const { t } = useI18n();
  const units = useUnits();
  const options = useMemo(() => unitTreeOptions(buildUnitTree(units.data ?? []), new Set(), true).map(enableAll), [units.data]);
  const [text, setText] = useState(value.q ?? '');
  return (
    <div className="filter-bar" role="search">
      <div className="filter-field">
        <label htmlFor={`${idPrefix}-unit`}>{t('users.filterUnit')}</label>
        <TreeSelect
          id={`${idPrefix}-unit`}
          className="filter-unit"
          allowClear
          treeDefaultExpandAll
          showSearch
          treeNodeFilterProp="title"
          placeholder={t('users.filterUnitPh')}
          treeData={options}
          value={value.unitId}
          onChange={(v: string | undefined) => onChange({ ...value, unitId: v ?? undefined })}
        />
      </div>
      <div className="filter-field filter-grow">
        <label htmlFor={`${idPrefix}-q`}>{t('users.search')}</label>
        <Input.Search
          id={`${idPrefix}-q`}
          allowClear
          value={text}
          enterButton={t('common.search')}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value === '') onChange({ ...value, q: undefined });
          }}
          onSearch={(q) => onChange({ ...value, q: q.trim() || undefined })}
        />
      </div>
      <div className="filter-field filter-check">
        <Checkbox checked={!!value.includeInactive} onChange={(e) => onChange({ ...value, includeInactive: e.target.checked })}>
          {t('users.includeInactive')}
        </Checkbox>
      </div>
    </div>
  );
}

type Opt = ReturnType<typeof unitTreeOptions>[number];
function enableAll(o: Opt): Opt {
  return { ...o, disabled: false, ...(o.children ? { children: o.children.map(enableAll) } : {}) };
}
