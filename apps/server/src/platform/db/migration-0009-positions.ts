import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Issue 13, part 1: positions (chức vụ) and generalised delegations.
 * - `positions`: the agency's own list of titles, each with a kind of packages/policy positions.ts
 *   (the authority table speaks of kinds). Six titles to start with, one per kind, renamed by the
 *   agency as it likes. `users.position_id`: the one position a user holds, in their own unit (the
 *   free-text `users.position` stays as the title shown, kept equal to the position's name when
 *   one is set). Existing accounts are given a position as the old rule read them: a head in the
 *   agency itself → agency head (Giám đốc), a head elsewhere → Trưởng phòng, anyone else → staff.
 * - `delegations.operations`, `delegations.levels` (JSON arrays): what a delegation covers.
 *   Existing delegations were for classification at every level (the old rule asked only the
 *   field), so they become operations ["classify"] with the three levels.
 * - `account_changes.kind` may be 'position': a position that gives decision authority waits for
 *   a second person. SQLite cannot alter a CHECK constraint, so the table is rebuilt (both
 *   dialects, the same way).
 */
const KINDS = ['agency_head', 'deputy_agency_head', 'office_chief', 'unit_head', 'deputy_unit_head', 'staff'] as const;
const START_NAMES: Record<(typeof KINDS)[number], string> = {
  agency_head: 'Giám đốc',
  deputy_agency_head: 'Phó Giám đốc',
  office_chief: 'Chánh Văn phòng',
  unit_head: 'Trưởng phòng',
  deputy_unit_head: 'Phó Trưởng phòng',
  staff: 'Chuyên viên',
};
const ALL_LEVELS = '["CONFIDENTIAL","SECRET","TOP_SECRET"]';

async function createAccountChanges(db: Kysely<unknown>, name: string, kinds: string) {
  await db.schema
    .createTable(name)
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql.raw(`kind in (${kinds})`)))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('decision_ref', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending','confirmed','rejected','superseded')`))
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addCheckConstraint(`${name}_decided`, sql`(status = 'pending' and decided_at is null) or (status <> 'pending' and decided_at is not null)`)
    .execute();
}

async function rebuildAccountChanges(db: Kysely<unknown>, kinds: string) {
  await createAccountChanges(db, 'account_changes_next', kinds);
  await sql`insert into account_changes_next select id, user_id, kind, payload, reason, decision_ref, requested_by, requested_at, status, decided_by, decided_at, decision_note from account_changes`.execute(
    db,
  );
  await db.schema.dropTable('account_changes').execute();
  await db.schema.alterTable('account_changes_next').renameTo('account_changes').execute();
  // As in 0006: "is this account held?" and the confirmer's list.
  await db.schema.createIndex('account_changes_user_idx').on('account_changes').columns(['user_id', 'status', 'kind']).execute();
  await db.schema.createIndex('account_changes_status_idx').on('account_changes').columns(['status', 'requested_at']).execute();
}

export const m0009_positions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('positions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql.raw(`kind in (${KINDS.map((k) => `'${k}'`).join(',')})`)))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    // Titles are unique in the agency (the list the administrator picks from).
    await db.schema.createIndex('positions_name_uq').on('positions').column('name').unique().execute();
    await db.schema
      .alterTable('users')
      .addColumn('position_id', 'text', (c) => c.references('positions.id'))
      .execute();

    // An installation already set up gets the starting titles and its accounts their positions; a
    // new one gets them from the set-up (org.repository ensureStartingPositions), so that an empty
    // database stays empty (a restore needs one).
    const users = await sql<{ n: number | string }>`select count(*) as n from users`.execute(db);
    if (Number(users.rows[0]?.n ?? 0) === 0) {
      await db.schema
        .alterTable('delegations')
        .addColumn('operations', 'text', (c) => c.notNull().defaultTo('["classify"]'))
        .execute();
      await db.schema
        .alterTable('delegations')
        .addColumn('levels', 'text', (c) => c.notNull().defaultTo(ALL_LEVELS))
        .execute();
      await rebuildAccountChanges(db, `'account','roles','unit','identity','clearance','position'`);
      return;
    }
    const now = new Date().toISOString();
    const ids = {} as Record<(typeof KINDS)[number], string>;
    for (const kind of KINDS) {
      ids[kind] = randomUUID();
      await sql`insert into positions (id, name, kind, created_at) values (${ids[kind]}, ${START_NAMES[kind]}, ${kind}, ${now})`.execute(db);
    }
    const heads = sql`exists (select 1 from user_roles r where r.user_id = users.id and r.role = 'head')`;
    const atRoot = sql`unit_id in (select id from units where parent_id is null)`;
    await sql`update users set position_id = ${ids.agency_head} where ${heads} and ${atRoot}`.execute(db);
    await sql`update users set position_id = ${ids.unit_head} where position_id is null and ${heads}`.execute(db);
    await sql`update users set position_id = ${ids.staff} where position_id is null`.execute(db);

    await db.schema
      .alterTable('delegations')
      .addColumn('operations', 'text', (c) => c.notNull().defaultTo('["classify"]'))
      .execute();
    await db.schema
      .alterTable('delegations')
      .addColumn('levels', 'text', (c) => c.notNull().defaultTo(ALL_LEVELS))
      .execute();

    await rebuildAccountChanges(db, `'account','roles','unit','identity','clearance','position'`);
  },
  async down(db: Kysely<unknown>) {
    await sql`delete from account_changes where kind = 'position'`.execute(db);
    await rebuildAccountChanges(db, `'account','roles','unit','identity','clearance'`);
    await db.schema.alterTable('delegations').dropColumn('levels').execute();
    await db.schema.alterTable('delegations').dropColumn('operations').execute();
    await db.schema.alterTable('users').dropColumn('position_id').execute();
    await db.schema.dropTable('positions').execute();
  },
};
