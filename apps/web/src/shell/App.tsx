import { useEffect, useMemo } from 'react';
import { BrowserRouter } from 'react-router-dom';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import viVN from 'antd/locale/vi_VN';
import enUS from 'antd/locale/en_US';
import { ApiError, onApiError } from '../kit/api';
import { SESSION_KEY } from '../kit/auth';
import { I18nProvider, useI18n } from '../kit/i18n';
import { appTheme } from '../kit/theme';
import { ErrorBoundary } from './ErrorBoundary';
import { Gate } from './Gate';

function makeQueryClient(): QueryClient {
  const qc: QueryClient = new QueryClient({
    queryCache: new QueryCache(),
    mutationCache: new MutationCache(),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        // Client errors (4xx) are answers, not glitches: do not retry them.
        retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 1,
      },
      mutations: { retry: false },
    },
  });
  return qc;
}

function SessionWatcher({ qc }: { qc: QueryClient }) {
  useEffect(
    () =>
      onApiError((err) => {
        // Session ended (idle timeout, signed out elsewhere) or a password change is now due:
        // ask the server where we stand; the gate then shows the right screen.
        if (err.status === 401 || err.code === 'auth.password_change_required') {
          void qc.invalidateQueries({ queryKey: SESSION_KEY });
        }
      }),
    [qc],
  );
  return null;
}

function Localised() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={lang === 'vi' ? viVN : enUS} theme={appTheme}>
      <AntApp>
        <Gate />
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  const qc = useMemo(makeQueryClient, []);
  return (
    <ErrorBoundary>
      <QueryClientProvider client={qc}>
        <SessionWatcher qc={qc} />
        <I18nProvider>
          <BrowserRouter>
            <Localised />
          </BrowserRouter>
        </I18nProvider>
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
