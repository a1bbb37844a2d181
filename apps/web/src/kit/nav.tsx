import type { ComponentType, ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BellOutlined,
  BookOutlined,
  CheckSquareOutlined,
  FileDoneOutlined,
  EditOutlined,
  ExportOutlined,
  FolderOpenOutlined,
  FormOutlined,
  HomeOutlined,
  IdcardOutlined,
  InboxOutlined,
  QrcodeOutlined,
  ReadOutlined,
  SafetyOutlined,
  SearchOutlined,
  SolutionOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import type { Permission } from '@khomat/policy';
import { isAgencyHead, useCan, useMe } from './auth';
import type { MessageKey } from './i18n';
import { useUnits } from './queries';

export interface NavItem {
  path: string;
  label: MessageKey;
  icon: ReactNode;
  /** Shown only when the user's permissions (from Me) include it; none = everyone. */
  permission?: Permission;
  /** Paths under `path` that belong to another entry (the link is not marked current there). */
  exclude?: string[];
  /**
   * Account changes are confirmed, and printed copies traced, by security officers and the agency
   * head only: a department head holds the permission (through the head role) but the server
   * refuses the list.
   */
  confirmersOnly?: boolean;
  /**
   * A count shown beside the name (e.g. requests waiting for this person's decision). The counts
   * come from the screens, which the kit does not import: the shell adds them (shell/nav.ts).
   */
  badge?: ComponentType;
}

export const NAV_ITEMS: NavItem[] = [
  { path: '/', label: 'nav.home', icon: <HomeOutlined aria-hidden="true" /> },
  { path: '/items', label: 'nav.items', icon: <FolderOpenOutlined aria-hidden="true" />, permission: 'item.view', exclude: ['/items/new'] },
  { path: '/items/new', label: 'nav.draft', icon: <EditOutlined aria-hidden="true" />, permission: 'item.draft' },
  { path: '/incoming', label: 'nav.incoming', icon: <InboxOutlined aria-hidden="true" />, permission: 'item.receive' },
  { path: '/requests', label: 'nav.myRequests', icon: <FormOutlined aria-hidden="true" />, permission: 'request.create', exclude: ['/requests/inbox'] },
  { path: '/requests/inbox', label: 'nav.requestsInbox', icon: <FileDoneOutlined aria-hidden="true" />, permission: 'request.read' },
  { path: '/take-outs', label: 'nav.takeOuts', icon: <ExportOutlined aria-hidden="true" />, permission: 'take_out.oversee' },
  { path: '/registers', label: 'nav.registers', icon: <ReadOutlined aria-hidden="true" />, permission: 'register.read' },
  // Same permission as the server's search (search.usecases.ts: register.read).
  { path: '/search', label: 'nav.search', icon: <SearchOutlined aria-hidden="true" />, permission: 'register.read' },
  { path: '/catalog', label: 'nav.catalog', icon: <BookOutlined aria-hidden="true" />, permission: 'catalog.read' },
  { path: '/delegations', label: 'nav.delegations', icon: <SolutionOutlined aria-hidden="true" />, permission: 'delegation.read' },
  { path: '/units', label: 'nav.units', icon: <ApartmentOutlined aria-hidden="true" />, permission: 'org.unit.read' },
  { path: '/users', label: 'nav.users', icon: <TeamOutlined aria-hidden="true" />, permission: 'org.user.read' },
  { path: '/positions', label: 'nav.positions', icon: <IdcardOutlined aria-hidden="true" />, permission: 'org.position.manage' },
  { path: '/clearance', label: 'nav.clearance', icon: <SafetyOutlined aria-hidden="true" />, permission: 'org.user.clearance' },
  {
    path: '/account-changes',
    label: 'nav.accountChanges',
    icon: <CheckSquareOutlined aria-hidden="true" />,
    permission: 'account.change.read',
    confirmersOnly: true,
  },
  // Tracing a printed copy: the same two people (the security officer and the agency head).
  { path: '/verify', label: 'nav.verify', icon: <QrcodeOutlined aria-hidden="true" />, permission: 'account.change.read', confirmersOnly: true },
  { path: '/audit', label: 'nav.audit', icon: <AuditOutlined aria-hidden="true" />, permission: 'audit.read' },
  { path: '/notifications', label: 'nav.notifications', icon: <BellOutlined aria-hidden="true" />, permission: 'notification.read' },
  { path: '/account', label: 'nav.account', icon: <UserOutlined aria-hidden="true" /> },
];

/** Is the signed-in person one who confirms account changes (a security officer or the agency head)? */
export function useIsConfirmer(): boolean {
  const me = useMe();
  const can = useCan();
  const units = useUnits();
  const rootUnitId = units.data?.find((u) => u.parentId === null)?.id;
  return can('account.change.read') && (me.roles.includes('security_officer') || isAgencyHead(me, rootUnitId));
}

/** The entries this person may use, in menu order. */
export function useNavItems(): NavItem[] {
  const can = useCan();
  const confirmer = useIsConfirmer();
  return NAV_ITEMS.filter((i) => (!i.permission || can(i.permission)) && (!i.confirmersOnly || confirmer));
}
