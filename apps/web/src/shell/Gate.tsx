import { lazy, Suspense } from 'react';
import { Spin } from 'antd';
import { MeContext, useSession, useSetupStatus } from '../kit/auth';
import { useI18n } from '../kit/i18n';
import { ErrorAlert } from '../kit/ui';
import { PublicLayout } from '../kit/PublicLayout';
import { LoginPage } from '../modules/auth/LoginPage';

// Only the sign-in page comes with the first script; the application and the other first-run
// screens are fetched when needed, so the sign-in page loads fast.
const Shell = lazy(() => import('./Shell').then((m) => ({ default: m.Shell })));
const SetupPage = lazy(() => import('../modules/setup/SetupPage').then((m) => ({ default: m.SetupPage })));
const TotpPage = lazy(() => import('../modules/auth/TotpPage').then((m) => ({ default: m.TotpPage })));
const EnrolPage = lazy(() => import('../modules/auth/EnrolPage').then((m) => ({ default: m.EnrolPage })));
const ChangePasswordPage = lazy(() => import('../modules/auth/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage })));

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
  return (
    <Suspense fallback={<Loading />}>
      <Screen />
    </Suspense>
  );
}

function Screen() {
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
