import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useQueryParams } from '../../kit/useQueryParam';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Input, Tabs } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FolderOpenOutlined, SignatureOutlined } from '@ant-design/icons';
import type { Level } from '@khomat/policy';
import { api } from '../../kit/api';
import { useCan, useMe } from '../../kit/auth';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import { useI18n, type MessageKey } from '../../kit/i18n';
import type { ItemListRow, ItemState, MyCopies } from '../../kit/types';
import { useUnits } from '../../kit/queries';
import { DataTable } from '../../kit/DataTable';
import { FilterField } from '../../kit/filters';
import { ErrorAlert, PageTitle } from '../../kit/ui';
import { itemIdFrom } from './draft';
import { CopyStatusTag, ItemStateTag, LevelTag, useRegistryLabels } from './labels';
import { ReceiptScanDialog } from './ReceiptScan';
import { listUnavailable, MY_COPIES_KEY, useItemList, useMyCopies } from './useItemLists';

type HeldCopy = MyCopies['copies'][number];
type Pending = MyCopies['pending'][number];

/**
 * An item in a list: its number and symbol (or its type while it has none), then — in the work
 * lists — its summary as the server shows it for this viewer (a short title, two lines at most).
 */
interface ItemLinkProps {
  id: string;
  numberSymbol: string | null;
  docType: string;
  summary?: string | null;
  /** Why no summary is shown, when that needs saying. */
  summaryNote?: MessageKey | null;
}

function ItemLink({ id, numberSymbol, docType, summary, summaryNote }: ItemLinkProps) {
  const { t } = useI18n();
  return (
    <Link to={`/items/${id}`} className="item-link">
      <span className="item-link-main">{numberSymbol ?? docType}</span>
      {summary ? (
        <span className="item-link-summary" title={summary}>
          {summary}
        </span>
      ) : null}
      <span className="item-link-sub">
        {numberSymbol ? docType : t('item.noNumber')}
        {summaryNote ? ` · ${t(summaryNote)}` : ''}
      </span>
    </Link>
  );
}

function OpenById() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="filter-bar open-by-id" role="search">
      <FilterField htmlFor="open-item-id" label={t('work.openById')} className="filter-grow">
        <Input.Search
          id="open-item-id"
          value={text}
          placeholder={t('work.openByIdPh')}
          enterButton={
            <span>
              <FolderOpenOutlined aria-hidden="true" /> {t('work.open')}
            </span>
          }
          status={error ? 'error' : undefined}
          aria-describedby="open-item-id-help"
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          onSearch={(v) => {
            const id = itemIdFrom(v);
            if (!id) setError(t('work.openByIdInvalid'));
            else navigate(`/items/${id}`);
          }}
        />
        <div id="open-item-id-help" className={error ? 'field-error' : 'field-help'} role={error ? 'alert' : undefined}>
          {error ?? t('work.openByIdHelp')}
        </div>
      </FilterField>
    </div>
  );
}

