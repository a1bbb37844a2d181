import { useEffect, useId, useState } from 'react';
import { Button, Modal, Progress } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, FolderOpenOutlined, PaperClipOutlined } from '@ant-design/icons';
import { ApiError, uploadFile } from '../../app/api';
import { useI18n } from '../../app/i18n';
import type { Attachment, HistoryEvent } from '../../app/types';
import { ErrorAlert } from '../../app/ui';
import { fileSizeText, RECEIPT_SCAN_ACCEPT } from './files';

// The scan of a signed receipt page (POST/GET /api/custody/:id/receipt-scan): the person who
// confirmed the receipt (for an outside body, the clerk who recorded it) attaches it once; register
// readers and the signer download it. The GET is audited as a read: it is only ever a plain link.

export const receiptScanUrl = (eventId: string) => `/api/custody/${encodeURIComponent(eventId)}/receipt-scan`;

/** Download link of an event's scan (a plain link: the server audits the read and names the file). */
export function ReceiptScanLink({ eventId, scan }: { eventId: string; scan: NonNullable<HistoryEvent['receiptScan']> }) {
  const i = useI18n();
  return (
    <a className="attachment-link receipt-scan-link" href={receiptScanUrl(eventId)} download={scan.fileName} aria-label={i.t('receiptScan.downloadName', { name: scan.fileName })}>
      <DownloadOutlined aria-hidden="true" /> {scan.fileName} <span className="muted nowrap">({fileSizeText(scan.size, i.lang)})</span>
    </a>
  );
}

/** The button that opens the upload dialog (in the history table, for the signer while none exists). */
export function ReceiptScanButton({ onClick, label }: { onClick: () => void; label?: string }) {
  const { t } = useI18n();
  return (
    <Button size="small" icon={<PaperClipOutlined aria-hidden="true" />} onClick={onClick} aria-label={label}>
      {t('receiptScan.attach')}
    </Button>
  );
}

/**
 * "Đính kèm bản quét phiếu ký nhận (không bắt buộc)": pick a PDF/JPEG/PNG/TIFF, then Tải lên;
 * Bỏ qua closes it. A refusal shows the server's own message and keeps the dialog open.
 */
export function ReceiptScanDialog({ eventId, subject, open, onClose, onUploaded }: { eventId: string | null; subject?: string; open: boolean; onClose: () => void; onUploaded: (f: Attachment) => void }) {
  const i = useI18n();
  const { t } = i;
  const uid = useId().replace(/:/g, '');
  const inputId = `receipt-scan-file-${uid}`;
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      setFile(null);
      setError(null);
      setLocalError(null);
      setProgress(null);
    }
  }, [open, eventId]);

  const busy = progress !== null;

  const upload = async () => {
    setError(null);
    setLocalError(null);
    if (!eventId) return;
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
      const saved = await uploadFile<Attachment>(`/custody/${encodeURIComponent(eventId)}/receipt-scan`, file, {
        query: { name: file.name, type: file.type || undefined },
        onProgress: setProgress,
      });
      setProgress(null);
      onUploaded(saved);
      onClose();
    } catch (e) {
      setProgress(null);
      if (e instanceof ApiError && e.status === 413) setLocalError(e.fromServer ? e.message : t('attach.tooLarge'));
      else if (e instanceof ApiError && (e.status === 422 || e.status === 415) && !e.fromServer) setLocalError(t('receiptScan.badType'));
      else if (e instanceof ApiError && e.status === 0 && e.code === 'client.network') setLocalError(t('attach.network'));
      else setError(e);
    }
  };

  return (
    <Modal
      open={open}
      title={t('receiptScan.dialogTitle')}
      onCancel={busy ? undefined : onClose}
      closable={!busy}
      footer={null}
      destroyOnHidden
      maskClosable={false}
      width={600}
      className="receipt-scan-dialog"
    >
      <form
        className="attach-upload"
        onSubmit={(e) => {
          e.preventDefault();
          void upload();
        }}
      >
        {subject ? <p className="receipt-scan-subject">{t('receiptScan.signedFor', { item: subject })}</p> : null}
        <p className="muted">{t('receiptScan.hint')}</p>
        <div className="file-field">
          <span className="field-label" id={`${inputId}-label`}>
            {t('receiptScan.chooseLabel')}
          </span>
          <div className="file-picker">
            <input
              id={inputId}
              type="file"
              accept={RECEIPT_SCAN_ACCEPT}
              className="sr-only"
              aria-labelledby={`${inputId}-label ${inputId}-button`}
              aria-describedby={`${inputId}-help`}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setError(null);
                setLocalError(null);
              }}
            />
            <label htmlFor={inputId} className="file-button" id={`${inputId}-button`}>
              <FolderOpenOutlined aria-hidden="true" /> {t('catalog.chooseFile')}
            </label>
            <span className="file-name">{file ? `${file.name} (${fileSizeText(file.size, i.lang)})` : t('catalog.noFile')}</span>
          </div>
          <div id={`${inputId}-help`} className={localError ? 'field-error' : 'field-help'} role={localError ? 'alert' : undefined}>
            {localError ?? t('receiptScan.accepted')}
          </div>
        </div>
        {busy ? (
          <div className="upload-progress" role="status">
            <span className="sr-only">{t('attach.uploading', { percent: Math.round(progress * 100) })}</span>
            <Progress percent={Math.round(progress * 100)} size="small" aria-hidden="true" />
          </div>
        ) : null}
        <div aria-live="polite">
          <ErrorAlert error={error} />
        </div>
        <div className="form-actions">
          <Button onClick={onClose} disabled={busy}>
            {t('receiptScan.skip')}
          </Button>
          <Button type="primary" htmlType="submit" icon={<CloudUploadOutlined aria-hidden="true" />} loading={busy}>
            {t('attach.upload')}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
