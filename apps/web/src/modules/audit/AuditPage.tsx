import { useCallback, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { DownloadOutlined, FilterOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { CLEARANCES, ROLES, type Clearance, type Role } from '@khomat/policy';
import { api, buildQuery } from '../../kit/api';
import { useCan } from '../../kit/auth';
import { endOfVnDay, formatDateTime, startOfVnDay } from '../../kit/format';
import { useI18n, type I18n } from '../../kit/i18n';
import type { AuditEvent, AuditPage as AuditReply, AuditVerifyResult, ListReply } from '../../kit/types';
import { useUnits } from '../../kit/queries';
import { DataTable, usePageState } from '../../kit/DataTable';
import { DateRangeFields, FilterPanel } from '../../kit/filters';
import { ErrorAlert, PageTitle } from '../../kit/ui';
import { foldedSearch } from '../../kit/validation';
import { useUsers } from '../users/useUsers';
import { failedTitle, verifiedLines } from './verify';

interface Filters {
  actorId?: string;
  action?: string;
  subjectId?: string;
  from?: string;
  to?: string;
}

interface FilterForm {
  actorId?: string;
  action?: string;
  subjectId?: string;
  from?: Dayjs | null;
  to?: Dayjs | null;
}

function toFilters(v: FilterForm): Filters {
  return {
    actorId: v.actorId || undefined,
    action: v.action || undefined,
    subjectId: v.subjectId?.trim() || undefined,
    from: v.from ? startOfVnDay(v.from.format('YYYY-MM-DD')) : undefined,
    to: v.to ? endOfVnDay(v.to.format('YYYY-MM-DD')) : undefined,
  };
}

const CLEARANCE_SET = new Set<string>(CLEARANCES);
const ROLE_SET = new Set<string>(ROLES);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGISTER_YEAR = /^(outgoing|incoming|transfer|copy)-(\d{4})$/;

/** A subject's id as a person reads it: a register year by its name, a record id by its first characters. */
function subjectIdText(i: I18n, id: string): string {
  const reg = REGISTER_YEAR.exec(id);
  if (reg) return `${i.detailValue('register', reg[1]!) ?? reg[1]} ${reg[2]}`;
  return UUID.test(id) ? id.slice(0, 8) : id;
}

/** Shows one detail value the way a person reads it: levels, roles, units and people by name. */
function useDetailValue() {
  const i = useI18n();
  const units = useUnits();
  const users = useUsers({ includeInactive: true });
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of units.data ?? []) m.set(u.id, u.name);
    for (const u of users.data ?? []) m.set(u.id, u.fullName);
    return m;
  }, [units.data, users.data]);
  const one = useCallback(
    (key: string, v: unknown): string => {
      if (typeof v === 'string') {
        if (CLEARANCE_SET.has(v)) return i.clearanceLabel(v as Clearance);
        if (ROLE_SET.has(v)) return i.roleLabel(v as Role);
        if (ISO_TIME.test(v)) return formatDateTime(v);
        // An item's kind is named by the same words as on the item page.
        return i.detailValue(key, v) ?? (key === 'kind' ? i.codeLabel('kind', v) : (names.get(v) ?? v));
      }
      if (v === null || v === undefined) return '—';
      if (typeof v !== 'object') return String(v);
      return JSON.stringify(v);
    },
    [i, names],
  );
  return useCallback(
    (key: string, v: unknown): string => {
      if (Array.isArray(v)) return v.map((x) => one(key, x)).join(', ');
      if (v && typeof v === 'object') {
        return Object.entries(v as Record<string, unknown>)
          .map(([k, x]) => `${i.detailLabel(k)}: ${Array.isArray(x) ? x.map((y) => one(k, y)).join(', ') : one(k, x)}`)
          .join('; ');
      }
      return one(key, v);
    },
    [i, one],
  );
}

