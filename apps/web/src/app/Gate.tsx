import { Spin } from 'antd';
import { MeContext, useSession, useSetupStatus } from './auth';
import { useI18n } from './i18n';
import { ErrorAlert } from './ui';
import { PublicLayout } from './PublicLayout';
import { Shell } from './Shell';
import { SetupPage } from '../modules/setup/SetupPage';
import { LoginPage } from '../modules/auth/LoginPage';
import { TotpPage } from '../modules/auth/TotpPage';
import { EnrolPage } from '../modules/auth/EnrolPage';
import { ChangePasswordPage } from '../modules/auth/ChangePasswordPage';

function Loading() {
  const { t } = useI18n();
  return (
    <div className="full-center" role="status">
      <Spin size="large" />
      <span className="loading-text">{t('app.loading')}</span>
    </div>
  );
}

/**
 * Decides which screen the person sees: first-run set-up, sign-in, TOTP, TOTP enrolment,
 * forced password change, or the application itself.
 */
export function Gate() {
  const setup = useSetupStatus();
  const session = useSession();

  if (setup.isPending || session.isPending) return <Loading />;
  if (setup.isError || session.isError) {
    return (
      <PublicLayout title="">
        <ErrorAlert error={setup.error ?? session.error} />
      </PublicLayout>
    );
  }
  const s = session.data;
  if (!setup.data.initialized && !s.authenticated) return <SetupPage />;
  if (!s.authenticated) return <LoginPage />;
  if (s.stage === 'totp') return <TotpPage />;
  if (s.stage === 'enrol') return <EnrolPage firstRun={!setup.data.initialized} />;
  if (s.user.mustChangePassword) return <ChangePasswordPage forced />;
  return (
    <MeContext.Provider value={s.user}>
      <Shell />
    </MeContext.Provider>
  );
}
