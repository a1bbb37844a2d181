import type { Kysely, Migration } from 'kysely';

/**
 * Issue 13, §2.2: providing / transferring a secret (cung cấp, chuyển giao) once the request is
 * approved, and the agency's written answer.
 * - `provisions`: one carried-out provision request — the dispatch that sent its copies to the
 *   requesting body (the custody event whose outside receipt closes the request), who sent them,
 *   when, and when the receipt closed it.
 * - `request_letters`: the number of the agency's letter answering a provision request (approval
 *   or reasoned refusal), allocated once, when the letter is first printed, so that every later
 *   print carries the same number.
 */
export const m0014_provisions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('provisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('custody_event_id', 'text', (c) => c.notNull().references('custody_events.id'))
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('executed_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('executed_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();
    // One provision per request (the last guard against sending the copies twice).
    await db.schema.createIndex('provisions_request_uq').on('provisions').column('request_id').unique().execute();
    // The outside receipt of a dispatch finds the provision it closes.
    await db.schema.createIndex('provisions_event_idx').on('provisions').column('custody_event_id').execute();

    await db.schema
      .createTable('request_letters')
      .addColumn('request_id', 'text', (c) => c.primaryKey().references('requests.id'))
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('letter_date', 'text', (c) => c.notNull())
      .addColumn('first_printed_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('first_printed_at', 'text', (c) => c.notNull())
      .execute();
    // A letter number is used once a year.
    await db.schema.createIndex('request_letters_number_uq').on('request_letters').columns(['year', 'number']).unique().execute();

    // The requester's list, newest first, read from the index alone up to the page (the id closes
    // the order, as the list does): replaces requests_requester_idx (requester_id, created_at).
    await db.schema.dropIndex('requests_requester_idx').execute();
    await db.schema.createIndex('requests_requester_idx').on('requests').columns(['requester_id', 'created_at', 'id']).execute();
    // The inbox's page, oldest first, found in the index alone (requests.repository
    // findSubmittedPage): replaces requests_status_idx (status, submitted_at).
    await db.schema.dropIndex('requests_status_idx').execute();
    await db.schema.createIndex('requests_status_idx').on('requests').columns(['status', 'submitted_at', 'id', 'requester_id']).execute();
    // The inbox's groups (requests.repository countSubmittedByGroup: type × route × own, per item's
    // level and field) read from indexes alone: the waiting requests' facts, then each item's.
    await db.schema.createIndex('requests_waiting_idx').on('requests').columns(['status', 'type', 'route', 'requester_id', 'item_id']).execute();
    await db.schema.createIndex('secret_items_authority_facts_idx').on('secret_items').columns(['id', 'level', 'field']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('secret_items_authority_facts_idx').execute();
    await db.schema.dropIndex('requests_waiting_idx').execute();
    await db.schema.dropIndex('requests_requester_idx').execute();
    await db.schema.createIndex('requests_requester_idx').on('requests').columns(['requester_id', 'created_at']).execute();
    await db.schema.dropIndex('requests_status_idx').execute();
    await db.schema.createIndex('requests_status_idx').on('requests').columns(['status', 'submitted_at']).execute();
    await db.schema.dropTable('request_letters').execute();
    await db.schema.dropTable('provisions').execute();
  },
};
