import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { App, Button, Card, Descriptions, Form, Input, InputNumber, Select, Table } from 'antd';
import { CopyOutlined, FilePdfOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { formatDateTime } from '../../kit/format';
import { useI18n, type MessageKey } from '../../kit/i18n';
import { ErrorAlert, FormModal, useTableCaption } from '../../kit/ui';
import { requiredRule } from '../../kit/validation';
import { LevelTag } from '../items/labels';
import { COPY_EXECUTION_KEY, partLevels, type CopyExecutionForm, type CopyExecutionView } from './copyExecution';

interface FormValues {
  form: CopyExecutionForm;
  quantity: number;
  equipment: string;
  spoiled: number;
  spoiledNote?: string;
  partLevel?: string;
}

type CopyRow = NonNullable<CopyExecutionView['execution']>['copies'][number];

/**
 * The copying side of an approved copy / photograph / extract request's page: "Thực hiện sao,
 * chụp" for the clerk who may make the copies (equipment, form, spoiled copies and their note, the
 * extract's level), then the copies made — number, holder, verification id, the PDF where this
 * person may download it — and a photograph's Mẫu 13 record.
 */
export function CopyExecutionCard({ requestId, onChanged }: { requestId: string; onChanged: () => Promise<unknown> }) {
  const i = useI18n();
  const { t } = i;
  const qc = useQueryClient();
  const { message } = App.useApp();
  const key = [...COPY_EXECUTION_KEY, requestId];
  const q = useQuery({ queryKey: key, queryFn: () => api.get<CopyExecutionView>(`/requests/${encodeURIComponent(requestId)}/copy-execution`) });
  const [open, setOpen] = useState(false);
  const caption = useTableCaption(t('copyExec.copiesCaption'));
  const v = q.data;
  if (!v) return <ErrorAlert error={q.error} />;
  const done = v.execution;
  if (!done && !v.can.execute) return null;
  const formLabel = (f: CopyExecutionForm) => t(`copyExec.form.${f}` as MessageKey);
  const columns = [
    { title: t('copyExec.copy'), dataIndex: 'label', key: 'label' },
    { title: t('copyExec.holder'), dataIndex: 'holder', key: 'holder' },
    {
      title: t('copyExec.verificationId'),
      key: 'verificationId',
      render: (_: unknown, c: CopyRow) => <code className="verification-id">{c.verificationId ?? ''}</code>,
    },
    {
      title: t('copyExec.file'),
      key: 'file',
      render: (_: unknown, c: CopyRow) =>
        c.canDownload ? (
          <a
            className="copy-file-link"
            href={`/api/copies/${encodeURIComponent(c.id)}/file`}
            download={`ban-sao-so-${c.number}.pdf`}
            aria-label={t('copyExec.downloadName', { label: c.label })}
          >
            <FilePdfOutlined aria-hidden="true" /> {c.label}
          </a>
        ) : (
          <span className="muted">{c.hasFile ? t('copyExec.noAccess') : t('copyExec.noFile')}</span>
        ),
    },
  ];
  return (
    <Card
      className="request-card copy-execution-card"
      title={<h2 className="card-h2">{t('copyExec.cardTitle')}</h2>}
      extra={
        v.can.execute ? (
          <Button type="primary" icon={<CopyOutlined aria-hidden="true" />} onClick={() => setOpen(true)}>
            {t('copyExec.open')}
          </Button>
        ) : null
      }
    >
      {done ? (
        <>
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t('copyExec.form')}>{formLabel(done.form)}</Descriptions.Item>
            <Descriptions.Item label={t('copyExec.equipment')}>{done.equipment}</Descriptions.Item>
            <Descriptions.Item label={t('copyExec.executedBy')}>{done.executedBy.name}</Descriptions.Item>
            <Descriptions.Item label={t('copyExec.executedAt')}>{formatDateTime(done.executedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('copyExec.spoiledDone')}>{`${done.spoiled}${done.spoiledNote ? ` — ${done.spoiledNote}` : ''}`}</Descriptions.Item>
            {done.extract ? (
              <Descriptions.Item label={t('copyExec.extract')}>
                <Link to={`/items/${encodeURIComponent(done.extract.id)}`}>{[done.extract.docType, done.extract.numberSymbol].filter(Boolean).join(' ')}</Link>{' '}
                <LevelTag level={done.extract.level} />
              </Descriptions.Item>
            ) : null}
            {done.photoRecord ? (
              <Descriptions.Item label={t('copyExec.photoRecord')}>
                <Button
                  icon={<FilePdfOutlined aria-hidden="true" />}
                  href={`/api/requests/${encodeURIComponent(requestId)}/photo-record`}
                  download
                  className="photo-record-link"
                >
                  {t('copyExec.photoRecord')}
                </Button>
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <Table<CopyRow>
            className="copies-made-table"
            style={{ marginTop: 16 }}
            components={caption}
            rowKey="id"
            columns={columns}
            dataSource={done.copies}
            size="small"
            bordered
            pagination={false}
          />
        </>
      ) : (
        <>
          <p className="muted">{t('copyExec.notYet')}</p>
          {v.type === 'copy' ? <p className="muted">{t(v.electronicOriginal ? 'copyExec.electronic' : 'copyExec.notElectronic')}</p> : null}
        </>
      )}
      <FormModal<FormValues>
        open={open}
        title={t('copyExec.open')}
        submitText={t('copyExec.submit')}
        initialValues={{ form: v.requestedForm ?? v.forms[0], quantity: v.approvedQuantity ?? 1, spoiled: 0 }}
        onClose={() => setOpen(false)}
        onSubmit={async (values) => {
          const next = await api.post<CopyExecutionView>(`/requests/${encodeURIComponent(requestId)}/copy-execution`, {
            form: values.form,
            quantity: values.quantity,
            equipment: values.equipment.trim(),
            spoiled: values.spoiled ?? 0,
            ...(values.spoiledNote?.trim() ? { spoiledNote: values.spoiledNote.trim() } : {}),
            ...(v.type === 'extract' && values.partLevel ? { partLevel: values.partLevel } : {}),
          });
          qc.setQueryData(key, next);
          await onChanged();
          void message.success(t('copyExec.done'));
        }}
      >
        <Form.Item name="equipment" label={t('copyExec.equipment')} extra={t('copyExec.equipmentHint')} rules={[requiredRule(i, t('copyExec.equipment'))]}>
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="form" label={t('copyExec.form')} rules={[requiredRule(i, t('copyExec.form'), true)]}>
          <Select options={v.forms.map((f) => ({ value: f, label: formLabel(f) }))} aria-label={t('copyExec.form')} />
        </Form.Item>
        <Form.Item name="quantity" label={t('copyExec.quantity')} rules={[{ ...requiredRule(i, t('copyExec.quantity'), true), type: 'number' }]}>
          <InputNumber min={1} max={100} precision={0} aria-label={t('copyExec.quantity')} />
        </Form.Item>
        {v.type === 'extract' ? (
          <Form.Item
            name="partLevel"
            label={t('copyExec.partLevel')}
            extra={t('copyExec.partLevelHint')}
            rules={[requiredRule(i, t('copyExec.partLevel'), true)]}
          >
            <Select options={partLevels(v.sourceLevel).map((l) => ({ value: l, label: i.clearanceLabel(l) }))} aria-label={t('copyExec.partLevel')} />
          </Form.Item>
        ) : null}
        <Form.Item name="spoiled" label={t('copyExec.spoiled')}>
          <InputNumber min={0} max={100} precision={0} aria-label={t('copyExec.spoiled')} />
        </Form.Item>
        <Form.Item name="spoiledNote" label={t('copyExec.spoiledNote')} extra={t('copyExec.spoiledNoteHint')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
