import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useQueryParams } from '../../kit/useQueryParam';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Dropdown, Select, Tabs, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  DownOutlined,
  FileExcelOutlined,
  FilePdfOutlined,
  FileTextOutlined,
  FolderOpenOutlined,
  LockOutlined,
  StopOutlined,
  UnlockOutlined,
} from '@ant-design/icons';
import { civilDateInVietnam, type Level } from '@khomat/policy';
import { api } from '../../kit/api';
import { useCan } from '../../kit/auth';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { RegisterEntry, RegisterKind, RegisterPage as RegisterReply } from '../../kit/types';
import { DataTable, usePageState } from '../../kit/DataTable';
import { ColumnChooser, CompactSwitch, useColumnChoice, useStoredFlag } from '../../kit/columns';
import { ReasonField } from '../../kit/fields';
import { FilterField } from '../../kit/filters';
import { FormModal, PageTitle } from '../../kit/ui';
import { LevelFilter, LevelTag } from '../items/labels';

const REGISTER_KINDS: readonly RegisterKind[] = ['outgoing', 'incoming', 'transfer', 'copy'];

/**
 * The columns a clerk checks most, shown by default (issue 12 point 9): number, date, number and
 * symbol, summary, level, recipient and receipt signature — together they fit a 1366 px screen
 * without sideways scrolling. The others are a tick away in "Cột hiển thị".
 */
const DEFAULT_COLUMNS: Record<RegisterKind, readonly string[]> = {
  outgoing: ['number', 'ns', 'dd', 'sum', 'level', 'rcp'],
  incoming: ['number', 'ed', 'ns', 'sum', 'level', 'rcp', 'receipt'],
  transfer: ['number', 'ed', 'ns', 'level', 'qty', 'rcp', 'receipt'],
  copy: ['number', 'ed', 'orig', 'sum', 'level', 'rcp'],
};
const ACTIONS_WIDTH = 100;

type Dialog = { kind: 'cancel'; entry: RegisterEntry } | { kind: 'lock' | 'unlock' } | null;

