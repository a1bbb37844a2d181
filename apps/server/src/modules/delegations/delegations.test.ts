import { civilDateInVietnam } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseFingerprint, dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from '../items/items-test-helpers';
import { checkGrant, GRANT_RULES, type GrantFacts } from './delegations.rules';

describe('checkGrant (pure)', () => {
  const base: GrantFacts = {
    actor: { id: 'head', roles: ['head'], isAgencyHead: true },
    delegate: { id: 'deputy', active: true, roles: ['officer'] },
    operations: ['classify'],
    levels: ['CONFIDENTIAL', 'SECRET', 'TOP_SECRET'],
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
  };
  it.each<[string, Partial<GrantFacts>, string | null]>([
    ['the agency head to an active deputy', {}, null],
    ['a one-day period', { validTo: '2026-01-01' }, null],
    ['a unit head (not the agency head)', { actor: { id: 'head', roles: ['head'], isAgencyHead: false } }, 'delegation.not_agency_head'],
    ['someone in the agency unit without the head role', { actor: { id: 'x', roles: ['clerk'], isAgencyHead: true } }, 'delegation.not_agency_head'],
    ['an end before the start', { validFrom: '2026-02-01', validTo: '2026-01-31' }, 'delegation.invalid_period'],
    ['a date that does not exist', { validTo: '2026-02-30' }, 'delegation.invalid_period'],
    ['nobody', { delegate: undefined }, 'delegation.delegate_not_found'],
    ['oneself', { delegate: { id: 'head', active: true, roles: ['head'] } }, 'delegation.self'],
    ['a deactivated account', { delegate: { id: 'deputy', active: false, roles: ['officer'] } }, 'delegation.delegate_inactive'],
    ['an inspector', { delegate: { id: 'deputy', active: true, roles: ['inspector'] } }, 'delegation.delegate_role'],
    ['an administrator', { delegate: { id: 'deputy', active: true, roles: ['admin'] } }, 'delegation.delegate_role'],
    ['an account without roles', { delegate: { id: 'deputy', active: true, roles: [] } }, 'delegation.delegate_role'],
    [
      'a delegate passing the power on (no sub-delegation)',
      { actor: { id: 'deputy', roles: ['head'], isAgencyHead: false, delegated: true } },
      'delegation.sub_delegation',
    ],
    ['copying and taking out, Tối mật and Mật', { operations: ['copy', 'take_out_domestic'], levels: ['SECRET', 'CONFIDENTIAL'] }, null],
    ['copying Tuyệt mật (decided above the agency)', { operations: ['copy'], levels: ['TOP_SECRET'] }, 'delegation.scope_invalid'],
    ['destruction (not delegable)', { operations: ['destroy'] }, 'delegation.scope_invalid'],
    ['provision to a foreign party', { operations: ['provide_foreign'], levels: ['CONFIDENTIAL'] }, 'delegation.scope_invalid'],
    ['nothing', { operations: [] }, 'delegation.scope_invalid'],
  ])('%s', (_name, over, code) => {
    const r = checkGrant({ ...base, ...over });
    expect(r.ok ? null : r.code).toBe(code);
  });
  it('every refusal code of the table is reachable above', () => {
    expect(new Set(GRANT_RULES.map((r) => r.code)).size).toBe(GRANT_RULES.length);
  });
});

const DIALECTS = await dialects();

