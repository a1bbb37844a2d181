import type { Kysely, Migration } from 'kysely';

/**
 * Issue 12, points 7 and 8.
 * - `register_entries.received_on`: the civil date ('YYYY-MM-DD') an outside body signed for a
 *   dispatched copy, as the returned receipt (phiếu gửi) says; `received_at` stays the instant the
 *   clerk recorded it. Null for signatures given in KhoMật itself (their day is `received_at`'s).
 * - `secret_items.summary_agreed_by` / `summary_agreed_at`: the named person of an addressee-only
 *   envelope agreed in KhoMật that the văn thư writes its summary (dispatch.rules SUMMARY_RULES).
 * The arrival date of a paper received earlier needs no column: it is the incoming entry's date.
 */
export const m0008_entered_dates: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('register_entries').addColumn('received_on', 'text').execute();
    await db.schema.alterTable('secret_items').addColumn('summary_agreed_by', 'text').execute();
    await db.schema.alterTable('secret_items').addColumn('summary_agreed_at', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('secret_items').dropColumn('summary_agreed_at').execute();
    await db.schema.alterTable('secret_items').dropColumn('summary_agreed_by').execute();
    await db.schema.alterTable('register_entries').dropColumn('received_on').execute();
  },
};
