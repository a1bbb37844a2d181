import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Select, Tag } from 'antd';
import { ExportOutlined, ImportOutlined, WarningOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { formatCivilDate, formatDateTime } from '../../kit/format';
import { useI18n, type MessageKey } from '../../kit/i18n';
import { ErrorAlert, FormModal } from '../../kit/ui';
import { requiredRule } from '../../kit/validation';
import { TAKE_OUT_KEY, type TakeOutView } from './takeOut';

const STATUS_CLASS = { out: 'tag-locked', returned: 'tag-active', lost: 'tag-inactive' } as const;

/**
 * The take-out side of a take-out request's page: "Thực hiện mang ra" for the keeper of the copies
 * once approved, then "Ghi nhận trả lại" (with the holder's report) and "Báo mất" while it is out.
 */
export function TakeOutCard({ requestId, onChanged }: { requestId: string; onChanged: () => Promise<unknown> }) {
  const i = useI18n();
  const { t } = i;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const key = [...TAKE_OUT_KEY, 'of-request', requestId];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<TakeOutView>(`/requests/${encodeURIComponent(requestId)}/take-out`) });
  const [dialog, setDialog] = useState<'return' | 'loss' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const v = q.data;
  const after = async (next?: TakeOutView) => {
    if (next) qc.setQueryData(key, next);
    else await qc.invalidateQueries({ queryKey: key });
    await qc.invalidateQueries({ queryKey: [...TAKE_OUT_KEY, 'list'] });
    await onChanged();
  };
  const execute = async () => {
    setBusy(true);
    setError(null);
    try {
      await after(await api.post<TakeOutView>(`/requests/${encodeURIComponent(requestId)}/take-out`));
      void message.success(t('takeOut.executed'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!v) return <ErrorAlert error={q.error} />;
  const out = v.takeOut;
  const still = out?.copies.filter((c) => c.status === 'taken_out') ?? [];
  const actions = (
    <>
      {v.can.execute ? (
        <Button type="primary" icon={<ExportOutlined aria-hidden="true" />} loading={busy} onClick={() => void execute()}>
          {t('takeOut.execute')}
        </Button>
      ) : null}
      {v.can.return ? (
        <Button type="primary" icon={<ImportOutlined aria-hidden="true" />} onClick={() => setDialog('return')}>
          {t('takeOut.return')}
        </Button>
      ) : null}
      {v.can.reportLoss ? (
        <Button danger icon={<WarningOutlined aria-hidden="true" />} onClick={() => setDialog('loss')}>
          {t('takeOut.reportLoss')}
        </Button>
      ) : null}
    </>
  );
  if (!out && !v.can.execute) return null;
  return (
    <Card
      className="request-card take-out-card"
      title={<h2 className="card-h2">{t('takeOut.cardTitle')}</h2>}
      extra={<span className="take-out-actions">{actions}</span>}
    >
      <ErrorAlert error={error} />
      {out ? (
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t('takeOut.status')}>
            <Tag className={STATUS_CLASS[out.status]} data-take-out-status={out.status}>
              {t(`takeOut.status.${out.status}` as MessageKey)}
            </Tag>
            {out.overdue ? (
              <Tag className="tag-overdue" data-overdue="true">
                {t('takeOut.overdue')}
              </Tag>
            ) : null}
          </Descriptions.Item>
          <Descriptions.Item label={t('takeOut.takenBy')}>{out.takenBy.name}</Descriptions.Item>
          <Descriptions.Item label={t('takeOut.takenAt')}>{formatDateTime(out.takenAt)}</Descriptions.Item>
          <Descriptions.Item label={t('takeOut.dueDate')}>{formatCivilDate(out.dueDate)}</Descriptions.Item>
          <Descriptions.Item label={t('takeOut.copies')}>
            {out.copies.map((c) => `${c.label} (${t(`copyStatus.${c.status}` as MessageKey)})`).join('; ')}
          </Descriptions.Item>
          {out.returnedAt ? <Descriptions.Item label={t('takeOut.returnedAt')}>{formatDateTime(out.returnedAt)}</Descriptions.Item> : null}
          {out.returnReport ? <Descriptions.Item label={t('takeOut.report')}>{out.returnReport}</Descriptions.Item> : null}
        </Descriptions>
      ) : (
        <p className="muted">{t('takeOut.notYet')}</p>
      )}
      {out ? (
        <>
          <FormModal<{ report: string }>
            open={dialog === 'return'}
            title={t('takeOut.returnTitle')}
            submitText={t('takeOut.return')}
            onClose={() => setDialog(null)}
            onSubmit={async (values) => {
              await after(await api.post<TakeOutView>(`/take-outs/${encodeURIComponent(out.id)}/return`, { report: values.report.trim() }));
              void message.success(t('takeOut.returned'));
            }}
          >
            <Form.Item name="report" label={t('takeOut.report')} extra={t('takeOut.reportHint')} rules={[requiredRule(i, t('takeOut.report'))]}>
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
          </FormModal>
          <FormModal<{ copyId: string; description: string }>
            open={dialog === 'loss'}
            danger
            title={t('takeOut.lossTitle')}
            submitText={t('takeOut.reportLoss')}
            initialValues={{ copyId: still.length === 1 ? still[0]!.id : undefined }}
            onClose={() => setDialog(null)}
            onSubmit={async (values) => {
              await api.post<{ incidentId: string }>(`/take-outs/${encodeURIComponent(out.id)}/loss`, {
                copyId: values.copyId,
                description: values.description.trim(),
              });
              await after();
              void message.success(t('takeOut.lossReported'));
            }}
          >
            <Form.Item name="copyId" label={t('takeOut.lostCopy')} rules={[requiredRule(i, t('takeOut.lostCopy'), true)]}>
              <Select options={still.map((c) => ({ value: c.id, label: c.label }))} aria-label={t('takeOut.lostCopy')} />
            </Form.Item>
            <Form.Item
              name="description"
              label={t('takeOut.lossDescription')}
              extra={t('takeOut.lossHint')}
              rules={[requiredRule(i, t('takeOut.lossDescription'))]}
            >
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
          </FormModal>
        </>
      ) : null}
    </Card>
  );
}
