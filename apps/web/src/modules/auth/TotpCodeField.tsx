import { Form, Input } from 'antd';
import { useI18n } from '../../kit/i18n';

/** The 6-digit code field used by sign-in and enrolment. */
export function TotpCodeField({ autoFocus }: { autoFocus?: boolean }) {
  const { t } = useI18n();
  return (
    <Form.Item
      name="code"
      label={t('totp.code')}
      normalize={(v: string) => v.replace(/\D/g, '').slice(0, 6)}
      rules={[
        { required: true, message: t('totp.codeRequired') },
        { pattern: /^\d{6}$/, message: t('totp.codeFormat') },
      ]}
    >
      <Input className="totp-input" inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus={autoFocus} size="large" />
    </Form.Item>
  );
}