describe.each(DIALECTS)('delegations on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  it('the agency head delegates a field to a deputy, who then decides proposals in it until revoked', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const today = civilDateInVietnam(t.clock.now());
    const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
    const officer = await as('canboa');
    const deputy = await as('canbob');
    const proposed = async () => {
      const id = await a.draft();
      expect((await officer.post(`/api/items/${id}/propose`)).statusCode).toBe(200);
      return id;
    };
    const first = await proposed();
    const refused = await deputy.post(`/api/items/${first}/approve`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'auth.forbidden', details: { reason: 'item.approver_not_authorised' } });

    // A unit head is not the head of the agency; bad input changes nothing either.
    const body = { delegateId: ids.officerB, field: 'Ngoại giao', validFrom: today, validTo: nextYear, decisionRef: '15/QĐ-SNV ngày 02/01/2026' };
    for (const who of ['truongphonga', 'giamdoc', 'baomat', 'thanhtra']) await as(who); // signed in first: signing in is itself audited
    const before = await databaseFingerprint(t.deps);
    for (const [who, b, status, code] of [
      ['truongphonga', body, 403, 'delegation.not_agency_head'],
      ['giamdoc', { ...body, validFrom: nextYear, validTo: today }, 422, 'delegation.invalid_period'],
      ['giamdoc', { ...body, delegateId: ids.headR }, 422, 'delegation.self'],
      ['giamdoc', { ...body, delegateId: ids.inspector }, 422, 'delegation.delegate_role'],
      ['giamdoc', { ...body, delegateId: '00000000-0000-4000-8000-000000000000' }, 422, 'delegation.delegate_not_found'],
      ['canboa', body, 403, 'auth.forbidden'],
    ] as const) {
      const r = await (await as(who)).post('/api/delegations', b);
      expect([who, r.statusCode, r.json().error?.code]).toEqual([who, status, code]);
    }
    expect(await databaseFingerprint(t.deps)).toBe(before);

    const head = await as('giamdoc');
    const granted = await head.post('/api/delegations', body);
    expect(granted.statusCode, granted.body).toBe(201);
    expect(granted.json()).toMatchObject({
      delegate: { id: ids.officerB },
      field: 'Ngoại giao',
      validFrom: today,
      validTo: nextYear,
      grantedBy: { id: ids.headR },
      revokedAt: null,
    });
    const audit = await t.deps.dbh.db.selectFrom('audit_events').select(['action', 'details']).where('subject_id', '=', granted.json().id).execute();
    expect(audit.map((e) => e.action)).toEqual(['delegation.granted']);

    // The deputy decides in the field now; never on their own proposal (checkApproval).
    const approved = await deputy.post(`/api/items/${first}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().state).toBe('classified');

    // Who holds which delegation: head, security officer and inspector see it; an officer does not.
    const list = (await (await as('baomat')).get('/api/delegations')).json().items;
    expect(list).toEqual([
      expect.objectContaining({
        id: granted.json().id,
        delegate: { id: ids.officerB, name: expect.any(String) },
        grantedBy: { id: ids.headR, name: expect.any(String) },
      }),
    ]);
    expect((await (await as('thanhtra')).get('/api/delegations')).statusCode).toBe(200);
    expect((await officer.get('/api/delegations')).statusCode).toBe(403);

    // Revoked: the deputy decides nothing more.
    expect((await (await as('truongphonga')).post(`/api/delegations/${granted.json().id}/revoke`, { reason: 'Hết nhiệm vụ' })).json().error.code).toBe(
      'delegation.not_agency_head',
    );
    const revoked = await head.post(`/api/delegations/${granted.json().id}/revoke`, { reason: 'Hết nhiệm vụ' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await head.post(`/api/delegations/${granted.json().id}/revoke`, { reason: 'Lần nữa' })).json().error.code).toBe('delegation.already_revoked');
    const second = await proposed();
    expect((await deputy.post(`/api/items/${second}/approve`)).json().error).toMatchObject({
      code: 'auth.forbidden',
      details: { reason: 'item.approver_not_authorised' },
    });
  });

  it('a head of a department neither decides nor reads a proposal; the item page offers the decision only to who may decide', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const today = civilDateInVietnam(t.clock.now());
    const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`;
    const officer = await as('canboa');
    // Addressed outside only: no unit head reads it as a recipient's head.
    const id = await a.draft({ recipients: [{ kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 }], copyCount: 2 });
    expect((await officer.post(`/api/items/${id}/propose`)).statusCode).toBe(200);

    const unitHead = await as('truongphonga'); // head of the drafter's own department
    const otherHead = await as('truongphongb');
    const agencyHead = await as('giamdoc');
    const deputy = await as('canbob');
    const page = async (who: typeof officer) => {
      const r = await who.get(`/api/items/${id}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { canDecide: boolean };
    };
    expect((await page(unitHead)).canDecide).toBe(false);
    expect((await page(otherHead)).canDecide).toBe(false);
    expect((await page(officer)).canDecide).toBe(false); // the drafter
    expect((await page(agencyHead)).canDecide).toBe(true);

    const before = await databaseFingerprint(t.deps);
    for (const who of [unitHead, otherHead]) {
      for (const r of [await who.post(`/api/items/${id}/approve`), await who.post(`/api/items/${id}/return`, { reason: 'Không đồng ý' })]) {
        expect(r.statusCode).toBe(403);
        expect(r.json().error).toMatchObject({ code: 'auth.forbidden', details: { reason: 'item.approver_not_authorised' } });
        expect(r.json().error.message).toMatch(/[àáảãạăâđêôơư]/i);
      }
    }
    expect(await databaseFingerprint(t.deps)).toBe(before);
    // Nor do they read it: deciding is what opens a proposal to a head (refusals are audited).
    for (const who of [unitHead, otherHead]) expect((await who.get(`/api/items/${id}/content`)).json().error.code).toBe('item.content_forbidden');
    expect((await agencyHead.get(`/api/items/${id}/content`)).json()).toMatchObject({ reason: 'decider' });

    // A delegation for another field opens nothing; one for the item's field opens both.
    const grant = async (field: string) => {
      const r = await agencyHead.post('/api/delegations', {
        delegateId: ids.officerB,
        field,
        validFrom: today,
        validTo: nextYear,
        decisionRef: `Quyết định ủy quyền ${field}`,
      });
      expect(r.statusCode, r.body).toBe(201);
    };
    // Work lists: "chờ tôi phê duyệt" (decide=true) holds what each may decide; the drafter's own
    // list holds their waiting proposal; a deputy's list holds it only once delegated for its field.
    const listed = async (who: typeof officer, query: string) => {
      const r = await who.get(`/api/items?${query}`);
      expect(r.statusCode, r.body).toBe(200);
      return (r.json().items as { id: string }[]).map((x) => x.id).includes(id);
    };
    expect(await listed(agencyHead, 'state=proposed&decide=true')).toBe(true);
    expect(await listed(unitHead, 'state=proposed&decide=true')).toBe(false);
    expect(await listed(unitHead, 'state=proposed')).toBe(true); // metadata, as before
    expect(await listed(officer, 'state=proposed&decide=true')).toBe(false); // never one's own
    expect(await listed(officer, 'state=proposed')).toBe(true);
    expect(await listed(deputy, 'state=proposed')).toBe(false);
    expect(await listed(await as('thanhtra'), 'state=proposed&decide=true')).toBe(false);
    await grant('Quốc phòng');
    expect(await listed(deputy, 'state=proposed')).toBe(false);
    expect((await deputy.get(`/api/items/${id}`)).json().error.details.reason).toBe('no_need_to_know'); // an officer: no metadata either
    expect((await deputy.get(`/api/items/${id}/content`)).json().error.code).toBe('item.content_forbidden');
    await grant('Ngoại giao');
    expect(await listed(deputy, 'state=proposed')).toBe(true);
    expect(await listed(deputy, 'state=proposed&decide=true')).toBe(true);
    expect((await page(deputy)).canDecide).toBe(true);
    expect((await deputy.get(`/api/items/${id}/content`)).json()).toMatchObject({ reason: 'decider' });

    // A proposal in the field now tells the deputy too; the heads of departments are never told.
    const notified = async (who: typeof officer, itemId: string) =>
      ((await who.get('/api/notifications')).json().rows as { kind: string; subjectId: string; message: string }[]).filter(
        (n) => n.kind === 'proposal_waiting' && n.subjectId === itemId,
      );
    expect(await notified(agencyHead, id)).toHaveLength(1);
    expect(await notified(deputy, id)).toHaveLength(0); // delegated after it was proposed
    const second = await a.draft({ recipients: [{ kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 }], copyCount: 2 });
    expect((await officer.post(`/api/items/${second}/propose`)).statusCode).toBe(200);
    const [toDeputy] = await notified(deputy, second);
    expect(toDeputy?.message).toMatch(/^Đề xuất xác định độ mật «Kế hoạch» \(Tối mật, lĩnh vực Ngoại giao\) đang chờ phê duyệt\.$/);
    expect(toDeputy?.message).not.toContain(SUMMARY);
    expect(await notified(agencyHead, second)).toHaveLength(1);
    for (const who of [unitHead, otherHead, officer]) expect(await notified(who, second)).toHaveLength(0);

    // Decided: nobody is offered the decision any more.
    expect((await agencyHead.post(`/api/items/${id}/approve`)).statusCode).toBe(200);
    expect((await page(agencyHead)).canDecide).toBe(false);
    expect(await listed(deputy, 'state=proposed')).toBe(false);
    expect(await listed(agencyHead, 'state=proposed&decide=true')).toBe(false);
    // The deputy read it only to decide it: that ends with the decision.
    expect((await deputy.get(`/api/items/${id}`)).statusCode).toBe(403);
  });
});
