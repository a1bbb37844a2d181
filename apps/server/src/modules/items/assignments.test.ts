import { afterEach, describe, expect, it } from 'vitest';
import type { AuditLog, AuditWriter } from '../../platform/audit/audit-log';
import { databaseFingerprint, dialects } from '../../test/harness';
import { findUserWithRoles } from '../auth/auth.repository';
import { actorOf } from '../auth/auth.usecases';
import { assignItem, unassignItem } from './assignments.usecases';
import { startAgency, SUMMARY, type Agency } from './items-test-helpers';

const DIALECTS = await dialects();

describe.each(DIALECTS)('need-to-know assignments on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  const actions = async () =>
    (await a.t.deps.dbh.db.selectFrom('audit_events').select(['action', 'details']).orderBy('seq').execute()).map((e) => [e.action, JSON.parse(e.details)]);

  it('the head of the holding unit assigns a colleague: content refused before, allowed after, refused after revoke', async () => {
    a = await startAgency(dialect);
    const { ids, as } = a;
    const itemId = await a.issued();
    const colleague = await as('dongnghiepa');
    const head = await as('truongphonga');

    const before = await colleague.get(`/api/items/${itemId}/content`);
    expect(before.statusCode).toBe(403);
    expect(before.json().error.code).toBe('item.content_forbidden');

    const granted = await head.post(`/api/items/${itemId}/assignments`, { userId: ids.colleagueA });
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json()).toEqual({ itemId, userId: ids.colleagueA, assignedAt: a.t.clock.now().toISOString() });
    const row = await a.t.deps.dbh.db.selectFrom('item_assignments').selectAll().where('item_id', '=', itemId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ user_id: ids.colleagueA, assigned_by: ids.headA });
    expect((await actions()).filter(([x]) => x === 'item.assignment_granted')).toEqual([['item.assignment_granted', { userId: ids.colleagueA }]]);

    const after = await colleague.get(`/api/items/${itemId}/content`);
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json()).toMatchObject({ summary: SUMMARY, reason: 'assigned' });
    // The item page lists the assignment to those who may read the content.
    const page = (await head.get(`/api/items/${itemId}`)).json();
    expect(page.assignments).toEqual([
      {
        userId: ids.colleagueA,
        name: 'Người dùng dongnghiepa',
        assignedBy: { id: ids.headA, name: 'Người dùng truongphonga' },
        assignedAt: granted.json().assignedAt,
      },
    ]);
    // ...and to nobody else: the inspector sees the item's metadata but not who was given need-to-know.
    expect((await (await as('thanhtra')).get(`/api/items/${itemId}`)).json().assignments).toEqual([]);

    const twice = await head.post(`/api/items/${itemId}/assignments`, { userId: ids.colleagueA });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('item.already_assigned');

    const revoked = await head.request('DELETE', `/api/items/${itemId}/assignments/${ids.colleagueA}`);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ itemId, userId: ids.colleagueA });
    expect(await a.t.deps.dbh.db.selectFrom('item_assignments').selectAll().execute()).toEqual([]);
    expect((await actions()).map(([x]) => x)).toContain('item.assignment_revoked');
    expect((await colleague.get(`/api/items/${itemId}/content`)).statusCode).toBe(403);

    const gone = await head.request('DELETE', `/api/items/${itemId}/assignments/${ids.colleagueA}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('item.assignment_not_found');
    // The audit trail of all this carries ids only.
    expect(JSON.stringify(await actions())).not.toContain(SUMMARY);
  });

  it("refusals change nothing: other unit's head, low clearance, other unit's person, oneself, no such user, not a head", async () => {
    a = await startAgency(dialect);
    const { ids, as } = a;
    const itemId = await a.issued();
    const head = await as('truongphonga');
    const cases: [string, string, string, number, string][] = [
      ['truongphongb', 'head of a unit that neither holds nor receives it', ids.officerB, 403, 'item.assign_not_responsible'],
      ['truongphongb', 'head of another unit, assignee in A', ids.colleagueA, 403, 'item.assign_not_responsible'],
      ['truongphonga', 'clearance below the level', ids.lowA, 422, 'item.assignee_clearance_below_level'],
      ['truongphonga', 'person of another unit', ids.officerB, 422, 'item.assignee_other_unit'],
      ['truongphonga', 'oneself', ids.headA, 422, 'item.assign_self'],
      ['truongphonga', 'no such user', ids.unitA, 422, 'item.assignee_not_found'],
      ['truongphonga', 'an inspector', ids.inspector, 422, 'item.assignee_other_unit'],
      ['canboa', 'an officer (not a head)', ids.colleagueA, 403, 'auth.forbidden'],
      ['baomat', 'the security officer', ids.colleagueA, 403, 'auth.forbidden'],
    ];
    for (const [who, label, userId, status, code] of cases) {
      const c = await as(who);
      const before = await databaseFingerprint(a.t.deps);
      const r = await c.post(`/api/items/${itemId}/assignments`, { userId });
      expect(r.statusCode, label).toBe(status);
      expect(r.json().error.code, label).toBe(code);
      expect(r.json().error.message, label).toMatch(/\p{L}/u);
      expect(await databaseFingerprint(a.t.deps), label).toBe(before);
    }
    // Unknown item; malformed body.
    expect((await head.post(`/api/items/${ids.unitB}/assignments`, { userId: ids.colleagueA })).json().error.code).toBe('item.not_found');
    expect((await head.post(`/api/items/${itemId}/assignments`, { userId: 'x y' })).statusCode).toBe(400);
    expect((await head.post(`/api/items/${itemId}/assignments`, { userId: ids.colleagueA, by: ids.headB })).statusCode).toBe(400);

    // Revoking: another unit's head may not, whatever they send; the assigner may.
    expect((await head.post(`/api/items/${itemId}/assignments`, { userId: ids.colleagueA })).statusCode).toBe(201);
    await as('truongphongb');
    await as('canboa');
    const before = await databaseFingerprint(a.t.deps);
    for (const [who, userId, status, code] of [
      ['truongphongb', ids.colleagueA, 403, 'item.assign_not_responsible'],
      ['truongphongb', 'khong-co', 403, 'item.assign_not_responsible'],
      ['canboa', ids.colleagueA, 403, 'auth.forbidden'],
      ['truongphonga', 'khong-co', 404, 'item.assignment_not_found'],
      ['truongphonga', encodeURIComponent('%00 x'), 400, 'common.validation'],
    ] as const) {
      const r = await (await as(who)).request('DELETE', `/api/items/${itemId}/assignments/${userId}`);
      expect(r.statusCode, `${who} ${userId}`).toBe(status);
      expect(r.json().error.code).toBe(code);
    }
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
  });

  it("never on an addressee-only item, not even by the named person's head", async () => {
    a = await startAgency(dialect);
    const { ids, as } = a;
    const clerk = await as('vanthu');
    const incoming = await clerk.post('/api/items/incoming', {
      issuer: 'Bộ Công an',
      numberSymbol: '7/BCA',
      documentDate: '2026-02-27',
      docType: 'Công văn',
      kind: 'document',
      level: 'CONFIDENTIAL',
      copies: 1,
      addresseeOnly: true,
      envelopeState: 'intact',
      to: { kind: 'user', id: ids.officerA },
    });
    expect(incoming.statusCode, incoming.body).toBe(200);
    const itemId = incoming.json().item.id;
    // The named person signs for it: the copy is held in unit A.
    const pending = (await (await as('canboa')).get('/api/my/copies')).json().pending;
    expect((await (await as('canboa')).post(`/api/custody/${pending[0].eventId}/confirm`)).statusCode).toBe(200);
    const head = await as('truongphonga');
    const before = await databaseFingerprint(a.t.deps);
    const r = await head.post(`/api/items/${itemId}/assignments`, { userId: ids.colleagueA });
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('item.assign_addressee_only');
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
  });

  it('the assignment and its audit event commit together or not at all', async () => {
    a = await startAgency(dialect);
    const { ids } = a;
    const itemId = await a.issued();
    const head = actorOf((await findUserWithRoles(a.t.deps.dbh.db, ids.headA))!);
    const failing: AuditWriter = {
      append: async (tx, e) => {
        await a.t.deps.audit.append(tx, e);
        throw new Error('audit insert failed');
      },
    };
    const deps = { ...a.t.deps, audit: failing as unknown as AuditLog };
    const before = await databaseFingerprint(a.t.deps);
    await expect(assignItem(deps, head, itemId, ids.colleagueA)).rejects.toThrow('audit insert failed');
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
    await assignItem(a.t.deps, head, itemId, ids.colleagueA);
    const granted = await databaseFingerprint(a.t.deps);
    await expect(unassignItem(deps, head, itemId, ids.colleagueA)).rejects.toThrow('audit insert failed');
    expect(await databaseFingerprint(a.t.deps)).toBe(granted);
    expect(await a.t.deps.dbh.db.selectFrom('item_assignments').select('user_id').execute()).toEqual([{ user_id: ids.colleagueA }]);
  });

  it('two heads assigning the same person at once: one assignment, one audit event, one 409', async () => {
    a = await startAgency(dialect);
    const { ids } = a;
    const itemId = await a.issued();
    const head = actorOf((await findUserWithRoles(a.t.deps.dbh.db, ids.headA))!);
    const results = await Promise.allSettled([assignItem(a.t.deps, head, itemId, ids.colleagueA), assignItem(a.t.deps, head, itemId, ids.colleagueA)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason.code).toBe('item.already_assigned');
    expect((await actions()).filter(([x]) => x === 'item.assignment_granted')).toHaveLength(1);
  });
});
