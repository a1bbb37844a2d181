import type { Kysely, Migration } from 'kysely';

/**
 * Issue 11, one content decision per row: the need-to-know facts that search reads the other way
 * round (row-access.ts `needToKnowItems`: "the items this viewer has need-to-know on") are looked
 * up by the viewer, not by the item. The copies by holder already had their indexes (0001); the
 * recipients by unit and the assignments by user had none, so each searched page scanned them.
 */
export const m0007_register_access: Migration = {
  async up(db: Kysely<unknown>) {
    // needToKnowItems for a unit head: "item_recipients where unit_id = <their unit>" (the unit
    // named in Nơi nhận). Covering (item_id included): the subquery reads the index alone.
    await db.schema.createIndex('recipients_unit_idx').on('item_recipients').columns(['unit_id', 'item_id']).execute();
    // needToKnowItems for everyone: "item_assignments where user_id = <viewer>". The primary key
    // (item_id, user_id) serves rowAccessFor's look-up by item, not this one by person.
    await db.schema.createIndex('assignments_user_idx').on('item_assignments').columns(['user_id', 'item_id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('assignments_user_idx').execute();
    await db.schema.dropIndex('recipients_unit_idx').execute();
  },
};
