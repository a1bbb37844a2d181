import { afterEach, describe, expect, it } from 'vitest';
import type { AuditLog, AuditWriter } from '../../platform/audit/audit-log';
import { Client, createTestApp, databaseFingerprint, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../../test/harness';
import { findUserWithRoles } from '../auth/auth.repository';
import { actorOf } from '../auth/auth.usecases';
import { registerIncoming } from '../dispatch/dispatch.usecases';

const DIALECTS = await dialects();

const CATALOG = JSON.stringify([
  {
    decisionNumber: '19/QĐ-TTg',
    decisionDate: '2026-01-06',
    field: 'Ngoại giao',
    article: '1',
    clause: '2',
    description: 'Kế hoạch làm việc với đoàn cấp cao nước ngoài chưa công bố',
    level: 'SECRET',
  },
]);

describe.each(DIALECTS)('registry on %s', (dialect) => {
  let t: TestApp;
  afterEach(async () => t?.cleanup());

  async function start() {
    t = await createTestApp(dialect);
    const { unitId, userId: adminId, headId } = await seedAgency(t.deps, { headUsername: 'giamdoc' });
    const ids = {
      root: unitId,
      admin: adminId,
      officer: await seedUser(t.deps, { username: 'canbo', unitId, roles: ['officer'], clearance: 'SECRET' }),
      head: headId, // the set-up's agency head
      clerk: await seedUser(t.deps, { username: 'vanthu', unitId, roles: ['clerk'], clearance: 'SECRET' }),
      so: await seedUser(t.deps, { username: 'baomat', unitId, roles: ['security_officer'], clearance: 'TOP_SECRET' }),
      named: await seedUser(t.deps, { username: 'nguoinhan', unitId, roles: ['officer'], clearance: 'SECRET' }),
      colleague: await seedUser(t.deps, { username: 'dongnghiep', unitId, roles: ['officer'], clearance: 'TOP_SECRET' }),
      inspector: await seedUser(t.deps, { username: 'thanhtra', unitId, roles: ['inspector'] }),
    };
    const as = async (username: string) => {
      const c = new Client(t.app, t.clock);
      await c.signIn(username, USER_PASSWORD);
      return c;
    };
    const so = await as('baomat');
    expect((await so.post('/api/catalog/import', { format: 'json', content: CATALOG })).statusCode).toBe(200);
    const catalogId = (await so.get('/api/catalog')).json().items[0].id as string;
    return { ids, as, so, catalogId };
  }

  it('officer proposes → head approves → clerk issues 3 copies → registers, receipts and need-to-know', async () => {
    const { ids, as, catalogId } = await start();
    const officer = await as('canbo');
    const draft = {
      kind: 'document',
      docType: 'Kế hoạch',
      summary: 'Kế hoạch đón đoàn đại biểu cấp cao năm 2027',
      field: 'Ngoại giao',
      level: 'SECRET',
      catalogItemIds: [catalogId],
      recipients: [
        { kind: 'outside', outsideName: 'Bộ Ngoại giao', copies: 1 },
        { kind: 'user', userId: ids.named, copies: 1, addresseeOnly: true },
        { kind: 'unit', unitId: ids.root, copies: 1 },
      ],
      copyCount: 4,
      copyAllowed: false,
    };
    const created = await officer.post('/api/items', draft);
    expect(created.statusCode, created.body).toBe(200);
    const itemId = created.json().id as string;
    expect(created.json()).not.toHaveProperty('summary');
    // A proposal at a level other than the catalogue's is refused.
    const wrong = (await officer.post('/api/items', { ...draft, level: 'CONFIDENTIAL' })).json().id;
    expect((await officer.post(`/api/items/${wrong}/propose`)).json().error.code).toBe('item.level_not_from_catalog');
    expect((await officer.post(`/api/items/${itemId}/propose`)).json().state).toBe('proposed');
    // The drafter cannot approve; a clerk without delegation cannot either.
    expect((await officer.post(`/api/items/${itemId}/approve`)).json().error.code).toBe('item.self_approval');
    const clerk = await as('vanthu');
    expect((await clerk.post(`/api/items/${itemId}/approve`)).statusCode).toBe(403);
    expect(
      (await clerk.post(`/api/items/${itemId}/issue`, { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' })).json().error.code,
    ).toBe('item.not_classified');
    const head = await as('giamdoc');
    expect((await head.get('/api/items?state=proposed')).json().items.map((i: { id: string }) => i.id)).toEqual([itemId]);
    // An officer's list holds only their own drafts.
    expect((await (await as('nguoinhan')).get('/api/items?state=proposed')).json().total).toBe(0);
    const approved = (await head.post(`/api/items/${itemId}/approve`)).json();
    expect(approved).toMatchObject({ state: 'classified', level: 'SECRET', classifiedOn: '2026-03-02', protectionEnd: '2046-03-02' });

    const issued = await clerk.post(`/api/items/${itemId}/issue`, { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' });
    expect(issued.statusCode, issued.body).toBe(200);
    const out = issued.json();
    expect(out.item.numberSymbol).toBe('1/KH-SNV');
    expect(out.copies.map((c: { label: string; registerNumber: number | null }) => [c.label, c.registerNumber])).toEqual([
      ['Bản số 1/4', 1],
      ['Bản số 2/4', 2],
      ['Bản số 3/4', 3],
      ['Bản số 4/4', null],
    ]);
    const named = out.copies[1];
    expect(named.envelopes).toHaveLength(1);
    expect(named.envelopes[0].marks.map((m: { text: string }) => m.text)).toEqual(expect.arrayContaining(['B', 'Chỉ người có tên mới được bóc bì']));

    const labels = await clerk.get(`/api/items/${itemId}/envelopes.pdf`);
    expect(labels.statusCode).toBe(200);
    expect(labels.headers['content-type']).toBe('application/pdf');
    expect(labels.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await officer.get(`/api/items/${itemId}/envelopes.pdf`)).statusCode).toBe(403);
    const outgoing = (await clerk.get('/api/registers/outgoing?year=2026')).json();
    expect(outgoing.items.map((e: { number: number; recipient: string }) => [e.number, e.recipient])).toEqual([
      [1, 'Bộ Ngoại giao'],
      [2, 'Người dùng nguoinhan'],
      [3, 'Sở Ngoại vụ tỉnh Thử nghiệm'],
    ]);
    // The issuing agency's own register carries the summary (not Tuyệt mật) for its keepers.
    expect(outgoing.items.map((e: { summary: string | null }) => e.summary)).toEqual(Array(3).fill('Kế hoạch đón đoàn đại biểu cấp cao năm 2027'));
    const inspector = await as('thanhtra');
    // Search folds diacritics and đ; a reader without summaries cannot find by the summary.
    const byClerk = (await clerk.get(`/api/search?q=${encodeURIComponent('DON DOAN dai bieu')}`)).json();
    expect(byClerk.total).toBe(3);
    expect((await inspector.get(`/api/search?q=${encodeURIComponent('đón đoàn')}`)).json().total).toBe(0);
    expect((await inspector.get(`/api/search?q=${encodeURIComponent('bo ngoai giao')}&register=outgoing&level=SECRET`)).json().total).toBe(1);
    expect((await clerk.get('/api/search?q=KH-SNV&from=2026-03-02&to=2026-03-02')).json().total).toBe(3);
    expect((await clerk.get('/api/search?q=KH-SNV&from=2026-03-03')).json().total).toBe(0);
    const seenByInspector = (await inspector.get('/api/registers/outgoing?year=2026')).json();
    expect(seenByInspector.summaryShown).toBe(false);
    expect(seenByInspector.items.every((e: { summary: string | null }) => e.summary === null)).toBe(true);

    // The named person signs for the copy and opens it; a colleague with higher clearance cannot.
    const person = await as('nguoinhan');
    const mine = (await person.get('/api/my/copies')).json();
    expect(mine.pending).toHaveLength(1);
    expect((await person.post(`/api/custody/${mine.pending[0].eventId}/confirm`)).statusCode).toBe(200);
    expect((await person.get(`/api/items/${itemId}/content`)).json().summary).toBe('Kế hoạch đón đoàn đại biểu cấp cao năm 2027');
    // The addressee-only copy cannot be passed on to anyone else, not even a cleared colleague.
    const namedCopy = (await person.get('/api/my/copies')).json().copies.find((c: { label: string }) => c.label === 'Bản số 2/4');
    const passOn = await person.post('/api/custody/hand-over', { copyIds: [namedCopy.id], to: { kind: 'user', id: ids.colleague } });
    expect(passOn.json().error).toMatchObject({ code: 'copy.invalid_holder', details: { reason: 'addressee_only' } });
    const colleague = await as('dongnghiep');
    const refused = await colleague.get(`/api/items/${itemId}/content`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('item.content_forbidden');
    expect((await inspector.get(`/api/items/${itemId}/content`)).statusCode).toBe(403);
    const item = (await inspector.get(`/api/items/${itemId}`)).json();
    expect(item.canReadContent).toBe(false);
    expect(item.copies.find((c: { label: string }) => c.label === 'Bản số 2/4')).toMatchObject({ status: 'held', holderUserId: ids.named });
    // The register's "ký nhận" is filled by the signature.
    expect((await clerk.get('/api/registers/outgoing?year=2026')).json().items[1].receivedBy).toBe('Người dùng nguoinhan');

    const audit = await t.deps.dbh.db.selectFrom('audit_events').select(['action', 'details']).orderBy('seq').execute();
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'item.drafted',
        'item.proposed',
        'item.classified',
        'item.issued',
        'custody.receipt_confirmed',
        'item.content_read',
        'item.content_refused',
      ]),
    );
    // The audit trail never carries content.
    expect(JSON.stringify(audit)).not.toContain('đón đoàn đại biểu');
  });

  it('registers incoming items, refuses a Tuyệt mật summary, reports a damaged envelope, hands over with signature', async () => {
    const { ids, as } = await start();
    const clerk = await as('vanthu');
    const base = {
      issuer: 'Bộ Ngoại giao',
      numberSymbol: '125/BNG-LS',
      documentDate: '2026-02-27',
      docType: 'Công văn',
      kind: 'document',
      level: 'CONFIDENTIAL',
      copies: 2,
      addresseeOnly: false,
      envelopeState: 'intact',
      to: { kind: 'unit', id: ids.root },
      summary: 'Về việc bảo hộ công dân',
    };
    const before = await databaseFingerprint(t.deps);
    const ts = await clerk.post('/api/items/incoming', { ...base, level: 'TOP_SECRET' });
    expect(ts.statusCode).toBe(422);
    expect(ts.json().error.code).toBe('register.top_secret_summary');
    expect(await databaseFingerprint(t.deps)).toBe(before);
    const first = (await clerk.post('/api/items/incoming', base)).json();
    expect(first).toMatchObject({ registerNumber: 1, year: 2026 });
    const damaged = (
      await clerk.post('/api/items/incoming', {
        ...base,
        numberSymbol: '7/BQP',
        envelopeState: 'opened',
        to: { kind: 'user', id: ids.named },
        addresseeOnly: true,
      })
    ).json();
    expect(damaged.registerNumber).toBe(2);
    const notes = await t.deps.dbh.db.selectFrom('notifications').select(['user_id', 'kind']).execute();
    expect(notes.map((n) => n.user_id).sort()).toEqual([ids.head, ids.so].sort());
    const incoming = (await clerk.get('/api/registers/incoming?year=2026')).json().items;
    expect(incoming[1]).toMatchObject({ number: 2, summary: null, note: 'Bì có dấu hiệu đã bị bóc mở' });

    // The unit's clerk signs for the unit, then hands one copy to the officer: transfer register.
    // The unit's clerk sees what waits for the unit's signature.
    const pending = (await clerk.get('/api/my/copies')).json().pending as { eventId: string; itemId: string }[];
    const eventId = pending.find((p) => p.itemId === first.item.id)!.eventId;
    expect((await (await as('canbo')).get('/api/my/copies')).json().pending).toEqual([]);
    expect((await clerk.post(`/api/custody/${eventId}/confirm`)).statusCode).toBe(200);
    const copyId = first.copies[0].id;
    const handed = await clerk.post('/api/custody/hand-over', { copyIds: [copyId], to: { kind: 'user', id: ids.officer }, note: 'Giao để xử lý' });
    expect(handed.statusCode, handed.body).toBe(200);
    expect(handed.json().registerNumber).toBe(1);
    const officer = await as('canbo');
    expect((await officer.get(`/api/items/${first.item.id}/content`)).statusCode).toBe(403);
    expect((await officer.post(`/api/custody/${handed.json().eventId}/confirm`)).statusCode).toBe(200);
    expect((await officer.get(`/api/items/${first.item.id}/content`)).json().summary).toBe('Về việc bảo hộ công dân');
    const transfer = (await clerk.get('/api/registers/transfer?year=2026')).json().items;
    // "Số, ký hiệu / số đến": the received item is named by its arrival number too.
    expect(transfer).toEqual([
      expect.objectContaining({
        number: 1,
        numberSymbol: '125/BNG-LS — số đến 1/2026',
        recipient: 'Người dùng canbo',
        receivedBy: 'Người dùng canbo',
        quantity: 1,
      }),
    ]);
    // A copy the officer holds cannot be moved by the clerk any more.
    expect((await clerk.post('/api/custody/hand-over', { copyIds: [copyId], to: { kind: 'user', id: ids.named } })).json().error.code).toBe('copy.not_holder');
  });

  it('a locked year refuses entries until unlocked with a reason; a cancelled entry keeps its number', async () => {
    const { ids, as } = await start();
    const clerk = await as('vanthu');
    const body = {
      issuer: 'UBND tỉnh',
      numberSymbol: '9/UBND',
      documentDate: '2026-02-27',
      docType: 'Quyết định',
      kind: 'document',
      level: 'CONFIDENTIAL',
      copies: 1,
      addresseeOnly: false,
      envelopeState: 'intact',
      to: { kind: 'unit', id: ids.root },
    };
    expect((await clerk.post('/api/items/incoming', body)).json().registerNumber).toBe(1);
    expect((await clerk.post('/api/registers/incoming/2026/lock', { reason: 'Khoá sổ cuối năm' })).json().locked).toBe(true);
    expect((await clerk.post('/api/items/incoming', body)).json().error.code).toBe('register.year_locked');
    expect((await clerk.post('/api/registers/incoming/2026/unlock', { reason: 'Bổ sung văn bản đến muộn' })).json().locked).toBe(false);
    const second = (await clerk.post('/api/items/incoming', body)).json();
    expect(second.registerNumber).toBe(2);
    const entryId = (await clerk.get('/api/registers/incoming?year=2026')).json().items[1].id;
    expect((await clerk.post(`/api/registers/entries/${entryId}/cancel`, { reason: 'Vào sổ nhầm' })).json()).toMatchObject({
      number: 2,
      cancelReason: 'Vào sổ nhầm',
    });
    expect((await clerk.post('/api/items/incoming', body)).json().registerNumber).toBe(3);
    const actions = (await t.deps.dbh.db.selectFrom('audit_events').select('action').execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['register.year_locked', 'register.year_unlocked', 'register.entry_cancelled']));
  });

  it('register pages: unfiltered pages are number ranges, filtered pages follow the filter', async () => {
    const { ids, as } = await start();
    const clerk = await as('vanthu');
    for (let i = 1; i <= 7; i++) {
      const level = i % 2 ? 'CONFIDENTIAL' : 'SECRET';
      const r = await clerk.post('/api/items/incoming', {
        issuer: 'UBND tỉnh',
        numberSymbol: `${i}/UBND`,
        documentDate: '2026-02-27',
        docType: 'Công văn',
        kind: 'document',
        level,
        copies: 1,
        addresseeOnly: false,
        envelopeState: 'intact',
        to: { kind: 'unit', id: ids.root },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const nums = async (qs: string) => (await clerk.get(`/api/registers/incoming?year=2026&${qs}`)).json().items.map((e: { number: number }) => e.number);
    expect(await nums('page=2&pageSize=3')).toEqual([4, 5, 6]);
    expect(await nums('page=3&pageSize=3')).toEqual([7]);
    expect(await nums('page=4&pageSize=3')).toEqual([]);
    expect(await nums('level=CONFIDENTIAL&page=2&pageSize=2')).toEqual([5, 7]);
    expect(await nums('level=SECRET&page=1&pageSize=2')).toEqual([2, 4]);
    expect((await clerk.get('/api/registers/incoming?year=2026&level=SECRET')).json().total).toBe(3);
  });

  it('50 concurrent registrations get incoming numbers 1..50; a failed audit write leaves no entry and no gap', async () => {
    const { ids } = await start();
    const actor = actorOf((await findUserWithRoles(t.deps.dbh.db, ids.clerk))!);
    const input = (i: number) => ({
      issuer: 'Bộ Công an',
      numberSymbol: `${i}/BCA`,
      documentDate: '2026-02-27',
      docType: 'Công văn',
      kind: 'document' as const,
      level: 'CONFIDENTIAL' as const,
      copies: 1,
      addresseeOnly: false,
      envelopeState: 'intact' as const,
      to: { kind: 'unit' as const, id: ids.root },
    });
    const failing: AuditWriter = {
      append: async (tx, e) => {
        await t.deps.audit.append(tx, e);
        throw new Error('audit insert failed');
      },
    };
    const before = await databaseFingerprint(t.deps);
    await expect(registerIncoming({ ...t.deps, audit: failing as unknown as AuditLog }, actor, input(0))).rejects.toThrow('audit insert failed');
    expect(await databaseFingerprint(t.deps)).toBe(before);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => registerIncoming(t.deps, actor, input(i + 1))));
    expect(results.map((r) => r.entry.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});
