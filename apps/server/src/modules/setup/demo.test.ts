import { afterEach, describe, expect, it } from 'vitest';
import { createTestRuntime, dialects, type TestRuntime } from '../../test/harness';
import { checkApproval } from '../items/items.rules';
import { approverOf } from '../items/row-access';
import { findAgencyHeads } from '../org/org.repository';
import { DEMO_USERS, loadDemo } from './demo';

// The demo agency (issue 13): a position for every account; the Giám đốc is the one agency head;
// the Phó Giám đốc decides nothing by the position, only under the Giám đốc's delegation.

const DIALECTS = await dialects();

describe.each(DIALECTS)('demo agency on %s', (dialect) => {
  let t: TestRuntime | undefined;
  afterEach(async () => t?.cleanup());

  it('gives every account a position; the Phó Giám đốc decides only under her delegation', async () => {
    t = await createTestRuntime(dialect);
    await loadDemo(t.deps);
    const db = t.deps.dbh.db;
    const rows = await db
      .selectFrom('users')
      .leftJoin('positions', 'positions.id', 'users.position_id')
      .select(['users.id', 'users.username', 'users.unit_id', 'users.clearance', 'positions.kind', 'positions.name'])
      .execute();
    expect(rows).toHaveLength(DEMO_USERS.length);
    for (const u of DEMO_USERS) expect(rows.find((r) => r.username === u.username)?.kind, u.username).toBe(u.positionKind);
    const byName = (n: string) => rows.find((r) => r.username === n)!;
    expect(byName('phogiamdoc').name).toBe('Phó Giám đốc Sở');
    expect((await findAgencyHeads(db)).map((u) => u.id)).toEqual([byName('giamdoc').id]);

    const actor = (n: string, roles: ('head' | 'officer')[]) => ({ userId: byName(n).id, roles, clearance: 'TOP_SECRET' as const, unitId: byName(n).unit_id });
    const proposal = (field: string) => ({ status: 'proposed' as const, drafterId: byName('canbo').id, field, level: 'SECRET' as const });
    const today = t.clock.now().toISOString().slice(0, 10);
    const deputy = await approverOf(db, actor('phogiamdoc', ['officer']));
    expect(deputy).toMatchObject({ isAgencyHead: false, positionKind: 'deputy_agency_head' });
    expect(checkApproval({ approver: deputy, item: proposal('Ngoại giao'), today })).toEqual({ ok: true, via: 'delegation' });
    expect(checkApproval({ approver: deputy, item: proposal('Quốc phòng'), today })).toEqual({ ok: false, code: 'item.approver_not_authorised' });
    // Even with the head role in the agency itself, the position alone gives her nothing.
    const deputyAsHead = await approverOf(db, actor('phogiamdoc', ['head']));
    expect(checkApproval({ approver: { ...deputyAsHead, delegations: [] }, item: proposal('Ngoại giao'), today })).toEqual({
      ok: false,
      code: 'item.approver_not_authorised',
    });
    const head = await approverOf(db, actor('giamdoc', ['head']));
    expect(checkApproval({ approver: head, item: proposal('Quốc phòng'), today })).toEqual({ ok: true, via: 'head' });
  });
});
