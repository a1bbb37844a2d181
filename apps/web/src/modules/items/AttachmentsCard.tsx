import { useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Progress, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { CloudUploadOutlined, DeleteOutlined, DownloadOutlined, FolderOpenOutlined, LockOutlined } from '@ant-design/icons';
import { api, ApiError, uploadFile } from '../../app/api';
import { formatDateTime } from '../../app/format';
import { useI18n } from '../../app/i18n';
import type { Attachment, AttachmentList, Item } from '../../app/types';
import { ErrorAlert, useTableCaption } from '../../app/ui';
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
  const caption = useTableCaption(t('attach.caption'));
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const q = useQuery({ queryKey: attachmentsKey(item.id), queryFn: () => api.get<AttachmentList>(`/items/${item.id}/attachments`) });
  const files = q.data?.files ?? [];
  const count = q.data?.count ?? 0;
  const hidden = !!q.data && files.length === 0 && count > 0;

  const upload = async () => {
    setError(null);
    setLocalError(null);
    if (!file) {
      setLocalError(t('attach.fileRequired'));
      return;
    }
    if (file.size === 0) {
      setLocalError(t('attach.fileEmpty'));
      return;
    }
    setProgress(0);
    try {
      await uploadFile(`/items/${item.id}/attachments`, file, { query: { name: file.name, type: file.type || undefined }, onProgress: setProgress });
      setFile(null);
      if (input.current) input.current.value = '';
      await qc.invalidateQueries({ queryKey: attachmentsKey(item.id) });
      void qc.invalidateQueries({ queryKey: ['items', 'one', item.id] });
      void message.success(t('attach.uploaded', { name: file.name }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 413) setLocalError(e.fromServer ? e.message : t('attach.tooLarge'));
      else if (e instanceof ApiError && (e.status === 422 || e.status === 415) && !e.fromServer) setLocalError(t('attach.badType'));
      else if (e instanceof ApiError && e.status === 0 && e.code === 'client.network') setLocalError(t('attach.network'));
      else setError(e);
    } finally {
      setProgress(null);
    }
  };

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
        <a className="attachment-link" href={`/api/items/${item.id}/attachments/${encodeURIComponent(f.id)}`} download={f.fileName} aria-label={t('attach.downloadName', { name: f.fileName })}>
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
        <Button size="small" danger icon={<DeleteOutlined aria-hidden="true" />} onClick={() => remove(f)} aria-label={t('attach.removeName', { name: f.fileName })}>
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
        <Alert type="info" showIcon icon={<LockOutlined aria-hidden="true" />} className="dialog-alert attachments-hidden" title={t('attach.hidden', { count })} />
      ) : (
        <Table<Attachment>
          className="attachments-table"
          components={caption}
          rowKey="id"
          size="small"
          bordered
          loading={q.isPending && !q.isError}
          pagination={false}
          columns={columns}
          dataSource={files}
          locale={{ emptyText: <div className="empty-text">{canEdit ? t('attach.emptyDrafter') : t('attach.empty')}</div> }}
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
          <div className="file-field">
            <span className="field-label" id="attach-file-label">
              {t('attach.chooseLabel')}
            </span>
            <div className="file-picker">
              <input
                ref={input}
                id="attach-file"
                type="file"
                accept={UPLOAD_ACCEPT}
                className="sr-only"
                aria-labelledby="attach-file-label attach-file-button"
                aria-describedby="attach-file-help"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setError(null);
                  setLocalError(null);
                }}
              />
              <label htmlFor="attach-file" className="file-button" id="attach-file-button">
                <FolderOpenOutlined aria-hidden="true" /> {t('catalog.chooseFile')}
              </label>
              <span className="file-name">{file ? `${file.name} (${fileSizeText(file.size, i.lang)})` : t('catalog.noFile')}</span>
              <Button type="primary" htmlType="submit" icon={<CloudUploadOutlined aria-hidden="true" />} loading={progress !== null} disabled={progress !== null}>
                {t('attach.upload')}
              </Button>
            </div>
            <div id="attach-file-help" className={localError ? 'field-error' : 'field-help'} role={localError ? 'alert' : undefined}>
              {localError ?? t('attach.accepted')}
            </div>
          </div>
          {progress !== null ? (
            <div className="upload-progress" role="status">
              <span className="sr-only">{t('attach.uploading', { percent: Math.round(progress * 100) })}</span>
              <Progress percent={Math.round(progress * 100)} size="small" aria-hidden="true" />
            </div>
          ) : null}
        </form>
      ) : null}
      <div aria-live="polite">
        <ErrorAlert error={error} />
      </div>
    </Card>
  );
}