function DetailsCell({ details }: { details: Record<string, unknown> }) {
  const { detailLabel } = useI18n();
  const show = useDetailValue();
  // Before/after first, the reason last, the rest as recorded.
  const rank = (k: string) => (k === 'from' ? 0 : k === 'to' ? 1 : k === 'reason' ? 3 : 2);
  const entries = Object.entries(details ?? {}).sort(([a], [b]) => rank(a) - rank(b));
  if (entries.length === 0) return null;
  return (
    <dl className="audit-details">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{detailLabel(k)}</dt>
          <dd>{show(k, v)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** After a verification that passed: the last signed checkpoint, its anchor code to copy, the anchor file. */
function VerifiedDetails({ result }: { result: AuditVerifyResult }) {
  const i = useI18n();
  const lines = verifiedLines(i, result);
  const cp = lines.checkpoint;
  return (
    <div className="verify-details">
      {lines.head ? <p>{lines.head}</p> : null}
      {typeof cp === 'string' ? (
        <p>{cp}</p>
      ) : (
        <p className="verify-checkpoint">
          {cp.before}
          <Typography.Text className="anchor-code" code copyable>
            {cp.slot}
          </Typography.Text>
          {cp.after}
        </p>
      )}
      {lines.hint ? (
        <p className="verify-hint">
          {lines.hint.before}
          <code>{lines.hint.slot}</code>
          {lines.hint.after}
        </p>
      ) : null}
      <p className="verify-anchor" data-anchored={result.anchored ?? 'none'}>
        {lines.anchor}
      </p>
    </div>
  );
}

export function AuditPage() {
  const i = useI18n();
  const { t } = i;
  const can = useCan();
  const [form] = Form.useForm<FilterForm>();
  const [filters, setFilters] = useState<Filters>({});
  const paging = usePageState(20);
  const { page, pageSize } = paging;

  const events = useQuery({
    queryKey: ['audit', filters, page, pageSize],
    queryFn: () => api.get<AuditReply>('/audit', { ...filters, page, pageSize }),
    placeholderData: (prev) => prev,
  });
  const actions = useQuery({ queryKey: ['audit-actions'], queryFn: () => api.get<ListReply<string>>('/audit/actions').then((r) => r.items) });
  const users = useUsers({ includeInactive: true });
  const [verify, setVerify] = useState<AuditVerifyResult | null>(null);
  const [verifyError, setVerifyError] = useState<unknown>(null);
  const [verifying, setVerifying] = useState(false);

  const actionOptions = useMemo(
    () => (actions.data ?? []).map((a) => ({ value: a, label: i.actionLabel(a) })).sort((a, b) => a.label.localeCompare(b.label, i.lang)),
    [actions.data, i],
  );
  const userOptions = useMemo(
    () => (users.data ?? []).map((u) => ({ value: u.id, label: `${u.fullName} (${u.username})` })).sort((a, b) => a.label.localeCompare(b.label, 'vi')),
    [users.data],
  );

  const exportHref = `/api/audit/export.csv${buildQuery({ ...filters })}`;

  const runVerify = async () => {
    setVerifying(true);
    setVerify(null);
    setVerifyError(null);
    try {
      setVerify(await api.get<AuditVerifyResult>('/audit/verify'));
    } catch (e) {
      setVerifyError(e);
    } finally {
      setVerifying(false);
    }
  };

  const columns: ColumnsType<AuditEvent> = [
    { title: t('audit.seq'), dataIndex: 'seq', key: 'seq', width: 90, align: 'right' },
    { title: t('audit.time'), key: 'time', width: 170, render: (_v, e) => <span className="nowrap">{formatDateTime(e.occurredAt)}</span> },
    { title: t('audit.actor'), key: 'actor', width: 170, render: (_v, e) => e.actorName ?? <span className="muted">{t('audit.system')}</span> },
    {
      title: t('audit.action'),
      key: 'action',
      render: (_v, e) => (
        <span title={e.action} data-action={e.action}>
          {i.actionLabel(e.action)}
        </span>
      ),
    },
    {
      title: t('audit.subject'),
      key: 'subject',
      width: 150,
      render: (_v, e) =>
        e.subjectType || e.subjectId ? (
          <span>
            {e.subjectType ? i.subjectTypeLabel(e.subjectType) : ''}
            {e.subjectId ? (
              <Button
                type="link"
                size="small"
                className="subject-id"
                title={e.subjectId}
                // The name holds the words shown (a register year by its name, a record id in full).
                aria-label={t('audit.filterSubject', { id: REGISTER_YEAR.test(e.subjectId) ? subjectIdText(i, e.subjectId) : e.subjectId })}
                onClick={() => {
                  form.setFieldValue('subjectId', e.subjectId);
                  setFilters((f) => ({ ...f, subjectId: e.subjectId ?? undefined }));
                  paging.toFirstPage();
                }}
              >
                {subjectIdText(i, e.subjectId)}
              </Button>
            ) : null}
          </span>
        ) : null,
    },
    { title: t('audit.details'), key: 'details', width: '30%', render: (_v, e) => <DetailsCell details={e.details} /> },
  ];

  return (
    <>
      <PageTitle
        title={t('audit.title')}
        intro={t('audit.intro')}
        extra={
          <>
            {can('audit.export') ? (
              <Button icon={<DownloadOutlined aria-hidden="true" />} href={exportHref} download>
                {t('audit.export')}
              </Button>
            ) : null}
            <Button icon={<SafetyCertificateOutlined aria-hidden="true" />} onClick={() => void runVerify()} loading={verifying}>
              {t('audit.verify')}
            </Button>
          </>
        }
      />
      <div aria-live="polite" className="verify-result">
        {verify ? (
          verify.ok ? (
            <Alert
              type="success"
              showIcon
              closable={{ onClose: () => setVerify(null) }}
              title={t('audit.verifyOk', { count: verify.count })}
              description={<VerifiedDetails result={verify} />}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              title={failedTitle(i, verify)}
              description={verify.reason ? t('audit.verifyReason', { reason: verify.reason }) : undefined}
            />
          )
        ) : null}
        <ErrorAlert error={verifyError} />
      </div>

      <FilterPanel headingId="audit-filters-h" title={t('audit.filters')}>
        <Form<FilterForm>
          form={form}
          layout="vertical"
          onFinish={(v) => {
            setFilters(toFilters(v));
            paging.toFirstPage();
          }}
        >
          <Row gutter={16}>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="actorId" label={t('audit.actor')}>
                <Select allowClear showSearch={foldedSearch} placeholder={t('audit.actorPh')} options={userOptions} loading={users.isPending} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12} xl={6}>
              <Form.Item name="action" label={t('audit.action')}>
                <Select allowClear showSearch={foldedSearch} placeholder={t('audit.actionPh')} options={actionOptions} loading={actions.isPending} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8} xl={4}>
              <Form.Item name="subjectId" label={t('audit.subjectId')} rules={[{ pattern: /^\s*[A-Za-z0-9-]{1,64}\s*$/, message: t('audit.subjectIdFormat') }]}>
                <Input allowClear maxLength={100} />
              </Form.Item>
            </Col>
            <DateRangeFields col={{ xs: 12, md: 8, xl: 4 }} />
          </Row>
          <Space>
            <Button type="primary" htmlType="submit" icon={<FilterOutlined aria-hidden="true" />}>
              {t('audit.apply')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilters({});
                paging.toFirstPage();
              }}
            >
              {t('audit.reset')}
            </Button>
          </Space>
        </Form>
      </FilterPanel>

      <DataTable<AuditEvent>
        className="audit-table"
        caption={t('audit.caption')}
        error={events.error}
        rowKey="seq"
        columns={columns}
        dataSource={events.data?.items ?? []}
        loading={events.isFetching}
        size="small"
        empty={t('audit.empty')}
        plainEmpty
        pager={{ ...paging, total: events.data?.total ?? 0, sizes: [20, 50, 100], keepOnSinglePage: true }}
      />
    </>
  );
}
