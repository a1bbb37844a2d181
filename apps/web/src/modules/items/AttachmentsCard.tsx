import { useRef } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CloudUploadOutlined, DeleteOutlined, DownloadOutlined, LockOutlined } from '@ant-design/icons';
import { api, ApiError } from '../../kit/api';
import { DataTable } from '../../kit/DataTable';
import { formatDateTime } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import type { Attachment, AttachmentList, Item } from '../../kit/types';
import { ErrorAlert } from '../../kit/ui';
import { FilePicker, UploadProgress, useFileUpload } from '../../kit/upload';
import { fileSizeText, fileTypeLabel, UPLOAD_ACCEPT } from './files';

export const attachmentsKey = (itemId: string) => ['items', 'attachments', itemId] as const;

/**
 * "Tệp đính kèm" of an electronic document: the list (names only for those who may read the
 * content), downloads (each one audited by the server), and for the drafter while the item is a
 * draft or returned, upload with progress and removal.
 */
export function AttachmentsCard({ item, canEdit }: { item: Item; canEdit: boolean }) {
  const i = useI18n();
  const { t } = i;
  const qc = useQueryClient();
  const { message, modal } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const up = useFileUpload(t('attach.badType'));
  const { setError } = up;
  const q = useQuery({ queryKey: attachmentsKey(item.id), queryFn: () => api.get<AttachmentList>(`/items/${item.id}/attachments`) });
  const files = q.data?.files ?? [];
  const count = q.data?.count ?? 0;
  const hidden = !!q.data && files.length === 0 && count > 0;

  const upload = () =>
    up.send(`/items/${item.id}/attachments`, async (_saved, sent) => {
      up.choose(null);
      if (input.current) input.current.value = '';
      await qc.invalidateQueries({ queryKey: attachmentsKey(item.id) });
      void qc.invalidateQueries({ queryKey: ['items', 'one', item.id] });
      void message.success(t('attach.uploaded', { name: sent.name }));
    });

  const remove = (f: Attachment) =>
    modal.confirm({
      title: t('attach.removeTitle', { name: f.fileName }),
      content: t('attach.removeConfirm'),
      okText: t('attach.remove'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        setError(null);
        try {
          await api.delete(`/items/${item.id}/attachments/${encodeURIComponent(f.id)}`);
          await qc.invalidateQueries({ queryKey: attachmentsKey(item.id) });
          void qc.invalidateQueries({ queryKey: ['items', 'one', item.id] });
          void message.success(t('attach.removed'));
        } catch (e) {
          setError(e);
        }
      },
    });

  const columns: ColumnsType<Attachment> = [
    {
      title: t('attach.file'),
      key: 'name',
      render: (_v, f) => (
        <a
          className="attachment-link"
          href={`/api/items/${item.id}/attachments/${encodeURIComponent(f.id)}`}
          download={f.fileName}
          aria-label={t('attach.downloadName', { name: f.fileName })}
        >
          <DownloadOutlined aria-hidden="true" /> {f.fileName}
        </a>
      ),
    },
    { title: t('attach.type'), key: 'type', width: 120, render: (_v, f) => fileTypeLabel(f.mediaType, f.fileName) },
    { title: t('attach.size'), key: 'size', width: 115, align: 'right', render: (_v, f) => <span className="nowrap">{fileSizeText(f.size, i.lang)}</span> },
    {
      title: t('attach.uploadedBy'),
      key: 'by',
      width: 220,
      render: (_v, f) => (
        <div className="small">
          <div>{f.uploadedBy.name}</div>
          <div className="muted">{formatDateTime(f.uploadedAt)}</div>
        </div>
      ),
    },
    {
      title: t('attach.sha256'),
      key: 'sha',
      width: 150,
      render: (_v, f) => (
        <code className="sha" title={f.sha256}>
          {f.sha256.slice(0, 12)}…
        </code>
      ),
    },
  ];
  if (canEdit) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      render: (_v, f) => (
        <Button
          size="small"
          danger
          icon={<DeleteOutlined aria-hidden="true" />}
          onClick={() => remove(f)}
          aria-label={t('attach.removeName', { name: f.fileName })}
        >
          {t('attach.remove')}
        </Button>
      ),
    });
  }

  const unavailable = q.error instanceof ApiError && q.error.status === 404 && !q.error.fromServer;

  return (
    <Card className="card-gap attachments-card" title={<h2 className="card-h2">{t('attach.title')}</h2>}>
      <p className="muted">{t('attach.hint')}</p>
      {unavailable ? <Alert type="info" showIcon title={t('attach.unavailable')} /> : <ErrorAlert error={q.error} />}
      {hidden ? (
        <Alert
          type="info"
          showIcon
          icon={<LockOutlined aria-hidden="true" />}
          className="dialog-alert attachments-hidden"
          title={t('attach.hidden', { count })}
        />
      ) : (
        <DataTable<Attachment>
          className="attachments-table"
          caption={t('attach.caption')}
          rowKey="id"
          size="small"
          loading={q.isPending && !q.isError}
          columns={columns}
          dataSource={files}
          empty={canEdit ? t('attach.emptyDrafter') : t('attach.empty')}
        />
      )}
      {canEdit ? (
        <form
          className="attach-upload card-gap-sm"
          onSubmit={(e) => {
            e.preventDefault();
            void upload();
          }}
        >
          <FilePicker id="attach-file" inputRef={input} label={t('attach.chooseLabel')} accept={UPLOAD_ACCEPT} help={t('attach.accepted')} {...up.picker}>
            <Button type="primary" htmlType="submit" icon={<CloudUploadOutlined aria-hidden="true" />} loading={up.busy} disabled={up.busy}>
              {t('attach.upload')}
            </Button>
          </FilePicker>
          <UploadProgress progress={up.progress} />
        </form>
      ) : null}
      <div aria-live="polite">
        <ErrorAlert error={up.error} />
      </div>
    </Card>
  );
}
