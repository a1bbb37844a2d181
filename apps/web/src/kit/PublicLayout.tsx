import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useI18n } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { useDocumentTitle } from './ui';

/** Frame of the screens shown before the application: set-up, sign-in, TOTP, password. */
export function PublicLayout({ title, intro, children, wide }: { title: string; intro?: ReactNode; children: ReactNode; wide?: boolean }) {
  const { t } = useI18n();
  useDocumentTitle(title);
  return (
    <div className="public-page">
      <header className="public-header">
        <div className="brand">
          <SafetyCertificateOutlined className="brand-icon" aria-hidden="true" />
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-tagline">{t('app.tagline')}</div>
          </div>
        </div>
        <LanguageSwitch dark />
      </header>
      <main className="public-main">
        <Card className={wide ? 'public-card public-card-wide' : 'public-card'}>
          {title ? (
            <Typography.Title level={1} className="public-h1">
              {title}
            </Typography.Title>
          ) : null}
          {intro ? <Typography.Paragraph className="public-intro">{intro}</Typography.Paragraph> : null}
          {children}
        </Card>
      </main>
      <footer className="public-footer">{t('app.lanNotice')}</footer>
    </div>
  );
}
