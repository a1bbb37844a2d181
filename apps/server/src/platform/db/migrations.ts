import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';
import { m0004_search_filters } from './migration-0004-search-filters';
import { m0006_account_confirmations } from './migration-0006-account-confirmations';
import { m0007_register_access } from './migration-0007-register-access';
import { m0008_entered_dates } from './migration-0008-entered-dates';
import { m0009_positions } from './migration-0009-positions';
import { m0010_requests } from './migration-0010-requests';
import { m0011_copy_verification } from './migration-0011-copy-verification';
import { m0012_take_outs } from './migration-0012-take-outs';
import { m0013_copy_execution } from './migration-0013-copy-execution';
import { m0014_provisions } from './migration-0014-provisions';
import { m0015_request_scans } from './migration-0015-request-scans';
import { m0016_search_index } from './migration-0016-search-index';
import { m0017_search_months } from './migration-0017-search-months';

// Ordered registry of migrations (CONVENTIONS.md habit 11), applied by migrateToLatest in
// database.ts in name order. Never edit one that has landed;
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
    await db
      .insertInto('audit_head' as never)
      .values({ id: 1, seq: 0, hash: '0'.repeat(64) } as never)
      .execute();

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
      .addColumn('size', 'bigint', (c) => c.notNull()) // files over 2 GiB
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

const LEVEL_CHECK = sql`in ('CONFIDENTIAL','SECRET','TOP_SECRET')`;

