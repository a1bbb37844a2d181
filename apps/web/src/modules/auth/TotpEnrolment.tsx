import { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Col, Form, Row, Spin } from 'antd';
import { api } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import type { SessionState, TotpEnrolment as Enrolment } from '../../kit/types';
import { ErrorAlert } from '../../kit/ui';
import { TotpCodeField } from './TotpCodeField';

function groupSecret(secret: string): string {
  return secret
    .replace(/\s+/g, '')
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

/**
 * Asks the server for a new TOTP secret, shows its QR code (an SVG drawn by the server, nothing
 * loaded from outside) and the secret for manual entry, then confirms with a code.
 */
export function TotpEnrolment({ onDone }: { onDone: (s: SessionState) => void }) {
  const { t } = useI18n();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);

  const start = useCallback(async () => {
    setLoadError(null);
    setEnrolment(null);
    try {
      setEnrolment(await api.post<Enrolment>('/auth/totp/enrolment'));
    } catch (e) {
      setLoadError(e);
    }
  }, []);

  useEffect(() => {
    // One secret per visit (React may run effects twice in development).
    if (started.current) return;
    started.current = true;
    void start();
  }, [start]);

  const confirm = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api.post<SessionState>('/auth/totp/enrolment/confirm', { code: v.code }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    return (
      <>
        <ErrorAlert error={loadError} />
        <Button onClick={() => void start()}>{t('enrol.retry')}</Button>
      </>
    );
  }
  if (!enrolment) {
    return (
      <div className="enrol-loading" role="status">
        <Spin /> <span>{t('enrol.loadingSecret')}</span>
      </div>
    );
  }
  return (
    <Row gutter={[32, 16]} className="enrol">
      <Col xs={24} md={10}>
        <div className="qr-box" role="img" aria-label={t('enrol.qr')} dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }} />
      </Col>
      <Col xs={24} md={14}>
        <ol className="enrol-steps">
          <li>{t('enrol.step1')}</li>
          <li>{t('enrol.step2')}</li>
          <li>{t('enrol.step3')}</li>
        </ol>
        <div className="secret-block">
          <div className="secret-label">{t('enrol.secret')}</div>
          <code className="totp-secret">{groupSecret(enrolment.secret)}</code>
          <div className="secret-hint">{t('enrol.secretHint')}</div>
        </div>
        <Form layout="vertical" onFinish={confirm} requiredMark={false}>
          <TotpCodeField />
          <ErrorAlert error={error} />
          <Button type="primary" htmlType="submit" loading={busy} size="large">
            {t('enrol.submit')}
          </Button>
        </Form>
      </Col>
    </Row>
  );
}
