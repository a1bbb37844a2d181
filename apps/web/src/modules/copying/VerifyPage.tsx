import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Alert, Button, Card, Col, Descriptions, Input, Row } from 'antd';
import type { Level } from '@khomat/policy';
import type { CopyStatus } from '../../kit/types';
import { api, uploadFile } from '../../kit/api';
import { formatCivilDate } from '../../kit/format';
import { useI18n } from '../../kit/i18n';
import { ErrorAlert, PageTitle } from '../../kit/ui';
import { FilePicker, UploadProgress } from '../../kit/upload';
import { CopyStatusTag, LevelTag } from '../items/labels';

// "Tra cứu bản sao" (issue 13 point 4): from the id printed beside the QR code of a copy KhoMật
// produced — typed, or opened as /verify/<id> — or from a photo or scan of the page, the security
// officer and the agency head see the item, the copy and who holds it. The server decides who may
// (and answers everyone else as for an unknown id); this page only asks.

export interface CopyTrace {
  verificationId: string;
  item: {
    id: string;
    numberSymbol: string | null;
    documentDate: string | null;
    docType: string;
    level: Level | null;
    summary: string | null;
    summaryHidden: boolean;
  };
  copy: { id: string; number: number; total: number; label: string; status: CopyStatus };
  holder: { kind: 'user' | 'unit' | 'outside'; name: string | null; unitName: string | null };
}

const IMAGE_TYPES = 'image/jpeg,image/png,.jpg,.jpeg,.png';

export function VerifyPage() {
  const { t } = useI18n();
  const { id } = useParams();
  const navigate = useNavigate();
  const [typed, setTyped] = useState(id ?? '');
  const [idError, setIdError] = useState<string | null>(null);
  const [result, setResult] = useState<CopyTrace | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);

  // The id in the address (/verify/<id>, what a phone opens from the QR code's id) is looked up at once.
  useEffect(() => {
    if (!id) return;
    setTyped(id);
    setBusy(true);
    setError(null);
    setResult(null);
    api
      .get<CopyTrace>(`/copies/verify/${encodeURIComponent(id)}`)
      .then(setResult, setError)
      .finally(() => setBusy(false));
  }, [id]);

  const lookUp = (e: FormEvent) => {
    e.preventDefault();
    const v = typed.trim();
    setIdError(v ? null : t('verify.idRequired'));
    if (!v) return;
    navigate(`/verify/${encodeURIComponent(v)}`);
  };

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setFileError(null);
    if (!file) {
      setFileError(t('verify.fileRequired'));
      return;
    }
    setError(null);
    setResult(null);
    setProgress(0);
    try {
      const r = await uploadFile<CopyTrace>('/copies/verify', file, { onProgress: setProgress });
      setResult(r);
      setTyped(r.verificationId);
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  };

  return (
    <>
      <PageTitle title={t('verify.title')} intro={t('verify.intro')} />
      <Row gutter={[24, 24]}>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-h2">{t('verify.byId')}</h2>}>
            <form onSubmit={lookUp} className="verify-form">
              <label htmlFor="verify-id" className="field-label">
                {t('verify.idLabel')}
              </label>
              <div className="file-picker">
                <Input
                  id="verify-id"
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby="verify-id-help"
                />
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('verify.lookUp')}
                </Button>
              </div>
              <div id="verify-id-help" className={idError ? 'field-error' : 'field-help'} role={idError ? 'alert' : undefined}>
                {idError ?? t('verify.idHelp')}
              </div>
            </form>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={<h2 className="card-h2">{t('verify.byImage')}</h2>}>
            <form onSubmit={send}>
              <FilePicker
                id="verify-image"
                label={t('verify.imageLabel')}
                accept={IMAGE_TYPES}
                file={file}
                onChoose={setFile}
                help={t('verify.imageHelp')}
                error={fileError}
                withSize
              >
                <Button type="primary" htmlType="submit" loading={progress !== null}>
                  {t('verify.read')}
                </Button>
              </FilePicker>
              <UploadProgress progress={progress} />
            </form>
          </Card>
        </Col>
        <Col span={24} aria-live="polite">
          <ErrorAlert error={error} />
          {result ? <TraceCard trace={result} /> : null}
        </Col>
      </Row>
    </>
  );
}

function TraceCard({ trace }: { trace: CopyTrace }) {
  const { t } = useI18n();
  const { item, copy, holder } = trace;
  const holderText =
    holder.kind === 'user' && holder.unitName
      ? `${holder.name ?? ''} — ${holder.unitName}`
      : holder.kind === 'outside'
        ? `${holder.name ?? ''} (${t('verify.outside')})`
        : (holder.name ?? '');
  return (
    <Card title={<h2 className="card-h2">{t('verify.found', { label: copy.label, number: item.numberSymbol ?? t('verify.noNumber') })}</h2>}>
      <Alert type="warning" showIcon className="form-error" title={t('verify.foundNote')} />
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'holder', label: t('verify.holder'), children: <strong>{holderText}</strong> },
          { key: 'copy', label: t('verify.copy'), children: copy.label },
          { key: 'status', label: t('verify.copyStatus'), children: <CopyStatusTag status={copy.status} /> },
          {
            key: 'item',
            label: t('item.numberSymbol'),
            children: <Link to={`/items/${item.id}`}>{item.numberSymbol ?? t('verify.noNumber')}</Link>,
          },
          { key: 'date', label: t('item.documentDate'), children: formatCivilDate(item.documentDate) },
          { key: 'type', label: t('item.docType'), children: item.docType },
          { key: 'level', label: t('item.level'), children: <LevelTag level={item.level} /> },
          {
            key: 'summary',
            label: t('item.summary'),
            children: item.summary ?? (item.summaryHidden ? t('registers.summaryHidden') : t('registers.summaryNone')),
          },
          { key: 'vid', label: t('verify.idLabel'), children: <code>{trace.verificationId}</code> },
        ]}
      />
    </Card>
  );
}
