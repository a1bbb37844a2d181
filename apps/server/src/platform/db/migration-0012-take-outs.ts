import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 13, part 3: taking a secret out of its storage place (mang ra khỏi nơi lưu giữ) and the
 * first incident record.
 * - `take_outs`: one executed take-out request — who carries the copies, who they go back to, the
 *   due-back date, whether they came back (with the holder's report) or were lost, and when the
 *   overdue notice went out (set once: the periodic check tells the head and the security officer
 *   once per take-out, not every tick).
 * - `take_out_copies`: the copies taken out under it.
 * - `incidents`: minimal incident record (type 'loss' now): what (item, copy), when, who reported
 *   it, a description and who was told (JSON array of user ids). Later issues extend it.
 */
export const m0012_take_outs: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('take_outs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('taken_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('executed_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('return_to_kind', 'text', (c) => c.notNull().check(sql`return_to_kind in ('user','unit')`))
      .addColumn('return_to_id', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('out','returned','lost')`))
      .addColumn('taken_at', 'text', (c) => c.notNull())
      .addColumn('returned_at', 'text')
      .addColumn('returned_by', 'text', (c) => c.references('users.id'))
      .addColumn('return_report', 'text')
      .addColumn('overdue_notified_at', 'text')
      .addCheckConstraint('take_outs_report', sql`status <> 'returned' or return_report is not null`)
      .execute();
    // One take-out per request (the last guard against executing it twice).
    await db.schema.createIndex('take_outs_request_uq').on('take_outs').column('request_id').unique().execute();
    // The overdue check and the "đang mang ra ngoài" list: take-outs still out, by due date.
    await db.schema.createIndex('take_outs_status_due_idx').on('take_outs').columns(['status', 'due_date']).execute();

    await db.schema
      .createTable('take_out_copies')
      .addColumn('take_out_id', 'text', (c) => c.notNull().references('take_outs.id'))
      .addColumn('copy_id', 'text', (c) => c.notNull().references('copies.id'))
      .addPrimaryKeyConstraint('take_out_copies_pk', ['take_out_id', 'copy_id'])
      .execute();

    await db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('loss')`))
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('copy_id', 'text', (c) => c.references('copies.id'))
      .addColumn('take_out_id', 'text', (c) => c.references('take_outs.id'))
      .addColumn('reported_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('reported_at', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('notified', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    // An item's incidents (its page, the later incident register).
    await db.schema.createIndex('incidents_item_idx').on('incidents').columns(['item_id', 'reported_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('incidents').execute();
    await db.schema.dropTable('take_out_copies').execute();
    await db.schema.dropTable('take_outs').execute();
  },
};
