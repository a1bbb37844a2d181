import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Form, Input, Radio, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { DataTable, usePageState } from '../../kit/DataTable';
import { ReasonField } from '../../kit/fields';
import { formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { AccountChange, Paged, WithAccountChangeWarnings } from '../../kit/types';
import { FormModal, PageTitle } from '../../kit/ui';
import { useQueryParams } from '../../kit/useQueryParam';
import { ChangeWarnings } from './ChangeWarnings';
import { ACCOUNT_CHANGES_KEY, describeChange, noteRequired, waitingText } from './changes';

// Xác nhận thay đổi tài khoản: the second person (the security officer; the agency head for the
// security officer's own account) confirms or rejects what the administrator or a granter asked.
// The server decides who may confirm (`canConfirm`); this screen only offers what it allows.

type Show = 'pending' | 'all';

const STATUS_CLASS: Record<string, string> = {
  pending: 'tag-pending',
  confirmed: 'tag-active',
  rejected: 'tag-inactive',
  superseded: 'tag-inactive',
};

type Dialog = { kind: 'confirm' | 'reject'; change: AccountChange } | null;

function ChangeCell({ c }: { c: AccountChange }) {
  const i = useI18n();
  const meta: { key: string; label: string; value: string }[] = [];
  if (c.reason) meta.push({ key: 'reason', label: i.t('changes.reason'), value: c.reason });
  if (c.decisionRef) meta.push({ key: 'ref', label: i.t('changes.decisionRef'), value: c.decisionRef });
  return (
    <>
      <div className="change-what">{describeChange(i, c)}</div>
      {meta.length > 0 ? (
        <dl className="change-meta">
          {meta.map((m) => (
            <div key={m.key}>
              <dt>{m.label}</dt>
              <dd>{m.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </>
  );
}

function StatusCell({ c }: { c: AccountChange }) {
  const i = useI18n();
  return (
    <>
      <Tag className={STATUS_CLASS[c.status] ?? 'tag-inactive'} data-status={c.status}>
        {i.codeLabel('changes.status', c.status)}
      </Tag>
      {c.decidedBy && c.decidedAt ? (
        <div className="change-meta">{i.t('changes.by', { name: c.decidedBy.name, time: formatDateTime(c.decidedAt) })}</div>
      ) : null}
      {c.decisionNote ? (
        <dl className="change-meta">
          <dt>{i.t('changes.note')}</dt>
          <dd>{c.decisionNote}</dd>
        </dl>
      ) : null}
    </>
  );
}

/** What the dialogs show above their field: whose account, what changes, asked by whom. */
function ChangeSummary({ c }: { c: AccountChange }) {
  const i = useI18n();
  return (
    <Descriptions
      className="dialog-alert"
      column={1}
      size="small"
      bordered
      items={[
        { key: 'who', label: i.t('changes.person'), children: `${c.user.fullName} (${c.user.username}) — ${c.user.unitName}` },
        { key: 'what', label: i.t('changes.what'), children: describeChange(i, c) },
        ...(c.reason ? [{ key: 'reason', label: i.t('changes.reason'), children: c.reason }] : []),
        ...(c.decisionRef ? [{ key: 'ref', label: i.t('changes.decisionRef'), children: c.decisionRef }] : []),
        {
          key: 'by',
          label: i.t('changes.requested'),
          children: i.t('changes.by', { name: c.requestedBy?.name ?? i.t('common.none'), time: formatDateTime(c.requestedAt) }),
        },
      ]}
    />
  );
}

export function AccountChangesPage() {
  const i = useI18n();
  const { t } = i;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [params, setParams] = useQueryParams();
  const show: Show = params.get('status') === 'all' ? 'all' : 'pending';
  const pager = usePageState(20);
  const list = useQuery({
    queryKey: [...ACCOUNT_CHANGES_KEY, show, pager.page, pager.pageSize],
    queryFn: () => api.get<Paged<AccountChange> & WithAccountChangeWarnings>('/account-changes', { status: show, page: pager.page, pageSize: pager.pageSize }),
  });
  const [dialog, setDialog] = useState<Dialog>(null);

  const decided = async (text: string) => {
    await Promise.all([qc.invalidateQueries({ queryKey: ACCOUNT_CHANGES_KEY }), qc.invalidateQueries({ queryKey: ['users'] })]);
    void message.success(text);
  };
  const path = (c: AccountChange, action: 'confirm' | 'reject') => `/account-changes/${encodeURIComponent(c.id)}/${action}`;

  const columns: ColumnsType<AccountChange> = [
    {
      title: t('changes.person'),
      key: 'person',
      render: (_v, c) => (
        <div className="person-cell">
          <div className="person-name">{c.user.fullName}</div>
          <div className="person-username">
            {c.user.username} · {c.user.unitName}
          </div>
        </div>
      ),
    },
    { title: t('changes.what'), key: 'what', render: (_v, c) => <ChangeCell c={c} /> },
    {
      title: t('changes.requested'),
      key: 'requested',
      render: (_v, c) => (
        <>
          <div>{c.requestedBy?.name ?? t('common.none')}</div>
          <div className="change-meta">{formatDateTime(c.requestedAt)}</div>
        </>
      ),
    },
    { title: t('changes.status'), key: 'status', render: (_v, c) => <StatusCell c={c} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_v, c) => {
        const waiting = waitingText(i, c);
        if (waiting) return <span className="muted">{waiting}</span>;
        if (c.status !== 'pending' || !c.canConfirm) return null;
        return (
          <Space size={4} wrap>
            <Button
              size="small"
              type="primary"
              icon={<CheckOutlined aria-hidden="true" />}
              onClick={() => setDialog({ kind: 'confirm', change: c })}
              aria-label={t('changes.confirmLabel', { name: c.user.fullName })}
            >
              {t('changes.confirm')}
            </Button>
            <Button
              size="small"
              danger
              icon={<CloseOutlined aria-hidden="true" />}
              onClick={() => setDialog({ kind: 'reject', change: c })}
              aria-label={t('changes.rejectLabel', { name: c.user.fullName })}
            >
              {t('changes.reject')}
            </Button>
          </Space>
        );
      },
    },
  ];

  const target = dialog?.change ?? null;
  const needsNote = target ? noteRequired(target.kind) : false;

  return (
    <>
      <PageTitle title={t('changes.title')} intro={t('changes.intro')} />
      <ChangeWarnings warnings={list.data?.warnings} />
      <div className="change-filter">
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          aria-label={t('changes.show')}
          value={show}
          onChange={(e) => {
            setParams(e.target.value === 'all' ? { status: 'all' } : {});
            pager.toFirstPage();
          }}
          options={[
            { value: 'pending', label: t('changes.showPending') },
            { value: 'all', label: t('changes.showAll') },
          ]}
        />
      </div>
      <DataTable<AccountChange>
        className="changes-table"
        caption={t('changes.caption')}
        error={list.error}
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isPending}
        pager={{ page: pager.page, pageSize: pager.pageSize, total: list.data?.total ?? 0, sizes: [20, 50, 100], onChange: pager.onChange }}
        empty={show === 'pending' ? t('changes.empty') : t('changes.emptyAll')}
      />

      <FormModal<{ note?: string }>
        open={dialog?.kind === 'confirm'}
        title={target ? t('changes.confirmTitle', { name: target.user.fullName }) : ''}
        submitText={t('changes.confirm')}
        width={640}
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          if (!target) return;
          const note = v.note?.trim();
          await api.post(path(target, 'confirm'), note ? { note } : {});
          await decided(t('changes.confirmed'));
        }}
      >
        {target ? <ChangeSummary c={target} /> : null}
        {needsNote ? <Alert type="warning" showIcon title={t('changes.howHint')} className="dialog-alert" /> : null}
        <Form.Item
          name="note"
          label={needsNote ? t('changes.how') : t('changes.noteOptional')}
          rules={needsNote ? [{ required: true, whitespace: true, message: t('changes.howRequired') }] : []}
          extra={needsNote ? undefined : t('changes.confirmHint')}
        >
          <Input maxLength={500} placeholder={needsNote ? t('changes.howPh') : undefined} autoFocus />
        </Form.Item>
      </FormModal>

      <FormModal<{ reason: string }>
        open={dialog?.kind === 'reject'}
        danger
        title={target ? t('changes.rejectTitle', { name: target.user.fullName }) : ''}
        submitText={t('changes.reject')}
        width={640}
        onClose={() => setDialog(null)}
        onSubmit={async (v) => {
          if (!target) return;
          await api.post(path(target, 'reject'), { reason: v.reason.trim() });
          await decided(t('changes.rejected'));
        }}
      >
        {target ? <ChangeSummary c={target} /> : null}
        <ReasonField placeholder={t('changes.rejectReasonPh')} autoFocus />
      </FormModal>
    </>
  );
}
