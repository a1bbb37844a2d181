import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { migrationDatabases, seedIssuedItem } from './migration-test-helpers';
import { MIGRATIONS } from './migrations';

// Migration 0013 on a database that already holds an issued item with its copies: the copy
// execution table appears empty with its checks, "Bản sao số k" is unique per request while two
// requests may each make a "Bản sao số 1" of the same item, issued copies keep their old
// uniqueness, the copy register gets its three columns, and down restores the old shape.

const DIALECTS = await dialects();

describe.each(DIALECTS)('migration 0013 (copy execution) on %s', (dialect) => {
  const openBefore = migrationDatabases(dialect);

  it('adds copy executions, per-request copy numbers, the extract link and the copy register columns', async () => {
    const db = await openBefore('0013');
    const now = '2026-03-02T00:00:00.000Z';
    await seedIssuedItem(db, 'vt', now);
    const copy = (id: string, origin: string, seq: number, request: string | null) =>
      sql`insert into copies (id, item_id, origin, seq_no, total, label, status, holder_kind, holder_user_id, created_at, updated_at${request ? sql`, request_id` : sql``})
        values (${id}, 'item', ${origin}, ${seq}, 1, 'x', 'held', 'user', 'vt', ${now}, ${now}${request ? sql`, ${request}` : sql``})`.execute(db);
    await copy('c1', 'original', 1, null);

    await MIGRATIONS['0013_copy_execution']!.up(db);

    for (const r of ['r1', 'r2'])
      await sql`insert into requests (id, type, item_id, requester_id, purpose, details, status, route, created_at, updated_at) values (${r}, 'copy', 'item', 'vt', 'x', '{}', 'approved', 'agency', ${now}, ${now})`.execute(
        db,
      );
    await expect(copy('c2', 'original', 1, null)).rejects.toThrow(); // issued copies: one "bản số 1"
    await copy('s1', 'copy', 1, 'r1');
    await copy('s2', 'copy', 1, 'r2'); // another request's "Bản sao số 1" of the same item
    await expect(copy('s3', 'copy', 1, 'r1')).rejects.toThrow(); // once per request
    // Every copy of an item, made by copying or not, is still found through an index by its item
    // (need-to-know asked per register row in search depends on it).
    const plan =
      dialect === 'sqlite'
        ? (await sql<{ detail: string }>`explain query plan select id from copies where item_id = 'item' and holder_user_id = 'vt'`.execute(db)).rows
            .map((r) => r.detail)
            .join(' ')
        : await db.transaction().execute(async (tx) => {
            // A table this small is scanned whatever its indexes: say whether an index could serve.
            await sql`set local enable_seqscan = off`.execute(tx);
            return (
              await sql<{ 'QUERY PLAN': string }>`explain (costs off) select id from copies where item_id = 'item' and holder_user_id = 'vt'`.execute(tx)
            ).rows
              .map((r) => r['QUERY PLAN'])
              .join(' ');
          });
    expect(plan).toMatch(dialect === 'sqlite' ? /USING INDEX copies_item_idx/ : /copies_item_idx/);
    await sql`update secret_items set source_item_id = 'item' where id = 'item'`.execute(db);
    await sql`insert into register_entries (id, register, year, number, volume, entry_date, item_id, level, quantity, form_code, created_by, created_at, copy_form, authorised_by, performed_by)
      values ('e1', 'copy', 2026, 1, 1, '2026-03-02', 'item', 'SECRET', 1, 'x', 'vt', ${now}, 'Sao y', 'Giám đốc', 'Văn thư')`.execute(db);
    const execution = (id: string, request: string, over: { form?: string; spoiled?: number } = {}) =>
      sql`insert into copy_executions (id, request_id, item_id, form, equipment, quantity, spoiled, executed_by, executed_at, register_entry_id)
        values (${id}, ${request}, 'item', ${over.form ?? 'sao_y'}, 'Máy sao chụp', 1, ${over.spoiled ?? 0}, 'vt', ${now}, 'e1')`.execute(db);
    expect(Number((await sql<{ n: number | string }>`select count(*) as n from copy_executions`.execute(db)).rows[0]!.n)).toBe(0);
    await expect(execution('x0', 'r1', { form: 'photocopy' })).rejects.toThrow();
    await expect(execution('x0', 'r1', { spoiled: -1 })).rejects.toThrow();
    await execution('x1', 'r1');
    await expect(execution('x2', 'r1')).rejects.toThrow(); // one execution per request

    // The old shape cannot hold two requests' "Bản sao số 1": down runs once they are gone.
    await sql`delete from copies where request_id is not null`.execute(db);
    await MIGRATIONS['0013_copy_execution']!.down!(db);
    await expect(sql`select count(*) from copy_executions`.execute(db)).rejects.toThrow();
    await expect(sql`select request_id from copies`.execute(db)).rejects.toThrow();
    await expect(sql`select copy_form from register_entries`.execute(db)).rejects.toThrow();
    await expect(sql`select source_item_id from secret_items`.execute(db)).rejects.toThrow();
  });
});
