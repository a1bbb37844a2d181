import { useEffect, useState } from 'react';
import dayjs, { type Dayjs } from 'dayjs';
import { Alert, Button, DatePicker, Form, Input, Modal } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CheckCircleOutlined, PrinterOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import type { IssueReply, IssuedCopy, Item } from '../../kit/types';
import { DataTable } from '../../kit/DataTable';
import { ErrorAlert } from '../../kit/ui';
import { requiredDateRule, requiredRule } from '../../kit/validation';
import { EnvelopeView } from './EnvelopeView';

interface IssueForm {
  symbol: string;
  documentDate: Dayjs;
  signerName: string;
}

/**
 * The clerk numbers the approved item and sends its copies: ký hiệu, date and signer in; the
 * numbered copies, their outgoing-register numbers and the envelopes to make come back.
 */
export function IssueDialog({
  item,
  open,
  signerHint,
  onClose,
  onIssued,
}: {
  item: Item;
  open: boolean;
  signerHint?: string;
  onClose: () => void;
  onIssued: () => void;
}) {
  const i = useI18n();
  const { t } = i;
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<IssueReply | null>(null);
  const [form] = Form.useForm<IssueForm>();
  // The approver's name may arrive after the dialog opened: fill the signer once, if still empty.
  useEffect(() => {
    if (open && signerHint && !form.getFieldValue('signerName')) form.setFieldsValue({ signerName: signerHint });
  }, [open, signerHint, form]);
  useEffect(() => {
    if (open) {
      setError(null);
      setResult(null);
    }
  }, [open]);

  const columns: ColumnsType<IssuedCopy> = [
    { title: t('copy.label'), dataIndex: 'label', key: 'label', width: 120 },
    { title: t('issue.recipient'), dataIndex: 'recipient', key: 'recipient', width: 220 },
    {
      title: t('issue.registerNumber'),
      key: 'reg',
      width: 140,
      render: (_v, c) =>
        c.registerNumber !== null ? <strong className="register-no">{c.registerNumber}</strong> : <span className="muted">{t('issue.kept')}</span>,
    },
    {
      title: t('issue.envelopes'),
      key: 'env',
      render: (_v, c) =>
        c.envelopes.length ? (
          <div className="envelopes">
            {c.envelopes.map((e) => (
              <EnvelopeView key={e.layer} envelope={e} />
            ))}
          </div>
        ) : (
          <span className="muted">{t('issue.noEnvelope')}</span>
        ),
    },
  ];

  return (
    <Modal open={open} title={t('issue.title')} onCancel={onClose} footer={null} destroyOnHidden width={result ? 980 : 560} maskClosable={false}>
      {result ? (
        <div aria-live="polite">
          <Alert
            type="success"
            showIcon
            icon={<CheckCircleOutlined aria-hidden="true" />}
            className="dialog-alert"
            title={t('issue.done', { numberSymbol: result.item.numberSymbol ?? '' })}
            description={t('issue.doneHint')}
          />
          <DataTable<IssuedCopy>
            className="issue-result"
            caption={t('issue.resultCaption')}
            rowKey="copyId"
            columns={columns}
            dataSource={result.copies}
            size="small"
          />
          <div className="form-actions">
            <Button icon={<PrinterOutlined aria-hidden="true" />} href={`/api/items/${item.id}/envelopes.pdf`} download>
              {t('issue.printEnvelopes')}
            </Button>
            <Button type="primary" onClick={onClose} autoFocus>
              {t('common.close')}
            </Button>
          </div>
        </div>
      ) : (
        <Form<IssueForm>
          form={form}
          layout="vertical"
          requiredMark
          initialValues={{ documentDate: dayjs(), signerName: signerHint ?? '' }}
          onFinish={async (v) => {
            setBusy(true);
            setError(null);
            try {
              const r = await api.post<IssueReply>(`/items/${item.id}/issue`, {
                symbol: v.symbol.trim(),
                documentDate: v.documentDate.format('YYYY-MM-DD'),
                signerName: v.signerName.trim(),
              });
              setResult(r);
              onIssued();
            } catch (e) {
              setError(e);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Alert type="info" showIcon className="dialog-alert" title={t('issue.hint', { copies: item.copiesPlanned })} />
          <Form.Item name="symbol" label={t('issue.symbol')} extra={t('issue.symbolHint')} rules={[requiredRule(i, t('issue.symbol'))]}>
            <Input maxLength={60} autoFocus placeholder={t('issue.symbolPh')} />
          </Form.Item>
          <Form.Item name="documentDate" label={t('item.documentDate')} rules={[requiredDateRule(i, t('item.documentDate'))]}>
            <DatePicker format="DD/MM/YYYY" placeholder={t('audit.datePh')} />
          </Form.Item>
          <Form.Item name="signerName" label={t('item.signer')} rules={[requiredRule(i, t('item.signer'))]}>
            <Input maxLength={120} />
          </Form.Item>
          <ErrorAlert error={error} />
          <div className="form-actions">
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('issue.submit')}
            </Button>
          </div>
        </Form>
      )}
    </Modal>
  );
}
