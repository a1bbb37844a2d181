import { useMemo, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, Result, Row, Space, Steps, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { ColumnsType } from 'antd/es/table';
import {
  CheckOutlined,
  EditOutlined,
  FileSearchOutlined,
  FormOutlined,
  LockOutlined,
  PrinterOutlined,
  RollbackOutlined,
  SendOutlined,
  SignatureOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { api, ApiError } from '../../kit/api';
import { useCan, useMe } from '../../kit/auth';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { Copy, HistoryEvent, Item, ItemDetail } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { ErrorAlert, FormModal, PageTitle } from '../../kit/ui';
import { useCatalogSearch } from '../catalog/useCatalog';
import { AssignmentsCard } from './AssignmentsCard';
import { AttachmentsCard } from './AttachmentsCard';
import { CopyLinksCard } from '../copying/CopyLinksCard';
import { ContentCard } from './ContentCard';
import { useDirectory } from './directory';
import { readFlash } from './flash';
import { HandOverDialog } from './HandOverDialog';
import { IssueDialog } from './IssueDialog';
import { ItemTimeline } from './ItemTimeline';
import { receiptScanOffer } from './files';
import { ReceiptScanButton, ReceiptScanDialog, ReceiptScanLink } from './ReceiptScan';
import { CopyStatusTag, ItemStateTag, LevelTag, useRegistryLabels } from './labels';
import { RuleErrorAlert } from './RuleErrorAlert';
import { civilDateInVietnam, clearanceCovers } from '@khomat/policy';
import { enterTakesTypedDate, requiredDateRule } from '../../kit/validation';
import { SummaryCompletionCard } from './SummaryCompletionCard';
import { RequestMenu } from '../requests/RequestMenu';

export const itemKey = (id: string) => ['items', 'one', id] as const;

type Dialog =
  | { kind: 'return' }
  | { kind: 'issue' }
  | { kind: 'handOver'; copies: Copy[] }
  | { kind: 'outsideReceipt'; event: HistoryEvent }
  | { kind: 'receiptScan'; eventId: string; subject?: string }
  | null;

const SIGNABLE = new Set(['hand_over', 'issue_internal', 'receive_pass']);

function WorkflowSteps({ item }: { item: Item }) {
  const { t } = useI18n();
  if (item.origin === 'incoming') return null;
  const at: Record<string, number> = { draft: 0, returned: 0, proposed: 1, classified: 2, issued: 3 };
  const current = at[item.state] ?? 0;
  return (
    <Steps
      className="workflow"
      size="small"
      current={current}
      status={item.state === 'returned' ? 'error' : item.state === 'issued' ? 'finish' : 'process'}
      items={[{ title: t('workflow.draft') }, { title: t('workflow.proposed') }, { title: t('workflow.classified') }, { title: t('workflow.issued') }]}
    />
  );
}

export function ItemPage() {
  const { id = '' } = useParams();
  const i = useI18n();
  const { t } = i;
  const me = useMe();
  const can = useCan();
  const labels = useRegistryLabels();
  const qc = useQueryClient();
  const location = useLocation();
  const navigate = useNavigate();
  const { message, modal } = App.useApp();
  const dir = useDirectory();
  const flash = useMemo(() => readFlash(location.state), [location.state]);
  const [actionError, setActionError] = useState<unknown>(flash?.error ?? null);
  const [busy, setBusy] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [selected, setSelected] = useState<string[]>([]);
  // Today in Việt Nam: the latest day an outside body can have signed (the server checks it too).
  const today = civilDateInVietnam(new Date());

  const q = useQuery({ queryKey: itemKey(id), queryFn: () => api.get<ItemDetail>(`/items/${encodeURIComponent(id)}`) });
  const data = q.data;
  const item = data?.item;
  const basisSearch = useCatalogSearch({ field: item?.field ?? undefined, page: 1, pageSize: 200 }, !!item?.catalogItemId && can('catalog.read'));
  const basis = basisSearch.data?.items.find((c) => c.id === item?.catalogItemId);

  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['items'] });
    void qc.invalidateQueries({ queryKey: ['my-copies'] });
    void qc.invalidateQueries({ queryKey: ['registers'] });
  };

  /** Runs an action; true when it succeeded. */
  const run = async (key: string, fn: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(key);
    setActionError(null);
    try {
      await fn();
      await refresh();
      void message.success(done);
      return true;
    } catch (e) {
      setActionError(e);
      return false;
    } finally {
      setBusy(null);
    }
  };

  if (q.isPending) return <PageTitle title={t('app.loading')} />;
  if (q.isError || !data || !item) {
    const err = q.error;
    const forbidden = err instanceof ApiError && err.status === 403;
    const missing = err instanceof ApiError && (err.status === 404 || err.status === 400);
    return (
      <>
        <PageTitle title={forbidden ? t('item.forbiddenTitle') : missing ? t('item.notFoundTitle') : t('error.title')} />
        {forbidden || missing ? (
          <Result
            className="plain-result"
            icon={forbidden ? <LockOutlined aria-hidden="true" /> : <FileSearchOutlined aria-hidden="true" />}
            subTitle={forbidden ? t('item.forbidden') : t('item.notFound')}
            extra={
              <Button type="primary" onClick={() => navigate('/items')}>
                {t('item.backToList')}
              </Button>
            }
          />
        ) : (
          <ErrorAlert error={err} />
        )}
      </>
    );
  }

  const level = item.level ?? item.proposedLevel;
  const isDrafter = item.drafterId === me.id;
  // The server answers who may decide: the head of the agency, or a deputy delegated for the field.
  const canDecide = data.canDecide === true;
  // A deputy reads a proposal only to decide it: once it is decided the page is no longer theirs,
  // so they go back to the proposals still waiting (the agency head and other metadata readers stay).
  const afterDecision = () => {
    if (!can('item.metadata.read')) navigate('/items?tab=proposed');
  };
  const actsForUnit = me.roles.includes('clerk') || me.roles.includes('head');
  const title = item.numberSymbol ? t('item.titleNumbered', { docType: item.docType, numberSymbol: item.numberSymbol }) : item.docType;

  // Names come with the item (holderName, pendingName, drafter, approver); the directory is a fallback.
  const holderText = (c: Copy): string => {
    if (c.holderName) return c.holderName;
    if (c.holderKind === 'outside') return c.holderOutside ?? '';
    if (c.holderKind === 'unit') return dir.unitName(c.holderUnitId) ?? t('item.unknownUnit');
    return dir.userName(c.holderUserId) ?? t('item.unknownPerson');
  };
  const pendingText = (c: Copy): string | null => {
    if (!c.pendingOutside && !c.pendingUnitId && !c.pendingUserId) return null;
    if (c.pendingName) return c.pendingName;
    if (c.pendingOutside) return c.pendingOutside;
    if (c.pendingUnitId) return dir.unitName(c.pendingUnitId) ?? t('item.unknownUnit');
    return dir.userName(c.pendingUserId) ?? t('item.unknownPerson');
  };
  const drafterName = data.drafter?.name ?? dir.userName(item.drafterId);
  const approverName = data.approver?.name ?? dir.userName(item.approverId);
  const namedAddresseeName = (() => {
    if (!item.namedAddresseeId) return undefined;
    const r = data.recipients.find((x) => x.addresseeOnly && (x.userId ? x.userId === item.namedAddresseeId : true));
    if (r) return r.name;
    for (const c of data.copies) {
      if (c.holderUserId === item.namedAddresseeId && c.holderName) return c.holderName;
      if (c.pendingUserId === item.namedAddresseeId && c.pendingName) return c.pendingName;
    }
    return dir.userName(item.namedAddresseeId);
  })();
  const editable = isDrafter && (item.state === 'draft' || item.state === 'returned');
  // Every name the page knows, so that the timeline never shows an id.
  const names = new Map<string, string>();
  for (const u of dir.units) names.set(u.id, u.name);
  for (const c of data.copies) {
    const holderId = c.holderUserId ?? c.holderUnitId;
    if (holderId && c.holderName) names.set(holderId, c.holderName);
    const pendingId = c.pendingUserId ?? c.pendingUnitId;
    if (pendingId && c.pendingName) names.set(pendingId, c.pendingName);
  }
  for (const a of data.assignments ?? []) {
    names.set(a.userId, a.name);
    names.set(a.assignedBy.id, a.assignedBy.name);
  }
  if (data.drafter) names.set(data.drafter.id, data.drafter.name);
  if (data.approver) names.set(data.approver.id, data.approver.name);
  if (item.namedAddresseeId && namedAddresseeName) names.set(item.namedAddresseeId, namedAddresseeName);
  names.set(me.id, me.fullName);
  const assignments = data.assignments ?? [];
  const canAssign = can('item.assign') && !!item.level && (item.state === 'issued' || item.state === 'received');
  const showAssignments = !!item.level && (item.state === 'issued' || item.state === 'received') && (canAssign || assignments.length > 0);
  const mayHandOver = (c: Copy) =>
    can('custody.hand_over') &&
    c.status === 'held' &&
    ((c.holderKind === 'user' && c.holderUserId === me.id) || (c.holderKind === 'unit' && c.holderUnitId === me.unitId && actsForUnit));
  const handOverable = data.copies.filter(mayHandOver);
  const forMe = (e: HistoryEvent) => SIGNABLE.has(e.kind) && !e.confirmedAt && (e.to === me.fullName || (e.to === me.unitName && actsForUnit));

  const showCustody = data.copies.length > 0 || data.history.length > 0 || item.state === 'issued' || item.state === 'received';

  const actions: React.ReactNode[] = [];
  if (editable) {
    actions.push(
      <Button
        key="edit"
        type={item.state === 'returned' ? 'primary' : 'default'}
        icon={<FormOutlined aria-hidden="true" />}
        onClick={() => navigate(`/items/${item.id}/edit`)}
      >
        {t('item.edit')}
      </Button>,
    );
  }
  if (item.state === 'draft' && isDrafter) {
    actions.push(
      <Button
        key="propose"
        type="primary"
        icon={<SendOutlined aria-hidden="true" />}
        loading={busy === 'propose'}
        onClick={() => void run('propose', () => api.post(`/items/${item.id}/propose`), t('draft.proposed'))}
      >
        {t('item.propose')}
      </Button>,
    );
  }
  if (item.state === 'returned' && isDrafter) {
    actions.push(
      <Button
        key="revise"
        icon={<EditOutlined aria-hidden="true" />}
        loading={busy === 'revise'}
        onClick={() => void run('revise', () => api.post(`/items/${item.id}/revise`), t('item.revised'))}
      >
        {t('item.revise')}
      </Button>,
    );
  }
  if (item.state === 'proposed' && canDecide) {
    actions.push(
      <Button
        key="approve"
        type="primary"
        icon={<CheckOutlined aria-hidden="true" />}
        loading={busy === 'approve'}
        onClick={() =>
          modal.confirm({
            title: t('item.approveTitle'),
            content: t('item.approveConfirm', { level: level ? i.clearanceLabel(level) : '' }),
            okText: t('item.approve'),
            cancelText: t('common.cancel'),
            onOk: () =>
              run(
                'approve',
                async () => {
                  await api.post(`/items/${item.id}/approve`);
                  afterDecision();
                },
                t('item.approved'),
              ),
          })
        }
      >
        {t('item.approve')}
      </Button>,
      <Button key="return" danger icon={<RollbackOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'return' })}>
        {t('item.return')}
      </Button>,
    );
  }
  if (item.state === 'issued' && can('item.issue')) {
    actions.push(
      <Button key="envelopes" icon={<PrinterOutlined aria-hidden="true" />} href={`/api/items/${item.id}/envelopes.pdf`} download>
        {t('issue.printEnvelopes')}
      </Button>,
      // A recipient's copies share one envelope; this prints one envelope per copy instead.
      <Button key="envelopesPerCopy" icon={<PrinterOutlined aria-hidden="true" />} href={`/api/items/${item.id}/envelopes.pdf?perCopy=1`} download>
        {t('issue.printEnvelopesPerCopy')}
      </Button>,
    );
  }
  if (item.state === 'classified' && can('item.issue')) {
    actions.push(
      <Button key="issue" type="primary" icon={<SendOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'issue' })}>
        {t('item.issue')}
      </Button>,
    );
  }

  if (item.level && can('request.create')) actions.push(<RequestMenu key="request" item={item} />);

  const waitingNote = (() => {
    if (item.state === 'proposed') return canDecide ? t('item.decideHint') : t('item.waitingDecision');
    if (item.state === 'classified') return can('item.issue') ? t('item.issueHint') : t('item.waitingIssue');
    if (item.state === 'issued' && can('item.issue')) return t('item.envelopesHint');
    if (item.state === 'draft' && !isDrafter) return t('item.draftOfOther');
    return null;
  })();

  const details = [
    { key: 'kind', label: t('item.kind'), children: labels.kind(item.kind) },
    { key: 'docType', label: t('item.docType'), children: item.docType },
    {
      key: 'level',
      label: item.level ? t('item.level') : t('item.proposedLevel'),
      children: level ? (
        <span>
          <LevelTag level={level} />
          {!item.level ? <span className="muted level-note">{t('item.levelNotDecided')}</span> : null}
        </span>
      ) : (
        t('common.none')
      ),
    },
    ...(item.numberSymbol ? [{ key: 'ns', label: t('item.numberSymbol'), children: <strong>{item.numberSymbol}</strong> }] : []),
    ...(item.documentDate ? [{ key: 'dd', label: t('item.documentDate'), children: formatCivilDate(item.documentDate) }] : []),
    ...(item.issuer ? [{ key: 'issuer', label: t('item.issuer'), children: item.issuer }] : []),
    ...(item.signerName ? [{ key: 'signer', label: t('item.signer'), children: item.signerName }] : []),
    ...(item.field ? [{ key: 'field', label: t('item.field'), children: item.field }] : []),
    ...(item.catalogItemId
      ? [
          {
            key: 'basis',
            label: t('draft.basis'),
            children: basis ? (
              <span>
                <strong>{basis.reference}</strong>
                <br />
                {basis.description}
              </span>
            ) : (
              <span className="muted">{basisSearch.isPending && basisSearch.fetchStatus !== 'idle' ? t('app.loading') : t('item.basisUnknown')}</span>
            ),
          },
        ]
      : []),
    ...(item.classifiedOn ? [{ key: 'co', label: t('item.classifiedOn'), children: formatCivilDate(item.classifiedOn) }] : []),
    ...(item.classifiedOn || item.protectionEnd
      ? [
          {
            key: 'pe',
            label: t('item.protectionEnd'),
            children: (
              <span>
                {item.protectionEnd ? formatCivilDate(item.protectionEnd) : t('item.whileInUse')}
                {data?.periodReason ? (
                  <span className="muted small period-reason">
                    <br />
                    {data.periodReason}
                  </span>
                ) : null}
              </span>
            ),
          },
        ]
      : []),
    { key: 'copies', label: item.origin === 'incoming' ? t('incoming.copies') : t('item.copyCount'), children: item.copiesPlanned },
    ...(item.origin === 'internal' ? [{ key: 'ca', label: t('item.copyAllowed'), children: item.copyAllowed ? t('draft.copyYes') : t('draft.copyNo') }] : []),
    { key: 'recall', label: t('item.recall'), children: item.recallRequired ? t('common.yes') : t('common.no') },
    ...(item.addresseeOnly
      ? [{ key: 'ao', label: t('item.addresseeOnly'), children: <Tag className="tag-addressee">{namedAddresseeName ?? t('common.yes')}</Tag> }]
      : []),
    {
      key: 'unit',
      label: item.origin === 'incoming' ? t('item.receivingUnit') : t('item.draftingUnit'),
      children: dir.unitName(item.unitId) ?? t('item.unknownUnit'),
    },
    ...(drafterName ? [{ key: 'drafter', label: t('item.drafter'), children: drafterName }] : []),
    ...(approverName ? [{ key: 'approver', label: item.state === 'returned' ? t('item.returnedBy') : t('item.approver'), children: approverName }] : []),
    { key: 'created', label: item.origin === 'incoming' ? t('item.registeredAt') : t('item.createdAt'), children: formatDateTime(item.createdAt) },
  ];

  const copyColumns: ColumnsType<Copy> = [
    { title: t('copy.label'), dataIndex: 'label', key: 'label', width: 130, render: (v: string) => <strong>{v}</strong> },
    { title: t('copy.status'), key: 'status', width: 140, render: (_v, c) => <CopyStatusTag status={c.status} /> },
    { title: t('copy.holder'), key: 'holder', render: (_v, c) => holderText(c) },
    {
      title: t('copy.pendingTo'),
      key: 'pending',
      render: (_v, c) => {
        const p = pendingText(c);
        return p ? <span>{t('copy.awaitingSignature', { name: p })}</span> : <span className="muted">{t('common.none')}</span>;
      },
    },
  ];

  const historyColumns: ColumnsType<HistoryEvent> = [
    { title: t('history.time'), key: 'time', width: 170, render: (_v, e) => <span className="nowrap">{formatDateTime(e.occurredAt)}</span> },
    { title: t('history.event'), key: 'kind', render: (_v, e) => labels.event(e.kind) },
    { title: t('history.actor'), dataIndex: 'actorName', key: 'actor' },
    { title: t('history.from'), dataIndex: 'from', key: 'from' },
    { title: t('history.to'), dataIndex: 'to', key: 'to' },
    {
      title: t('history.envelope'),
      key: 'env',
      render: (_v, e) =>
        e.envelopeState ? <Tag className={e.envelopeState === 'intact' ? 'tag-active' : 'tag-locked'}>{labels.envelope(e.envelopeState)}</Tag> : null,
    },
    {
      title: t('history.receipt'),
      key: 'receipt',
      width: 200,
      render: (_v, e) => {
        if (e.confirmedAt) return <span className="nowrap">{t('history.signedAt', { time: formatDateTime(e.confirmedAt) })}</span>;
        if (forMe(e)) {
          return (
            <Button
              size="small"
              type="primary"
              icon={<SignatureOutlined aria-hidden="true" />}
              loading={busy === e.id}
              onClick={() =>
                void run(e.id, () => api.post(`/custody/${e.id}/confirm`), t('custody.signed')).then((ok) => {
                  // The receiver signed: the scan of the signed page may follow right away (optional).
                  if (ok) setDialog({ kind: 'receiptScan', eventId: e.id, subject: title });
                })
              }
            >
              {t('custody.sign')}
            </Button>
          );
        }
        if (e.kind === 'dispatch' && can('item.issue')) {
          return (
            <Button size="small" icon={<SignatureOutlined aria-hidden="true" />} onClick={() => setDialog({ kind: 'outsideReceipt', event: e })}>
              {t('history.recordReceipt')}
            </Button>
          );
        }
        return <span className="muted">{t('history.notSigned')}</span>;
      },
    },
  ];
  if (data.history.some((e) => e.confirmedAt)) {
    historyColumns.push({
      title: t('history.scan'),
      key: 'scan',
      width: 230,
      render: (_v, e) => {
        // A scan may show what was written on the paper page: the server gives it to cleared register
        // readers (never the inspector) and the signer; offer the link only then.
        const scanReader = can('register.read') && !me.roles.includes('inspector') && !!level && clearanceCovers(me.clearance, level);
        const offer = receiptScanOffer(e, me, scanReader);
        if (offer === 'download' && e.receiptScan) return <ReceiptScanLink eventId={e.id} scan={e.receiptScan} />;
        if (offer === 'listed') return <span>{t('history.scanListed')}</span>;
        if (offer === 'upload') {
          return (
            <ReceiptScanButton
              label={e.confirmedAt ? t('receiptScan.attachFor', { time: formatDateTime(e.confirmedAt) }) : undefined}
              onClick={() => setDialog({ kind: 'receiptScan', eventId: e.id })}
            />
          );
        }
        if (offer === 'none') return <span className="muted">{t('history.scanNone')}</span>;
        return null;
      },
    });
  }

  return (
    <>
      <PageTitle
        title={title}
        extra={
          <>
            <LevelTag level={level} />
            <ItemStateTag state={item.state} />
          </>
        }
      />
      {flash && !flash.error ? (
        <Alert type="success" showIcon className="dialog-alert" title={flash.what === 'proposed' ? t('item.flashProposed') : t('item.flashSaved')} />
      ) : null}
      {flash?.error ? <Alert type="warning" showIcon className="dialog-alert" title={t('item.flashSavedNotProposed')} /> : null}
      <WorkflowSteps item={item} />
      {item.state === 'returned' && item.returnReason ? (
        <Alert
          type="warning"
          showIcon
          className="dialog-alert"
          title={t('item.returnedTitle')}
          description={t('item.returnedReason', { reason: item.returnReason })}
        />
      ) : null}
      {item.state === 'returned' && isDrafter ? <p className="muted">{t('item.reviseHint')}</p> : null}

      {actions.length > 0 || waitingNote ? (
        <section className="action-bar" aria-label={t('item.actions')}>
          {waitingNote ? <span className="action-note">{waitingNote}</span> : null}
          <Space wrap>{actions}</Space>
        </section>
      ) : null}
      <div aria-live="polite">
        <RuleErrorAlert error={actionError} />
      </div>

      <Row gutter={[24, 0]}>
        <Col xs={24} xl={14}>
          <Card title={<h2 className="card-h2">{t('item.details')}</h2>}>
            <Descriptions column={1} size="small" bordered items={details} className="item-details" />
          </Card>
        </Col>
        <Col xs={24} xl={10}>
          {can('item.content.read') ? (
            <div className="content-col">
              <ContentCard item={item} canRead={data.canReadContent} />
            </div>
          ) : (
            <Card title={<h2 className="card-h2">{t('content.title')}</h2>}>
              <p className="muted">{t('content.metadataOnly')}</p>
            </Card>
          )}
        </Col>
      </Row>

      {item.origin === 'incoming' && item.addresseeOnly && can('custody.mine') ? <SummaryCompletionCard item={item} onChanged={refresh} /> : null}
      {item.kind === 'electronic_document' ? <AttachmentsCard item={item} canEdit={editable} /> : null}
      <CopyLinksCard itemId={item.id} />
      {showAssignments ? <AssignmentsCard item={item} assignments={assignments} canAssign={canAssign} onChanged={refresh} /> : null}

      {item.origin === 'internal' ? (
        <Card className="card-gap" title={<h2 className="card-h2">{t('item.recipients')}</h2>}>
          <DataTable
            caption={t('item.recipientsCaption')}
            rowKey={(r) => `${r.kind}-${r.name}`}
            size="small"
            dataSource={data.recipients}
            empty={t('item.noRecipients')}
            plainEmpty
            columns={[
              { title: t('item.recipient'), key: 'name', render: (_v, r) => <span>{r.name}</span> },
              { title: t('item.recipientKind'), key: 'kind', width: 180, render: (_v, r) => i.codeLabel('recipientKind', r.kind) },
              { title: t('draft.copies'), dataIndex: 'copies', key: 'copies', width: 90, align: 'right' },
              {
                title: t('item.addresseeOnlyShort'),
                key: 'ao',
                width: 170,
                render: (_v, r) => (r.addresseeOnly ? <Tag className="tag-addressee">{t('common.yes')}</Tag> : null),
              },
            ]}
          />
        </Card>
      ) : null}

      {showCustody ? (
        <>
          <Card
            className="card-gap"
            title={<h2 className="card-h2">{t('item.copies')}</h2>}
            extra={
              handOverable.length > 0 ? (
                <Button
                  icon={<SwapOutlined aria-hidden="true" />}
                  disabled={selected.length === 0}
                  onClick={() => setDialog({ kind: 'handOver', copies: data.copies.filter((c) => selected.includes(c.id)) })}
                >
                  {selected.length ? t('item.handOverSelected', { count: selected.length }) : t('item.handOver')}
                </Button>
              ) : null
            }
          >
            {handOverable.length > 0 ? <p className="muted">{t('item.handOverHint')}</p> : null}
            <DataTable<Copy>
              className="copies-table"
              caption={t('item.copiesCaption')}
              rowKey="id"
              size="small"
              columns={copyColumns}
              dataSource={data.copies}
              empty={t('item.noCopies')}
              plainEmpty
              rowSelection={
                handOverable.length > 0
                  ? {
                      selectedRowKeys: selected,
                      onChange: (keys) => setSelected(keys.map(String)),
                      getCheckboxProps: (c) => ({ disabled: !mayHandOver(c), 'aria-label': t('item.selectCopy', { label: c.label }) }),
                    }
                  : undefined
              }
            />
          </Card>

          <Card className="card-gap" title={<h2 className="card-h2">{t('item.history')}</h2>}>
            <DataTable<HistoryEvent>
              className="history-table"
              caption={t('item.historyCaption')}
              rowKey="id"
              size="small"
              columns={historyColumns}
              dataSource={data.history}
              empty={t('item.noHistory')}
              plainEmpty
            />
          </Card>
        </>
      ) : (
        <p className="muted card-gap">{t('item.noCopiesYet')}</p>
      )}

      <FormModal<{ reason: string }>
        open={dialog?.kind === 'return'}
        title={t('item.returnTitle')}
        submitText={t('item.return')}
        danger
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          await api.post(`/items/${item.id}/return`, { reason: v.reason.trim() });
          afterDecision();
          await refresh();
          void message.success(t('item.returned'));
        }}
      >
        <Form.Item
          name="reason"
          label={t('common.reason')}
          extra={t('item.returnHint')}
          rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} autoFocus />
        </Form.Item>
      </FormModal>

      <FormModal<{ receivedBy: string; receivedOn: Dayjs }>
        open={dialog?.kind === 'outsideReceipt'}
        initialValues={{ receivedOn: dayjs(today) }}
        title={t('history.recordReceiptTitle', { to: dialog?.kind === 'outsideReceipt' ? (dialog.event.to ?? '') : '' })}
        submitText={t('history.recordReceipt')}
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'outsideReceipt') return;
          await api.post(`/custody/${dialog.event.id}/outside-receipt`, { receivedBy: v.receivedBy.trim(), receivedOn: v.receivedOn.format('YYYY-MM-DD') });
          await refresh();
          void message.success(t('history.receiptRecorded'));
        }}
      >
        <Form.Item
          name="receivedBy"
          label={t('history.receivedBy')}
          extra={t('history.receivedByHint')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('history.receivedBy').toLocaleLowerCase(i.lang) }) }]}
        >
          <Input maxLength={200} autoFocus />
        </Form.Item>
        <Form.Item
          name="receivedOn"
          label={t('history.receivedOn')}
          extra={t('history.receivedOnHint')}
          rules={[
            requiredDateRule(i, t('history.receivedOn')),
            {
              // The server decides (dispatch.rules ENTERED_DATE_RULES); this only says it before sending.
              validator: async (_r, d: Dayjs | null | undefined) => {
                if (d && d.format('YYYY-MM-DD') > today) throw new Error(t('history.receivedOnInFuture'));
              },
            },
          ]}
        >
          <DatePicker
            format="DD/MM/YYYY"
            className="full-width"
            placeholder={t('audit.datePh')}
            disabledDate={(d) => d.format('YYYY-MM-DD') > today}
            onKeyDown={enterTakesTypedDate}
          />
        </Form.Item>
      </FormModal>

      <ReceiptScanDialog
        open={dialog?.kind === 'receiptScan'}
        eventId={dialog?.kind === 'receiptScan' ? dialog.eventId : null}
        subject={dialog?.kind === 'receiptScan' ? dialog.subject : undefined}
        onClose={() => setDialog(null)}
        onUploaded={(f) => {
          void refresh();
          void message.success(t('receiptScan.uploaded', { name: f.fileName }));
        }}
      />

      {data.events ? <ItemTimeline events={data.events} truncated={data.eventsTruncated} names={names} /> : null}

      <IssueDialog item={item} open={dialog?.kind === 'issue'} signerHint={approverName} onClose={() => setDialog(null)} onIssued={() => void refresh()} />
      {dialog?.kind === 'handOver' ? (
        <HandOverDialog
          item={item}
          copies={dialog.copies}
          namedAddressee={item.namedAddresseeId && namedAddresseeName ? { id: item.namedAddresseeId, name: namedAddresseeName } : null}
          open
          onClose={() => setDialog(null)}
          onDone={(n) => {
            setSelected([]);
            void refresh();
            void message.success(t('handOver.done', { number: n }));
          }}
        />
      ) : null}
    </>
  );
}
