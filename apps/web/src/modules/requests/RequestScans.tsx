import { useId } from 'react';
import { App, Button, Card } from 'antd';
import { CloudUploadOutlined, DownloadOutlined } from '@ant-design/icons';
import { formatDateTime } from '../../kit/format';
import { useI18n, type MessageKey } from '../../kit/i18n';
import { ErrorAlert } from '../../kit/ui';
import { FilePicker, UploadProgress, useFileUpload } from '../../kit/upload';
import { fileSizeText, RECEIPT_SCAN_ACCEPT } from '../items/files';
import type { RequestScanKind, RequestView } from './requests';

// The scans kept with a request (POST/GET /api/requests/:id/scans/:kind): the requesting body's
// written request of a provision (Mẫu 17), the higher authority's written decision of a request
// routed outside the agency. The server says who may upload (can.uploadScans); the download is a
// plain link (the server audits the read and names the file).

const scanUrl = (requestId: string, kind: RequestScanKind) => `/requests/${encodeURIComponent(requestId)}/scans/${kind}`;

/** The kinds of scan this request keeps. */
function kindsOf(r: RequestView): RequestScanKind[] {
  const kinds: RequestScanKind[] = [];
  if (r.type === 'provide_domestic' || r.type === 'provide_foreign') kinds.push('written_request');
  if (r.route === 'higher_authority') kinds.push('outside_decision');
  return kinds;
}

/** "Văn bản đề nghị (bản chụp)" / "Văn bản quyết định của cấp có thẩm quyền (bản chụp)": download, and upload where allowed. */
export function RequestScans({ request: r, onChanged }: { request: RequestView; onChanged: () => unknown }) {
  const kinds = kindsOf(r);
  if (kinds.length === 0) return null;
  return (
    <>
      {kinds.map((kind) => (
        <ScanCard key={kind} request={r} kind={kind} onChanged={onChanged} />
      ))}
    </>
  );
}

function ScanCard({ request: r, kind, onChanged }: { request: RequestView; kind: RequestScanKind; onChanged: () => unknown }) {
  const i = useI18n();
  const { t } = i;
  const { message } = App.useApp();
  const inputId = `request-scan-${kind}-${useId().replace(/:/g, '')}`;
  const up = useFileUpload(t('receiptScan.badType'));
  const scan = r.scans.find((s) => s.kind === kind);
  const mayUpload = r.can.uploadScans.includes(kind);
  const title = t(`request.scan.${kind}` as MessageKey);
  return (
    <Card className="request-card request-scan" data-kind={kind} title={<h2 className="card-h2">{title}</h2>}>
      {scan ? (
        <p>
          <a className="attachment-link" href={`/api${scanUrl(r.id, kind)}`} download={scan.fileName}>
            <DownloadOutlined aria-hidden="true" /> {scan.fileName}
          </a>{' '}
          <span className="muted nowrap">
            ({fileSizeText(scan.size, i.lang)}, {formatDateTime(scan.uploadedAt)})
          </span>
        </p>
      ) : (
        <p className="muted">{t('request.scan.none')}</p>
      )}
      {mayUpload ? (
        <form
          className="attach-upload"
          onSubmit={(e) => {
            e.preventDefault();
            void up.send(scanUrl(r.id, kind), async () => {
              up.reset();
              void message.success(t('request.scan.uploaded'));
              await onChanged();
            });
          }}
        >
          <FilePicker
            id={inputId}
            label={scan ? t('request.scan.replace') : t('request.scan.upload')}
            accept={RECEIPT_SCAN_ACCEPT}
            help={t('request.scan.hint')}
            {...up.picker}
          >
            <Button type="primary" htmlType="submit" icon={<CloudUploadOutlined aria-hidden="true" />} loading={up.busy}>
              {t('attach.upload')}
            </Button>
          </FilePicker>
          <UploadProgress progress={up.progress} />
          <div aria-live="polite">
            <ErrorAlert error={up.error} />
          </div>
        </form>
      ) : null}
    </Card>
  );
}
