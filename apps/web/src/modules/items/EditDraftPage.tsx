import { useNavigate, useParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Button, Result } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { api } from '../../kit/api';
import { useMe } from '../../kit/auth';
import { useI18n } from '../../kit/i18n';
import { useUnits } from '../../kit/queries';
import type { CatalogItem, ItemContent, ItemDetail, Paged, Person, Unit } from '../../kit/types';
import { ErrorAlert, PageTitle } from '../../kit/ui';
import { basisOf, draftFormFromItem } from './draft';
import { DraftPage, type DraftEdit } from './DraftPage';
import { itemKey } from './ItemPage';

/** One catalogue entry by id; when the server has no such route, looked up in its field's list. */
async function fetchCatalogItem(id: string, field: string | null): Promise<CatalogItem | undefined> {
  try {
    return await api.get<CatalogItem>(`/catalog/${encodeURIComponent(id)}`);
  } catch {
    const list = await api.get<Paged<CatalogItem>>('/catalog', { field: field ?? undefined, page: 1, pageSize: 200 }).catch(() => null);
    return list?.items.find((c) => c.id === id);
  }
}

/**
 * Everything the edit form starts from: the summary (an audited content read, like "Xem nội
 * dung"), the catalogue entries of the basis, and the ids of recipients that the item page names.
 */
async function loadPrefill(d: ItemDetail, units: readonly Unit[]): Promise<DraftEdit> {
  const content = await api.get<ItemContent>(`/items/${encodeURIComponent(d.item.id)}/content`);
  const basis = (await Promise.all(basisOf(d.item).map((cid) => fetchCatalogItem(cid, d.item.field)))).filter((c): c is CatalogItem => !!c);
  const userIds = new Map<string, string>();
  for (const r of d.recipients) {
    if (r.kind !== 'user' || r.userId || userIds.has(r.name)) continue;
    const found = await api.get<{ people: Person[] }>('/people', { q: r.name }).catch(() => ({ people: [] as Person[] }));
    const exact = found.people.filter((p) => p.fullName === r.name);
    if (exact.length === 1) userIds.set(r.name, exact[0]!.id);
  }
  const initial = draftFormFromItem(d, content.summary ?? '', {
    unitByName: (name) => {
      const same = units.filter((u) => u.name === name && u.closedAt === null);
      return same.length === 1 ? same[0]!.id : undefined;
    },
    userByName: (name) => userIds.get(name),
  });
  const knownPeople = d.recipients.flatMap((r) => {
    const id = r.kind === 'user' ? (r.userId ?? userIds.get(r.name)) : undefined;
    return id ? [{ id, name: r.name }] : [];
  });
  return { item: d.item, initial, basis, knownPeople };
}

/** "Sửa dự thảo": the drafter reopens a draft or a returned proposal in the proposal form. */
export function EditDraftPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const units = useUnits();
  const detail = useQuery({ queryKey: itemKey(id), queryFn: () => api.get<ItemDetail>(`/items/${encodeURIComponent(id)}`) });
  const item = detail.data?.item;
  const editable = !!item && item.drafterId === me.id && (item.state === 'draft' || item.state === 'returned');
  const prefill = useQuery({
    // Not under ['items']: saving invalidates those, and this must not read the content again.
    queryKey: ['draft-edit', id],
    queryFn: () => loadPrefill(detail.data!, units.data ?? []),
    enabled: editable && units.isSuccess,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  });

  if (detail.isError || prefill.isError) {
    return (
      <>
        <PageTitle title={t('draft.editTitle')} />
        <ErrorAlert error={detail.error ?? prefill.error} />
      </>
    );
  }
  if (item && !editable) {
    return (
      <>
        <PageTitle title={t('draft.editTitle')} />
        <Result
          className="plain-result"
          icon={<EditOutlined aria-hidden="true" />}
          subTitle={t('draft.editNotAllowed')}
          extra={
            <Button type="primary" onClick={() => navigate(`/items/${item.id}`)}>
              {t('draft.backToItem')}
            </Button>
          }
        />
      </>
    );
  }
  if (!prefill.data) return <PageTitle title={t('app.loading')} />;
  return <DraftPage key={id} edit={prefill.data} />;
}
