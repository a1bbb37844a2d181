import { useEffect, useId } from 'react';
import { Button, Modal } from 'antd';
import { CloudUploadOutlined, DownloadOutlined, PaperClipOutlined } from '@ant-design/icons';
import { useI18n } from '../../kit/i18n';
import type { Attachment, HistoryEvent } from '../../kit/types';
import { ErrorAlert } from '../../kit/ui';
import { FilePicker, UploadProgress, useFileUpload } from '../../kit/upload';
import { fileSizeText, RECEIPT_SCAN_ACCEPT } from './files';

// The scan of a signed receipt page (POST/GET /api/custody/:id/receipt-scan): the person who
// confirmed the receipt (for an outside body, the clerk who recorded it) attaches it once; register
// readers and the signer download it. The GET is audited as a read: it is only ever a plain link.

export const receiptScanUrl = (eventId: string) => `/api/custody/${encodeURIComponent(eventId)}/receipt-scan`;

/** Download link of an event's scan (a plain link: the server audits the read and names the file). */
export function ReceiptScanLink({ eventId, scan }: { eventId: string; scan: NonNullable<HistoryEvent['receiptScan']> }) {
  const i = useI18n();
  return (
    <a
      className="attachment-link receipt-scan-link"
      href={receiptScanUrl(eventId)}
      download={scan.fileName}
      aria-label={i.t('receiptScan.downloadName', { name: scan.fileName })}
    >
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
export function ReceiptScanDialog({
  eventId,
  subject,
  open,
  onClose,
  onUploaded,
}: {
  eventId: string | null;
  subject?: string;
  open: boolean;
  onClose: () => void;
  onUploaded: (f: Attachment) => void;
}) {
  const { t } = useI18n();
  const uid = useId().replace(/:/g, '');
  const inputId = `receipt-scan-file-${uid}`;
  const up = useFileUpload(t('receiptScan.badType'));
  const { busy, reset } = up;

  useEffect(() => {
    if (open) reset();
  }, [open, eventId, reset]);

  const upload = async () => {
    if (!eventId) return;
    await up.send<Attachment>(`/custody/${encodeURIComponent(eventId)}/receipt-scan`, (saved) => {
      onUploaded(saved);
      onClose();
    });
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
        <FilePicker id={inputId} label={t('receiptScan.chooseLabel')} accept={RECEIPT_SCAN_ACCEPT} help={t('receiptScan.accepted')} {...up.picker} />
        <UploadProgress progress={up.progress} />
        <div aria-live="polite">
          <ErrorAlert error={up.error} />
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
