import { useState, type ReactNode } from 'react';
import { NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { Button, Layout, Result } from 'antd';
import { FileSearchOutlined, LockOutlined, LogoutOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import type { Permission } from '@khomat/policy';
import { useCan, useLogout, useMe } from '../kit/auth';
import { useI18n } from '../kit/i18n';
import { LanguageSwitch } from '../kit/LanguageSwitch';
import { useNavItems } from './nav';
import { useUnits } from '../kit/queries';
import { PageTitle } from '../kit/ui';
import {
  HomePage,
  UnitsPage,
  UsersPage,
  ClearancePage,
  AuditPage,
  AccountPage,
  CatalogPage,
  DraftPage,
  IncomingPage,
  ItemPage,
  WorkPage,
  RegistersPage,
  EditDraftPage,
  NotificationsPage,
  SearchPage,
  HoldingsPage,
  DelegationsPage,
  AccountChangesPage,
  RequestsInboxPage,
  RequestPage,
  VerifyPage,
  TakeOutsPage,
  MyRequestsPage,
  NewRequestPage,
  EditRequestPage,
  PositionsPage,
} from './screens';
import { NotificationBell } from '../modules/notifications/NotificationBell';
import { HoldBanner } from '../modules/account-changes/HoldBanner';

function Forbidden() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle title={t('common.forbiddenTitle')} />
      <Result
        className="plain-result"
        icon={<LockOutlined aria-hidden="true" />}
        subTitle={t('common.forbidden')}
        extra={
          <NavLink to="/" className="ant-btn ant-btn-primary">
            {t('common.backHome')}
          </NavLink>
        }
      />
    </>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle title={t('common.notFoundTitle')} />
      <Result
        className="plain-result"
        icon={<FileSearchOutlined aria-hidden="true" />}
        subTitle={t('common.notFound')}
        extra={
          <NavLink to="/" className="ant-btn ant-btn-primary">
            {t('common.backHome')}
          </NavLink>
        }
      />
    </>
  );
}

function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const can = useCan();
  return can(permission) ? <>{children}</> : <Forbidden />;
}

function HeaderBar() {
  const me = useMe();
  const { t, roleLabel } = useI18n();
  const logout = useLogout();
  const can = useCan();
  const units = useUnits();
  const agency = units.data?.find((u) => u.parentId === null);
  return (
    <Layout.Header className="app-header">
      <div className="brand">
        <SafetyCertificateOutlined className="brand-icon" aria-hidden="true" />
        <div>
          <div className="brand-name">{t('app.name')}</div>
          <div className="brand-tagline">{agency ? agency.name : t('app.tagline')}</div>
        </div>
      </div>
      <div className="header-right">
        <section className="header-user" aria-label={t('header.user')}>
          <div className="header-user-name">{me.fullName}</div>
          <div className="header-user-meta">
            {me.unitName}
            {me.roles.length > 0 ? ` · ${me.roles.map(roleLabel).join(', ')}` : ''}
          </div>
        </section>
        {can('notification.read') ? <NotificationBell /> : null}
        <LanguageSwitch dark />
        <Button className="logout-btn" icon={<LogoutOutlined aria-hidden="true" />} onClick={() => void logout()}>
          <span className="logout-text">{t('header.logout')}</span>
        </Button>
      </div>
    </Layout.Header>
  );
}

