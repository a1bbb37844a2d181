import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from './items-test-helpers';
import { unitHoldingsQueryForPlan } from './items.repository';

const DIALECTS = await dialects();

interface Row {
  copyId: string;
  label: string;
  status: string;
  holder: { kind: string; id: string; name: string };
  pending: { kind: string; id: string; name: string } | null;
}

describe.each(DIALECTS)('unit holdings on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  it('lists what a unit and its members hold or are about to receive; own unit for clerks and heads, any unit for the security officer and inspector', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const itemId = await a.issued();
    const clerkA = await as('vanthua');
    const labels = async (c: Awaited<ReturnType<typeof as>>, unitId: string, qs = '') => {
      const r = await c.get(`/api/units/${unitId}/holdings${qs}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { unit: { id: string; name: string }; rows: Row[]; total: number; page: number; pageSize: number };
    };

    // After issue: bản lưu 3/3 is held by unit A; 1/3 is on its way to unit A (the agency's clerk
    // still holds it); 2/3 went outside and is not A's.
    let h = await labels(clerkA, ids.unitA);
    expect(h.unit).toEqual({ id: ids.unitA, name: 'Phòng Hợp tác quốc tế' });
    expect(h.rows.map((r) => [r.label, r.status, r.holder.name, r.pending?.name ?? null]).sort()).toEqual([
      ['Bản số 1/3', 'in_transit', 'Người dùng vanthu', 'Phòng Hợp tác quốc tế'],
      ['Bản số 3/3', 'held', 'Phòng Hợp tác quốc tế', null],
    ]);
    expect(h.rows[0]).toMatchObject({ itemId, numberSymbol: '1/KH-SNV', docType: 'Kế hoạch', level: 'SECRET' });
    expect(h).toMatchObject({ total: 2, page: 1, pageSize: 50 });
    // Metadata only: never the summary.
    expect(JSON.stringify(h)).not.toContain(SUMMARY);

    // The unit's clerk signs for 1/3 and hands it to the officer; on its way and then held by a member.
    const pending = (await clerkA.get('/api/my/copies')).json().pending as { eventId: string }[];
    expect((await clerkA.post(`/api/custody/${pending[0]!.eventId}/confirm`)).statusCode).toBe(200);
    const copy1 = h.rows.find((r) => r.label === 'Bản số 1/3')!.copyId;
    t.clock.advance(60_000);
    const handed = await clerkA.post('/api/custody/hand-over', { copyIds: [copy1], to: { kind: 'user', id: ids.officerA } });
    expect(handed.statusCode, handed.body).toBe(200);
    h = await labels(clerkA, ids.unitA);
    expect(h.rows.find((r) => r.copyId === copy1)).toMatchObject({
      status: 'in_transit',
      holder: { kind: 'unit', id: ids.unitA },
      pending: { kind: 'user', id: ids.officerA, name: 'Người dùng canboa' },
    });
    expect((await (await as('canboa')).post(`/api/custody/${handed.json().eventId}/confirm`)).statusCode).toBe(200);
    h = await labels(clerkA, ids.unitA);
    expect(h.rows.find((r) => r.copyId === copy1)).toMatchObject({
      status: 'held',
      holder: { kind: 'user', id: ids.officerA, name: 'Người dùng canboa' },
      pending: null,
    });
    // Newest movement first.
    expect(h.rows.map((r) => r.label)).toEqual(['Bản số 1/3', 'Bản số 3/3']);

    // Paging.
    const p2 = await labels(clerkA, ids.unitA, '?page=2&pageSize=1');
    expect(p2).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(p2.rows.map((r) => r.label)).toEqual(['Bản số 3/3']);

    // A lost copy leaves the list unless asked for.
    await t.deps.dbh.db.updateTable('copies').set({ status: 'lost' }).where('label', '=', 'Bản số 3/3').execute();
    expect((await labels(clerkA, ids.unitA)).rows.map((r) => r.label)).toEqual(['Bản số 1/3']);
    expect((await labels(clerkA, ids.unitA, '?status=lost')).rows.map((r) => r.label)).toEqual(['Bản số 3/3']);
    expect((await labels(clerkA, ids.unitA, '?status=held')).rows.map((r) => r.label)).toEqual(['Bản số 1/3']);
    expect((await labels(clerkA, ids.unitA, '?status=in_transit')).total).toBe(0);

    // A member who leaves takes nothing off the books silently: their copies are no longer the unit's list.
    await t.deps.dbh.db.updateTable('users').set({ active: 0 }).where('id', '=', ids.officerA).execute();
    expect((await labels(clerkA, ids.unitA)).total).toBe(0);
    await t.deps.dbh.db.updateTable('users').set({ active: 1 }).where('id', '=', ids.officerA).execute();

    // Unit B holds nothing; the security officer and the inspector see any unit, the head of A its own.
    expect((await labels(await as('baomat'), ids.unitA)).total).toBe(1);
    expect((await labels(await as('thanhtra'), ids.unitA)).total).toBe(1);
    expect((await labels(await as('truongphonga'), ids.unitA)).total).toBe(1);
    expect((await labels(await as('baomat'), ids.unitB)).total).toBe(0);
    // The agency's clerk still holds 2/3 in transit to the outside body: the root unit's list.
    expect((await labels(await as('vanthu'), ids.root)).rows.map((r) => [r.label, r.status, r.pending])).toEqual([['Bản số 2/3', 'in_transit', null]]);
  });

  it('refuses other units to clerks and heads, and the route to officers and admins', async () => {
    a = await startAgency(dialect);
    const { ids, as } = a;
    await a.issued();
    for (const who of ['vanthua', 'truongphonga']) {
      const r = await (await as(who)).get(`/api/units/${ids.unitB}/holdings`);
      expect(r.statusCode, who).toBe(403);
      expect(r.json().error.code).toBe('unit.holdings_forbidden');
      expect(r.json().error.message).toMatch(/đơn vị/);
    }
    // Even for a unit that does not exist, a clerk learns nothing about it.
    expect((await (await as('vanthua')).get(`/api/units/${ids.officerA}/holdings`)).json().error.code).toBe('unit.holdings_forbidden');
    expect((await (await as('baomat')).get(`/api/units/${ids.officerA}/holdings`)).json().error.code).toBe('org.unit_not_found');
    expect((await (await as('canboa')).get(`/api/units/${ids.unitA}/holdings`)).json().error.code).toBe('auth.forbidden');
    expect((await (await as('vanthua')).get(`/api/units/${ids.unitA}/holdings?status=gone`)).statusCode).toBe(400);
    expect((await (await as('vanthua')).get(`/api/units/${ids.unitA}/holdings?pageSize=1000`)).statusCode).toBe(400);
  });

  if (dialect === 'sqlite') {
    it('every branch of the holdings query reads through an index (no table scan)', async () => {
      a = await startAgency(dialect);
      const { ids, t } = a;
      const db = t.deps.dbh.db;
      await sql`analyze`.execute(db);
      for (const status of [undefined, 'held', 'in_transit', 'lost']) {
        const q = unitHoldingsQueryForPlan(db, ids.unitA, status).orderBy('copies.updated_at', 'desc').limit(50).compile();
        const plan = await db.executeQuery({ ...q, sql: `explain query plan ${q.sql}` });
        const details = (plan.rows as { detail: string }[]).map((r) => r.detail);
        const scans = details.filter(
          (d) => /^SCAN (copies|custody_events|custody_event_copies|users|secret_items)\b/.test(d) && !/USING (COVERING )?INDEX/.test(d),
        );
        expect(scans, `${status}: ${details.join(' | ')}`).toEqual([]);
        // The plan is real: it reads copies and custody_events through their indexes.
        expect(details.join(' | ')).toMatch(/copies_unit_idx/);
        expect(details.join(' | ')).toMatch(/copies_user_idx/);
        if (!status || status === 'in_transit') expect(details.join(' | ')).toMatch(/custody_pending_user_idx/);
        if (process.env.KHOMAT_SHOW_PLAN) console.log(status, details);
      }
    });
  }
});
