import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { App, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Radio, Tag } from 'antd';
import { CheckOutlined, CloseOutlined, FileDoneOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { civilDateInVietnam } from '@khomat/policy';
import { api } from '../../kit/api';
import { ReasonField } from '../../kit/fields';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import { useI18n, type MessageKey } from '../../kit/i18n';
import { ErrorAlert, FormModal, PageTitle } from '../../kit/ui';
import { enterTakesTypedDate, requiredDateRule, requiredRule } from '../../kit/validation';
import { useDirectory } from '../items/directory';
import { LevelTag } from '../items/labels';
import { TakeOutCard } from '../take-out/TakeOutCard';
import { CopyExecutionCard } from '../copying/CopyExecutionCard';
import { ProvisionCard } from '../provision/ProvisionCard';
import { isTakeOutType } from '../take-out/takeOut';
import { RequesterActions } from './RequesterActions';
import { RequestScans } from './RequestScans';
import { detailLines, REQUESTS_KEY, type Recipient, type RequestStatus, type RequestView } from './requests';

const STATUS_CLASS: Record<RequestStatus, string> = {
  draft: 'tag-locked',
  submitted: 'tag-locked',
  approved: 'tag-active',
  refused: 'tag-inactive',
  executed: 'tag-active',
  closed: 'tag-inactive',
  expired: 'tag-inactive',
  cancelled: 'tag-inactive',
};

interface OutsideValues {
  outcome: 'approved' | 'refused';
  authority: string;
  number: string;
  date: Dayjs;
  signer: string;
  deadline?: Dayjs;
  reason?: string;
}

/** One request: what is asked, its status and decision; approve or refuse for whoever may decide it. */
export function RequestPage() {
  const { id = '' } = useParams();
  const i = useI18n();
  const { t } = i;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const key = [...REQUESTS_KEY, 'one', id];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<RequestView>(`/requests/${encodeURIComponent(id)}`) });
  const [dialog, setDialog] = useState<'approve' | 'refuse' | 'outside' | null>(null);
  const r = q.data;
  const refresh = async (next: RequestView) => {
    qc.setQueryData(key, next);
    await qc.invalidateQueries({ queryKey: [...REQUESTS_KEY, 'inbox'] });
    await qc.invalidateQueries({ queryKey: [...REQUESTS_KEY, 'inbox-count'] });
  };
  const dir = useDirectory(); // names a unit (and a person, for those who may list users)
  const recipientText = (x: Recipient) =>
    x.kind === 'outside'
      ? x.name
      : x.kind === 'user'
        ? (dir.userName(x.userId) ?? t('request.recipientUser'))
        : (dir.unitName(x.unitId) ?? t('request.recipientUnit'));
  const title = r ? t(`request.type.${r.type}` as MessageKey) : t('request.pageTitle');
  return (
    <>
      <PageTitle
        title={title}
        extra={
          r?.can.decide ? (
            <>
              <Button type="primary" icon={<CheckOutlined aria-hidden="true" />} onClick={() => setDialog('approve')}>
                {t('request.approve')}
              </Button>
              <Button danger icon={<CloseOutlined aria-hidden="true" />} onClick={() => setDialog('refuse')}>
                {t('request.refuse')}
              </Button>
            </>
          ) : r?.can.recordOutside ? (
            <Button type="primary" icon={<FileDoneOutlined aria-hidden="true" />} onClick={() => setDialog('outside')}>
              {t('request.recordOutside')}
            </Button>
          ) : undefined
        }
      />
      <ErrorAlert error={q.error} />
      {r ? <RequesterActions request={r} /> : null}
      {r ? (
        <>
          <Card className="request-card" title={<h2 className="card-h2">{t('request.asked')}</h2>}>
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={t('request.status')}>
                <Tag className={STATUS_CLASS[r.status]} data-status={r.status}>
                  {t(`request.status.${r.status}` as MessageKey)}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('request.requester')}>{r.requester.name}</Descriptions.Item>
              <Descriptions.Item label={t('request.item')}>
                {r.item.docType}
                {r.item.numberSymbol ? ` ${r.item.numberSymbol}` : ''} <LevelTag level={r.item.level} />
              </Descriptions.Item>
              <Descriptions.Item label={t('request.summary')}>
                {r.item.summaryHidden ? <span className="muted">{t('request.summaryHidden')}</span> : (r.item.summary ?? '—')}
              </Descriptions.Item>
              <Descriptions.Item label={t('request.purpose')}>{r.purpose}</Descriptions.Item>
              {detailLines(r.details, recipientText, (b) => t(b ? 'common.yes' : 'common.no')).map(([k, v]) => (
                <Descriptions.Item key={k} label={t(`request.detail.${k}` as MessageKey)}>
                  {k === 'form' ? t(`request.form.${v}` as MessageKey) : k === 'from' || k === 'to' ? formatCivilDate(v) : v}
                </Descriptions.Item>
              ))}
              <Descriptions.Item label={t('request.submittedAt')}>{formatDateTime(r.submittedAt)}</Descriptions.Item>
              {r.route === 'higher_authority' ? (
                <Descriptions.Item label={t('request.route')}>{`${t('request.route.higher_authority')}: ${r.outsideAuthority ?? ''}`}</Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>
          {r.decision ? (
            <Card className="request-card" title={<h2 className="card-h2">{t('request.decision')}</h2>}>
              <Descriptions column={1} bordered size="small">
                <Descriptions.Item label={t('request.outcome')}>{t(`request.outcome.${r.decision.outcome}` as MessageKey)}</Descriptions.Item>
                <Descriptions.Item label={t('request.decidedBy')}>
                  {r.decision.outside
                    ? `${r.decision.outside.signer} (${r.decision.outside.authority}), ${r.decision.outside.number} ${formatCivilDate(r.decision.outside.date)}`
                    : `${r.decision.decidedBy?.name ?? ''}${r.decision.via === 'delegation' ? ` — ${t('request.viaDelegation')}` : ''}`}
                </Descriptions.Item>
                {r.decision.deadline ? <Descriptions.Item label={t('request.deadline')}>{formatCivilDate(r.decision.deadline)}</Descriptions.Item> : null}
                {r.decision.quantity !== null ? <Descriptions.Item label={t('request.detail.quantity')}>{r.decision.quantity}</Descriptions.Item> : null}
                {r.decision.reason ? <Descriptions.Item label={t('request.reason')}>{r.decision.reason}</Descriptions.Item> : null}
                <Descriptions.Item label={t('request.decidedAt')}>{formatDateTime(r.decision.decidedAt)}</Descriptions.Item>
              </Descriptions>
            </Card>
          ) : null}
          {isTakeOutType(r.type) && (r.status === 'approved' || r.status === 'executed' || r.status === 'closed') ? (
            <TakeOutCard requestId={r.id} onChanged={() => q.refetch()} />
          ) : null}
          {['copy', 'photograph', 'extract'].includes(r.type) && ['approved', 'executed', 'closed'].includes(r.status) ? (
            <CopyExecutionCard requestId={r.id} onChanged={() => q.refetch()} />
          ) : null}
          <RequestScans request={r} onChanged={() => q.refetch()} />
          <ProvisionCard request={r} onChanged={() => q.refetch()} />
          <FormModal<{ deadline: Dayjs; quantity?: number }>
            open={dialog === 'approve'}
            title={t('request.approveTitle')}
            submitText={t('request.approve')}
            initialValues={{ quantity: typeof r.details.quantity === 'number' ? r.details.quantity : undefined }}
            onClose={() => setDialog(null)}
            onSubmit={async (v) => {
              const next = await api.post<RequestView>(`/requests/${encodeURIComponent(r.id)}/approve`, {
                deadline: v.deadline.format('YYYY-MM-DD'),
                ...(typeof v.quantity === 'number' ? { quantity: v.quantity } : {}),
              });
              await refresh(next);
              void message.success(t('request.approved'));
            }}
          >
            <Form.Item
              name="deadline"
              label={t('request.deadline')}
              extra={t('request.deadlineHint', { today: formatCivilDate(civilDateInVietnam(new Date())) })}
              rules={[requiredDateRule(i, t('request.deadline'))]}
            >
              <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} onKeyDown={enterTakesTypedDate} />
            </Form.Item>
            {typeof r.details.quantity === 'number' ? (
              <Form.Item name="quantity" label={t('request.detail.quantity')}>
                <InputNumber min={1} max={100} className="full-width" />
              </Form.Item>
            ) : null}
          </FormModal>
          <FormModal<OutsideValues>
            open={dialog === 'outside'}
            title={t('request.recordOutsideTitle')}
            submitText={t('request.recordOutsideSubmit')}
            width={640}
            initialValues={{ outcome: 'approved' }}
            onClose={() => setDialog(null)}
            onSubmit={async (v) => {
              const next = await api.post<RequestView>(`/requests/${encodeURIComponent(r.id)}/outside-decision`, {
                outcome: v.outcome,
                authority: v.authority.trim(),
                number: v.number.trim(),
                date: v.date.format('YYYY-MM-DD'),
                signer: v.signer.trim(),
                ...(v.outcome === 'approved' && v.deadline ? { deadline: v.deadline.format('YYYY-MM-DD') } : {}),
                ...(v.outcome === 'refused' ? { reason: v.reason?.trim() } : {}),
              });
              await refresh(next);
              void message.success(t('request.recordedOutside'));
            }}
          >
            <Form.Item name="outcome" label={t('request.outcome')} rules={[requiredRule(i, t('request.outcome'), true)]}>
              <Radio.Group
                options={[
                  { value: 'approved', label: t('request.outcome.approved') },
                  { value: 'refused', label: t('request.outcome.refused') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="authority"
              label={t('request.outsideAuthority')}
              extra={r.outsideAuthority ?? undefined}
              rules={[requiredRule(i, t('request.outsideAuthority'))]}
            >
              <Input maxLength={300} />
            </Form.Item>
            <Form.Item name="number" label={t('request.outsideNumber')} rules={[requiredRule(i, t('request.outsideNumber'))]}>
              <Input maxLength={100} placeholder={t('request.outsideNumberPh')} />
            </Form.Item>
            <Form.Item name="date" label={t('request.outsideDate')} rules={[requiredDateRule(i, t('request.outsideDate'))]}>
              <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} onKeyDown={enterTakesTypedDate} />
            </Form.Item>
            <Form.Item name="signer" label={t('request.outsideSigner')} rules={[requiredRule(i, t('request.outsideSigner'))]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item noStyle dependencies={['outcome']}>
              {({ getFieldValue }) =>
                getFieldValue('outcome') === 'refused' ? (
                  <ReasonField />
                ) : (
                  <Form.Item name="deadline" label={t('request.deadline')} rules={[requiredDateRule(i, t('request.deadline'))]}>
                    <DatePicker format="DD/MM/YYYY" className="full-width" placeholder={t('audit.datePh')} onKeyDown={enterTakesTypedDate} />
                  </Form.Item>
                )
              }
            </Form.Item>
          </FormModal>
          <FormModal<{ reason: string }>
            open={dialog === 'refuse'}
            danger
            title={t('request.refuseTitle')}
            submitText={t('request.refuse')}
            onClose={() => setDialog(null)}
            onSubmit={async (v) => {
              const next = await api.post<RequestView>(`/requests/${encodeURIComponent(r.id)}/refuse`, { reason: v.reason.trim() });
              await refresh(next);
              void message.success(t('request.refused'));
            }}
          >
            <ReasonField placeholder={t('request.refuseReasonPh')} />
          </FormModal>
        </>
      ) : null}
    </>
  );
}
