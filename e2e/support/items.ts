import { ApiSession } from './api';
import { DEMO_PASSWORD } from './demo';
import type { TotpDevice } from './totp';

/** The demo agency's head (giamdoc), who signs the items the stories issue. */
export const DEMO_HEAD_NAME = 'Lê Hoàng Sơn';

export interface IssuedItem {
  id: string;
  officer: ApiSession;
  head: ApiSession;
  clerk: ApiSession;
}

/**
 * A Tối mật document of the demo agency, field Ngoại giao, through the API as people make it: the
 * officer (canbo) drafts it — two copies, one to Cục Lãnh sự —, the head (giamdoc) approves it, the
 * văn thư (vanthu) issues it. Returns the item and the three signed-in sessions.
 */
export async function issueDemoItem(
  baseUrl: string,
  auth: { totp: TotpDevice; secrets: Map<string, string> },
  o: { docType: string; summary: string; copyAllowed: boolean; symbol: string; documentDate: string },
): Promise<IssuedItem> {
  const officer = await new ApiSession(baseUrl).signIn('canbo', DEMO_PASSWORD, auth);
  const head = await new ApiSession(baseUrl).signIn('giamdoc', DEMO_PASSWORD, auth);
  const clerk = await new ApiSession(baseUrl).signIn('vanthu', DEMO_PASSWORD, auth);
  const catalog = await officer.get<{ items: { id: string; level: string }[] }>('/catalog?field=Ngo%E1%BA%A1i%20giao&level=SECRET');
  const item = await officer.post<{ id: string }>('/items', {
    kind: 'document',
    docType: o.docType,
    summary: o.summary,
    field: 'Ngoại giao',
    level: 'SECRET',
    catalogItemIds: [catalog.items[0]!.id],
    recipients: [{ kind: 'outside', outsideName: 'Cục Lãnh sự, Bộ Ngoại giao', copies: 1 }],
    copyCount: 2,
    copyAllowed: o.copyAllowed,
  });
  await officer.post(`/items/${item.id}/propose`);
  await head.post(`/items/${item.id}/approve`);
  await clerk.post(`/items/${item.id}/issue`, { symbol: o.symbol, documentDate: o.documentDate, signerName: DEMO_HEAD_NAME });
  return { id: item.id, officer, head, clerk };
}
