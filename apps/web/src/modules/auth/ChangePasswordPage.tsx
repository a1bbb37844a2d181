import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button } from 'antd';
import { SESSION_KEY, useLogout } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { PublicLayout } from '../../kit/PublicLayout';
import { ChangePasswordForm } from './ChangePasswordForm';

/** Shown instead of the application while `mustChangePassword` is true. */
export function ChangePasswordPage({ forced }: { forced?: boolean }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const logout = useLogout();
  const { message } = App.useApp();
  return (
    <PublicLayout title={t('changePw.title')}>
      {forced ? <Alert type="warning" showIcon className="forced-alert" title={t('changePw.forced')} /> : null}
      <ChangePasswordForm
        autoFocus
        block
        onDone={() => {
          void message.success(t('changePw.done'));
          void qc.invalidateQueries({ queryKey: SESSION_KEY });
        }}
      />
      <div className="enrol-footer">
        <Button type="link" onClick={() => void logout()}>
          {t('header.logout')}
        </Button>
      </div>
    </PublicLayout>
  );
}
