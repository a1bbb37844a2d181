import { useMemo } from 'react';
import { Select, Tag } from 'antd';
import { ITEM_KIND_TABLE, ITEM_KINDS, LEVELS, LEVEL_TABLE, type ItemKind, type Level } from '@khomat/policy';
import { FilterField } from '../../kit/filters';
import { useI18n } from '../../kit/i18n';
import type { CopyStatus, ItemState } from '../../kit/types';
import { ClearanceTag } from '../../kit/ui';

// Words for the registry's codes. Vietnamese labels of kinds and levels come from the policy
// tables (one source with the server); the other codes from the dictionaries.

export const ITEM_STATES: readonly ItemState[] = ['draft', 'proposed', 'returned', 'classified', 'issued', 'received'];
export const COPY_STATUSES: readonly CopyStatus[] = ['held', 'in_transit', 'taken_out', 'returned', 'recalled', 'destroyed', 'lost'];
/** Highest first, as the law lists them. */
export const LEVELS_DESC: readonly Level[] = [...LEVELS].sort((a, b) => LEVEL_TABLE[b].rank - LEVEL_TABLE[a].rank);

export function useRegistryLabels() {
  const i = useI18n();
  return useMemo(() => {
    const keyed = i.codeLabel;
    return {
      kind: (k: ItemKind | string): string => (i.lang === 'vi' && k in ITEM_KIND_TABLE ? ITEM_KIND_TABLE[k as ItemKind].labelVi : keyed('kind', k)),
      state: (s: ItemState | string) => keyed('itemState', s),
      copyStatus: (s: CopyStatus | string) => keyed('copyStatus', s),
      event: (k: string) => keyed('event', k),
      envelope: (s: string) => keyed('envelope', s),
      level: (l: Level) => i.clearanceLabel(l),
      kinds: ITEM_KINDS.map((k) => ({ value: k, label: i.lang === 'vi' ? ITEM_KIND_TABLE[k].labelVi : keyed('kind', k) })),
    };
  }, [i]);
}

/** The "Độ mật" filter of a list's filter bar: every level, highest first, or all when cleared. */
export function LevelFilter({ id, value, onChange }: { id: string; value: Level | undefined; onChange: (level: Level | undefined) => void }) {
  const { t, clearanceLabel } = useI18n();
  return (
    <FilterField htmlFor={id} label={t('catalog.level')}>
      <Select
        id={id}
        className="filter-level"
        allowClear
        placeholder={t('catalog.allLevels')}
        value={value}
        options={LEVELS_DESC.map((l) => ({ value: l, label: clearanceLabel(l) }))}
        onChange={(v: Level | undefined) => onChange(v)}
      />
    </FilterField>
  );
}

export function LevelTag({ level }: { level: Level | null | undefined }) {
  if (!level) return null;
  return <ClearanceTag clearance={level} />;
}

const STATE_CLASS: Record<ItemState, string> = {
  draft: 'state-tag state-draft',
  proposed: 'state-tag state-proposed',
  returned: 'state-tag state-returned',
  classified: 'state-tag state-classified',
  issued: 'state-tag state-issued',
  received: 'state-tag state-received',
};

export function ItemStateTag({ state }: { state: ItemState }) {
  const l = useRegistryLabels();
  return (
    <Tag className={STATE_CLASS[state] ?? 'state-tag'} data-state={state}>
      {l.state(state)}
    </Tag>
  );
}

export function CopyStatusTag({ status }: { status: CopyStatus }) {
  const l = useRegistryLabels();
  return (
    <Tag className={`copy-tag copy-${status}`} data-status={status}>
      {l.copyStatus(status)}
    </Tag>
  );
}
