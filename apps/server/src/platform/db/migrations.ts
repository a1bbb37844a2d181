import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

// Ordered registry of migrations (CONVENTIONS.md habit 11). Never edit one that has landed;
// add the next. The same migrations run on SQLite and PostgreSQL, so only portable types are
// used (text, integer); times are ISO strings.

const m0001_foundation: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('units')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('parent_id', 'text', (c) => c.references('units.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('parent_body', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('closed_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Unit codes are unique in the agency (used on registers and in number patterns).
    await db.schema.createIndex('units_code_uq').on('units').column('code').unique().execute();
    // The unit tree view lists children of a parent.
    await db.schema.createIndex('units_parent_idx').on('units').columns(['parent_id', 'name']).execute();

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('position', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('clearance', 'text', (c) => c.notNull().check(sql`clearance in ('NONE','CONFIDENTIAL','SECRET','TOP_SECRET')`))
      .addColumn('totp_secret_sealed', 'text')
      // A new TOTP secret waiting for its first code; replaces the active one only when confirmed.
      .addColumn('totp_pending_sealed', 'text')
      .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      // Last accepted TOTP time step: a code is accepted once (replay protection).
      .addColumn('totp_last_step', 'integer')
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', 'text')
      .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('password_changed_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Login looks users up by name, case-insensitively (names are stored lower-case).
    await db.schema.createIndex('users_username_uq').on('users').column('username').unique().execute();
    await db.schema.createIndex('users_unit_idx').on('users').columns(['unit_id', 'full_name']).execute();

    await db.schema
      .createTable('user_roles')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('clerk','officer','head','security_officer','inspector','admin')`))
      .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('totp','enrol','full')`))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    // Revoking every session of a user (deactivation, password reset).
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

    await db.schema
      .createTable('audit_events')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text')
      .addColumn('subject_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    // Audit view filters: by actor, by action, by subject, each newest first.
    await db.schema.createIndex('audit_actor_idx').on('audit_events').columns(['actor_id', 'seq']).execute();
    await db.schema.createIndex('audit_action_idx').on('audit_events').columns(['action', 'seq']).execute();
    await db.schema.createIndex('audit_subject_idx').on('audit_events').columns(['subject_id', 'seq']).execute();
    await db.schema.createIndex('audit_time_idx').on('audit_events').columns(['occurred_at', 'seq']).execute();

    // Single row: the head of the chain. Writers lock it, so concurrent writers never fork.
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('audit_head' as never).values({ id: 1, seq: 0, hash: '0'.repeat(64) } as never).execute();

    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('signed_at', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('blobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('size', 'bigint', (c) => c.notNull())  // files over 2 GiB
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('chunk_size', 'integer', (c) => c.notNull())
      .addColumn('chunk_count', 'integer', (c) => c.notNull())
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('key_version', 'integer', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Key rotation walks blobs still wrapped under an old master key.
    await db.schema.createIndex('blobs_key_version_idx').on('blobs').columns(['key_version', 'id']).execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of ['settings', 'blobs', 'audit_checkpoints', 'audit_head', 'audit_events', 'sessions', 'user_roles', 'users', 'units']) {
      await db.schema.dropTable(t).execute();
    }
  },
};

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001_foundation,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