// The registry (issue 3): catalogue, delegations, secret items, numbered copies, custody events,
// and the legal registers derived from them, with gapless numbering per register and year.
const m0002_registry: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('catalog_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('decision_number', 'text', (c) => c.notNull())
      .addColumn('decision_date', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('article', 'text', (c) => c.notNull())
      .addColumn('clause', 'text')
      .addColumn('point', 'text')
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull().check(sql`level ${LEVEL_CHECK}`))
      // Optional shorter protection period written in the catalogue, e.g. {"years":5}.
      .addColumn('shorter_period', 'text')
      .addColumn('sample', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Catalogue browsing by field then level; the same decision/article is listed once.
    await db.schema.createIndex('catalog_field_idx').on('catalog_items').columns(['field', 'level', 'article']).execute();
    await db.schema
      .createIndex('catalog_ref_uq')
      .on('catalog_items')
      .columns(['decision_number', 'article', 'clause', 'point', 'description'])
      .unique()
      .execute();

    await db.schema
      .createTable('delegations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('delegate_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text', (c) => c.notNull())
      .addColumn('decision_ref', 'text', (c) => c.notNull())
      .addColumn('granted_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('delegations_delegate_idx').on('delegations').columns(['delegate_id', 'valid_to']).execute();

    await db.schema
      .createTable('secret_items')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('internal','incoming')`))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('document','electronic_document','object','medium','place','activity')`))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('doc_type', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('field', 'text')
      .addColumn('proposed_level', 'text', (c) => c.check(sql`proposed_level ${LEVEL_CHECK}`))
      .addColumn('level', 'text', (c) => c.check(sql`level ${LEVEL_CHECK}`))
      .addColumn('catalog_item_id', 'text', (c) => c.references('catalog_items.id'))
      .addColumn('shorter_period', 'text')
      .addColumn('classified_on', 'text')
      .addColumn('protection_end', 'text')
      .addColumn('copies_planned', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('copy_allowed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('addressee_only', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('named_addressee_id', 'text', (c) => c.references('users.id'))
      .addColumn('recall_required', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('number', 'text')
      .addColumn('symbol', 'text')
      .addColumn('number_symbol', 'text')
      .addColumn('document_date', 'text')
      .addColumn('signer_name', 'text')
      .addColumn('issuer', 'text')
      .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
      .addColumn('drafter_id', 'text', (c) => c.references('users.id'))
      .addColumn('approver_id', 'text', (c) => c.references('users.id'))
      .addColumn('return_reason', 'text')
      .addColumn('search_text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // Work lists: drafts and proposals by state in a unit; items by drafter.
    await db.schema.createIndex('items_state_idx').on('secret_items').columns(['state', 'created_at']).execute();
    await db.schema.createIndex('items_drafter_idx').on('secret_items').columns(['drafter_id', 'created_at']).execute();

    await db.schema
      .createTable('item_recipients')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('user','unit','outside')`))
      .addColumn('user_id', 'text', (c) => c.references('users.id'))
      .addColumn('unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('outside_name', 'text')
      .addColumn('copies', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('addressee_only', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('recipients_item_idx').on('item_recipients').columns(['item_id', 'position']).execute();
    // Need-to-know: "am I a named recipient?"
    await db.schema.createIndex('recipients_user_idx').on('item_recipients').columns(['user_id', 'item_id']).execute();

    await db.schema
      .createTable('item_assignments')
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('assigned_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('assigned_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('item_assignments_pk', ['item_id', 'user_id'])
      .execute();

    await db.schema
      .createTable('copies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('origin', 'text', (c) => c.notNull().check(sql`origin in ('original','copy','extract','photo')`))
      .addColumn('seq_no', 'integer', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      // Exactly one holder: a user, a unit, or an outside body (checked below).
      .addColumn('holder_kind', 'text', (c) => c.notNull().check(sql`holder_kind in ('user','unit','outside')`))
      .addColumn('holder_user_id', 'text', (c) => c.references('users.id'))
      .addColumn('holder_unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('holder_outside', 'text')
      .addColumn('pending_kind', 'text')
      .addColumn('pending_user_id', 'text', (c) => c.references('users.id'))
      .addColumn('pending_unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('pending_outside', 'text')
      .addColumn('place', 'text')
      // "Chỉ người có tên mới được bóc bì" on this copy's envelope: only this person may hold it.
      .addColumn('addressee_user_id', 'text', (c) => c.references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addCheckConstraint(
        'copies_one_holder',
        sql`(holder_kind = 'user' and holder_user_id is not null and holder_unit_id is null and holder_outside is null)
         or (holder_kind = 'unit' and holder_unit_id is not null and holder_user_id is null and holder_outside is null)
         or (holder_kind = 'outside' and holder_outside is not null and holder_user_id is null and holder_unit_id is null)`,
      )
      .execute();
    await db.schema.createIndex('copies_item_uq').on('copies').columns(['item_id', 'origin', 'seq_no']).unique().execute();
    // "Tôi đang giữ" and the unit view.
    await db.schema.createIndex('copies_user_idx').on('copies').columns(['holder_user_id', 'status']).execute();
    await db.schema.createIndex('copies_unit_idx').on('copies').columns(['holder_unit_id', 'status']).execute();

    await db.schema
      .createTable('custody_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('from_label', 'text')
      .addColumn('to_label', 'text')
      .addColumn('to_user_id', 'text', (c) => c.references('users.id'))
      .addColumn('to_unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('envelope_state', 'text', (c) => c.check(sql`envelope_state in ('intact','damaged','opened')`))
      .addColumn('note', 'text')
      .addColumn('confirmed_at', 'text')
      .addColumn('confirmed_by', 'text', (c) => c.references('users.id'))
      .execute();
    await db.schema.createIndex('custody_item_idx').on('custody_events').columns(['item_id', 'occurred_at']).execute();
    // Hand-overs waiting for the receiver's confirmation.
    await db.schema.createIndex('custody_pending_user_idx').on('custody_events').columns(['to_user_id', 'confirmed_at']).execute();

    await db.schema
      .createTable('custody_event_copies')
      .addColumn('event_id', 'text', (c) => c.notNull().references('custody_events.id'))
      .addColumn('copy_id', 'text', (c) => c.notNull().references('copies.id'))
      .addPrimaryKeyConstraint('custody_event_copies_pk', ['event_id', 'copy_id'])
      .execute();
    await db.schema.createIndex('custody_copy_idx').on('custody_event_copies').columns(['copy_id', 'event_id']).execute();

    // Gapless numbering: one row per register (or number series) and year, incremented inside the
    // transaction that writes the entry, so a rolled-back entry never consumes a number.
    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('last_number', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('counters_pk', ['name', 'year'])
      .execute();

    await db.schema
      .createTable('register_entries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('register', 'text', (c) => c.notNull().check(sql`register in ('outgoing','incoming','transfer','copy')`))
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('volume', 'integer', (c) => c.notNull())
      .addColumn('entry_date', 'text', (c) => c.notNull())
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      .addColumn('custody_event_id', 'text', (c) => c.references('custody_events.id'))
      .addColumn('unit_id', 'text', (c) => c.references('units.id'))
      .addColumn('number_symbol', 'text')
      .addColumn('document_date', 'text')
      .addColumn('doc_type', 'text')
      .addColumn('summary', 'text')
      .addColumn('level', 'text', (c) => c.notNull().check(sql`level ${LEVEL_CHECK}`))
      .addColumn('signer', 'text')
      .addColumn('issuer', 'text')
      .addColumn('recipient', 'text')
      .addColumn('quantity', 'integer', (c) => c.notNull())
      .addColumn('copy_labels', 'text')
      .addColumn('received_by', 'text')
      .addColumn('received_at', 'text')
      .addColumn('note', 'text')
      .addColumn('form_code', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('cancelled_at', 'text')
      .addColumn('cancelled_by', 'text', (c) => c.references('users.id'))
      .addColumn('cancel_reason', 'text')
      // NĐ 63/2026: a Tuyệt mật entry records no summary (trích yếu) — enforced here as well as
      // in the use case, on both databases.
      .addCheckConstraint('register_entries_top_secret_no_summary', sql`level <> 'TOP_SECRET' or summary is null`)
      .execute();
    // A number is used once per register and year; also the order of every register page.
    await db.schema.createIndex('register_entries_number_uq').on('register_entries').columns(['register', 'year', 'number']).unique().execute();
    // Filtered register pages (by level, by unit) in number order. The id closes each index so a
    // deep page is found from the index alone, then only its 50 rows are read.
    await db.schema.createIndex('register_entries_level_idx').on('register_entries').columns(['register', 'year', 'level', 'number', 'id']).execute();
    await db.schema.createIndex('register_entries_unit_idx').on('register_entries').columns(['register', 'year', 'unit_id', 'number', 'id']).execute();
    await db.schema.createIndex('register_entries_item_idx').on('register_entries').columns(['item_id']).execute();

    // Register search index: derived from register_entries, written beside each entry in its
    // transaction (modules/search/search.index.ts), never backed up, rebuilt on restore.
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      // Two documents ('simple' configuration over the folded words): meta_doc (number/symbol,
      // type, issuer, recipient + filter tags) for readers who may not see summaries, full_doc
      // (the same + summary) for those who may. Two GIN indexes rather than one weighted vector:
      // weights force a heap recheck of every candidate, costly for common words.
      await sql`create table register_search (
        entry_id text primary key references register_entries(id),
        sort_key bigint not null,
        meta_doc tsvector not null,
        full_doc tsvector not null)`.execute(db);
      await sql`create index register_search_meta_idx on register_search using gin (meta_doc)`.execute(db);
      await sql`create index register_search_full_idx on register_search using gin (full_doc)`.execute(db);
      // Newest first (entry date, then number) is sort_key desc.
      await sql`create index register_search_sort_idx on register_search (sort_key)`.execute(db);
    } else {
      // Contentless FTS5 over the folded text; rowid is the order key (newest first = rowid desc,
      // unranked); prefix indexes keep short prefix queries cheap; columnsize=0: no bm25 needed.
      await sql`create virtual table register_search using fts5(
        entry_id unindexed, meta, summary, tags,
        content='', contentless_unindexed=1, columnsize=0,
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')`.execute(db);
    }

    // Notices to people (e.g. a damaged envelope on receipt goes to the head and the security
    // officer at once — NĐ 26/2020 Đ.4 k.2). Delivered in the web UI; nothing leaves the server.
    await db.schema
      .createTable('notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text')
      .addColumn('subject_id', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('read_at', 'text')
      .execute();
    await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'read_at', 'created_at']).execute();

    await db.schema
      .createTable('register_years')
      .addColumn('register', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('current_volume', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('locked_at', 'text')
      .addColumn('locked_by', 'text', (c) => c.references('users.id'))
      .addColumn('lock_reason', 'text')
      .addPrimaryKeyConstraint('register_years_pk', ['register', 'year'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const t of [
      'register_years',
      'notifications',
      'register_search',
      'register_entries',
      'counters',
      'custody_event_copies',
      'custody_events',
      'copies',
      'item_assignments',
      'item_recipients',
      'secret_items',
      'delegations',
      'catalog_items',
    ]) {
      await db.schema.dropTable(t).execute();
    }
  },
};

// Attached files (issue: electronic documents and signed receipts). An electronic document's
// content is its files; a signed receipt page may be scanned and kept with its custody event. The
// bytes live encrypted in the blob store; this row says whose file it is. sha256 and size are
// copied from the blob row so the record survives the blob's removal (crypto-shredding on delete).
const m0003_attachments: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('item_attachments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('secret_items.id'))
      // Null once the file is removed: the blob row (and its wrapped key) is deleted with it.
      .addColumn('blob_id', 'text', (c) => c.references('blobs.id'))
      .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('content','receipt_scan')`))
      .addColumn('custody_event_id', 'text', (c) => c.references('custody_events.id'))
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('media_type', 'text', (c) => c.notNull())
      .addColumn('size', 'bigint', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('uploaded_at', 'text', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .addColumn('removed_by', 'text', (c) => c.references('users.id'))
      // A receipt scan belongs to exactly one custody event; a content file to none.
      .addCheckConstraint(
        'item_attachments_purpose_event',
        sql`(purpose = 'content' and custody_event_id is null) or (purpose = 'receipt_scan' and custody_event_id is not null)`,
      )
      // A live file has its blob; a removed one has none, and says who removed it.
      .addCheckConstraint(
        'item_attachments_removed',
        sql`(removed_at is null and removed_by is null and blob_id is not null) or (removed_at is not null and removed_by is not null and blob_id is null)`,
      )
      .execute();
    // "Files of an item" (the list and its count), in upload order.
    await db.schema.createIndex('item_attachments_item_idx').on('item_attachments').columns(['item_id', 'purpose', 'uploaded_at']).execute();
    // One attachment per blob (NULLs, i.e. removed files, do not collide on either database).
    await db.schema.createIndex('item_attachments_blob_uq').on('item_attachments').column('blob_id').unique().execute();
    // One scan per custody event; content files (NULL) do not collide. Also the scan look-up.
    await db.schema.createIndex('item_attachments_event_uq').on('item_attachments').column('custody_event_id').unique().execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('item_attachments').execute();
  },
};

// Issue 11: signed checkpoints form their own chain, and events are hashed under the chain key.
// Rows written before this migration keep their format (checkpoints format 1, events hashed with
// plain SHA-256 up to keyed_from - 1); everything after is keyed and chained (platform/audit).
const m0005_audit_checkpoint_chain: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable('audit_checkpoints')
      .addColumn('format', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.alterTable('audit_checkpoints').addColumn('prev_seq', 'integer').execute();
    await db.schema.alterTable('audit_checkpoints').addColumn('prev_signature_hash', 'text').execute();
    await db.schema.alterTable('audit_checkpoints').addColumn('every', 'integer').execute();
    await db.schema.alterTable('audit_checkpoints').addColumn('keyed_from', 'integer').execute();
    // The first event hashed under the chain key: the next one (1 on a new install).
    await db.schema
      .alterTable('audit_head')
      .addColumn('keyed_from', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await sql`update audit_head set keyed_from = seq + 1`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('audit_head').dropColumn('keyed_from').execute();
    for (const c of ['keyed_from', 'every', 'prev_signature_hash', 'prev_seq', 'format']) {
      await db.schema.alterTable('audit_checkpoints').dropColumn(c).execute();
    }
  },
};

export const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001_foundation,
  '0002_registry': m0002_registry,
  '0003_attachments': m0003_attachments,
  '0004_search_filters': m0004_search_filters,
  '0005_audit_checkpoint_chain': m0005_audit_checkpoint_chain,
  '0006_account_confirmations': m0006_account_confirmations,
  '0007_register_access': m0007_register_access,
  '0008_entered_dates': m0008_entered_dates,
  '0009_positions': m0009_positions,
  '0010_requests': m0010_requests,
  '0011_copy_verification': m0011_copy_verification,
  '0012_take_outs': m0012_take_outs,
  '0013_copy_execution': m0013_copy_execution,
  '0014_provisions': m0014_provisions,
  '0015_request_scans': m0015_request_scans,
  '0016_search_index': m0016_search_index,
  '0017_search_months': m0017_search_months,
};