export function RegistersPage() {
  const i = useI18n();
  const { t } = i;
  const can = useCan();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params, setParams] = useQueryParams();
  const thisYear = Number(civilDateInVietnam(new Date()).slice(0, 4));
  const requested = params.get('register') as RegisterKind | null;
  const register: RegisterKind = requested && REGISTER_KINDS.includes(requested) ? requested : 'outgoing';
  const yearParam = Number(params.get('year'));
  const year = Number.isInteger(yearParam) && yearParam >= 2000 && yearParam <= thisYear + 1 ? yearParam : thisYear;
  const [level, setLevel] = useState<Level | undefined>();
  const paging = usePageState(50);
  const { page, pageSize, toFirstPage, withFirstPage } = paging;
  const [dialog, setDialog] = useState<Dialog>(null);
  const navigate = useNavigate();
  const [compact, setCompact] = useStoredFlag('khomat.registers.compact');

  const q = useQuery({
    queryKey: ['registers', register, year, level, page, pageSize],
    queryFn: () => api.get<RegisterReply>(`/registers/${register}`, { year, level, page, pageSize }),
    placeholderData: (prev) => prev,
  });
  const data = q.data;
  const locked = data?.locked ?? false;
  const hasRows = (data?.items.length ?? 0) > 0;

  const go = (next: { register?: RegisterKind; year?: number }) => {
    setParams({ register: next.register ?? register, year: String(next.year ?? year) });
    toFirstPage();
  };
  const refresh = () => qc.invalidateQueries({ queryKey: ['registers'] });

  const summaryCell = (e: RegisterEntry) => {
    // A withheld summary and a summary never written are different facts, each with its own words.
    const why = e.summaryHidden
      ? t('registers.noSummaryRole')
      : e.level === 'TOP_SECRET'
        ? t('registers.noSummaryTopSecret')
        : t('registers.noSummaryAddressee');
    return (
      <div>
        {e.docType ? <div className="entry-doctype">{e.docType}</div> : null}
        {e.summary ? (
          <div>{e.summary}</div>
        ) : (
          <Tooltip title={why} trigger={['hover', 'focus']}>
            <span className="summary-blank" tabIndex={0} aria-label={why}>
              {e.summaryHidden ? t('registers.summaryHidden') : t('registers.summaryNone')}
            </span>
          </Tooltip>
        )}
      </div>
    );
  };
  const receiptCell = (e: RegisterEntry) =>
    e.receivedBy ? (
      <div className="small">
        <div>{t('registers.signedBy', { name: e.receivedBy })}</div>
        {/* An outside body's receipt: the day it signed, as the clerk entered it (the recording time on hover). */}
        <div className="muted" title={e.receivedOn ? formatDateTime(e.receivedAt) : undefined}>
          {e.receivedOn ? formatCivilDate(e.receivedOn) : formatDateTime(e.receivedAt)}
        </div>
      </div>
    ) : (
      <span className="muted small">{t('registers.notSigned')}</span>
    );
  const noteCell = (e: RegisterEntry) => (
    <div>
      {e.note ? <div>{e.note}</div> : null}
      {e.cancelledAt ? (
        <div className="cancel-note">{t('registers.cancelledNote', { date: formatDateTime(e.cancelledAt), reason: e.cancelReason ?? '' })}</div>
      ) : null}
    </div>
  );
  const itemCell = (e: RegisterEntry) => (
    <Link to={`/items/${e.itemId}`} className="entry-link">
      {e.numberSymbol ?? t('item.noNumber')}
    </Link>
  );
  const numberCell = (e: RegisterEntry) => (
    <div className="entry-number">
      <strong>{e.number}</strong>
      {/* The note column may be hidden: a cancelled row still says so, with its reason on focus. */}
      {e.cancelledAt ? (
        <Tooltip title={t('registers.cancelledNote', { date: formatDateTime(e.cancelledAt), reason: e.cancelReason ?? '' })} trigger={['hover', 'focus']}>
          <Tag className="tag-cancelled" tabIndex={0}>
            {t('registers.cancelledTag')}
          </Tag>
        </Tooltip>
      ) : null}
    </div>
  );
  const numberCol = {
    title: t('registers.number'),
    key: 'number',
    className: 'col-number',
    width: 72,
    fixed: 'left' as const,
    align: 'right' as const,
    render: (_v: unknown, e: RegisterEntry) => numberCell(e),
  };
  const levelCol = { title: t('catalog.level'), key: 'level', width: 95, render: (_v: unknown, e: RegisterEntry) => <LevelTag level={e.level} /> };
  const copiesCol = {
    title: t('registers.quantity'),
    key: 'qty',
    width: 110,
    render: (_v: unknown, e: RegisterEntry) => (
      <div>
        <div>{e.quantity}</div>
        {e.copyLabels ? <div className="muted small">{e.copyLabels}</div> : null}
      </div>
    ),
  };

  const columnsByRegister: Record<RegisterKind, ColumnsType<RegisterEntry>> = {
    outgoing: [
      numberCol,
      { title: t('item.numberSymbol'), key: 'ns', width: 115, render: (_v, e) => itemCell(e) },
      { title: t('item.documentDate'), key: 'dd', width: 105, render: (_v, e) => formatCivilDate(e.documentDate) },
      { title: t('registers.docTypeSummary'), key: 'sum', width: 260, render: (_v, e) => summaryCell(e) },
      levelCol,
      { title: t('item.signer'), dataIndex: 'signer', key: 'signer', width: 130 },
      {
        title: t('registers.recipientReceipt'),
        key: 'rcp',
        width: 200,
        render: (_v, e) => (
          <div>
            <div className="entry-recipient">{e.recipient}</div>
            {receiptCell(e)}
          </div>
        ),
      },
      copiesCol,
      { title: t('registers.note'), key: 'note', className: 'col-note', width: 160, render: (_v, e) => noteCell(e) },
    ],
    incoming: [
      numberCol,
      { title: t('registers.arrivalDate'), key: 'ed', width: 100, render: (_v, e) => formatCivilDate(e.entryDate) },
      { title: t('item.issuer'), dataIndex: 'issuer', key: 'issuer', width: 150 },
      { title: t('item.numberSymbol'), key: 'ns', width: 115, render: (_v, e) => itemCell(e) },
      { title: t('item.documentDate'), key: 'dd', width: 105, render: (_v, e) => formatCivilDate(e.documentDate) },
      { title: t('registers.docTypeSummary'), key: 'sum', width: 220, render: (_v, e) => summaryCell(e) },
      levelCol,
      { title: t('registers.receiver'), key: 'rcp', width: 140, render: (_v, e) => e.recipient },
      copiesCol,
      { title: t('registers.receipt'), key: 'receipt', width: 130, render: (_v, e) => receiptCell(e) },
      { title: t('registers.note'), key: 'note', className: 'col-note', width: 150, render: (_v, e) => noteCell(e) },
    ],
    transfer: [
      numberCol,
      { title: t('registers.transferDate'), key: 'ed', width: 110, render: (_v, e) => formatCivilDate(e.entryDate) },
      { title: t('registers.itemReference'), key: 'ns', width: 150, render: (_v, e) => itemCell(e) },
      levelCol,
      copiesCol,
      { title: t('registers.receiver'), key: 'rcp', width: 180, render: (_v, e) => e.recipient },
      { title: t('registers.receipt'), key: 'receipt', width: 150, render: (_v, e) => receiptCell(e) },
      { title: t('registers.note'), key: 'note', className: 'col-note', width: 200, render: (_v, e) => noteCell(e) },
    ],
    copy: [
      numberCol,
      { title: t('registers.copyDate'), key: 'ed', width: 110, render: (_v, e) => formatCivilDate(e.entryDate) },
      {
        title: t('registers.original'),
        key: 'orig',
        width: 180,
        render: (_v, e) => (
          <div>
            {itemCell(e)}
            <div className="muted small">{[formatCivilDate(e.documentDate), e.issuer].filter(Boolean).join(' · ')}</div>
          </div>
        ),
      },
      { title: t('registers.docTypeSummary'), key: 'sum', width: 240, render: (_v, e) => summaryCell(e) },
      levelCol,
      copiesCol,
      { title: t('registers.copyRecipient'), key: 'rcp', width: 170, render: (_v, e) => e.recipient },
      { title: t('registers.note'), key: 'note', className: 'col-note', width: 200, render: (_v, e) => noteCell(e) },
    ],
  };
  const allColumns = columnsByRegister[register];
  const choice = useColumnChoice(
    `khomat.registers.columns.${register}`,
    allColumns.map((c) => String(c.key)),
    DEFAULT_COLUMNS[register],
  );
  const columns = allColumns.filter((c) => c.key === 'number' || choice.shown.includes(String(c.key)));
  const actionsMenu = (e: RegisterEntry) => ({
    items: [
      { key: 'open', icon: <FolderOpenOutlined aria-hidden="true" />, label: t('registers.openItem') },
      ...(e.cancelledAt
        ? []
        : [{ key: 'cancel', icon: <StopOutlined aria-hidden="true" />, danger: true, disabled: locked, label: t('registers.cancelEntry') }]),
    ],
    onClick: ({ key }: { key: string }) => (key === 'cancel' ? setDialog({ kind: 'cancel', entry: e }) : navigate(`/items/${e.itemId}`)),
  });
  if (can('register.manage')) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      className: 'col-actions',
      fixed: 'right',
      width: ACTIONS_WIDTH,
      render: (_v, e) => (
        <Dropdown menu={actionsMenu(e)} trigger={['click']}>
          <Button size="small" aria-label={t('registers.actionsFor', { number: e.number })}>
            {t('registers.actions')} <DownOutlined aria-hidden="true" />
          </Button>
        </Dropdown>
      ),
    });
  }
  const tableWidth = columns.reduce((sum, c) => sum + (typeof c.width === 'number' ? c.width : 0), 0);

  const years = Array.from({ length: thisYear - 2019 }, (_, k) => thisYear - k);
  const exportQuery = `?year=${year}`;
  const empty = register === 'copy' ? t('registers.emptyCopy') : t(`registers.empty.${register}`, { year });

  return (
    <>
      <PageTitle
        title={t('registers.title')}
        intro={t('registers.intro')}
        extra={
          can('register.export') ? (
            <>
              <Button icon={<FilePdfOutlined aria-hidden="true" />} href={`/api/registers/${register}/print.pdf${exportQuery}`} download>
                {t('registers.print')}
              </Button>
              <Button icon={<FileExcelOutlined aria-hidden="true" />} href={`/api/registers/${register}/export.xlsx${exportQuery}`} download>
                {t('registers.exportXlsx')}
              </Button>
              <Button icon={<FileTextOutlined aria-hidden="true" />} href={`/api/registers/${register}/export.csv${exportQuery}`} download>
                {t('registers.exportCsv')}
              </Button>
            </>
          ) : null
        }
      />
      <Card className="tabs-card">
        <Tabs
          activeKey={register}
          onChange={(k) => go({ register: k as RegisterKind })}
          items={REGISTER_KINDS.map((r) => ({ key: r, label: t(`registers.${r}`) }))}
        />
        <div className="filter-bar register-filters" role="search">
          <FilterField htmlFor="register-year" label={t('registers.year')}>
            <Select
              id="register-year"
              className="filter-year"
              value={year}
              options={years.map((y) => ({ value: y, label: String(y) }))}
              onChange={(y: number) => go({ year: y })}
            />
          </FilterField>
          <LevelFilter id="register-level" value={level} onChange={withFirstPage(setLevel)} />
          <div className="filter-field register-view">
            <ColumnChooser
              id="register-columns"
              columns={allColumns.map((c) => ({ key: String(c.key), label: String(c.title), required: c.key === 'number' }))}
              choice={choice}
            />
            <CompactSwitch id="register-compact" checked={compact} onChange={setCompact} />
          </div>
          <div className="filter-field register-lock">
            <span className="lock-state">
              {locked ? (
                <Tag className="tag-locked" icon={<LockOutlined aria-hidden="true" />}>
                  {t('registers.locked', { year })}
                </Tag>
              ) : (
                <Tag className="tag-active">{t('registers.open', { year })}</Tag>
              )}
            </span>
            {can('register.lock') && data ? (
              locked ? (
                <Button icon={<UnlockOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'unlock' })}>
                  {t('registers.unlock')}
                </Button>
              ) : (
                <Button icon={<LockOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'lock' })}>
                  {t('registers.lock')}
                </Button>
              )
            ) : null}
          </div>
        </div>
        <DataTable<RegisterEntry>
          className={`register-table register-${register}${compact ? ' table-compact' : ''}`}
          caption={t('registers.caption', { register: t(`registers.${register}`), year })}
          error={q.error}
          rowKey="id"
          size="small"
          loading={q.isFetching}
          columns={columns}
          dataSource={data?.items ?? []}
          rowClassName={(e) => (e.cancelledAt ? 'row-cancelled' : '')}
          // Sideways scrolling only with rows (their links make the scrolled region reachable by keyboard).
          scroll={hasRows ? { x: tableWidth } : undefined}
          tableLayout={hasRows ? 'fixed' : 'auto'}
          empty={empty}
          pager={{ ...paging, total: data?.total ?? 0, sizes: [20, 50, 100, 200], keepOnSinglePage: true }}
        />
      </Card>

      <FormModal<{ reason: string }>
        open={dialog?.kind === 'cancel'}
        title={dialog?.kind === 'cancel' ? t('registers.cancelTitle', { number: dialog.entry.number, year: dialog.entry.year }) : ''}
        submitText={t('registers.cancelEntry')}
        danger
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'cancel') return;
          await api.post(`/registers/entries/${dialog.entry.id}/cancel`, { reason: v.reason.trim() });
          await refresh();
          void message.success(t('registers.cancelled'));
        }}
      >
        <p>{t('registers.cancelHint')}</p>
        <ReasonField autoFocus />
      </FormModal>

      <FormModal<{ reason: string }>
        open={dialog?.kind === 'lock' || dialog?.kind === 'unlock'}
        title={
          dialog?.kind === 'unlock'
            ? t('registers.unlockTitle', { register: t(`registers.${register}`), year })
            : t('registers.lockTitle', { register: t(`registers.${register}`), year })
        }
        submitText={dialog?.kind === 'unlock' ? t('registers.unlock') : t('registers.lock')}
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          const action = dialog?.kind === 'unlock' ? 'unlock' : 'lock';
          await api.post(`/registers/${register}/${year}/${action}`, { reason: v.reason.trim() });
          await refresh();
          void message.success(action === 'lock' ? t('registers.lockedDone') : t('registers.unlockedDone'));
        }}
      >
        <p>{dialog?.kind === 'unlock' ? t('registers.unlockHint') : t('registers.lockHint')}</p>
        <ReasonField autoFocus />
      </FormModal>
    </>
  );
}
