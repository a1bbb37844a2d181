import { describe, expect, it } from 'vitest';
import { afterEach } from 'vitest';
import { createTestRuntime, dialects, type TestRuntime } from '../../test/harness';
import { chainKey, deriveChainSecret, GENESIS_HASH, hashedText, hashEvent, type HashedFields } from './canonical';
import { rawColumns, scanSegment } from './chain-scan';

const DIALECTS = await dialects();

/** The batch PostgreSQL sends for these events (batchQuery): details escaped, other columns between markers. */
function fromPostgres(events: HashedFields[]): { buf: Buffer; marked: number } {
  let marked = 0;
  const col = (v: string | null) => (v === null ? 'null' : (marked++, `\x1f${v}\x1f`));
  const text = events
    .map(
      (e) =>
        `${' '.repeat(64)}[${e.seq},${[e.id, e.occurred_at, e.actor_id, e.action, e.subject_type, e.subject_id].map(col).join(',')},${JSON.stringify(e.details)},${col(e.prev_hash)}]`,
    )
    .join('\n');
  return { buf: Buffer.from(text, 'utf8'), marked };
}

function event(seq: number, over: Partial<HashedFields> = {}): HashedFields {
  return {
    seq,
    id: `id-${seq}`,
    occurred_at: '2026-12-06T01:00:00.000Z',
    actor_id: null,
    action: 'test.event',
    subject_type: 'thing',
    subject_id: null,
    details: '{}',
    prev_hash: 'a'.repeat(64),
    ...over,
  };
}

describe('the canonical texts PostgreSQL builds with markers', () => {
  it('become exactly JSON.stringify of the columns once the markers are turned into quotes', () => {
    const events = [
      event(1, { details: '{"reason":"Trả lại \\"bản số 2\\" vì sai độ mật","path":"C:\\\\hồ sơ","ctl":"\\u0001\\n"}' }),
      event(2, { actor_id: '6f1c2a8e-3b7d-4c55-9a10-2d9b8e7f4a31', subject_id: 'Tối mật 🔒', subject_type: null }),
      event(3, { details: 'not json at all: " \\ \n \u001f' }),
    ];
    const { buf, marked } = fromPostgres(events);
    expect(rawColumns(buf, marked)).toBe(true);
    expect(
      buf
        .toString('utf8')
        .split('\n')
        .map((t) => t.slice(64)),
    ).toEqual(events.map(hashedText));
  });

  it('are refused (built from the columns instead) when an unescaped column holds a quote, a backslash, a control character or a marker', () => {
    for (const bad of ['a"b', 'a\\b', 'a\nb', 'a\u0001b', 'a\x1fb', 'a\x1f,\x1fb', '\x1f']) {
      for (const over of [{ actor_id: bad }, { id: bad }, { prev_hash: bad }]) {
        const { buf, marked } = fromPostgres([event(1), event(2, over), event(3)]);
        expect(rawColumns(buf, marked), JSON.stringify(over)).toBe(false);
      }
    }
    // A marker count that does not add up (a column PostgreSQL counted but sent without markers).
    const { buf, marked } = fromPostgres([event(1)]);
    expect(rawColumns(buf, marked + 1)).toBe(false);
  });
});

describe.each(DIALECTS)('the fast pass over awkward values on %s', (dialect) => {
  let rt: TestRuntime;
  afterEach(async () => rt?.cleanup());

  it('finds a chain of awkward values clean without the exact walk (a marker character in data too), and doubts an edit', async () => {
    rt = await createTestRuntime(dialect);
    const awkward = ['Trả lại "bản số 2"', 'C:\\hồ sơ\\mật', 'a literal \\u001f escape', 'line\nbreak\ttab\u0001', '🔒', '', 'q\x1fn\x1cs\x1e'];
    for (const [i, v] of awkward.entries()) {
      await rt.deps.dbh.db
        .transaction()
        .execute((tx) => rt.deps.audit.append(tx, { actorId: null, action: 'test.event', subjectType: 'thing', subjectId: v, details: { i, v } }));
    }
    const db = rt.deps.dbh.db;
    const secret = deriveChainSecret(rt.deps.keys.databaseKey());
    const keyedFrom = Number((await db.selectFrom('audit_head').select('keyed_from').executeTakeFirstOrThrow()).keyed_from);
    const scan = () =>
      scanSegment(db, dialect, secret, chainKey(secret, keyedFrom), { after: 0, prevHash: GENESIS_HASH, hi: null, keyedFrom, signed: new Map(), batch: 4 });
    const head = Number(
      (
        await db
          .selectFrom('audit_events')
          .select((e) => e.fn.max('seq').as('m'))
          .executeTakeFirstOrThrow()
      ).m,
    );
    expect(await scan()).toMatchObject({ clean: true, count: head });
    const target = head - 1;
    await db.updateTable('audit_events').set({ subject_id: 'x\x1fy' }).where('seq', '=', target).execute();
    // Doubt arises at the batch of four that holds the edited event.
    expect(await scan()).toMatchObject({ clean: false, from: { after: Math.floor((target - 1) / 4) * 4 } });
  });

  it('doubts a broken link even when every event hashes right (prev_hash edited and the hash recomputed with the key)', async () => {
    rt = await createTestRuntime(dialect);
    for (let i = 0; i < 9; i++)
      await rt.deps.dbh.db
        .transaction()
        .execute((tx) => rt.deps.audit.append(tx, { actorId: null, action: 'test.event', subjectType: 'thing', subjectId: `s${i}`, details: { i } }));
    const db = rt.deps.dbh.db;
    const secret = deriveChainSecret(rt.deps.keys.databaseKey());
    const keyedFrom = Number((await db.selectFrom('audit_head').select('keyed_from').executeTakeFirstOrThrow()).keyed_from);
    const chain = chainKey(secret, keyedFrom);
    const scan = (batch: number) =>
      scanSegment(db, dialect, secret, chain, { after: 0, prevHash: GENESIS_HASH, hi: null, keyedFrom, signed: new Map(), batch });
    expect(await scan(4)).toMatchObject({ clean: true });
    // Event 6 now claims another predecessor; its own hash is recomputed, and so is every later one.
    const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>=', 6).orderBy('seq').execute();
    let prev = 'b'.repeat(64);
    for (const r of rows) {
      const hash = hashEvent({ ...r, seq: Number(r.seq), prev_hash: prev }, chain);
      await db.updateTable('audit_events').set({ prev_hash: prev, hash }).where('seq', '=', r.seq).execute();
      prev = hash;
    }
    for (const batch of [4, 5, 100]) expect(await scan(batch), `batch ${batch}`).toMatchObject({ clean: false, count: batch === 5 ? 5 : batch === 4 ? 4 : 0 });
  });
});
