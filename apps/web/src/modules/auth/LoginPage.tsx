import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { applySession } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { PublicLayout } from '../../kit/PublicLayout';
import type { SessionState } from '../../kit/types';
import { ErrorAlert } from '../../kit/ui';
import { requiredRule } from '../../kit/validation';

export function LoginPage() {
  const i = useI18n();
  const { t } = i;
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      applySession(qc, await api.post<SessionState>('/auth/login', { username: v.username.trim(), password: v.password }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicLayout title={t('login.title')}>
      <Form layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item name="username" label={t('login.username')} rules={[requiredRule(i, t('login.username'))]}>
          <Input prefix={<UserOutlined aria-hidden="true" />} autoComplete="username" autoFocus size="large" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('common.required', { field: t('login.password').toLocaleLowerCase(i.lang) }) }]}
        >
          <Input.Password prefix={<LockOutlined aria-hidden="true" />} autoComplete="current-password" size="large" />
        </Form.Item>
        <ErrorAlert error={error} />
        <Button type="primary" htmlType="submit" loading={busy} block size="large" className="submit-block">
          {t('login.submit')}
        </Button>
      </Form>
    </PublicLayout>
  );
}
