import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../kernel/actor';
import { createTestRuntime, dialects, seedAgency, seedUser, type TestRuntime } from '../../test/harness';
import { registerIncoming, type IncomingInput } from '../dispatch/dispatch.usecases';
import { needToKnowItems } from '../items/row-access';
import {
  dayStartKey,
  expandPrefixes,
  inMonthsQuery,
  monthOfKey,
  monthsNewestFirst,
  monthStartKey,
  PREFIX_EXPANSION_LIMIT,
  rebuildRegisterSearch,
  sortKey,
  tsQuery,
} from './search.index';
import { PER_ROW_COUNT_PAGES, searchRegisters, type SearchFilter } from './search.usecases';

const DIALECTS = await dialects();

describe.each(DIALECTS)('register search on %s', (dialect) => {
  let rt: TestRuntime | undefined;
  afterEach(async () => {
    await rt?.cleanup();
    rt = undefined;
  });

  async function start() {
    rt = await createTestRuntime(dialect);
    const { unitId } = await seedAgency(rt.deps);
    const clerkId = await seedUser(rt.deps, { username: 'vanthu', unitId, roles: ['clerk'], clearance: 'TOP_SECRET' });
    const clerk: Actor = { userId: clerkId, roles: ['clerk'], clearance: 'TOP_SECRET', unitId };
    const inspector: Actor = { userId: clerkId, roles: ['inspector'], clearance: 'NONE', unitId };
    const base = {
      documentDate: '2026-02-27',
      docType: 'Công văn',
      kind: 'document' as const,
      copies: 1,
      addresseeOnly: false,
      envelopeState: 'intact' as const,
      to: { kind: 'unit' as const, id: unitId },
    };
    const inputs: IncomingInput[] = [
      { ...base, issuer: 'Bộ Ngoại giao', numberSymbol: '125/BNG-LS', summary: 'Về việc đón đoàn đại biểu', level: 'SECRET' },
      { ...base, issuer: 'UBND tỉnh', numberSymbol: '12/KH-SNV', summary: 'Kế hoạch "NEAR" năm 2026', level: 'CONFIDENTIAL' },
      { ...base, issuer: 'Công an tỉnh', numberSymbol: '1250/QĐ-UBND', level: 'TOP_SECRET' },
    ];
    for (const i of inputs) {
      await registerIncoming(rt.deps, clerk, i);
      rt.clock.advance(86_400_000);
    }
    const search = (actor: Actor, f: Partial<SearchFilter>) => searchRegisters(rt!.deps, actor, { page: 1, pageSize: 20, ...f });
    /** One more incoming letter of the UBND tỉnh (unless another issuer is given), registered by the clerk. */
    const receive = (i: Pick<IncomingInput, 'numberSymbol' | 'summary' | 'level'> & Partial<Pick<IncomingInput, 'issuer'>>) =>
      registerIncoming(rt!.deps, clerk, { ...base, issuer: 'UBND tỉnh', ...i });
    return { clerk, inspector, unitId, search, receive };
  }

  /** A unit 'Phòng B' under the agency, and its head cleared for `clearance`. */
  async function headOfUnitB(unitId: string, clearance: Actor['clearance']): Promise<Actor> {
    const unitB = rt!.deps.ids();
    await rt!.deps.dbh.db
      .insertInto('units')
      .values({ id: unitB, parent_id: unitId, name: 'Phòng B', code: 'PB', created_at: new Date().toISOString() })
      .execute();
    const userId = await seedUser(rt!.deps, { username: 'truongphongb', unitId: unitB, roles: ['head'], clearance });
    return { userId, roles: ['head'], clearance, unitId: unitB };
  }

  it('matches numbers and symbols by word prefix, newest first', async () => {
    const { clerk, search } = await start();
    const symbols = async (q: string) => (await search(clerk, { q })).items.map((e) => e.number_symbol);
    expect(await symbols('125/BNG-LS')).toEqual(['125/BNG-LS']);
    expect(await symbols('125/BNG')).toEqual(['125/BNG-LS']);
    expect(await symbols('bng-l')).toEqual(['125/BNG-LS']);
    expect(await symbols('125')).toEqual(['1250/QĐ-UBND', '125/BNG-LS']);
    expect(await symbols('12')).toEqual(['1250/QĐ-UBND', '12/KH-SNV', '125/BNG-LS']);
    expect(await symbols('qd-ubnd')).toEqual(['1250/QĐ-UBND']);
    expect(await symbols('KH-SNV ke hoach')).toEqual(['12/KH-SNV']);
    expect(await symbols('ĐÓN ĐOÀN dai bieu')).toEqual(['125/BNG-LS']);
    expect(await symbols('đón công an')).toEqual([]); // every term must match
  });

  it('never matches a hidden summary', async () => {
    const { clerk, inspector, search } = await start();
    expect((await search(clerk, { q: 'đón đoàn' })).total).toBe(1);
    expect((await search(inspector, { q: 'đón đoàn' })).total).toBe(0);
    expect((await search(inspector, { q: 'summary don' })).total).toBe(0);
    expect((await search(inspector, { q: '{summary} : don' })).total).toBe(0);
    const r = await search(inspector, { q: 'bo ngoai giao' });
    expect(r.total).toBe(1);
    expect(r.items[0]!.summary).toBeNull();
  });

  // The summary arms of a per-row viewer's text search (search.usecases.ts): rows kept by the
  // viewer, decided by the index tags alone; rows elsewhere, through need-to-know; each only at the
  // levels the viewer is cleared for.
  it('matches a summary only at the levels a viewer is cleared for, kept by them or known to them', async () => {
    const { unitId, search } = await start();
    const db = rt!.deps.dbh.db;
    const unitB = rt!.deps.ids();
    await db
      .insertInto('units')
      .values({
        id: unitB,
        parent_id: unitId,
        name: 'Phòng Lãnh sự',
        code: 'LS',
        parent_body: null,
        closed_at: null,
        closed_reason: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    const total = async (actor: Actor, q: string) => {
      const r = await search(actor, { q });
      return { total: r.total, shown: r.items.filter((h) => !h.summaryHidden).length };
    };
    // The agency's văn thư cleared for Mật only: every unit's rows, at Mật.
    const mat = await seedUser(rt!.deps, { username: 'vanthumat', unitId, roles: ['clerk'], clearance: 'CONFIDENTIAL' });
    const agencyMat: Actor = { userId: mat, roles: ['clerk'], clearance: 'CONFIDENTIAL', unitId };
    expect(await total(agencyMat, 'đón đoàn')).toEqual({ total: 0, shown: 0 });
    expect(await total(agencyMat, 'kế hoạch near')).toEqual({ total: 1, shown: 1 });
    // A văn thư of another unit cleared for Tối mật: the agency's rows only through need-to-know.
    const b = await seedUser(rt!.deps, { username: 'vanthuls', unitId: unitB, roles: ['clerk'], clearance: 'SECRET' });
    const clerkB: Actor = { userId: b, roles: ['clerk'], clearance: 'SECRET', unitId: unitB };
    expect(await total(clerkB, 'đón đoàn')).toEqual({ total: 0, shown: 0 });
    expect(await total(clerkB, 'bo ngoai giao')).toEqual({ total: 1, shown: 0 });
    const item = await db.selectFrom('secret_items').select('id').where('number_symbol', '=', '125/BNG-LS').executeTakeFirstOrThrow();
    await db.insertInto('item_assignments').values({ item_id: item.id, user_id: b, assigned_by: mat, assigned_at: new Date().toISOString() }).execute();
    expect(await total(clerkB, 'đón đoàn')).toEqual({ total: 1, shown: 1 });
    expect(await total(clerkB, 'bo ngoai giao')).toEqual({ total: 1, shown: 1 });
    expect(await total(clerkB, 'kế hoạch near')).toEqual({ total: 0, shown: 0 });
    // Known, but above the clearance: still not matched by its summary.
    await db.updateTable('users').set({ clearance: 'CONFIDENTIAL' }).where('id', '=', b).execute();
    expect(await total({ ...clerkB, clearance: 'CONFIDENTIAL' }, 'đón đoàn')).toEqual({ total: 0, shown: 0 });
    // A unit's văn thư keeps that unit's registers: its rows matched by summary for them, not for
    // the văn thư of a sibling unit cleared as high.
    await registerIncoming(
      rt!.deps,
      { ...clerkB, clearance: 'CONFIDENTIAL' },
      {
        documentDate: '2026-02-27',
        docType: 'Công văn',
        kind: 'document',
        copies: 1,
        addresseeOnly: false,
        envelopeState: 'intact',
        to: { kind: 'unit', id: unitB },
        issuer: 'Sở Nội vụ',
        numberSymbol: '9/SNV',
        summary: 'Về việc khảo sát biên giới',
        level: 'CONFIDENTIAL',
      },
    );
    expect(await total({ ...clerkB, clearance: 'CONFIDENTIAL' }, 'khảo sát')).toEqual({ total: 1, shown: 1 });
    const unitC = rt!.deps.ids();
    await db
      .insertInto('units')
      .values({
        id: unitC,
        parent_id: unitId,
        name: 'Phòng Hợp tác',
        code: 'HT',
        parent_body: null,
        closed_at: null,
        closed_reason: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    const c = await seedUser(rt!.deps, { username: 'vanthuht', unitId: unitC, roles: ['clerk'], clearance: 'TOP_SECRET' });
    expect(await total({ userId: c, roles: ['clerk'], clearance: 'TOP_SECRET', unitId: unitC }, 'khảo sát')).toEqual({ total: 0, shown: 0 });
    expect(await total({ userId: c, roles: ['clerk'], clearance: 'TOP_SECRET', unitId: unitC }, 'so noi vu')).toEqual({ total: 1, shown: 0 });
  });

  it('treats query syntax as plain text (no injection, no error)', async () => {
    const { clerk, inspector, search } = await start();
    const cases: [string, number][] = [
      ['"', 0],
      ['*', 0],
      ['"đón', 1],
      ['đón"', 1],
      ['đón*', 1],
      ['"near"', 1],
      ['NEAR(đón đoàn)', 0],
      ['NEAR', 1],
      ['đón OR tỉnh', 0],
      ['AND', 0],
      ['NOT', 0],
      ['^đón', 1],
      ['đón + đoàn', 1],
      ['meta : đón', 0],
      ["') or 1=1 --", 0],
      ["'; drop table register_entries; --", 0],
      ['\\', 0],
      ['(((', 0],
      ['12:*A | x', 0],
      ['y2026', 0],
      ['y20', 0],
      ['Y2026', 0],
      ['tags : y2026', 0],
    ];
    for (const [q, n] of cases) {
      expect((await search(clerk, { q })).total, q).toBe(n);
      await expect(search(inspector, { q })).resolves.toBeDefined();
    }
  });

  it('applies the filters and pages', async () => {
    const { clerk, unitId, search } = await start();
    expect((await search(clerk, { q: 'bng', register: 'incoming', level: 'SECRET', year: 2026, unitId })).total).toBe(1);
    expect((await search(clerk, { q: 'bng', level: 'CONFIDENTIAL' })).total).toBe(0);
    expect((await search(clerk, { q: 'bng', register: 'outgoing' })).total).toBe(0);
    expect((await search(clerk, { year: 2025 })).total).toBe(0);
    expect((await search(clerk, { state: 'received' })).total).toBe(3);
    expect((await search(clerk, { q: '12', state: 'draft' })).total).toBe(0);
    expect((await search(clerk, { from: '2026-03-03', to: '2026-03-03' })).items.map((e) => e.number_symbol)).toEqual(['12/KH-SNV']);
    expect((await search(clerk, { from: '2026-03-03' })).total).toBe(2);
    expect((await search(clerk, { to: '2026-03-03' })).total).toBe(2);
    const page2 = await search(clerk, { q: '12', page: 2, pageSize: 2 });
    expect(page2.total).toBe(3);
    expect(page2.items.map((e) => e.number_symbol)).toEqual(['125/BNG-LS']);
  });

  it('applies the filters without text, newest first, paged', async () => {
    const { clerk, unitId, search } = await start();
    const symbols = async (f: Partial<SearchFilter>) => (await search(clerk, f)).items.map((e) => e.number_symbol);
    expect(await symbols({ register: 'incoming', year: 2026 })).toEqual(['1250/QĐ-UBND', '12/KH-SNV', '125/BNG-LS']);
    expect(await symbols({ register: 'incoming', year: 2026, page: 2, pageSize: 2 })).toEqual(['125/BNG-LS']);
    expect(await symbols({ register: 'incoming', year: 2026, level: 'CONFIDENTIAL' })).toEqual(['12/KH-SNV']);
    expect(await symbols({ register: 'incoming', year: 2026, unitId })).toHaveLength(3);
    expect(await symbols({ register: 'incoming', year: 2026, unitId: '00000000-0000-4000-8000-000000000000' })).toEqual([]);
    expect(await symbols({ register: 'outgoing', year: 2026 })).toEqual([]);
    expect(await symbols({ register: 'incoming', year: 2025 })).toEqual([]);
    expect(await symbols({ level: 'TOP_SECRET' })).toEqual(['1250/QĐ-UBND']);
    expect((await search(clerk, { register: 'incoming', year: 2026, pageSize: 1 })).total).toBe(3);
  });

  it.runIf(dialect === 'postgres')('fills the filter columns of entries indexed before migration 0004', async () => {
    const { clerk, search } = await start();
    const { m0004_search_filters } = await import('../../platform/db/migration-0004-search-filters');
    const db = rt!.deps.dbh.db as unknown as Parameters<typeof m0004_search_filters.up>[0];
    await m0004_search_filters.down!(db);
    await m0004_search_filters.up(db);
    expect((await search(clerk, { register: 'incoming', year: 2026, level: 'SECRET' })).items.map((e) => e.number_symbol)).toEqual(['125/BNG-LS']);
  });

  it('counts hits exactly up to the limit, then says so', async () => {
    const { clerk, search } = await start();
    expect(await search(clerk, { q: '12' })).toMatchObject({ total: 3, totalExact: true });
    const m = await import('./search.usecases');
    expect(m.SEARCH_COUNT_LIMIT).toBeGreaterThanOrEqual(1000);
  });

  it("counts a per-row viewer's text hits a few pages past the page shown, then says 'more than'", async () => {
    const { unitId, clerk, search, receive } = await start();
    const m = await import('./search.usecases');
    expect(m.countLimitOf({ page: 1, pageSize: 50 }, false)).toBe(m.SEARCH_COUNT_LIMIT);
    expect(m.countLimitOf({ page: 1, pageSize: 50 }, true)).toBe((1 + m.PER_ROW_COUNT_PAGES) * 50);
    expect(m.countLimitOf({ page: 30, pageSize: 50 }, true)).toBe(m.SEARCH_COUNT_LIMIT);
    // The agency's văn thư cleared for Mật only decides summaries per row. Seven hits for '12'
    // (three from start, four more here); pages of one row: counted to 5, "more than 5".
    for (let i = 0; i < 4; i++) {
      await receive({
        numberSymbol: `12${i}/TB-SNV`,
        summary: 'Thông báo',
        level: 'CONFIDENTIAL',
      });
    }
    const mat = await seedUser(rt!.deps, { username: 'vanthumat', unitId, roles: ['clerk'], clearance: 'CONFIDENTIAL' });
    const viewer: Actor = { userId: mat, roles: ['clerk'], clearance: 'CONFIDENTIAL', unitId };
    const window = 1 + m.PER_ROW_COUNT_PAGES;
    expect(window).toBeLessThan(7);
    const r = await search(viewer, { q: '12', pageSize: 1 });
    expect(r).toMatchObject({ total: window, totalExact: false });
    // Further on, the window moves with the page; the agency's văn thư cleared for all counts all.
    expect(await search(viewer, { q: '12', pageSize: 1, page: 3 })).toMatchObject({ total: 7, totalExact: true });
    expect(await search(clerk, { q: '12', pageSize: 1 })).toMatchObject({ total: 7, totalExact: true });
    expect(r.items).toHaveLength(1);
  });

  it("finds a per-row viewer's summary matches past many newer matches it may not see (a head's in windows on PostgreSQL)", async () => {
    const { unitId, clerk, search, receive } = await start();
    const plan = (i: number, level: 'CONFIDENTIAL' | 'SECRET') => receive({ numberSymbol: `${700 + i}/KH-UB`, summary: 'Kế hoạch quyettam phối hợp', level });
    // Two the viewer may read, older than 38 Mật ones it may not (matched by summary only): more
    // than a head's first window (four times the page and the count's reach, here 4 × 6).
    for (let i = 0; i < 2; i++) await plan(i, 'CONFIDENTIAL');
    for (let i = 2; i < 40; i++) await plan(i, 'SECRET');
    const mat = await seedUser(rt!.deps, { username: 'vanthumat2', unitId, roles: ['clerk'], clearance: 'CONFIDENTIAL' });
    const viewer: Actor = { userId: mat, roles: ['clerk'], clearance: 'CONFIDENTIAL', unitId };
    const first = await search(viewer, { q: 'quyettam', pageSize: 1 });
    expect(first).toMatchObject({ total: 2, totalExact: true });
    expect(first.items.map((e) => e.number_symbol)).toEqual(['701/KH-UB']);
    expect((await search(viewer, { q: 'quyettam', pageSize: 1, page: 2 })).items.map((e) => e.number_symbol)).toEqual(['700/KH-UB']);
    expect((await search(viewer, { q: 'quyettam', pageSize: 1, page: 3 })).items).toEqual([]);
    expect(await search(clerk, { q: 'quyettam', pageSize: 5 })).toMatchObject({ total: 40, totalExact: true });

    // The head of another unit, assigned the two oldest (need-to-know asked by item, per window).
    const db = rt!.deps.dbh.db;
    const now = new Date().toISOString();
    const head = await headOfUnitB(unitId, 'TOP_SECRET');
    const oldest = await db.selectFrom('register_entries').select('item_id').where('number_symbol', 'in', ['700/KH-UB', '701/KH-UB']).execute();
    await db
      .insertInto('item_assignments')
      .values(oldest.map((o) => ({ item_id: o.item_id, user_id: head.userId, assigned_by: clerk.userId, assigned_at: now })))
      .execute();
    const byHead = await search(head, { q: 'quyettam', pageSize: 1 });
    expect(byHead).toMatchObject({ total: 2, totalExact: true });
    expect(byHead.items.map((e) => e.number_symbol)).toEqual(['701/KH-UB']);
    expect((await search(head, { q: 'quyettam', pageSize: 1, page: 2 })).items.map((e) => e.number_symbol)).toEqual(['700/KH-UB']);
  });

  it('gives the same matches, newest first, however the months are read (walked, by month tags, or what is left at once)', async () => {
    const { unitId, clerk, inspector, receive } = await start();
    const db = rt!.deps.dbh.db;
    const now = new Date().toISOString();
    const head = await headOfUnitB(unitId, 'CONFIDENTIAL');
    // 24 entries, one every 15 days (a year of months): every other one about "quyettam".
    const seen: string[] = [];
    for (let i = 0; i < 24; i++) {
      rt!.clock.advance(15 * 86_400_000);
      const about = i % 2 === 1;
      const numberSymbol = `${800 + i}/KH-UB`;
      await receive({
        issuer: i === 13 ? 'Ban quyettam tỉnh' : 'UBND tỉnh',
        numberSymbol,
        summary: about ? 'Kế hoạch quyettam phối hợp' : 'Thông báo lịch họp',
        level: i === 5 ? 'SECRET' : 'CONFIDENTIAL',
      });
      // The head of unit B is assigned some: the oldest, a few in the middle, the newest but one; the
      // Tối mật one (i = 5) is above the head's clearance; i = 13 is found by its issuer (metadata).
      if ([1, 3, 5, 9, 11, 21].includes(i)) {
        const item = await db.selectFrom('register_entries').select('item_id').where('number_symbol', '=', numberSymbol).executeTakeFirstOrThrow();
        await db.insertInto('item_assignments').values({ item_id: item.item_id, user_id: head.userId, assigned_by: clerk.userId, assigned_at: now }).execute();
      }
      if ([1, 3, 9, 11, 13, 21].includes(i)) seen.unshift(numberSymbol);
    }
    // The default reads all at once here (few rows); the others walk (a third of the newest rows
    // match), read by months of tags (one at a time, or several), or what is left at once.
    const readings = [
      {},
      { probeRows: 3, denseShare: 0.1 },
      { probeRows: 3, denseShare: 0.9, fewLeft: 0 },
      { probeRows: 3, denseShare: 0.9, maxSliceMonths: 1, fewLeft: 0 },
      { probeRows: 1, denseShare: 1 },
    ];
    for (const reading of readings) {
      const found = async (f: Partial<SearchFilter>) => searchRegisters(rt!.deps, head, { page: 1, pageSize: 50, ...f }, reading);
      const all = await found({ q: 'quyettam' });
      expect(
        all.items.map((e) => e.number_symbol),
        JSON.stringify(reading),
      ).toEqual(seen);
      expect(all).toMatchObject({ total: 6, totalExact: true });
      // A page of two: counted up to the count's reach, 1 + PER_ROW_COUNT_PAGES pages.
      const first = await found({ q: 'quyettam', pageSize: 2 });
      expect(first.items.map((e) => e.number_symbol)).toEqual(seen.slice(0, 2));
      expect(first.total).toBe(6);
      expect((await found({ q: 'quyettam', pageSize: 2, page: 3 })).items.map((e) => e.number_symbol)).toEqual(seen.slice(4, 6));
      for (let page = 1; page <= 7; page++) {
        const one = await found({ q: 'quyettam', pageSize: 1, page });
        expect(
          one.items.map((e) => e.number_symbol),
          `${JSON.stringify(reading)} page ${page}`,
        ).toEqual(seen.slice(page - 1, page));
        expect(one.total).toBe(Math.min(6, page + PER_ROW_COUNT_PAGES));
      }
      // Within dates: the middle months only.
      const entries = await db.selectFrom('register_entries').select(['number_symbol', 'entry_date']).where('number_symbol', 'in', seen).execute();
      const dateOf = new Map(entries.map((e) => [e.number_symbol, e.entry_date]));
      const [from, to] = [dateOf.get('809/KH-UB')!, dateOf.get('813/KH-UB')!];
      expect((await found({ q: 'quyettam', from, to })).items.map((e) => e.number_symbol)).toEqual(['813/KH-UB', '811/KH-UB', '809/KH-UB']);
      // Rare words: one match, the oldest.
      expect((await found({ q: 'quyettam 801' })).items.map((e) => e.number_symbol)).toEqual(['801/KH-UB']);
      // The agency's văn thư reads every summary, an inspector none (metadata only); the item-state
      // filter is asked of each batch read.
      const by = async (actor: Actor, f: Partial<SearchFilter>) =>
        (await searchRegisters(rt!.deps, actor, { page: 1, pageSize: 50, ...f }, reading)).items.map((e) => e.number_symbol);
      const about = Array.from({ length: 12 }, (_, k) => `${823 - 2 * k}/KH-UB`);
      expect(await by(clerk, { q: 'quyettam' }), JSON.stringify(reading)).toEqual(about);
      expect(await by(clerk, { q: 'quyettam', state: 'received' })).toEqual(about);
      expect(await by(clerk, { q: 'quyettam', state: 'destroyed' })).toEqual([]);
      // With the item-state filter, matches are counted a few pages ahead (as per-row ones are).
      expect(await searchRegisters(rt!.deps, clerk, { page: 1, pageSize: 1, q: 'quyettam', state: 'received' }, reading)).toMatchObject({
        total: 1 + PER_ROW_COUNT_PAGES,
        totalExact: false,
      });
      expect(await by(head, { q: 'quyettam', state: 'received' })).toEqual(seen);
      expect(await by(inspector, { q: 'quyettam' })).toEqual(['813/KH-UB']);
      const clerkPage = await searchRegisters(rt!.deps, clerk, { page: 3, pageSize: 2, q: 'quyettam' }, reading);
      expect(clerkPage.items.map((e) => e.number_symbol)).toEqual(about.slice(4, 6));
      expect(clerkPage).toMatchObject({ total: 12, totalExact: true });
    }
  });

  it("reads a viewer's need-to-know (the text-search subquery) through indexes only, on both databases", async () => {
    const { unitId } = await start();
    const db = rt!.deps.dbh.db;
    for (const roles of [['head'], ['officer']] as const) {
      const actor: Actor = { userId: rt!.deps.ids(), roles: [...roles], clearance: 'SECRET', unitId };
      const plan = await db.transaction().execute(async (tx) => {
        const q = needToKnowItems(tx, actor).compile();
        if (dialect === 'sqlite')
          return ((await tx.executeQuery({ ...q, sql: `explain query plan ${q.sql}` })).rows as { detail: string }[]).map((r) => r.detail);
        // Empty tables: the planner would rightly scan them. Told not to, it still must when no index fits.
        await sql`set local enable_seqscan = off`.execute(tx);
        return ((await tx.executeQuery({ ...q, sql: `explain ${q.sql}` })).rows as Record<string, string>[]).map((r) => Object.values(r)[0]!);
      });
      const text = plan.join(' | ');
      const scans = plan.filter((d) =>
        dialect === 'sqlite' ? /^SCAN (copies|item_recipients|item_assignments)\b/.test(d) : /Seq Scan on (copies|item_recipients|item_assignments)/.test(d),
      );
      expect(scans, `${roles[0]}: ${text}`).toEqual([]);
      // Migration 0007: the recipients by unit (a head's) and the assignments by person (everyone's).
      if (roles[0] === 'head') expect(text).toMatch(/recipients_unit_idx/);
      expect(text).toMatch(/assignments_user_idx/);
      if (process.env.KHOMAT_SHOW_PLAN) console.log(dialect, roles[0], plan);
    }
  });

  it('finds by a prefix the same whether it stands for a few words or is left to the index', async () => {
    const { clerk, search, receive } = await start();
    // More words start with "kh" than a prefix is expanded to; "125" stands for two words.
    for (let i = 0; i <= PREFIX_EXPANSION_LIMIT; i++)
      await receive({
        numberSymbol: `${i}/KH${String.fromCharCode(97 + i)}-UB`,
        summary: `Về việc khảo sát ${i}`,
        level: 'CONFIDENTIAL',
      });
    const symbols = async (q: string) => (await search(clerk, { q, pageSize: 50 })).items.map((e) => e.number_symbol);
    expect(await symbols('125')).toEqual(['1250/QĐ-UBND', '125/BNG-LS']);
    expect((await symbols('kh')).length).toBe(PREFIX_EXPANSION_LIMIT + 2); // the 17 plans and "12/KH-SNV"
    expect(await symbols('khq')).toEqual([`${PREFIX_EXPANSION_LIMIT}/KHq-UB`]);
    expect(await symbols('ubnd tinh khao')).toHaveLength(PREFIX_EXPANSION_LIMIT + 1);
    expect(await symbols('ubnd tinh khao sat 1')).toEqual([16, 15, 14, 13, 12, 11, 10, 1].map((i) => `${i}/KH${String.fromCharCode(97 + i)}-UB`));
    if (dialect === 'postgres') {
      const db = rt!.deps.dbh.db;
      const x = await expandPrefixes(db, [['125'], ['ubnd', 'tinh'], ['kh'], ['zzz']]);
      expect(x.get('125')).toEqual(['125', '1250']);
      expect(x.get('tinh')).toEqual(['tinh']);
      expect(x.get('kh')).toBeUndefined(); // too many: the index's own prefix match
      expect(x.get('zzz')).toBeUndefined();
      expect(tsQuery([['125'], ['ubnd', 'tinh'], ['kh']], [], x)).toBe("('125' | '1250') & ('ubnd' <-> 'tinh') & 'kh':*");
      // The word list is part of the index: rebuilt with it, to the same words.
      const words = async () =>
        (await sql<{ word: string }>`select distinct word from register_search_words order by word`.execute(db)).rows.map((r) => r.word);
      const before = await words();
      expect(before).toEqual(expect.arrayContaining(['125', '1250', 'khao', 'kha', 'khq', 'sat', 'dai', 'bieu']));
      await rebuildRegisterSearch(db);
      expect(await words()).toEqual(before);
    }
  });

  it('gives the same results after the index is rebuilt', async () => {
    const { clerk, inspector, search } = await start();
    const snapshot = async () => [
      (await search(clerk, { q: '12' })).items.map((e) => e.id),
      (await search(inspector, { q: 'đón' })).total,
      (await search(clerk, { register: 'incoming', year: 2026, level: 'SECRET' })).items.map((e) => e.id),
    ];
    const before = await snapshot();
    expect(await rebuildRegisterSearch(rt!.deps.dbh.db)).toBe(3);
    expect(await snapshot()).toEqual(before);
  });
});

describe('months of the order key', () => {
  it('names the month of a key, lists months newest first across a year, and starts each month at its first key', () => {
    const k = (d: string) => sortKey(d, 5, 'incoming');
    expect(monthOfKey(k('2026-03-02'))).toBe('202603');
    expect(monthOfKey(k('2025-12-31'))).toBe('202512');
    expect(monthsNewestFirst(k('2026-02-01'), k('2025-11-30'))).toEqual(['202602', '202601', '202512', '202511']);
    expect(monthsNewestFirst(k('2026-02-14'), k('2026-02-01'))).toEqual(['202602']);
    expect(monthStartKey('202603')).toBe(dayStartKey('2026-03-01'));
    expect(monthStartKey('202603')).toBeLessThanOrEqual(k('2026-03-01'));
    expect(monthStartKey('202603')).toBeGreaterThan(k('2026-02-28'));
    expect(inMonthsQuery("'don'", ['202603', '202602'])).toBe("'don' & ('M202603' | 'M202602')");
    expect(inMonthsQuery("'don'", ['202603'])).toBe("'don' & 'M202603'");
    expect(() => inMonthsQuery("'don'", [])).toThrow(RangeError);
  });
});
