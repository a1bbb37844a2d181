import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Space } from 'antd';
import { api } from '../../kit/api';
import { applySession, useLogout } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { PublicLayout } from '../../kit/PublicLayout';
import type { SessionState } from '../../kit/types';
import { ErrorAlert } from '../../kit/ui';
import { TotpCodeField } from './TotpCodeField';

export function TotpPage() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const logout = useLogout();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      applySession(qc, await api.post<SessionState>('/auth/totp', { code: v.code }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicLayout title={t('totp.title')} intro={t('totp.intro')}>
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <TotpCodeField autoFocus />
        <ErrorAlert error={error} />
        <Space orientation="vertical" className="full-width">
          <Button type="primary" htmlType="submit" loading={busy} block size="large">
            {t('totp.submit')}
          </Button>
          <Button type="link" block onClick={() => void logout()}>
            {t('totp.back')}
          </Button>
        </Space>
      </Form>
    </PublicLayout>
  );
}
