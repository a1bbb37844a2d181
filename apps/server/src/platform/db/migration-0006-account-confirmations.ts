import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Account changes waiting for a second person (issue 11; DESIGN.md principle 8): an account
 * created with a role that works with secrets, a role added, a move to another unit, a password
 * or TOTP reset by the administrator, a raise of clearance. While one of the first four is
 * pending the account is held (no secret roles, no clearance); a clearance raise takes effect
 * only when confirmed. A newer change of the same kind for the same person supersedes the older.
 */
export const m0006_account_confirmations: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('account_changes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('account','roles','unit','identity','clearance')`))
      // What was asked, as JSON: roles, clearance, unit — never secret content.
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      // Số quyết định / văn bản (required for clearance changes by the use case).
      .addColumn('decision_ref', 'text')
      .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','confirmed','rejected','superseded')`))
      .addColumn('decided_by', 'text', (c) => c.references('users.id'))
      .addColumn('decided_at', 'text')
      .addColumn('decision_note', 'text')
      .addCheckConstraint('account_changes_decided', sql`(status = 'pending' and decided_at is null) or (status <> 'pending' and decided_at is not null)`)
      .execute();
    // "Is this account held?" (every signed-in request) and "what is pending for this person".
    await db.schema.createIndex('account_changes_user_idx').on('account_changes').columns(['user_id', 'status', 'kind']).execute();
    // The confirmer's list: pending first, newest first.
    await db.schema.createIndex('account_changes_status_idx').on('account_changes').columns(['status', 'requested_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('account_changes').execute();
  },
};
