import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { migrationDatabases, seedIssuedItem } from './migration-test-helpers';
import { MIGRATIONS } from './migrations';

// Migration 0015 on a database that already holds a request: the scans table appears empty, holds
// one scan per (request, kind), refuses a kind it does not know, and down removes it again.

const DIALECTS = await dialects();

describe.each(DIALECTS)('migration 0015 (request scans) on %s', (dialect) => {
  const openBefore = migrationDatabases(dialect);

  it('adds the scans table, one scan per request and kind', async () => {
    const db = await openBefore('0015');
    const now = '2026-03-02T00:00:00.000Z';
    await seedIssuedItem(db, 'vanthu', now);
    await sql`insert into requests (id, type, item_id, requester_id, purpose, details, status, route, created_at, updated_at)
      values ('r1', 'provide_foreign', 'item', 'vanthu', 'Công tác', '{}', 'submitted', 'higher_authority', ${now}, ${now})`.execute(db);
    for (const b of ['b1', 'b2', 'b3'])
      await sql`insert into blobs (id, size, sha256, chunk_size, chunk_count, wrapped_key, key_version, algorithm, created_at) values (${b}, 3, 'x', 65536, 1, 'k', 1, 'aes', ${now})`.execute(
        db,
      );

    await MIGRATIONS['0015_request_scans']!.up(db);

    expect(Number((await sql<{ n: number | string }>`select count(*) as n from request_scans`.execute(db)).rows[0]!.n)).toBe(0);
    const scan = (id: string, kind: string, blob: string) =>
      sql`insert into request_scans (id, request_id, kind, blob_id, file_name, content_type, size, uploaded_by, uploaded_at)
        values (${id}, 'r1', ${kind}, ${blob}, 'a.pdf', 'application/pdf', 3, 'vanthu', ${now})`.execute(db);
    await scan('s1', 'written_request', 'b1');
    await scan('s2', 'outside_decision', 'b2');
    await expect(scan('s3', 'written_request', 'b3')).rejects.toThrow(); // one per request and kind
    await expect(scan('s4', 'other', 'b3')).rejects.toThrow(); // a kind it does not know

    await MIGRATIONS['0015_request_scans']!.down!(db);
    await expect(sql`select count(*) from request_scans`.execute(db)).rejects.toThrow();
  });
});
