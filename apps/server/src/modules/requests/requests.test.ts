import { addDays, civilDateInVietnam } from '@khomat/policy';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from '../items/items-test-helpers';
import { listMine, requireExecutable } from './requests.usecases';

// Requests through HTTP on both databases: the way through (draft → submitted → approved), who may
// decide (the authority table through decide()), every refusal a coded error that writes nothing
// but its audited refusal, the inbox, and routing outside the agency.

const DIALECTS = await dialects();

type Client = Awaited<ReturnType<Agency['as']>>;

/** Rows of every table but the audit trail (which a refusal adds to). */
async function rowsBesideAudit(a: Agency): Promise<string> {
  const db = a.t.deps.dbh.db;
  const parts: string[] = [];
  for (const table of ['requests', 'request_decisions', 'notifications', 'copies', 'secret_items', 'delegations'] as const) {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    parts.push(`${table}=${Number(r.n)}`);
  }
  const statuses = await db.selectFrom('requests').select(['id', 'status', 'updated_at']).orderBy('id').execute();
  return `${parts.join(' ')} ${JSON.stringify(statuses)}`;
}

async function auditSince(a: Agency, seq: number) {
  const rows = await a.t.deps.dbh.db.selectFrom('audit_events').select(['action', 'details', 'subject_id']).where('seq', '>', seq).orderBy('seq').execute();
  return rows.map((r) => ({ ...r, details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) as Record<string, unknown> }));
}
const lastSeq = async (a: Agency) => (await a.t.deps.audit.head(a.t.deps.dbh.db)).seq;

/** Runs refused calls; asserts each answer, that nothing but one refusal event each was written. */
async function expectRefusals(a: Agency, calls: [label: string, call: () => ReturnType<Client['get']>, status: number, code: string][]) {
  const before = await rowsBesideAudit(a);
  const seq = await lastSeq(a);
  for (const [label, call, status, code] of calls) {
    const r = await call();
    expect([label, r.statusCode, r.json().error?.code]).toEqual([label, status, code]);
    expect(r.json().error.message, label).toMatch(/[àáảãạăâđêôơưệốộừữ]/i);
  }
  expect(await rowsBesideAudit(a)).toBe(before);
  const events = await auditSince(a, seq);
  expect(
    events.map((e) => e.action).every((x) => /_refused$/.test(x)),
    JSON.stringify(events.map((e) => e.action)),
  ).toBe(true);
  return events;
}

const copyBody = (itemId: string, over: Record<string, unknown> = {}) => ({
  type: 'copy',
  itemId,
  purpose: 'Phục vụ cuộc họp giao ban',
  details: { form: 'sao_y', quantity: 2, recipients: [{ kind: 'outside', name: 'Bộ Ngoại giao' }] },
  ...over,
});

