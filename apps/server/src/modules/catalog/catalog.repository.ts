import type { Kysely } from 'kysely';
import type { CatalogItemRow, Database } from '../../platform/db/schema';

type Db = Kysely<Database>;

export async function existingKeys(db: Db): Promise<CatalogItemRow[]> {
  return db.selectFrom('catalog_items').selectAll().execute();
}

export async function insertCatalogItems(db: Db, rows: CatalogItemRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200)
    await db
      .insertInto('catalog_items')
      .values(rows.slice(i, i + 200))
      .execute();
}

export interface CatalogFilter {
  tokens: string[];
  field?: string | undefined;
  level?: string | undefined;
}

export async function searchCatalog(db: Db, f: CatalogFilter, limit: number, offset: number) {
  let q = db.selectFrom('catalog_items');
  for (const t of f.tokens) q = q.where('search_text', 'like', `%${t.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  if (f.field) q = q.where('field', '=', f.field);
  if (f.level) q = q.where('level', '=', f.level);
  const [items, total] = await Promise.all([
    q
      .selectAll()
      .orderBy('field')
      .orderBy('decision_number')
      .orderBy('article')
      .orderBy('clause')
      .orderBy('point')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function findCatalogItem(db: Db, id: string): Promise<CatalogItemRow | undefined> {
  return db.selectFrom('catalog_items').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function distinctFields(db: Db): Promise<string[]> {
  return (await db.selectFrom('catalog_items').select('field').distinct().orderBy('field').execute()).map((r) => r.field);
}

/** Sample rows nobody has classified anything on. */
export async function deleteUnusedSamples(db: Db): Promise<number> {
  const r = await db
    .deleteFrom('catalog_items')
    .where('sample', '=', 1)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('secret_items').select('secret_items.id').whereRef('secret_items.catalog_item_id', '=', 'catalog_items.id'))),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
