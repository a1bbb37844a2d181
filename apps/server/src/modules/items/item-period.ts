import { periodReasonVi, type ItemKind, type Level, type ShorterPeriod } from '@khomat/policy';
import type { AppDeps } from '../../kernel/context';
import type { SecretItemRow } from '../../platform/db/schema';
import { findCatalogItem } from '../catalog/catalog.repository';
import { catalogReference } from '../catalog/catalog.rules';
import { protectionEndForItem } from './items.rules';

// The protection period of an item from its basis (catalogue row, decided period, level), decided
// on approval and explained on the item page. Catalogue rows an item is classified under are never
// changed or removed (catalog.repository: only unused sample rows are deleted), so the same facts
// give the same basis when the page is read later.

type Tx = AppDeps['dbh']['db'];

export async function periodOfItem(tx: Tx, item: SecretItemRow, level: Level, classifiedOn: string) {
  const row = item.catalog_item_id ? await findCatalogItem(tx, item.catalog_item_id) : undefined;
  const catalog = row
    ? {
        period: row.shorter_period ? (JSON.parse(row.shorter_period) as ShorterPeriod) : null,
        ref: catalogReference({ article: row.article, clause: row.clause, point: row.point, decisionNumber: row.decision_number }),
      }
    : null;
  return protectionEndForItem({
    kind: item.kind as ItemKind,
    level,
    classifiedOn,
    shorterPeriod: item.shorter_period ? (JSON.parse(item.shorter_period) as ShorterPeriod) : null,
    catalog,
  });
}

/**
 * Why a classified item's protection ends when it does, in a sentence for the item page; null
 * before classification, for a place, or when the stored end no longer follows from the basis
 * (a later decision changed it: the page then shows the end date alone).
 */
export async function periodReasonOf(tx: Tx, item: SecretItemRow): Promise<string | null> {
  if (!item.level || !item.classified_on || !item.protection_end) return null;
  const r = await periodOfItem(tx, item, item.level as Level, item.classified_on);
  return r.ok && r.basis && r.end === item.protection_end ? periodReasonVi(r.basis) : null;
}