describe.each(DIALECTS)('requests on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  it('a copy request goes from draft to approval by the agency head; every refusal on the way writes nothing but itself', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const today = civilDateInVietnam(t.clock.now());
    const itemId = await a.issued({ copyAllowed: true });
    const officer = await as('canboa');
    const head = await as('giamdoc');
    const unitHead = await as('truongphonga');
    for (const who of ['dongnghiepa', 'thanhtra', 'canbob', 'vanthu']) await as(who); // signed in first: signing in is itself audited

    const created = await officer.post(
      '/api/requests',
      copyBody(itemId, { details: { form: 'sao_y', quantity: 1, recipients: [{ kind: 'user', userId: ids.colleagueA }] } }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({
      status: 'draft',
      route: null,
      requester: { id: ids.officerA },
      can: { edit: true, submit: true, cancel: true, decide: false },
    });
    const edited = await officer.request('PUT', `/api/requests/${id}`, copyBody(itemId));
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().details).toEqual({ form: 'sao_y', quantity: 2, recipients: [{ kind: 'outside', name: 'Bộ Ngoại giao' }] });

    // Type-specific fields are checked per type; someone else's draft is not theirs to send.
    await expectRefusals(a, [
      [
        'copy without recipients',
        () => officer.post('/api/requests', copyBody(itemId, { details: { form: 'sao_y', quantity: 2 } })),
        422,
        'request.details_invalid',
      ],
      ['provide with copy fields', () => officer.post('/api/requests', copyBody(itemId, { type: 'provide_domestic' })), 422, 'request.details_invalid'],
      ['a colleague submits it', async () => (await as('dongnghiepa')).post(`/api/requests/${id}/submit`), 403, 'request.not_requester'],
      ['the head decides a draft', () => head.post(`/api/requests/${id}/approve`, { deadline: today }), 409, 'request.transition_not_allowed'],
    ]);

    const submitted = await officer.post(`/api/requests/${id}/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', route: 'agency', can: { edit: false, cancel: true } });

    // The agency head is told and finds it in the inbox; a unit head and the officer's colleague do not.
    const notices = async (c: Client, kind: string) =>
      ((await c.get('/api/notifications')).json().rows as { kind: string; subjectId: string; message: string }[]).filter(
        (n) => n.kind === kind && n.subjectId === id,
      );
    const [waiting] = await notices(head, 'request_waiting');
    expect(waiting?.message).toMatch(/^Đề nghị sao tài liệu, vật chứa bí mật nhà nước \(Tối mật\) của .+ đang chờ phê duyệt\.$/);
    expect(waiting?.message).not.toContain(SUMMARY);
    expect(await notices(unitHead, 'request_waiting')).toHaveLength(0);
    const inbox = async (c: Client) => (await c.get('/api/requests/inbox')).json() as { items: { id: string }[]; total: number };
    expect((await inbox(head)).items.map((r) => r.id)).toEqual([id]);
    expect((await head.get('/api/requests/inbox/count')).json()).toEqual({ count: 1 });
    for (const who of ['truongphonga', 'canboa', 'canbob', 'vanthu']) expect((await inbox(await as(who))).total, who).toBe(0);
    expect((await head.get(`/api/requests/${id}`)).json().can.decide).toBe(true);

    // Wrong authority, self-decision, a refusal without reason, a past deadline: refused, audited, nothing written.
    const events = await expectRefusals(a, [
      ['a unit head', () => unitHead.post(`/api/requests/${id}/approve`, { deadline: today }), 403, 'request.wrong_authority'],
      ['the requester', () => officer.post(`/api/requests/${id}/approve`, { deadline: today }), 403, 'request.self_decision'],
      ['refused without reason', () => head.post(`/api/requests/${id}/refuse`, {}), 422, 'request.reason_required'],
      ['refused with blanks', () => head.post(`/api/requests/${id}/refuse`, { reason: '  ' }), 422, 'request.reason_required'],
      ['a past deadline', () => head.post(`/api/requests/${id}/approve`, { deadline: addDays(today, -1) }), 422, 'request.deadline_invalid'],
      [
        'recorded as decided outside',
        () =>
          head.post(`/api/requests/${id}/outside-decision`, {
            outcome: 'approved',
            authority: 'UBND tỉnh',
            number: '1/QĐ',
            date: today,
            signer: 'A',
            deadline: today,
          }),
        422,
        'request.not_higher_authority',
      ],
      ['the inspector', async () => (await as('thanhtra')).post(`/api/requests/${id}/approve`, { deadline: today }), 403, 'auth.forbidden'],
    ]);
    expect(events.map((e) => [e.action, e.subject_id, (e.details as { reason: string }).reason])).toEqual([
      ['request.decide_refused', id, 'request.wrong_authority'],
      ['request.decide_refused', id, 'request.self_decision'],
      ['request.decide_refused', id, 'request.reason_required'],
      ['request.decide_refused', id, 'request.reason_required'],
      ['request.decide_refused', id, 'request.deadline_invalid'],
      ['request.record_outside_refused', id, 'request.not_higher_authority'],
      ['request.decide_refused', id, 'auth.forbidden'],
    ]);

    const approved = await head.post(`/api/requests/${id}/approve`, { deadline: today, quantity: 1 });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({
      status: 'approved',
      decision: {
        outcome: 'approved',
        via: 'position',
        decidedBy: { id: ids.headR },
        quantity: 1,
        recipients: [{ kind: 'outside', name: 'Bộ Ngoại giao' }],
        deadline: today,
        outside: null,
      },
    });
    const [decided] = await notices(officer, 'request_decided');
    expect(decided?.message).toBe(`Đề nghị sao tài liệu, vật chứa bí mật nhà nước của bạn đã được phê duyệt, thời hạn đến ngày ${today}.`);
    const audit = await a.t.deps.dbh.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject_id', '=', id)
      .where('action', 'not like', '%_refused')
      .orderBy('seq')
      .execute();
    expect(audit.map((e) => e.action)).toEqual(['request.drafted', 'request.edited', 'request.submitted', 'request.approved']);
    expect(typeof audit[3]!.details === 'string' ? JSON.parse(audit[3]!.details) : audit[3]!.details).toMatchObject({
      via: 'position',
      deadline: today,
      quantity: 1,
    });
    expect(JSON.stringify(audit)).not.toContain('giao ban'); // the purpose stays out of the trail

    // Decided once: a second decision is a conflict, whoever asks; cancelling is too late.
    await expectRefusals(a, [
      ['approve again', () => head.post(`/api/requests/${id}/approve`, { deadline: today }), 409, 'request.already_decided'],
      ['refuse after approving', () => head.post(`/api/requests/${id}/refuse`, { reason: 'Đổi ý' }), 409, 'request.already_decided'],
      ['the requester cancels', () => officer.post(`/api/requests/${id}/cancel`), 409, 'request.transition_not_allowed'],
    ]);
    expect((await inbox(head)).total).toBe(0);
    // The requester's list names the item by its kind and number, never by its summary.
    const mine = (await officer.get('/api/requests')).json();
    expect(mine).toMatchObject({ total: 1, items: [{ id, status: 'approved', type: 'copy', item: { docType: expect.any(String) } }] });
    expect(Object.keys(mine.items[0].item).sort()).toEqual(['docType', 'numberSymbol']);

    // The approval lapses after its deadline: the requester sees it expired and it cannot be carried out.
    const actor: Actor = { userId: ids.officerA, roles: ['officer'], clearance: 'SECRET', unitId: ids.unitA };
    expect((await requireExecutable(t.deps.dbh.db, t.deps, id)).decision.deadline).toBe(today);
    t.clock.advance(2 * 24 * 3600 * 1000);
    expect((await listMine(t.deps, actor, { limit: 10, offset: 0 })).items[0]).toMatchObject({ id, status: 'expired' });
    await expect(requireExecutable(t.deps.dbh.db, t.deps, id)).rejects.toMatchObject({ code: 'request.approval_expired', kind: 'conflict' });
  });

  it('a deputy decides only under a delegation in force; the decision records it; nobody else sees the request', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const today = civilDateInVietnam(t.clock.now());
    const itemId = await a.issued({ copyAllowed: true });
    const officer = await as('canboa');
    const head = await as('giamdoc');
    const deputy = await as('canbob');
    for (const who of ['truongphongb', 'baomat']) await as(who);
    const id = (await officer.post('/api/requests', copyBody(itemId))).json().id as string;
    expect((await officer.post(`/api/requests/${id}/submit`)).statusCode).toBe(200);

    const grant = async (validFrom: string, validTo: string, operations = ['copy']) => {
      const r = await head.post('/api/delegations', {
        delegateId: ids.officerB,
        operations,
        levels: ['SECRET'],
        field: 'Ngoại giao',
        validFrom,
        validTo,
        decisionRef: `QĐ ${validTo}`,
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().id as string;
    };
    await expectRefusals(a, [['no delegation', () => deputy.post(`/api/requests/${id}/approve`, { deadline: today }), 403, 'request.wrong_authority']]);
    const ended = await grant(addDays(today, -30), addDays(today, -1));
    await expectRefusals(a, [
      ['an ended delegation', () => deputy.post(`/api/requests/${id}/approve`, { deadline: today }), 403, 'request.delegation_expired'],
    ]);
    expect((await deputy.get('/api/requests/inbox')).json().total).toBe(0);
    expect((await head.post(`/api/delegations/${ended}/revoke`, { reason: 'Hết hạn' })).statusCode).toBe(200);
    // A delegation for provision does not open copying.
    await grant(today, addDays(today, 30), ['take_out_domestic']);
    expect((await deputy.get('/api/requests/inbox')).json().total).toBe(0);
    await grant(today, addDays(today, 30));
    expect((await deputy.get('/api/requests/inbox')).json().items.map((r: { id: string }) => r.id)).toEqual([id]);

    // Nobody outside the request learns it exists (the attempt is kept).
    const seq = await lastSeq(a);
    const stranger = await (await as('truongphongb')).get(`/api/requests/${id}`);
    expect([stranger.statusCode, stranger.json().error.code]).toEqual([404, 'request.not_found']);
    const missing = await (await as('truongphongb')).get('/api/requests/00000000-0000-4000-8000-000000000000');
    expect(missing.json().error).toMatchObject({ code: 'request.not_found', message: stranger.json().error.message });
    expect((await auditSince(a, seq)).map((e) => [e.action, e.subject_id])).toEqual([['request.view_refused', id]]);

    const refused = await deputy.post(`/api/requests/${id}/refuse`, { reason: 'Không cần thiết cho cuộc họp' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({
      status: 'refused',
      decision: { outcome: 'refused', via: 'delegation', decidedBy: { id: ids.officerB }, reason: 'Không cần thiết cho cuộc họp', deadline: null },
    });
    await expectRefusals(a, [
      ['the head after the deputy', () => head.post(`/api/requests/${id}/approve`, { deadline: today }), 409, 'request.already_decided'],
    ]);

    // The page shows the item's summary only to a viewer who may read it (the one row-access rule).
    for (const who of ['canboa', 'giamdoc', 'canbob', 'baomat']) {
      const c = await as(who);
      const page = (await c.get(`/api/requests/${id}`)).json();
      const reads = (await c.get(`/api/items/${itemId}/content`)).statusCode === 200;
      expect([who, page.item.summary]).toEqual([who, reads ? SUMMARY : null]);
      expect(page.item.summaryHidden, who).toBe(!reads);
    }
  });

  it('a requester cleared below the level, or an item not to be copied, is refused at submission; nothing is sent', async () => {
    a = await startAgency(dialect);
    const { as } = a;
    const copyable = await a.issued({ copyAllowed: true });
    const notCopyable = await a.issued({ copyAllowed: false });
    const low = await as('thapa');
    const officer = await as('canboa');
    const lowId = (await low.post('/api/requests', copyBody(copyable))).json().id as string;
    const forbiddenId = (await officer.post('/api/requests', copyBody(notCopyable))).json().id as string;
    // A take-out for a trip already over (the test clock's today is 2026-03-02).
    const pastTrip = await officer.post('/api/requests', {
      type: 'take_out_abroad',
      itemId: copyable,
      purpose: 'Làm việc tại Bộ Ngoại giao',
      details: { place: 'Viên Chăn, Lào', from: '2026-02-20', to: '2026-03-01', protectionMeasures: 'Cặp có khóa, luôn mang theo người', country: 'Lào' },
    });
    expect(pastTrip.statusCode, pastTrip.body).toBe(201);
    const pastId = pastTrip.json().id as string;
    const events = await expectRefusals(a, [
      ['clearance below the level', () => low.post(`/api/requests/${lowId}/submit`), 403, 'request.clearance_below_level'],
      ['copy-forbidden', () => officer.post(`/api/requests/${forbiddenId}/submit`), 422, 'request.copy_forbidden'],
      ['a trip already over', () => officer.post(`/api/requests/${pastId}/submit`), 422, 'request.period_past'],
    ]);
    expect(events.map((e) => e.action)).toEqual(['request.submit_refused', 'request.submit_refused', 'request.submit_refused']);
    for (const [c, id] of [
      [low, lowId],
      [officer, forbiddenId],
      [officer, pastId],
    ] as const)
      expect((await c.get(`/api/requests/${id}`)).json().status).toBe('draft');
    expect((await (await as('giamdoc')).get('/api/requests/inbox')).json().total).toBe(0);
    // Taking the not-to-be-copied item out is another matter; the requester may also withdraw a draft.
    const takeOut = await officer.post('/api/requests', {
      type: 'take_out_domestic',
      itemId: notCopyable,
      purpose: 'Làm việc tại Bộ Ngoại giao',
      details: { place: 'Bộ Ngoại giao, Hà Nội', from: '2026-07-01', to: '2026-07-03', protectionMeasures: 'Cặp có khóa, luôn mang theo người' },
    });
    expect(takeOut.statusCode, takeOut.body).toBe(201);
    expect((await officer.post(`/api/requests/${takeOut.json().id}/submit`)).json()).toMatchObject({ status: 'submitted', route: 'agency' });
    expect((await officer.post(`/api/requests/${forbiddenId}/cancel`)).json().status).toBe('cancelled');
  });

  it('a received item may be copied with permission unless the clerk recorded that it may not be copied', async () => {
    a = await startAgency(dialect);
    const { as } = a;
    const clerk = await as('vanthu');
    const receive = async (numberSymbol: string, over: Record<string, unknown> = {}) => {
      const body = {
        issuer: 'Bộ Ngoại giao',
        numberSymbol,
        documentDate: '2026-02-20',
        docType: 'Công văn',
        kind: 'document',
        level: 'SECRET',
        copies: 1,
        addresseeOnly: false,
        envelopeState: 'intact',
        to: { kind: 'user', id: a.ids.officerA },
        summary: 'Về việc bảo hộ công dân',
        ...over,
      };
      const r = await clerk.post('/api/items/incoming', body);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().item.id as string;
    };
    const plain = await receive('9/BNG-LS');
    const marked = await receive('10/BNG-LS', { copyForbidden: true });
    expect((await clerk.post('/api/items/incoming', { issuer: 'Bộ Ngoại giao', copyForbidden: 'có' })).statusCode).toBe(400);
    const officer = await as('canboa');
    for (const [id, allowed] of [
      [plain, true],
      [marked, false],
    ] as const) {
      const page = await clerk.get(`/api/items/${id}`);
      expect(page.json().item?.copyAllowed, page.body).toBe(allowed);
      const draft = (await officer.post('/api/requests', copyBody(id))).json().id as string;
      const submit = await officer.post(`/api/requests/${draft}/submit`);
      if (allowed) expect(submit.json(), submit.body).toMatchObject({ status: 'submitted' });
      else expect(submit.json().error).toMatchObject({ code: 'request.copy_forbidden' });
    }
  });

  it('the inbox comes a page at a time, oldest first; its count is what the rule keeps, asked once per group of waiting requests', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const today = civilDateInVietnam(t.clock.now());
    const itemId = await a.issued({ copyAllowed: true });
    const officer = await as('canboa');
    const head = await as('giamdoc');
    const so = await as('baomat');
    const deputy = await as('canbob');
    const submit = async (c: Client, body: Record<string, unknown>) => {
      t.clock.advance(60_000);
      const id = (await c.post('/api/requests', body)).json().id as string;
      expect((await c.post(`/api/requests/${id}/submit`)).statusCode).toBe(200);
      return id;
    };
    const takeOut = {
      type: 'take_out_domestic',
      itemId,
      purpose: 'Làm việc tại Bộ',
      details: { place: 'Hà Nội', from: today, to: addDays(today, 2), protectionMeasures: 'Cặp có khóa' },
    };
    const foreign = {
      type: 'provide_foreign',
      itemId,
      purpose: 'Phối hợp',
      details: {
        requestingBody: 'Đại sứ quán nước X',
        representative: 'John Smith',
        representativePosition: 'Tham tán',
        nationality: 'X',
        idDocument: 'P1',
        whatAsked: 'Lịch trình',
        commitment: true,
      },
    };
    const c1 = await submit(officer, copyBody(itemId));
    const f1 = await submit(officer, foreign);
    const o1 = await submit(officer, takeOut);
    const c2 = await submit(officer, copyBody(itemId));
    const own = await submit(head, takeOut); // the head's own request: never in their inbox
    const c3 = await submit(officer, copyBody(itemId));
    const page = async (c: Client, n: number, size: number) =>
      (await c.get(`/api/requests/inbox?page=${n}&pageSize=${size}`)).json() as { items: { id: string }[]; total: number };
    const ids_ = async (c: Client, size: number) => {
      const out: string[][] = [];
      for (let n = 1; ; n++) {
        const p = await page(c, n, size);
        if (p.items.length === 0) return out;
        out.push(p.items.map((r) => r.id));
      }
    };
    // The agency head decides the copies and the take-out, records the foreign provision; not their own.
    expect(await ids_(head, 2)).toEqual([[c1, f1], [o1, c2], [c3]]);
    expect((await page(head, 1, 2)).total).toBe(5);
    expect((await head.get('/api/requests/inbox/count')).json()).toEqual({ count: 5 });
    // The security officer records what is decided outside, and decides nothing in the agency.
    expect(await ids_(so, 2)).toEqual([[f1]]);
    expect((await so.get('/api/requests/inbox/count')).json()).toEqual({ count: 1 });
    // The officer who asked decides nothing, sees none of it; the deputy only what a delegation opens (copying).
    expect((await page(officer, 1, 50)).total).toBe(0);
    expect(
      (
        await head.post('/api/delegations', {
          delegateId: ids.officerB,
          operations: ['copy'],
          levels: ['SECRET'],
          field: 'Ngoại giao',
          validFrom: today,
          validTo: addDays(today, 30),
          decisionRef: 'QĐ 1',
        })
      ).statusCode,
    ).toBe(201);
    expect(await ids_(deputy, 2)).toEqual([[c1, c2], [c3]]);
    expect((await deputy.get('/api/requests/inbox/count')).json()).toEqual({ count: 3 });
    // The requester's own list, newest first, a page at a time (the deep pages found in the index).
    const mine = async (n: number) => (await officer.get(`/api/requests?page=${n}&pageSize=2`)).json() as { items: { id: string }[]; total: number };
    expect([(await mine(1)).items, (await mine(2)).items, (await mine(3)).items, (await mine(4)).items].map((p) => p.map((r) => r.id))).toEqual([
      [c3, c2],
      [o1, f1],
      [c1],
      [],
    ]);
    expect((await mine(2)).total).toBe(5);
    expect((await (await head.get('/api/requests?page=1&pageSize=5')).json()).items.map((r: { id: string }) => r.id)).toEqual([own]);
  });

  it('a provision to a foreign party is routed to a higher authority; the agency records the outside decision', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const today = civilDateInVietnam(t.clock.now());
    const itemId = await a.issued();
    const officer = await as('canboa');
    const head = await as('giamdoc');
    const so = await as('baomat');
    await as('truongphonga');
    const mau17 = {
      requestingBody: 'Đại sứ quán nước X',
      representative: 'John Smith',
      idDocument: 'Hộ chiếu P1234567',
      whatAsked: 'Kế hoạch làm việc',
      commitment: true,
    };
    await expectRefusals(a, [
      [
        'a foreign party without nationality and position',
        () => officer.post('/api/requests', { type: 'provide_foreign', itemId, purpose: 'Phối hợp tổ chức đón đoàn', details: mau17 }),
        422,
        'request.details_invalid',
      ],
    ]);
    const created = await officer.post('/api/requests', {
      type: 'provide_foreign',
      itemId,
      purpose: 'Phối hợp tổ chức đón đoàn',
      details: { ...mau17, nationality: 'X', representativePosition: 'Tham tán' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const submitted = (await officer.post(`/api/requests/${id}/submit`)).json();
    expect(submitted).toMatchObject({ status: 'submitted', route: 'higher_authority', outsideAuthority: expect.stringContaining('Bộ trưởng') });
    // The agency head and the security officer are told and see it to record; nobody approves it in the system.
    for (const c of [head, so]) expect((await c.get('/api/requests/inbox')).json().items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await head.get(`/api/requests/${id}`)).json().can).toMatchObject({ decide: false, recordOutside: true });
    const outside = {
      outcome: 'approved',
      authority: 'Chủ tịch UBND tỉnh',
      number: '125/QĐ-UBND',
      date: today,
      signer: 'Nguyễn Văn C',
      deadline: addDays(today, 10),
      quantity: 1,
    };
    await expectRefusals(a, [
      ['approved in the system', () => head.post(`/api/requests/${id}/approve`, { deadline: today }), 422, 'request.higher_authority'],
      ['recorded by a unit head', async () => (await as('truongphonga')).post(`/api/requests/${id}/outside-decision`, outside), 403, 'request.not_recorder'],
      [
        'recorded without a deadline',
        () => so.post(`/api/requests/${id}/outside-decision`, { ...outside, deadline: undefined }),
        422,
        'request.deadline_required',
      ],
      ['recorded by an officer', () => officer.post(`/api/requests/${id}/outside-decision`, outside), 403, 'auth.forbidden'],
    ]);
    const recorded = await so.post(`/api/requests/${id}/outside-decision`, outside);
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json()).toMatchObject({
      status: 'approved',
      decision: {
        via: 'outside',
        decidedBy: null,
        recordedBy: { id: ids.so },
        outside: { authority: 'Chủ tịch UBND tỉnh', number: '125/QĐ-UBND', date: today, signer: 'Nguyễn Văn C' },
      },
    });
    await expectRefusals(a, [
      [
        'recorded twice',
        () => head.post(`/api/requests/${id}/outside-decision`, { ...outside, outcome: 'refused', reason: 'x' }),
        409,
        'request.already_decided',
      ],
    ]);
    const row = await t.deps.dbh.db.selectFrom('request_decisions').selectAll().where('request_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ via: 'outside', decided_by: null, recorded_by: ids.so, outside_number: '125/QĐ-UBND', scan_blob_id: null });
  });
});
