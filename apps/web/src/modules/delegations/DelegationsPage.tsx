import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Col, DatePicker, Form, Input, Row, Select, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { AUTHORITY_OPERATION_LABEL_VI, LEVELS, civilDateInVietnam, delegableScope, type AuthorityOperation, type Level } from '@khomat/policy';
import { api } from '../../kit/api';
import { useCan, useMe } from '../../kit/auth';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { ListReply } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { ReasonField } from '../../kit/fields';
import { ErrorAlert, FormModal, PageTitle } from '../../kit/ui';
import { foldedSearch, notBeforeRule, requiredDateRule, requiredRule } from '../../kit/validation';
import { useCatalogFields } from '../catalog/useCatalog';
import { PersonPicker } from '../people/PersonPicker';
import { delegationStatus, type Delegation, type DelegationStatus } from './status';

const KEY = ['delegations'] as const;

/** The operations a deputy may be given (the authority table: decided by the agency head, delegable), each once. */
const DELEGABLE_OPERATIONS = [...new Set(delegableScope().map((s) => s.operation))];

const STATUS_CLASS: Record<DelegationStatus, string> = {
  active: 'tag-active',
  pending: 'tag-locked',
  expired: 'tag-inactive',
  revoked: 'tag-inactive',
};

interface GrantValues {
  delegateId: string;
  operations: AuthorityOperation[];
  levels: Level[];
  field: string;
  validFrom: Dayjs;
  validTo: Dayjs;
  decisionRef: string;
}

function StatusTag({ d, today }: { d: Delegation; today: string }) {
  const { t } = useI18n();
  const s = delegationStatus(d, today);
  return (
    <Tag
      className={STATUS_CLASS[s]}
      data-status={s}
      title={s === 'revoked' && d.revokedAt ? t('delegation.revokedAt', { time: formatDateTime(d.revokedAt) }) : undefined}
    >
      {t(`delegation.${s}`)}
    </Tag>
  );
}

