import { useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { applySession, SETUP_STATUS_KEY, useLogout } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { PublicLayout } from '../../kit/PublicLayout';
import { SetupSteps } from '../setup/SetupPage';
import { TotpEnrolment } from './TotpEnrolment';

/** Stage `enrol`: the account must enrol TOTP before anything else. */
export function EnrolPage({ firstRun }: { firstRun: boolean }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const logout = useLogout();
  const { message } = App.useApp();
  return (
    <PublicLayout title={t('enrol.title')} intro={t('enrol.intro')} wide>
      {firstRun ? <SetupSteps current={1} /> : null}
      <TotpEnrolment
        onDone={(s) => {
          applySession(qc, s);
          if (firstRun) qc.setQueryData(SETUP_STATUS_KEY, { initialized: true });
          void message.success(t('enrol.done'));
        }}
      />
      <div className="enrol-footer">
        <Button type="link" onClick={() => void logout()}>
          {t('enrol.cancel')}
        </Button>
      </div>
    </PublicLayout>
  );
}
