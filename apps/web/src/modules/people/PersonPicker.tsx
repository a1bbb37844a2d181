import { useEffect, useMemo, useRef, useState } from 'react';
import { Select } from 'antd';
import type { Level } from '@khomat/policy';
import { ApiError } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import { useSearchText } from '../../kit/useSearchText';
import { nameMatches, personOption } from './people';
import { usePeople } from './usePeople';

type Option = { value: string; label: string; disabled: boolean };

export interface PersonPickerProps {
  id?: string;
  value?: string;
  onChange?: (id: string | undefined) => void;
  /** The item's level: people whose clearance does not cover it are shown but cannot be chosen (nor, at any level, a held person). */
  level?: Level | null;
  /** Only people of this unit. */
  unitId?: string;
  /** Only this person (e.g. the named addressee of a «Chỉ người có tên mới được bóc bì» item). */
  onlyId?: string | null;
  /** Names already known for ids (e.g. a saved recipient), so the chosen one is named before any search. */
  known?: readonly { id: string; name: string }[];
  /** Leaves out these ids (e.g. oneself). */
  exclude?: readonly string[];
  status?: 'error';
  disabled?: boolean;
  'aria-describedby'?: string;
}

/**
 * A searchable select of colleagues from GET /api/people (typed text goes to the server, which
 * ignores diacritics: «binh» finds «Bình»). Used by every person picker of the registry screens.
 */
export function PersonPicker({ id, value, onChange, level, unitId, onlyId, known, exclude, status, disabled, ...rest }: PersonPickerProps) {
  const { t } = useI18n();
  const { text: q, setText: setQ, settled: debounced } = useSearchText();
  const people = usePeople({ q: debounced || undefined, unitId, level });
  const notCleared = t('people.notCleared');
  const heldWords = t('people.held');

  // Labels of everyone seen so far: the chosen person stays named when a new search leaves them out.
  const seen = useRef(new Map<string, string>());
  for (const k of known ?? []) if (!seen.current.has(k.id)) seen.current.set(k.id, k.name);
  const options = useMemo<Option[]>(() => {
    const out: Option[] = [];
    for (const p of people.data ?? []) {
      if (onlyId && p.id !== onlyId) continue;
      // Until the server answers the new text, the list it gave is narrowed here the same way.
      if (!nameMatches(p.fullName, q)) continue;
      if (exclude?.includes(p.id)) continue;
      out.push({ value: p.id, ...personOption(p, { notCleared, held: heldWords }) });
    }
    return out;
  }, [people.data, onlyId, exclude, notCleared, heldWords, q]);
  for (const o of options) seen.current.set(o.value, o.label);

  // While a pointer is pressed on the list, the list stays as it was: a server answer arriving
  // between press and release must not move another person under the pointer (the click would
  // then choose nobody, or somebody else). Released on the next pointer-up anywhere.
  const [frozen, setFrozen] = useState<Option[] | null>(null);
  useEffect(() => {
    if (!frozen) return;
    // After the click that follows this pointer-up has chosen from the frozen list.
    const release = () => setTimeout(() => setFrozen(null), 0);
    window.addEventListener('pointerup', release, true);
    window.addEventListener('pointercancel', release, true);
    return () => {
      window.removeEventListener('pointerup', release, true);
      window.removeEventListener('pointercancel', release, true);
    };
  }, [frozen]);

  const failed = people.error instanceof ApiError ? people.error : null;
  const typed = q.trim();
  const empty = people.isFetching ? t('app.loading') : failed ? t('people.unavailable') : typed ? t('people.none', { q: typed }) : t('people.typeToSearch');

  return (
    <Select<string, Option>
      id={id}
      className="full-width person-picker"
      classNames={{ popup: { root: 'person-picker-popup' } }}
      value={value}
      status={status}
      disabled={disabled}
      allowClear
      placeholder={t('people.placeholder')}
      loading={people.isFetching}
      notFoundContent={<span className="muted">{empty}</span>}
      showSearch={{ filterOption: false, onSearch: setQ, searchValue: q, autoClearSearchValue: true }}
      options={frozen ?? options}
      popupRender={(menu) => <div onPointerDownCapture={() => setFrozen((f) => f ?? options)}>{menu}</div>}
      labelRender={(l) => seen.current.get(String(l.value)) ?? l.label}
      onChange={(v) => {
        onChange?.(v ?? undefined);
        setQ('');
      }}
      aria-describedby={rest['aria-describedby']}
      popupMatchSelectWidth
    />
  );
}
