import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 13 point 1, carrying out an approved copy / photograph / extract request (sao, chụp,
 * trích sao; NĐ 26/2020 Đ.3, TT 24/2020/TT-BCA Mẫu 09–13):
 * - `copy_executions`: one per executed request — the form, the equipment used, how many good and
 *   spoiled copies (spoiled ones destroyed at once, with a note), who made them and when, the
 *   copy-register entry (Mẫu 12), the content file copied (when the item had a PDF original), the
 *   "văn bản ghi nhận việc chụp" (Mẫu 13, a blob) of a photograph and the new item of an extract.
 * - `copies.request_id`: the request a copy was made under; its "Bản sao số k" counts 1..N per
 *   request, so the old (item, origin, seq_no) uniqueness now holds for copies made otherwise
 *   (issued, received), and (request, seq_no) for copies made by copying.
 * - `copies.file_blob_id`: the produced PDF of an electronic copy (encrypted in the blob store).
 * - `secret_items.source_item_id`: an extract (bản trích sao) names the item it was taken from.
 * - `register_entries.copy_form`, `authorised_by`, `performed_by`: the copy register's columns
 *   that were printed blank until now.
 */
export const m0013_copy_execution: Migration = {
  async up(db: Kysely<unknown>) {
    // No REFERENCES on the added columns: SQLite cannot drop a column that a foreign key names, and
    // `down` must run on both databases; the use case writes them from rows it has just read.
    await db.schema.alterTable('copies').addColumn('request_id', 'text').execute();
    await db.schema.alterTable('copies').addColumn('file_blob_id', 'text').execute();
    await db.schema.dropIndex('copies_item_uq').execute();
    // Numbered copies of an item made by issuing or receiving: one "bản số k" per origin.
    await db.schema
      .createIndex('copies_item_uq')
      .on('copies')
      .columns(['item_id', 'origin', 'seq_no'])
      .unique()
      .where(sql.ref('request_id'), 'is', null)
      .execute();
    // Every copy of an item, whatever made it — the item's page, custody, need-to-know asked per
    // register row in search: the partial index above serves only copies outside a request (it
    // replaced the index these look-ups used, and search by a unit head fell to a scan per row).
    await db.schema.createIndex('copies_item_idx').on('copies').columns(['item_id', 'seq_no']).execute();
    // "Bản sao số k" once per request (and the request's copies listed in order).
    await db.schema.createIndex('copies_request_uq').on('copies').columns(['request_id', 'seq_no']).unique().execute();

    await db.schema.alterTable('secret_items').addColumn('source_item_id', 'text').execute();
    // The extracts of an item, on its page.
    await db.schema.createIndex('secret_items_source_idx').on('secret_items').column('source_item_id').execute();

    for (const c of ['copy_form', 'authorised_by', 'performed_by']) await db.schema.alterTable('register_entries').addColumn(c, 'text').execute();

    await db.schema
      .createTable('copy_executions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('form', 'text', (c) => c.notNull().check(sql`form in ('sao_y','sao_luc','trich_sao','chup')`))
      .addColumn('equipment', 'text', (c) => c.notNull())
      .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 1`))
      .addColumn('spoiled', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`spoiled >= 0`),
      )
      .addColumn('spoiled_note', 'text')
      .addColumn('executed_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('executed_at', 'text', (c) => c.notNull())
      .addColumn('register_entry_id', 'text', (c) => c.notNull().references('register_entries.id'))
      .addColumn('source_attachment_id', 'text', (c) => c.references('item_attachments.id'))
      .addColumn('record_blob_id', 'text', (c) => c.references('blobs.id'))
      .addColumn('extract_item_id', 'text', (c) => c.references('secret_items.id'))
      .execute();
    // One execution per request: the last guard against carrying it out twice.
    await db.schema.createIndex('copy_executions_request_uq').on('copy_executions').column('request_id').unique().execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('copy_executions').execute();
    for (const c of ['performed_by', 'authorised_by', 'copy_form']) await db.schema.alterTable('register_entries').dropColumn(c).execute();
    await db.schema.dropIndex('secret_items_source_idx').execute();
    await db.schema.alterTable('secret_items').dropColumn('source_item_id').execute();
    await db.schema.dropIndex('copies_request_uq').execute();
    await db.schema.dropIndex('copies_item_idx').execute();
    await db.schema.dropIndex('copies_item_uq').execute();
    await db.schema.alterTable('copies').dropColumn('file_blob_id').execute();
    await db.schema.alterTable('copies').dropColumn('request_id').execute();
    await db.schema.createIndex('copies_item_uq').on('copies').columns(['item_id', 'origin', 'seq_no']).unique().execute();
  },
};
