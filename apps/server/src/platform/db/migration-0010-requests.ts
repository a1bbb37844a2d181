import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 13, part 2: the one request model (đề nghị) that copying, provision and take-out use.
 * - `requests`: one request — its type (the authority table's operation, finer for copying), the
 *   item and copies it concerns, the requester, the purpose, the type's own fields (`details`,
 *   JSON validated per type by requests.schemas), its status and, once submitted, where it is
 *   decided (`route`: in the agency, or by a higher authority outside it).
 * - `request_decisions`: the decision, at most one per request (the unique key is the last guard
 *   against a second decision): approved with its conditions and deadline, or refused with its
 *   reason; by whom and whether under a delegation — or, for a request routed outside, the outside
 *   decision the agency records (number, date, signer, authority; a scan attached later).
 */
const TYPES = `'copy','photograph','extract','provide_domestic','provide_foreign','take_out_domestic','take_out_abroad'`;
const STATUSES = `'draft','submitted','approved','refused','executed','closed','expired','cancelled'`;

export const m0010_requests: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull().check(sql.raw(`type in (${TYPES})`)))
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('copy_ids', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('requester_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql.raw(`status in (${STATUSES})`)))
      .addColumn('route', 'text', (c) => c.check(sql`route in ('agency','higher_authority')`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('submitted_at', 'text')
      .addColumn('closed_at', 'text')
      .addCheckConstraint('requests_routed', sql`status in ('draft','cancelled') or route is not null`)
      .execute();
    // The requester's own list, newest first.
    await db.schema.createIndex('requests_requester_idx').on('requests').columns(['requester_id', 'created_at']).execute();
    // The deciders' inbox: submitted requests, oldest first.
    await db.schema.createIndex('requests_status_idx').on('requests').columns(['status', 'submitted_at']).execute();
    // An item's requests (the item page, the flows).
    await db.schema.createIndex('requests_item_idx').on('requests').column('item_id').execute();

    await db.schema
      .createTable('request_decisions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
      .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('approved','refused')`))
      .addColumn('via', 'text', (c) => c.notNull().check(sql`via in ('position','delegation','outside')`))
      .addColumn('decided_by', 'text', (c) => c.references('users.id'))
      .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('reason', 'text')
      .addColumn('conditions', 'text')
      .addColumn('deadline', 'text')
      .addColumn('outside_authority', 'text')
      .addColumn('outside_number', 'text')
      .addColumn('outside_date', 'text')
      .addColumn('outside_signer', 'text')
      .addColumn('scan_blob_id', 'text', (c) => c.references('blobs.id'))
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .addCheckConstraint('request_decisions_reason', sql`outcome = 'approved' or reason is not null`)
      .addCheckConstraint('request_decisions_outside', sql`(via = 'outside') = (outside_number is not null and decided_by is null)`)
      .execute();
    // One decision per request.
    await db.schema.createIndex('request_decisions_request_uq').on('request_decisions').column('request_id').unique().execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('request_decisions').execute();
    await db.schema.dropTable('requests').execute();
  },
};