function MineTab() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const { message } = App.useApp();
  const labels = useRegistryLabels();
  const mine = useMyCopies();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  /** The receipt just signed: the scan of the signed page is offered right away (optional). */
  const [scanFor, setScanFor] = useState<{ eventId: string; subject: string } | null>(null);
  const units = useUnits();
  const agency = units.data?.find((u) => u.parentId === null)?.name;

  const sign = async (p: Pending) => {
    setBusy(p.eventId);
    setError(null);
    try {
      await api.post(`/custody/${p.eventId}/confirm`);
      await qc.invalidateQueries({ queryKey: MY_COPIES_KEY });
      void qc.invalidateQueries({ queryKey: ['items'] });
      void message.success(t('custody.signed'));
      setScanFor({ eventId: p.eventId, subject: p.numberSymbol ?? labels.event(p.kind) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const pendingColumns: ColumnsType<Pending> = [
    { title: t('work.item'), key: 'item', render: (_v, p) => <ItemLink id={p.itemId} numberSymbol={p.numberSymbol} docType={labels.event(p.kind)} /> },
    { title: t('catalog.level'), key: 'level', width: 110, render: (_v, p) => <LevelTag level={p.level} /> },
    { title: t('history.from'), dataIndex: 'from', key: 'from' },
    { title: t('history.time'), key: 'time', width: 170, render: (_v, p) => <span className="nowrap">{formatDateTime(p.occurredAt)}</span> },
    {
      title: t('common.actions'),
      key: 'sign',
      width: 150,
      render: (_v, p) => (
        <Button
          type="primary"
          size="small"
          icon={<SignatureOutlined aria-hidden="true" />}
          loading={busy === p.eventId}
          onClick={() => void sign(p)}
          aria-label={t('custody.signFor', { item: p.numberSymbol ?? '' })}
        >
          {t('custody.sign')}
        </Button>
      ),
    },
  ];
  const heldColumns: ColumnsType<HeldCopy> = [
    { title: t('copy.label'), dataIndex: 'label', key: 'label', width: 130, render: (v: string) => <strong>{v}</strong> },
    { title: t('work.item'), key: 'item', render: (_v, c) => <ItemLink id={c.itemId} numberSymbol={c.numberSymbol} docType={c.docType} /> },
    { title: t('catalog.level'), key: 'level', width: 110, render: (_v, c) => <LevelTag level={c.level as Level | null} /> },
    { title: t('item.documentDate'), key: 'date', width: 130, render: (_v, c) => formatCivilDate(c.documentDate) },
    { title: t('item.issuer'), key: 'issuer', render: (_v, c) => c.issuer ?? agency ?? t('work.ownAgency') },
    {
      title: t('copy.status'),
      key: 'status',
      width: 170,
      render: (_v, c) => <CopyStatusTag status={c.status} />,
    },
  ];

  return (
    <>
      <ErrorAlert error={mine.error ?? error} />
      <section aria-labelledby="pending-h" className="work-section">
        <h2 id="pending-h" className="section-h2">
          {t('work.pending')} {mine.data && mine.data.pending.length > 0 ? <Badge count={mine.data.pending.length} className="count-badge" /> : null}
        </h2>
        <p className="muted">{t('work.pendingHint')}</p>
        <DataTable<Pending>
          className="pending-table"
          caption={t('work.pendingCaption')}
          rowKey="eventId"
          loading={mine.isPending}
          columns={pendingColumns}
          dataSource={mine.data?.pending ?? []}
          empty={t('work.pendingEmpty')}
        />
      </section>
      <section aria-labelledby="held-h" className="work-section">
        <h2 id="held-h" className="section-h2">
          {t('work.held')}
        </h2>
        <DataTable<HeldCopy>
          className="held-table"
          caption={t('work.heldCaption')}
          rowKey="id"
          loading={mine.isPending}
          columns={heldColumns}
          dataSource={(mine.data?.copies ?? []).filter((c) => !c.incoming)}
          pager={{ pageSize: 20 }}
          empty={t('work.heldEmpty')}
        />
      </section>
      <ReceiptScanDialog
        open={scanFor !== null}
        eventId={scanFor?.eventId ?? null}
        subject={scanFor?.subject}
        onClose={() => setScanFor(null)}
        onUploaded={(f) => {
          void qc.invalidateQueries({ queryKey: ['items'] });
          void message.success(t('receiptScan.uploaded', { name: f.fileName }));
        }}
      />
    </>
  );
}

/** Why a work-list row shows no summary: withheld from this viewer, or Tuyệt mật (read on the item page only). */
function summaryNote(it: ItemListRow): MessageKey | null {
  if (it.summaryHidden) return 'work.summaryHidden';
  return !it.summary && (it.level ?? it.proposedLevel) === 'TOP_SECRET' ? 'work.summaryOnItemPage' : null;
}

function ListTab({ state, mine, empty, caption }: { state: ItemState; mine?: boolean; empty: MessageKey; caption: string }) {
  const i = useI18n();
  const { t } = i;
  const labels = useRegistryLabels();
  const [page, setPage] = useState(1);
  const list = useItemList(state, { mine, page, pageSize: 20 });
  if (listUnavailable(list.error)) return <Alert type="info" showIcon title={t('work.listUnavailable')} />;
  const columns: ColumnsType<ItemListRow> = [
    {
      title: t('work.item'),
      key: 'item',
      render: (_v, it) => <ItemLink id={it.id} numberSymbol={it.numberSymbol} docType={it.docType} summary={it.summary} summaryNote={summaryNote(it)} />,
    },
    { title: t('item.kind'), key: 'kind', width: 170, render: (_v, it) => labels.kind(it.kind) },
    { title: t('catalog.level'), key: 'level', width: 110, render: (_v, it) => <LevelTag level={it.level ?? it.proposedLevel} /> },
    { title: t('copy.status'), key: 'state', width: 150, render: (_v, it) => <ItemStateTag state={it.state} /> },
    { title: state === 'received' ? t('item.issuer') : t('item.field'), key: 'field', render: (_v, it) => (state === 'received' ? it.issuer : it.field) },
    {
      title: state === 'received' ? t('item.registeredAt') : t('item.createdAt'),
      key: 'created',
      width: 170,
      render: (_v, it) => <span className="nowrap">{formatDateTime(it.createdAt)}</span>,
    },
  ];
  return (
    <>
      <DataTable<ItemListRow>
        className={`items-table items-${state}`}
        caption={caption}
        error={list.error}
        rowKey="id"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        empty={t(empty)}
        pager={{ page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }}
      />
    </>
  );
}

export function WorkPage() {
  const { t } = useI18n();
  const can = useCan();
  const me = useMe();
  const [params, setParams] = useQueryParams();
  const seesAll = can('item.metadata.read');
  const tabs = [
    ...(can('custody.mine') ? [{ key: 'mine', label: t('work.tabMine'), children: <MineTab /> }] : []),
    ...(can('item.draft')
      ? [
          { key: 'draft', label: t('work.tabDrafts'), children: <ListTab state="draft" mine empty="work.emptyDrafts" caption={t('work.tabDrafts')} /> },
          { key: 'returned', label: t('work.tabReturned'), children: <ListTab state="returned" empty="work.emptyReturned" caption={t('work.tabReturned')} /> },
        ]
      : []),
    {
      key: 'proposed',
      label: t('work.tabProposed'),
      children: (
        <ListTab state="proposed" empty={me.roles.includes('head') ? 'work.emptyProposedHead' : 'work.emptyProposed'} caption={t('work.tabProposed')} />
      ),
    },
    {
      key: 'classified',
      label: t('work.tabClassified'),
      children: (
        <ListTab state="classified" empty={can('item.issue') ? 'work.emptyClassifiedClerk' : 'work.emptyClassified'} caption={t('work.tabClassified')} />
      ),
    },
    { key: 'issued', label: t('work.tabIssued'), children: <ListTab state="issued" empty="work.emptyIssued" caption={t('work.tabIssued')} /> },
    ...(seesAll
      ? [{ key: 'received', label: t('work.tabReceived'), children: <ListTab state="received" empty="work.emptyReceived" caption={t('work.tabReceived')} /> }]
      : []),
  ];
  const requested = params.get('tab');
  const active = tabs.some((x) => x.key === requested) ? requested! : tabs[0]!.key;
  return (
    <>
      <PageTitle title={t('work.title')} intro={seesAll ? t('work.introAll') : t('work.introOwn')} />
      <OpenById />
      <Card className="tabs-card">
        <Tabs activeKey={active} onChange={(k) => setParams({ tab: k })} items={tabs} destroyOnHidden />
      </Card>
    </>
  );
}
