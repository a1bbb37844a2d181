import { useCallback, useState } from 'react';
import { Button, Checkbox, Popover, Switch } from 'antd';
import { ColumnHeightOutlined, TableOutlined } from '@ant-design/icons';
import { useI18n } from './i18n';

// What a list table shows is the reader's choice, remembered on this computer (localStorage): the
// columns of each list, and a compact mode with denser rows. Storage may be disabled by policy;
// the choice then lasts for this page only.

function readStored<T>(key: string, parse: (raw: string) => T | null): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : parse(raw);
  } catch {
    return null;
  }
}

function writeStored(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts for this page
  }
}

/** The keys shown out of `all`, as stored under `key`; `defaults` when nothing (valid) is stored. */
export function parseShownColumns(raw: string, all: readonly string[]): string[] | null {
  try {
    const v: unknown = JSON.parse(raw);
    if (!Array.isArray(v)) return null;
    const shown = all.filter((k) => v.includes(k));
    return shown.length > 0 ? shown : null;
  } catch {
    return null;
  }
}

export interface ColumnChoice {
  /** Column keys shown, in the table's order. */
  shown: readonly string[];
  setShown: (keys: readonly string[]) => void;
  reset: () => void;
}

/** The columns shown in one list, remembered under `storageKey`. */
export function useColumnChoice(storageKey: string, all: readonly string[], defaults: readonly string[]): ColumnChoice {
  // Choices made on this page, by list (another register reads its own from storage).
  const [made, setMade] = useState<Record<string, readonly string[] | null>>({});
  const current = storageKey in made ? (made[storageKey] ?? null) : readStored(storageKey, (r) => parseShownColumns(r, all));
  const shown = current ?? defaults;
  const setShown = useCallback(
    (keys: readonly string[]) => {
      const ordered = all.filter((k) => keys.includes(k));
      writeStored(storageKey, JSON.stringify(ordered));
      setMade((m) => ({ ...m, [storageKey]: ordered }));
    },
    [all, storageKey],
  );
  const reset = useCallback(() => {
    writeStored(storageKey, null);
    setMade((m) => ({ ...m, [storageKey]: null }));
  }, [storageKey]);
  return { shown, setShown, reset };
}

/** An on/off choice remembered under `storageKey`. */
export function useStoredFlag(storageKey: string): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => readStored(storageKey, (r) => r === '1') ?? false);
  const set = useCallback(
    (v: boolean) => {
      writeStored(storageKey, v ? '1' : null);
      setOn(v);
    },
    [storageKey],
  );
  return [on, set];
}

export interface ChoosableColumn {
  key: string;
  label: string;
  /** Always shown (the row's number): listed, not unticked. */
  required?: boolean;
}

/** "Cột hiển thị": a button opening the list of columns to tick, with a way back to the default. */
export function ColumnChooser({ id, columns, choice }: { id: string; columns: readonly ChoosableColumn[]; choice: ColumnChoice }) {
  const { t } = useI18n();
  const headingId = `${id}-h`;
  const content = (
    <div className="column-chooser" role="group" aria-labelledby={headingId}>
      <div id={headingId} className="column-chooser-h">
        {t('columns.choose')}
      </div>
      <ul>
        {columns.map((c) => (
          <li key={c.key}>
            <Checkbox
              checked={c.required || choice.shown.includes(c.key)}
              disabled={c.required}
              onChange={(e) => choice.setShown(e.target.checked ? [...choice.shown, c.key] : choice.shown.filter((k) => k !== c.key))}
            >
              {c.label}
            </Checkbox>
          </li>
        ))}
      </ul>
      <Button size="small" onClick={choice.reset}>
        {t('columns.reset')}
      </Button>
    </div>
  );
  return (
    <Popover trigger="click" placement="bottomRight" content={content} destroyOnHidden>
      <Button id={id} icon={<TableOutlined aria-hidden="true" />}>
        {t('columns.button')}
      </Button>
    </Popover>
  );
}

/** "Thu gọn": denser rows, so that more of a long list fits on the screen. */
export function CompactSwitch({ id, checked, onChange }: { id: string; checked: boolean; onChange: (on: boolean) => void }) {
  const { t } = useI18n();
  return (
    <span className="compact-switch">
      <ColumnHeightOutlined aria-hidden="true" />
      <label htmlFor={id}>{t('columns.compact')}</label>
      <Switch id={id} size="small" checked={checked} onChange={onChange} />
    </span>
  );
}
