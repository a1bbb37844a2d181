import { useCallback, useState, type ReactNode } from 'react';
import { Table } from 'antd';
import type { TablePaginationConfig, TableProps } from 'antd/es/table';
import { useI18n } from './i18n';
import { ErrorAlert, useTableCaption } from './ui';

// The list table of every screen: bordered, captioned for screen readers, its load error above it,
// its own empty text, and one pager (count shown, page size choice, hidden while one page holds all).

export interface Pager {
  /** The page shown; leave out for a list the table pages by itself (all rows loaded). */
  page?: number;
  pageSize: number;
  /** Rows on the server; leave out when the table holds them all. */
  total?: number;
  /** Offers these page sizes; the pager hides only while the smallest holds every row. */
  sizes?: readonly number[];
  /** Called with page 1 when the page size changes. */
  onChange?: (page: number, pageSize: number) => void;
  /** Leaves out "Tổng số …" (a screen that says the count itself). */
  hideTotal?: boolean;
  /** Shows the pager even when one page holds every row. */
  keepOnSinglePage?: boolean;
}

export type DataTableProps<T> = Omit<TableProps<T>, 'components' | 'pagination' | 'locale' | 'bordered'> & {
  /** Read by screen readers as the table's caption. */
  caption: string;
  /** Shown in place of rows when there are none (antd's own words when left out). */
  empty?: ReactNode;
  /** The empty text as such, not in the padded `empty-text` block. */
  plainEmpty?: boolean;
  /** No pager when left out. */
  pager?: Pager;
  /** A load error, shown above the table. */
  error?: unknown;
};

/** A bordered list table with caption, empty text, load error and the common pager. */
export function DataTable<T extends object>({ caption, empty, plainEmpty, pager, error, size = 'middle', ...rest }: DataTableProps<T>) {
  const { t } = useI18n();
  const components = useTableCaption(caption);
  return (
    <>
      <ErrorAlert error={error} />
      <Table<T>
        {...rest}
        components={components}
        size={size}
        bordered
        locale={empty === undefined ? undefined : { emptyText: plainEmpty ? empty : <div className="empty-text">{empty}</div> }}
        pagination={pager ? pagination(pager, (n) => t('common.total', { count: n })) : false}
      />
    </>
  );
}

function pagination(p: Pager, totalText: (n: number) => string): TablePaginationConfig {
  const config: TablePaginationConfig = { pageSize: p.pageSize };
  if (p.page !== undefined) config.current = p.page;
  if (p.total !== undefined) config.total = p.total;
  if (p.sizes) {
    config.showSizeChanger = true;
    config.pageSizeOptions = [...p.sizes];
  }
  if (!p.keepOnSinglePage) config.hideOnSinglePage = p.sizes ? (p.total ?? 0) <= Math.min(...p.sizes) : true;
  if (!p.hideTotal) config.showTotal = totalText;
  const onChange = p.onChange;
  if (onChange) config.onChange = (page, size) => onChange(size !== p.pageSize ? 1 : page, size);
  return config;
}

/** Page and page size held in the screen's state (lists whose filters do not live in the URL). */
export function usePageState(initialSize: number) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialSize);
  const onChange = useCallback((p: number, ps: number) => {
    setPage(p);
    setPageSize(ps);
  }, []);
  const toFirstPage = useCallback(() => setPage(1), []);
  /** Wraps a filter's setter: a changed filter shows its first page. */
  const withFirstPage = useCallback(
    <V,>(set: (value: V) => void) =>
      (value: V) => {
        set(value);
        setPage(1);
      },
    [],
  );
  return { page, pageSize, onChange, toFirstPage, withFirstPage };
}