export function DelegationsPage() {
  const i = useI18n();
  const { t } = i;
  const me = useMe();
  const can = useCan();
  const manage = can('delegation.manage');
  const qc = useQueryClient();
  const { message } = App.useApp();
  const list = useQuery({ queryKey: KEY, queryFn: () => api.get<ListReply<Delegation>>('/delegations').then((r) => r.items) });
  const [creating, setCreating] = useState(false);
  const [target, setTarget] = useState<Delegation | null>(null);
  const fields = useCatalogFields(creating);
  const today = civilDateInVietnam(new Date());
  const sorted = useMemo(() => [...(list.data ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), [list.data]);

  const columns: ColumnsType<Delegation> = [
    { title: t('delegation.delegate'), key: 'delegate', render: (_v, d) => d.delegate.name },
    {
      title: t('delegation.scope'),
      key: 'scope',
      render: (_v, d) =>
        t('delegation.scopeText', {
          operations: (d.operations ?? ['classify']).map((o) => AUTHORITY_OPERATION_LABEL_VI[o] ?? o).join('; '),
          levels: (d.levels ?? LEVELS).map((l) => i.clearanceLabel(l)).join(', '),
        }),
    },
    { title: t('delegation.field'), dataIndex: 'field', key: 'field' },
    { title: t('delegation.from'), key: 'from', render: (_v, d) => formatCivilDate(d.validFrom) },
    { title: t('delegation.to'), key: 'to', render: (_v, d) => formatCivilDate(d.validTo) },
    { title: t('delegation.decisionRef'), dataIndex: 'decisionRef', key: 'decisionRef' },
    { title: t('delegation.grantedBy'), key: 'grantedBy', render: (_v, d) => d.grantedBy.name },
    { title: t('delegation.status'), key: 'status', render: (_v, d) => <StatusTag d={d} today={today} /> },
  ];
  if (manage) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_v, d) => {
        const s = delegationStatus(d, today);
        if (s === 'revoked' || s === 'expired') return null;
        return (
          <Button
            size="small"
            danger
            icon={<StopOutlined aria-hidden="true" />}
            onClick={() => setTarget(d)}
            aria-label={t('delegation.revokeLabel', { name: d.delegate.name })}
          >
            {t('delegation.revoke')}
          </Button>
        );
      },
    });
  }

  return (
    <>
      <PageTitle
        title={t('delegation.title')}
        intro={t('delegation.intro')}
        extra={
          manage ? (
            <Button type="primary" icon={<PlusOutlined aria-hidden="true" />} onClick={() => setCreating(true)}>
              {t('delegation.new')}
            </Button>
          ) : undefined
        }
      />
      <DataTable<Delegation>
        className="delegations-table"
        caption={t('delegation.caption')}
        error={list.error}
        rowKey="id"
        columns={columns}
        dataSource={sorted}
        loading={list.isPending}
        pager={{ pageSize: 20 }}
        empty={t('delegation.empty')}
        plainEmpty
      />
      <FormModal<GrantValues>
        open={creating}
        title={t('delegation.newTitle')}
        submitText={t('delegation.grant')}
        width={640}
        onClose={() => setCreating(false)}
        initialValues={{ operations: ['classify'], levels: [...LEVELS] }}
        onSubmit={async (v) => {
          await api.post<Delegation>('/delegations', {
            delegateId: v.delegateId,
            operations: v.operations,
            levels: v.levels,
            field: v.field,
            validFrom: v.validFrom.format('YYYY-MM-DD'),
            validTo: v.validTo.format('YYYY-MM-DD'),
            decisionRef: v.decisionRef.trim(),
          });
          await qc.invalidateQueries({ queryKey: KEY });
          void message.success(t('delegation.granted'));
        }}
      >
        <Form.Item name="delegateId" label={t('delegation.delegate')} extra={t('people.pickerHint')} rules={[requiredRule(i, t('delegation.delegate'), true)]}>
          <PersonPicker exclude={[me.id]} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={14}>
            <Form.Item
              name="operations"
              label={t('delegation.operations')}
              extra={t('delegation.operationsHint')}
              rules={[
                { required: true, type: 'array', min: 1, message: t('common.selectRequired', { field: t('delegation.operations').toLocaleLowerCase(i.lang) }) },
              ]}
            >
              <Select mode="multiple" options={DELEGABLE_OPERATIONS.map((o) => ({ value: o, label: AUTHORITY_OPERATION_LABEL_VI[o] }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item
              name="levels"
              label={t('delegation.levels')}
              rules={[
                { required: true, type: 'array', min: 1, message: t('common.selectRequired', { field: t('delegation.levels').toLocaleLowerCase(i.lang) }) },
              ]}
            >
              <Select mode="multiple" options={LEVELS.map((l) => ({ value: l, label: i.clearanceLabel(l) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="field" label={t('delegation.field')} rules={[requiredRule(i, t('delegation.field'), true)]}>
          <Select
            showSearch={foldedSearch}
            placeholder={t('delegation.fieldPh')}
            loading={fields.isFetching}
            options={(fields.data ?? []).map((f) => ({ value: f, label: f }))}
            status={fields.error ? 'error' : undefined}
          />
        </Form.Item>
        <ErrorAlert error={fields.error} />
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="validFrom" label={t('delegation.from')} rules={[requiredDateRule(i, t('delegation.from'))]}>
              <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="validTo"
              label={t('delegation.to')}
              dependencies={['validFrom']}
              rules={[requiredDateRule(i, t('delegation.to')), notBeforeRule('validFrom', t('delegation.toBeforeFrom'))]}
            >
              <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="decisionRef" label={t('delegation.decisionRef')} rules={[requiredRule(i, t('delegation.decisionRef'))]}>
          <Input maxLength={200} placeholder={t('delegation.decisionRefPh')} />
        </Form.Item>
      </FormModal>
      <FormModal<{ reason: string }>
        open={target !== null}
        danger
        title={target ? t('delegation.revokeTitle', { name: target.delegate.name }) : ''}
        submitText={t('delegation.revokeConfirm')}
        onClose={() => setTarget(null)}
        onSubmit={async (v) => {
          if (!target) return;
          await api.post<Delegation>(`/delegations/${encodeURIComponent(target.id)}/revoke`, { reason: v.reason.trim() });
          await qc.invalidateQueries({ queryKey: KEY });
          void message.success(t('delegation.revokedMsg'));
        }}
      >
        <ReasonField placeholder={t('delegation.revokeReasonPh')} />
      </FormModal>
    </>
  );
}
