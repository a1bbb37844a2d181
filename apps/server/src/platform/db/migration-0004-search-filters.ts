import { PostgresAdapter, sql, type Kysely, type Migration } from 'kysely';

/**
 * PostgreSQL's register search index gets its filters as plain columns, with b-trees in the order
 * the search lists (newest first): a search without text over one register and year is then an
 * index-only walk (issue 3 bench: page 100 of such a search took ~73 ms p95 intersecting tag
 * lists on the GIN). The order key is stored negated (rev_key = -sort_key) on purpose: with
 * `order by sort_key desc` the planner strips the equality columns from the ordering and, since
 * newer years sit at the top of sort_key, walks the plain sort_key index past every newer entry
 * (measured: 140–400 ms); `order by rev_key` can only be served by these indexes. Existing rows
 * are filled from register_entries. SQLite's FTS5 index is unchanged.
 */
export const m0004_search_filters: Migration = {
  async up(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`alter table register_search add column register text, add column year integer, add column level text, add column unit_id text, add column rev_key bigint`.execute(
      db,
    );
    await sql`update register_search s set register = e.register, year = e.year, level = e.level, unit_id = e.unit_id, rev_key = -s.sort_key from register_entries e where e.id = s.entry_id`.execute(
      db,
    );
    await sql`alter table register_search alter column register set not null, alter column year set not null, alter column level set not null, alter column rev_key set not null`.execute(
      db,
    );
    await sql`create index register_search_year_idx on register_search (register, year, rev_key) include (entry_id)`.execute(db);
    await sql`create index register_search_level_idx on register_search (register, year, level, rev_key) include (entry_id)`.execute(db);
    await sql`create index register_search_unit_idx on register_search (register, year, unit_id, rev_key) include (entry_id)`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    for (const i of ['year', 'level', 'unit']) await sql`drop index ${sql.raw(`register_search_${i}_idx`)}`.execute(db);
    await sql`alter table register_search drop column register, drop column year, drop column level, drop column unit_id, drop column rev_key`.execute(db);
  },
};
