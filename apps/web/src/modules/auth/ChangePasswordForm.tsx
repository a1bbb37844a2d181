import { useState } from 'react';
import { Button, Form, Input } from 'antd';
import { api } from '../../kit/api';
import { useI18n } from '../../kit/i18n';
import { NewPasswordFields } from '../../kit/fields';
import { ErrorAlert } from '../../kit/ui';

interface Values {
  currentPassword: string;
  newPassword: string;
  newPassword2: string;
}

export function ChangePasswordForm({ onDone, autoFocus, block }: { onDone: () => void; autoFocus?: boolean; block?: boolean }) {
  const i = useI18n();
  const { t } = i;
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await api.post('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      form.resetFields();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<Values> form={form} layout="vertical" onFinish={submit} requiredMark className="narrow-form">
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('common.required', { field: t('password.current').toLocaleLowerCase(i.lang) }) }]}
      >
        <Input.Password autoComplete="current-password" autoFocus={autoFocus} />
      </Form.Item>
      <NewPasswordFields
        name="newPassword"
        label={t('password.new')}
        dependencies={['currentPassword']}
        moreRules={[
          ({ getFieldValue }) => ({
            validator: async (_r, value: unknown) => {
              if (value && value === getFieldValue('currentPassword')) throw new Error(t('password.sameAsOld'));
            },
          }),
        ]}
      />
      <ErrorAlert error={error} />
      <Button type="primary" htmlType="submit" loading={busy} block={block} size={block ? 'large' : 'middle'}>
        {t('changePw.submit')}
      </Button>
    </Form>
  );
}
