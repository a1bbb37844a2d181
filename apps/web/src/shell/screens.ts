import { lazy } from 'react';

// Each screen of the application is its own script, fetched when first shown: the sign-in page
// (and any one screen) loads without the code of all the others. Shell's routes use these.
export const HomePage = lazy(() => import('../modules/home/HomePage').then((m) => ({ default: m.HomePage })));
export const UnitsPage = lazy(() => import('../modules/units/UnitsPage').then((m) => ({ default: m.UnitsPage })));
export const UsersPage = lazy(() => import('../modules/users/UsersPage').then((m) => ({ default: m.UsersPage })));
export const ClearancePage = lazy(() => import('../modules/clearance/ClearancePage').then((m) => ({ default: m.ClearancePage })));
export const AuditPage = lazy(() => import('../modules/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
export const AccountPage = lazy(() => import('../modules/auth/AccountPage').then((m) => ({ default: m.AccountPage })));
export const CatalogPage = lazy(() => import('../modules/catalog/CatalogPage').then((m) => ({ default: m.CatalogPage })));
export const DraftPage = lazy(() => import('../modules/items/DraftPage').then((m) => ({ default: m.DraftPage })));
export const IncomingPage = lazy(() => import('../modules/items/IncomingPage').then((m) => ({ default: m.IncomingPage })));
export const ItemPage = lazy(() => import('../modules/items/ItemPage').then((m) => ({ default: m.ItemPage })));
export const WorkPage = lazy(() => import('../modules/items/WorkPage').then((m) => ({ default: m.WorkPage })));
export const RegistersPage = lazy(() => import('../modules/registers/RegistersPage').then((m) => ({ default: m.RegistersPage })));
export const EditDraftPage = lazy(() => import('../modules/items/EditDraftPage').then((m) => ({ default: m.EditDraftPage })));
export const NotificationsPage = lazy(() => import('../modules/notifications/NotificationsPage').then((m) => ({ default: m.NotificationsPage })));
export const SearchPage = lazy(() => import('../modules/search/SearchPage').then((m) => ({ default: m.SearchPage })));
export const HoldingsPage = lazy(() => import('../modules/units/HoldingsPage').then((m) => ({ default: m.HoldingsPage })));
export const DelegationsPage = lazy(() => import('../modules/delegations/DelegationsPage').then((m) => ({ default: m.DelegationsPage })));
export const AccountChangesPage = lazy(() => import('../modules/account-changes/AccountChangesPage').then((m) => ({ default: m.AccountChangesPage })));
export const RequestsInboxPage = lazy(() => import('../modules/requests/RequestsInboxPage').then((m) => ({ default: m.RequestsInboxPage })));
export const RequestPage = lazy(() => import('../modules/requests/RequestPage').then((m) => ({ default: m.RequestPage })));
export const VerifyPage = lazy(() => import('../modules/copying/VerifyPage').then((m) => ({ default: m.VerifyPage })));
export const TakeOutsPage = lazy(() => import('../modules/take-out/TakeOutsPage').then((m) => ({ default: m.TakeOutsPage })));
export const MyRequestsPage = lazy(() => import('../modules/requests/MyRequestsPage').then((m) => ({ default: m.MyRequestsPage })));
export const NewRequestPage = lazy(() => import('../modules/requests/RequestFormPage').then((m) => ({ default: m.NewRequestPage })));
export const EditRequestPage = lazy(() => import('../modules/requests/RequestFormPage').then((m) => ({ default: m.EditRequestPage })));
export const PositionsPage = lazy(() => import('../modules/positions/PositionsPage').then((m) => ({ default: m.PositionsPage })));