/** The side navigation; collapsed to its icons on a narrow screen (their names stay for screen readers and as tooltips). */
function SideNav({ collapsed }: { collapsed: boolean }) {
  const { t } = useI18n();
  const items = useNavItems();
  const { pathname } = useLocation();
  return (
    <nav aria-label={t('nav.label')} className={collapsed ? 'side-nav side-nav-collapsed' : 'side-nav'}>
      <ul>
        {items.map((i) => (
          <li key={i.path}>
            <NavLink
              to={i.path}
              end={i.path === '/' || (i.exclude ?? []).some((p) => pathname.startsWith(p))}
              className={({ isActive }) => (isActive ? 'side-link active' : 'side-link')}
              title={collapsed ? t(i.label) : undefined}
            >
              {i.icon}
              <span>{t(i.label)}</span>
              {i.badge ? <i.badge /> : null}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Shell() {
  const { t } = useI18n();
  // Below antd's lg breakpoint (992 px: a 1366 px screen zoomed past 135 %) the menu keeps its icons only.
  const [narrow, setNarrow] = useState(() => typeof window !== 'undefined' && window.matchMedia('(max-width: 991.98px)').matches);
  return (
    <Layout className="app-layout">
      <a className="skip-link" href="#main-content">
        {t('nav.skip')}
      </a>
      <HeaderBar />
      <Layout>
        <Layout.Sider
          width={232}
          collapsedWidth={56}
          breakpoint="lg"
          collapsed={narrow}
          onBreakpoint={setNarrow}
          trigger={null}
          theme="light"
          className="app-sider"
        >
          <SideNav collapsed={narrow} />
        </Layout.Sider>
        <Layout.Content className="app-content" id="main-content" tabIndex={-1}>
          <HoldBanner />
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route
              path="/units"
              element={
                <Guard permission="org.unit.read">
                  <UnitsPage />
                </Guard>
              }
            />
            <Route
              path="/units/:id/holdings"
              element={
                <Guard permission="unit.holdings.read">
                  <HoldingsPage />
                </Guard>
              }
            />
            <Route
              path="/users"
              element={
                <Guard permission="org.user.read">
                  <UsersPage />
                </Guard>
              }
            />
            <Route
              path="/clearance"
              element={
                <Guard permission="org.user.clearance">
                  <ClearancePage />
                </Guard>
              }
            />
            <Route
              path="/account-changes"
              element={
                <Guard permission="account.change.read">
                  <AccountChangesPage />
                </Guard>
              }
            />
            <Route
              path="/audit"
              element={
                <Guard permission="audit.read">
                  <AuditPage />
                </Guard>
              }
            />
            <Route
              path="/items"
              element={
                <Guard permission="item.view">
                  <WorkPage />
                </Guard>
              }
            />
            <Route
              path="/items/new"
              element={
                <Guard permission="item.draft">
                  <DraftPage />
                </Guard>
              }
            />
            <Route
              path="/items/:id"
              element={
                <Guard permission="item.view">
                  <ItemPage />
                </Guard>
              }
            />
            <Route
              path="/items/:id/edit"
              element={
                <Guard permission="item.draft">
                  <EditDraftPage />
                </Guard>
              }
            />
            <Route
              path="/incoming"
              element={
                <Guard permission="item.receive">
                  <IncomingPage />
                </Guard>
              }
            />
            <Route
              path="/registers"
              element={
                <Guard permission="register.read">
                  <RegistersPage />
                </Guard>
              }
            />
            <Route
              path="/search"
              element={
                <Guard permission="register.read">
                  <SearchPage />
                </Guard>
              }
            />
            <Route
              path="/notifications"
              element={
                <Guard permission="notification.read">
                  <NotificationsPage />
                </Guard>
              }
            />
            <Route
              path="/catalog"
              element={
                <Guard permission="catalog.read">
                  <CatalogPage />
                </Guard>
              }
            />
            <Route
              path="/delegations"
              element={
                <Guard permission="delegation.read">
                  <DelegationsPage />
                </Guard>
              }
            />
            <Route
              path="/requests"
              element={
                <Guard permission="request.read">
                  <MyRequestsPage />
                </Guard>
              }
            />
            <Route
              path="/requests/new"
              element={
                <Guard permission="request.create">
                  <NewRequestPage />
                </Guard>
              }
            />
            <Route
              path="/requests/:id/edit"
              element={
                <Guard permission="request.create">
                  <EditRequestPage />
                </Guard>
              }
            />
            <Route
              path="/positions"
              element={
                <Guard permission="org.position.manage">
                  <PositionsPage />
                </Guard>
              }
            />
            <Route
              path="/requests/inbox"
              element={
                <Guard permission="request.read">
                  <RequestsInboxPage />
                </Guard>
              }
            />
            <Route
              path="/requests/:id"
              element={
                <Guard permission="request.read">
                  <RequestPage />
                </Guard>
              }
            />
            {/* Open to anyone signed in: the server tells only the security officer and the agency head anything. */}
            <Route path="/verify" element={<VerifyPage />} />
            <Route path="/verify/:id" element={<VerifyPage />} />
            <Route
              path="/take-outs"
              element={
                <Guard permission="take_out.oversee">
                  <TakeOutsPage />
                </Guard>
              }
            />
            <Route path="/account" element={<AccountPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
