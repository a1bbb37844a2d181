import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Card } from 'antd';
import { api } from '../../kit/api';
import { useCan, useMe } from '../../kit/auth';
import { useI18n, type MessageKey } from '../../kit/i18n';
import type { AccountChange, Holdings, Paged } from '../../kit/types';
import { useIsConfirmer } from '../../kit/nav';
import { ACCOUNT_CHANGES_KEY } from '../account-changes/changes';
import { listUnavailable, useItemList, useMyCopies } from './useItemLists';

function Counter({ to, label, value, loading, urgent }: { to: string; label: MessageKey; value: number | undefined; loading: boolean; urgent?: boolean }) {
  const { t } = useI18n();
  const shown = loading ? '…' : String(value ?? 0);
  return (
    <li>
      <Link to={to} className={`counter${urgent && (value ?? 0) > 0 ? ' counter-urgent' : ''}`}>
        <span className="counter-value">{shown}</span> <span className="counter-label">{t(label)}</span>
      </Link>
    </li>
  );
}

/** Home page: what waits for this person — signatures first, then decisions and issuing. */
export function TodoCard() {
  const { t } = useI18n();
  const can = useCan();
  const me = useMe();
  const custody = can('custody.mine');
  const mine = useMyCopies(custody);
  const head = me.roles.includes('head');
  const clerk = can('item.issue');
  const drafter = can('item.draft');
  const proposed = useItemList('proposed', { pageSize: 1, enabled: head });
  // Someone who is not a head decides only under a delegation: the count appears when there is any.
  const deputy = can('item.decide') && !head;
  const decidable = useItemList('proposed', { decide: true, pageSize: 1, enabled: deputy });
  const classified = useItemList('classified', { pageSize: 1, enabled: clerk });
  const returned = useItemList('returned', { mine: true, pageSize: 1, enabled: drafter });
  // The clerk and the head answer for what their unit holds ("Đơn vị đang giữ").
  const unitKeeper = can('unit.holdings.read') && (me.roles.includes('clerk') || head);
  const holdings = useQuery({
    queryKey: ['holdings', me.unitId, undefined, 1, 1],
    queryFn: () => api.get<Holdings>(`/units/${encodeURIComponent(me.unitId)}/holdings`, { page: 1, pageSize: 1 }),
    enabled: unitKeeper,
  });
  // Account changes waiting for a second person: the security officer's and the agency head's.
  const confirmer = useIsConfirmer();
  const changes = useQuery({
    queryKey: [...ACCOUNT_CHANGES_KEY, 'pending', 1, 1],
    queryFn: () => api.get<Paged<AccountChange>>('/account-changes', { status: 'pending', page: 1, pageSize: 1 }),
    enabled: confirmer,
  });
  if (!custody && !head && !clerk && !drafter) return null;
  const listMissing = listUnavailable(proposed.error) || listUnavailable(classified.error) || listUnavailable(returned.error);
  return (
    <Card title={<h2 className="card-h2">{t('todo.title')}</h2>}>
      <ul className="counter-list">
        {confirmer && !changes.isError ? (
          <Counter to="/account-changes" label="todo.accountChanges" value={changes.data?.total} loading={changes.isPending} urgent />
        ) : null}
        {custody ? <Counter to="/items?tab=mine" label="todo.pending" value={mine.data?.pending.length} loading={mine.isPending} urgent /> : null}
        {custody ? (
          <Counter to="/items?tab=mine" label="todo.held" value={mine.data?.copies.filter((c) => !c.incoming).length} loading={mine.isPending} />
        ) : null}
        {head && !listMissing ? (
          <Counter to="/items?tab=proposed" label="todo.proposed" value={proposed.data?.total} loading={proposed.isPending} urgent />
        ) : null}
        {deputy && !listMissing && (decidable.data?.total ?? 0) > 0 ? (
          <Counter to="/items?tab=proposed" label="todo.proposed" value={decidable.data?.total} loading={false} urgent />
        ) : null}
        {clerk && !listMissing ? (
          <Counter to="/items?tab=classified" label="todo.classified" value={classified.data?.total} loading={classified.isPending} urgent />
        ) : null}
        {drafter && !listMissing ? (
          <Counter to="/items?tab=returned" label="todo.returned" value={returned.data?.total} loading={returned.isPending} urgent />
        ) : null}
        {unitKeeper && !holdings.isError ? (
          <Counter to={`/units/${me.unitId}/holdings`} label="todo.unitHoldings" value={holdings.data?.total} loading={holdings.isPending} />
        ) : null}
      </ul>
    </Card>
  );
}
