import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 13, §1 and §2.2: the scans kept with a request (modules/requests/request-scans).
 * - kind 'written_request': the requesting body's written request of a provision (Mẫu 17);
 * - kind 'outside_decision': the higher authority's written decision on a request routed outside
 *   the agency (its number, date and signer are in request_decisions).
 * One scan per request and kind: a replacement overwrites the row (the old blob and its key go).
 * The file itself is in the encrypted blob store; the name is kept for the download only.
 */
export const m0015_request_scans: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('request_scans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('written_request','outside_decision')`))
      .addColumn('blob_id', 'text', (c) => c.notNull().references('blobs.id'))
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('uploaded_at', 'text', (c) => c.notNull())
      .execute();
    // One scan per request and kind (also the request page's look-up).
    await db.schema.createIndex('request_scans_request_kind_uq').on('request_scans').columns(['request_id', 'kind']).unique().execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('request_scans').execute();
  },
};
