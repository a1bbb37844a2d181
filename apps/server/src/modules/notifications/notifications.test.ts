import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, databaseFingerprint, dialects } from '../../test/harness';
import { startAgency, type Agency } from '../items/items-test-helpers';

const DIALECTS = await dialects();

interface Row {
  id: string;
  kind: string;
  message: string;
  subjectType: string | null;
  subjectId: string | null;
  createdAt: string;
  readAt: string | null;
}

describe.each(DIALECTS)('notifications on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  /** A damaged envelope on receipt tells every head and the security officer (a real notice). */
  async function damagedEnvelope(numberSymbol: string) {
    const r = await (
      await a.as('vanthu')
    ).post('/api/items/incoming', {
      issuer: 'Bộ Ngoại giao',
      numberSymbol,
      documentDate: '2026-02-27',
      docType: 'Công văn',
      kind: 'document',
      level: 'CONFIDENTIAL',
      copies: 1,
      addresseeOnly: false,
      envelopeState: 'damaged',
      to: { kind: 'unit', id: a.ids.unitA },
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().item.id as string;
  }

  it('each person lists and marks only their own notices, newest first; marking is audited without the text', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const first = await damagedEnvelope('1/BNG');
    t.clock.advance(60_000);
    const second = await damagedEnvelope('2/BNG');
    const head = await as('truongphonga');
    const so = await as('baomat');

    const list = await head.get('/api/notifications');
    expect(list.statusCode, list.body).toBe(200);
    const mine = list.json();
    expect(mine).toMatchObject({ unread: 2, total: 2, page: 1, pageSize: 50 });
    expect(mine.rows.map((n: Row) => [n.kind, n.subjectType, n.subjectId, n.readAt])).toEqual([
      ['envelope_damaged', 'item', second, null],
      ['envelope_damaged', 'item', first, null],
    ]);
    expect(mine.rows[0].message).toContain('2/BNG');
    // Paging and the unread filter.
    const p2 = (await head.get('/api/notifications?page=2&pageSize=1')).json();
    expect(p2.rows.map((n: Row) => n.subjectId)).toEqual([first]);
    expect(p2).toMatchObject({ total: 2, unread: 2 });

    // Someone else's notice: invisible, not markable, and not even confirmed to exist.
    const others = (await so.get('/api/notifications')).json().rows as Row[];
    expect(others).toHaveLength(2);
    expect(others.map((n) => n.id)).not.toContain(mine.rows[0].id);
    const before = await databaseFingerprint(t.deps);
    const foreign = await head.post(`/api/notifications/${others[0]!.id}/read`);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error).toMatchObject({ code: 'notification.not_found', message: 'Không tìm thấy thông báo.' });
    const missing = await head.post(`/api/notifications/${ids.unitA}/read`);
    expect(missing.json().error.code).toBe('notification.not_found');
    expect(await databaseFingerprint(t.deps)).toBe(before);
    expect((await so.get('/api/notifications?unreadOnly=true')).json().unread).toBe(2);

    // Marking one: audited once; marking it again changes nothing.
    const marked = await head.post(`/api/notifications/${mine.rows[1].id}/read`);
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toEqual({ id: mine.rows[1].id, readAt: t.clock.now().toISOString() });
    const afterOne = await databaseFingerprint(t.deps);
    expect((await head.post(`/api/notifications/${mine.rows[1].id}/read`)).json().readAt).toBe(marked.json().readAt);
    expect(await databaseFingerprint(t.deps)).toBe(afterOne);
    const unreadOnly = (await head.get('/api/notifications?unreadOnly=true')).json();
    expect(unreadOnly).toMatchObject({ unread: 1, total: 1 });
    expect(unreadOnly.rows.map((n: Row) => n.subjectId)).toEqual([second]);
    expect((await head.get('/api/notifications?unreadOnly=false')).json()).toMatchObject({ unread: 1, total: 2 });

    // Mark all: only the caller's; then nothing left, and a second call changes nothing.
    expect((await head.post('/api/notifications/read-all')).json()).toEqual({ marked: 1 });
    const afterAll = await databaseFingerprint(t.deps);
    expect((await head.post('/api/notifications/read-all')).json()).toEqual({ marked: 0 });
    expect(await databaseFingerprint(t.deps)).toBe(afterAll);
    expect((await head.get('/api/notifications')).json().unread).toBe(0);
    expect((await so.get('/api/notifications')).json().unread).toBe(2);

    const audit = await t.deps.dbh.db
      .selectFrom('audit_events')
      .select(['actor_id', 'subject_type', 'subject_id', 'details'])
      .where('action', '=', 'notification.read')
      .orderBy('seq')
      .execute();
    expect(audit.map((e) => [e.actor_id, e.subject_type, e.subject_id, JSON.parse(e.details)])).toEqual([
      [ids.headA, 'notification', mine.rows[1].id, { kind: 'envelope_damaged' }],
      [ids.headA, 'user', ids.headA, { all: true, marked: 1 }],
    ]);
    expect(JSON.stringify(audit)).not.toContain('BNG');
  });

  it('everyone signed in has a (possibly empty) list; bad input is refused', async () => {
    a = await startAgency(dialect);
    const admin = new Client(a.t.app, a.t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    expect((await admin.get('/api/notifications')).json()).toEqual({ rows: [], unread: 0, total: 0, page: 1, pageSize: 50 });
    expect((await (await a.as('thanhtra')).get('/api/notifications')).json().total).toBe(0);
    expect((await new Client(a.t.app, a.t.clock).get('/api/notifications')).statusCode).toBe(401);
    const officer = await a.as('canboa');
    expect((await officer.get('/api/notifications?unreadOnly=yes')).statusCode).toBe(400);
    expect((await officer.get('/api/notifications?pageSize=0')).statusCode).toBe(400);
    expect((await officer.get('/api/notifications?userId=x')).statusCode).toBe(400);
    expect((await officer.post('/api/notifications/a%20b/read')).statusCode).toBe(400);
  });
});
