import { afterEach, describe, expect, it } from 'vitest';
import { createTestRuntime, dialects, seedAgency, type TestRuntime } from '../../test/harness';
import type { RegisterEntryRow } from '../../platform/db/schema';
import { allocateNumber, insertEntry } from './registers.repository';

const DIALECTS = await dialects();

describe.each(DIALECTS)('gapless numbering on %s', (dialect) => {
  let rt: TestRuntime;
  afterEach(async () => rt?.cleanup());

  it('50 concurrent allocations get exactly 1..50; a rolled-back one leaves no gap', async () => {
    rt = await createTestRuntime(dialect);
    const db = rt.deps.dbh.db;
    const got = await Promise.all(Array.from({ length: 50 }, () => db.transaction().execute((tx) => allocateNumber(tx, 'incoming', 2026))));
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await expect(
      db.transaction().execute(async (tx) => {
        await allocateNumber(tx, 'incoming', 2026);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await db.transaction().execute((tx) => allocateNumber(tx, 'incoming', 2026))).toBe(51);
    // Another year and another series start at 1.
    expect(await db.transaction().execute((tx) => allocateNumber(tx, 'incoming', 2027))).toBe(1);
    expect(await db.transaction().execute((tx) => allocateNumber(tx, 'outgoing', 2026))).toBe(1);
  });

  it.runIf(dialect === 'postgres')('two processes on one PostgreSQL never share or skip a number', async () => {
    rt = await createTestRuntime(dialect);
    const other = await createTestRuntime(dialect, { dir: rt.dir, pgSchema: rt.pgSchema! });
    try {
      const got = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 ? rt : other).deps.dbh.db.transaction().execute((tx) => allocateNumber(tx, 'transfer', 2026))),
      );
      expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    } finally {
      await other.cleanup();
    }
  });

  it('the database itself refuses a Tuyệt mật entry with a summary', async () => {
    rt = await createTestRuntime(dialect);
    const { unitId, userId } = await seedAgency(rt.deps);
    const db = rt.deps.dbh.db;
    const now = '2026-03-02T01:00:00.000Z';
    await db
      .insertInto('secret_items')
      .values({
        id: 'item1',
        origin: 'incoming',
        kind: 'document',
        state: 'received',
        doc_type: 'Công văn',
        summary: null,
        field: null,
        proposed_level: null,
        level: 'TOP_SECRET',
        catalog_item_id: null,
        shorter_period: null,
        classified_on: null,
        protection_end: null,
        copies_planned: 1,
        copy_allowed: 0,
        addressee_only: 0,
        named_addressee_id: null,
        recall_required: 0,
        number: null,
        symbol: null,
        number_symbol: '12/BNG',
        document_date: '2026-03-01',
        signer_name: null,
        issuer: 'Bộ Ngoại giao',
        unit_id: unitId,
        drafter_id: null,
        approver_id: null,
        return_reason: null,
        search_text: '',
        created_at: now,
        updated_at: now,
      })
      .execute();
    const entry = (n: number, level: string, summary: string | null): RegisterEntryRow => ({
      id: `e${n}`,
      register: 'incoming',
      year: 2026,
      number: n,
      volume: 1,
      entry_date: '2026-03-02',
      item_id: 'item1',
      custody_event_id: null,
      unit_id: unitId,
      number_symbol: '12/BNG',
      document_date: '2026-03-01',
      doc_type: 'Công văn',
      summary,
      level,
      signer: null,
      issuer: 'Bộ Ngoại giao',
      recipient: null,
      quantity: 1,
      copy_labels: null,
      received_by: null,
      received_at: null,
      received_on: null,
      note: null,
      form_code: 'x',
      copy_form: null,
      authorised_by: null,
      performed_by: null,
      created_by: userId,
      created_at: now,
      cancelled_at: null,
      cancelled_by: null,
      cancel_reason: null,
    });
    // Bypassing the use case: the raw insert fails on the constraint.
    await expect(
      db
        .insertInto('register_entries')
        .values(entry(1, 'TOP_SECRET', 'Kế hoạch'))
        .execute(),
    ).rejects.toThrow();
    await expect(db.transaction().execute((tx) => insertEntry(tx, entry(1, 'TOP_SECRET', 'Kế hoạch')))).rejects.toMatchObject({
      code: 'register.top_secret_summary',
    });
    await db
      .insertInto('register_entries')
      .values(entry(1, 'TOP_SECRET', null))
      .execute();
    await db
      .insertInto('register_entries')
      .values(entry(2, 'SECRET', 'Kế hoạch'))
      .execute();
    await expect(db.updateTable('register_entries').set({ summary: 'lén ghi' }).where('number', '=', 1).execute()).rejects.toThrow();
    // The same number twice in a register and year is refused too.
    await expect(
      db
        .insertInto('register_entries')
        .values({ ...entry(2, 'SECRET', null), id: 'dup' })
        .execute(),
    ).rejects.toThrow();
  });
});
