import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Input, Tag } from 'antd';
import { CheckOutlined, PrinterOutlined, SendOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import { ErrorAlert, FormModal } from '../../kit/ui';
import { requiredRule } from '../../kit/validation';
import type { RequestStatus, RequestType } from '../requests/requests';
import { isProvisionType, PROVISION_KEY, type ProvisionView } from './provision';

/** Statuses of a decided request: the answer letter exists from then on. */
const DECIDED: readonly RequestStatus[] = ['approved', 'refused', 'executed', 'closed', 'expired'];

/**
 * The provision side of a provision request's page (cung cấp, chuyển giao): "Gửi cho bên nhận" for
 * the văn thư who keeps the approved copies, then "Ghi nhận ký nhận" when the requesting body's
 * signed receipt comes back; "In văn bản trả lời" (the agency's letter of approval or reasoned
 * refusal, PDF) once decided. Nothing for other requests.
 */
export function ProvisionCard({
  request,
  onChanged,
}: {
  request: { id: string; type: RequestType; status: RequestStatus };
  onChanged: () => Promise<unknown>;
}) {
  const shown = isProvisionType(request.type) && DECIDED.includes(request.status);
  return shown ? <ProvisionCardBody requestId={request.id} onChanged={onChanged} /> : null;
}

function ProvisionCardBody({ requestId, onChanged }: { requestId: string; onChanged: () => Promise<unknown> }) {
  const i = useI18n();
  const { t } = i;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const key = [...PROVISION_KEY, 'of-request', requestId];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<ProvisionView>(`/requests/${encodeURIComponent(requestId)}/provision`) });
  const [receiptOpen, setReceiptOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const v = q.data;
  const after = async (next?: ProvisionView) => {
    if (next) qc.setQueryData(key, next);
    else await qc.invalidateQueries({ queryKey: key });
    await onChanged();
  };
  const execute = async () => {
    setBusy(true);
    setError(null);
    try {
      await after(await api.post<ProvisionView>(`/requests/${encodeURIComponent(requestId)}/provision`));
      void message.success(t('provision.executed'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (!v) return <ErrorAlert error={q.error} />;
  const p = v.provision;
  const actions = (
    <>
      {v.can.execute ? (
        <Button type="primary" icon={<SendOutlined aria-hidden="true" />} loading={busy} onClick={() => void execute()}>
          {t('provision.execute')}
        </Button>
      ) : null}
      {v.can.recordReceipt ? (
        <Button icon={<CheckOutlined aria-hidden="true" />} onClick={() => setReceiptOpen(true)}>
          {t('provision.recordReceipt')}
        </Button>
      ) : null}
      {v.can.printEnvelopes ? (
        <Button icon={<PrinterOutlined aria-hidden="true" />} href={`/api/requests/${encodeURIComponent(requestId)}/provision/envelopes.pdf`} download>
          {t('provision.printEnvelopes')}
        </Button>
      ) : null}
      {v.can.printLetter ? (
        <Button icon={<PrinterOutlined aria-hidden="true" />} href={`/api/requests/${encodeURIComponent(requestId)}/letter.pdf`} download>
          {t('provision.printLetter')}
        </Button>
      ) : null}
    </>
  );
  return (
    <Card
      className="request-card provision-card"
      title={<h2 className="card-h2">{t('provision.cardTitle')}</h2>}
      extra={<span className="provision-actions">{actions}</span>}
    >
      <ErrorAlert error={error} />
      {p ? (
        <Descriptions column={1} bordered size="small">
          <Descriptions.Item label={t('provision.status')}>
            <Tag className={p.closedAt ? 'tag-active' : 'tag-locked'} data-provision-status={p.closedAt ? 'received' : 'sent'}>
              {p.closedAt ? t('provision.status.received') : t('provision.status.sent')}
            </Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t('provision.recipient')}>{p.recipient}</Descriptions.Item>
          <Descriptions.Item label={t('provision.executedBy')}>{p.executedBy.name}</Descriptions.Item>
          <Descriptions.Item label={t('provision.executedAt')}>{formatDateTime(p.executedAt)}</Descriptions.Item>
          {p.registerNumber !== null ? (
            <Descriptions.Item label={t('provision.registerNumber')}>{`${p.registerNumber}/${p.registerYear ?? ''}`}</Descriptions.Item>
          ) : null}
          {p.receivedAt ? <Descriptions.Item label={t('provision.receivedAt')}>{formatDateTime(p.receivedAt)}</Descriptions.Item> : null}
        </Descriptions>
      ) : (
        <p className="muted">{v.can.execute ? t('provision.notYet') : t('provision.letterOnly')}</p>
      )}
      {p ? (
        <FormModal<{ receivedBy: string }>
          open={receiptOpen}
          title={t('provision.receiptTitle')}
          submitText={t('provision.recordReceipt')}
          onClose={() => setReceiptOpen(false)}
          onSubmit={async (values) => {
            await api.post(`/custody/${encodeURIComponent(p.custodyEventId)}/outside-receipt`, { receivedBy: values.receivedBy.trim() });
            await after();
            void message.success(t('provision.receiptRecorded'));
          }}
        >
          <Form.Item name="receivedBy" label={t('provision.receivedBy')} rules={[requiredRule(i, t('provision.receivedBy'))]}>
            <Input maxLength={200} />
          </Form.Item>
        </FormModal>
      ) : null}
    </Card>
  );
}
