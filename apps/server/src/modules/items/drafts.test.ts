import { afterEach, describe, expect, it } from 'vitest';
import { databaseFingerprint, dialects } from '../../test/harness';
import { startAgency, type Agency } from './items-test-helpers';

const DIALECTS = await dialects();

describe.each(DIALECTS)('editing a draft on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  const recipientsOf = async (itemId: string) =>
    await a.t.deps.dbh.db
      .selectFrom('item_recipients')
      .select(['position', 'kind', 'user_id', 'unit_id', 'outside_name', 'copies', 'addressee_only'])
      .where('item_id', '=', itemId)
      .orderBy('position')
      .execute();

  it('the drafter replaces a draft as a whole; a returned proposal is revised and edited at once', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const officer = await as('canboa');
    const itemId = await a.draft();
    const edited = await officer.patch(
      `/api/items/${itemId}`,
      a.draftBody({
        docType: 'Báo cáo',
        summary: 'Báo cáo kết quả chuyến thăm',
        recipients: [{ kind: 'user', userId: ids.officerB, copies: 1, addresseeOnly: true }],
        copyCount: 2,
        copyAllowed: true,
        recallRequired: true,
      }),
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      id: itemId,
      state: 'draft',
      docType: 'Báo cáo',
      copiesPlanned: 2,
      copyAllowed: true,
      recallRequired: true,
      drafterId: ids.officerA,
    });
    expect(edited.json()).not.toHaveProperty('summary');
    expect(await recipientsOf(itemId)).toEqual([
      { position: 1, kind: 'user', user_id: ids.officerB, unit_id: null, outside_name: null, copies: 1, addressee_only: 1 },
    ]);
    expect((await officer.get(`/api/items/${itemId}/content`)).json().summary).toBe('Báo cáo kết quả chuyến thăm');
    const audit = await t.deps.dbh.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('subject_id', '=', itemId)
      .where('action', '!=', 'item.content_read')
      .orderBy('seq')
      .execute();
    expect(audit.map((e) => [e.action, JSON.parse(e.details)])).toEqual([
      ['item.drafted', { kind: 'document', proposedLevel: 'SECRET', recipients: 2, copies: 3 }],
      ['item.draft_updated', { kind: 'document', proposedLevel: 'SECRET', recipients: 1, copies: 2, revised: false }],
    ]);
    expect(JSON.stringify(audit)).not.toContain('chuyến thăm');

    // Proposed: not editable. Returned: editing puts it back to draft (revise + edit in one).
    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    const whileProposed = await officer.patch(`/api/items/${itemId}`, a.draftBody());
    expect(whileProposed.statusCode).toBe(409);
    expect(whileProposed.json().error.code).toBe('item.not_editable');
    expect((await (await as('giamdoc')).post(`/api/items/${itemId}/return`, { reason: 'Sửa nơi nhận' })).statusCode).toBe(200);
    const fixed = await officer.patch(`/api/items/${itemId}`, a.draftBody());
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json()).toMatchObject({ state: 'draft', returnReason: 'Sửa nơi nhận', copiesPlanned: 3 });
    expect((await recipientsOf(itemId)).map((r) => r.kind)).toEqual(['unit', 'outside']);
    const actions = (await t.deps.dbh.db.selectFrom('audit_events').select('action').where('subject_id', '=', itemId).orderBy('seq').execute()).map(
      (e) => e.action,
    );
    expect(actions.slice(-2)).toEqual(['item.revised', 'item.draft_updated']);
    // POST /revise still works for a returned proposal.
    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    expect((await (await as('giamdoc')).post(`/api/items/${itemId}/return`, { reason: 'Lần nữa' })).statusCode).toBe(200);
    expect((await officer.post(`/api/items/${itemId}/revise`)).json().state).toBe('draft');
  });

  it('refuses anyone but the drafter, any other state, and a proposal that would not pass; nothing changes', async () => {
    a = await startAgency(dialect);
    const { ids, as } = a;
    const itemId = await a.draft();
    const issuedId = await a.issued();
    const officer = await as('canboa');
    const clients = {
      colleague: await as('dongnghiepa'),
      head: await as('truongphonga'),
      headR: await as('giamdoc'),
      inspector: await as('thanhtra'),
      officer,
    };
    const cases: [keyof typeof clients, string, Record<string, unknown>, number, string][] = [
      ['colleague', itemId, {}, 403, 'item.not_drafter'],
      ['head', itemId, {}, 403, 'item.not_drafter'],
      ['headR', issuedId, {}, 403, 'item.not_drafter'],
      ['inspector', itemId, {}, 403, 'auth.forbidden'],
      ['officer', issuedId, {}, 409, 'item.not_editable'],
      ['officer', itemId, { level: 'CONFIDENTIAL' }, 422, 'item.level_not_from_catalog'],
      ['officer', itemId, { copyCount: 1 }, 422, 'item.copies_fewer_than_recipients'],
      [
        'officer',
        itemId,
        {
          recipients: [
            { kind: 'unit', unitId: ids.unitA, copies: 1 },
            { kind: 'unit', unitId: ids.unitA, copies: 1 },
          ],
        },
        422,
        'item.recipient_duplicate',
      ],
      ['officer', itemId, { recipients: [{ kind: 'user', userId: ids.unitA, copies: 1 }] }, 422, 'item.recipient_not_found'],
      ['officer', itemId, { catalogItemIds: [ids.unitA] }, 422, 'item.catalog_item_not_found'],
      ['officer', ids.unitA, {}, 404, 'item.not_found'],
    ];
    for (const [who, id, over, status, code] of cases) {
      const before = await databaseFingerprint(a.t.deps);
      const r = await clients[who].patch(`/api/items/${id}`, a.draftBody(over));
      const label = `${who} ${code}`;
      expect(r.statusCode, `${label}: ${r.body}`).toBe(status);
      expect(r.json().error.code, label).toBe(code);
      expect(r.json().error.message, label).toMatch(/\p{L}/u);
      expect(await databaseFingerprint(a.t.deps), label).toBe(before);
    }
    // Partial bodies are not a replacement: refused at the edge.
    const before = await databaseFingerprint(a.t.deps);
    expect((await officer.patch(`/api/items/${itemId}`, { docType: 'Báo cáo' })).statusCode).toBe(400);
    expect((await officer.patch(`/api/items/${itemId}`, { ...a.draftBody(), state: 'classified' })).statusCode).toBe(400);
    expect(await databaseFingerprint(a.t.deps)).toBe(before);
    const item = (await (await as('vanthu')).get(`/api/items/${issuedId}`)).json().item;
    expect(item).toMatchObject({ state: 'issued', docType: 'Kế hoạch', copiesPlanned: 3 });
  });

  it("keeps a Tuyệt mật draft's summary out of the item search text, on creation and on edit", async () => {
    a = await startAgency(dialect);
    const searchText = async (id: string) =>
      (await a.t.deps.dbh.db.selectFrom('secret_items').select('search_text').where('id', '=', id).executeTakeFirstOrThrow()).search_text ?? '';
    const so = await a.as('baomat');
    const tsEntry = JSON.stringify([
      {
        decisionNumber: '19/QĐ-TTg',
        decisionDate: '2026-01-06',
        field: 'Ngoại giao',
        article: '1',
        clause: '1',
        description: 'Chủ trương đối ngoại chưa công bố',
        level: 'TOP_SECRET',
      },
    ]);
    expect((await so.post('/api/catalog/import', { format: 'json', content: tsEntry })).statusCode).toBe(200);
    const tsCatalogId = ((await so.get('/api/catalog')).json().items as { id: string; level: string }[]).find((c) => c.level === 'TOP_SECRET')!.id;
    // Drafted by an officer cleared for Tuyệt mật (nobody drafts above their own clearance).
    const drafted = await (
      await a.as('canbob')
    ).post('/api/items', a.draftBody({ level: 'TOP_SECRET', catalogItemIds: [tsCatalogId], summary: 'Phương án zyxwvu tuyệt mật' }));
    expect(drafted.statusCode, drafted.body).toBe(200);
    const id = drafted.json().id as string;
    expect(await searchText(id)).not.toContain('zyxwvu');
    const edited = await (
      await a.as('canbob')
    ).patch(`/api/items/${id}`, a.draftBody({ level: 'TOP_SECRET', catalogItemIds: [tsCatalogId], summary: 'Phương án qwerty tuyệt mật' }));
    expect(edited.statusCode, edited.body).toBe(200);
    expect(await searchText(id)).not.toContain('qwerty');
    expect(await searchText(id)).toContain('ke hoach');
    // The rule is about the level: a Mật draft's summary is searchable.
    const plain = await a.draft({ summary: 'Phương án asdfgh' });
    expect(await searchText(plain)).toContain('asdfgh');
  });

  it("the item page gives what the edit form needs: the shorter period and the recipients' ids", async () => {
    a = await startAgency(dialect);
    const id = await a.draft({
      shorterPeriod: { years: 5 },
      recipients: [
        { kind: 'user', userId: a.ids.officerB, copies: 1, addresseeOnly: true },
        { kind: 'unit', unitId: a.ids.unitB, copies: 1 },
        { kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 },
      ],
    });
    const d = (await (await a.as('canboa')).get(`/api/items/${id}`)).json();
    expect(d.item.shorterPeriod).toEqual({ years: 5 });
    expect(d.recipients.map((r: { kind: string; userId: string | null; unitId: string | null; name: string }) => [r.kind, r.userId, r.unitId, r.name])).toEqual(
      [
        ['user', a.ids.officerB, null, expect.any(String)],
        ['unit', null, a.ids.unitB, 'Phòng Lãnh sự'],
        ['outside', null, null, 'Bộ Ngoại giao'],
      ],
    );
    expect((await (await a.as('canboa')).get(`/api/items/${await a.draft()}`)).json().item.shorterPeriod).toBeNull();
  });
});
