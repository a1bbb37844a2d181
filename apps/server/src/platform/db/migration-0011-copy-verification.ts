import type { Kysely, Migration } from 'kysely';

/**
 * Issue 13 point 4, verifying a copy: `copies.verification_id` is the random id the trace mark's
 * QR code carries on every page of a numbered copy KhoMật produces (copying/copy-pdf.ts
 * newCopyVerificationId, 26 base32 characters). Null for copies made before, or outside, KhoMật's
 * copying (paper copies registered by hand have no trace mark).
 * Numbered 0011: 0009 (positions) and 0010 (requests) are taken by work landing alongside.
 */
export const m0011_copy_verification: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('copies').addColumn('verification_id', 'text').execute();
    // The verify page's look-up "copy where verification_id = <the id on the page>"; unique, so
    // one printed page names one copy. Both databases let any number of rows hold NULL.
    await db.schema.createIndex('copies_verification_uq').on('copies').column('verification_id').unique().execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('copies_verification_uq').execute();
    await db.schema.alterTable('copies').dropColumn('verification_id').execute();
  },
};
