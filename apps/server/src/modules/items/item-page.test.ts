import { afterEach, describe, expect, it } from 'vitest';
import { dialects } from '../../test/harness';
import { startAgency, SUMMARY, type Agency } from './items-test-helpers';

const DIALECTS = await dialects();

interface Event {
  at: string;
  action: string;
  actor: { id: string; name: string } | null;
  details: Record<string, unknown>;
}

describe.each(DIALECTS)('item page details on %s', (dialect) => {
  let a: Agency;
  afterEach(async () => a?.t.cleanup());

  it('names the drafter, the approver and every holder; tells the lifecycle from the audit trail; hides content reads from all but the security officer', async () => {
    a = await startAgency(dialect);
    const { ids, as, t } = a;
    const officer = await as('canboa');
    const boss = await as('giamdoc');
    const itemId = await a.draft();
    // Proposed, returned with a reason, edited (which revises it), proposed again, approved, issued.
    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    expect((await boss.post(`/api/items/${itemId}/return`, { reason: 'Bổ sung nơi nhận Văn phòng' })).json().state).toBe('returned');
    let page = (await boss.get(`/api/items/${itemId}`)).json();
    // A returned proposal has no approver yet, though the head who returned it is recorded.
    expect(page.approver).toBeNull();
    expect((await officer.patch(`/api/items/${itemId}`, a.draftBody({ copyCount: 4 }))).json().state).toBe('draft');
    expect((await officer.post(`/api/items/${itemId}/propose`)).statusCode).toBe(200);
    expect((await boss.post(`/api/items/${itemId}/approve`)).statusCode).toBe(200);
    const issue = await (await as('vanthu')).post(`/api/items/${itemId}/issue`, { symbol: 'KH-SNV', documentDate: '2026-03-02', signerName: 'Lê Văn Giám' });
    expect(issue.statusCode, issue.body).toBe(200);
    // Unit A's clerk signs for its copy; its head assigns a colleague, who reads the content.
    const clerkA = await as('vanthua');
    const pending = (await clerkA.get('/api/my/copies')).json().pending as { eventId: string }[];
    expect((await clerkA.post(`/api/custody/${pending[0]!.eventId}/confirm`)).statusCode).toBe(200);
    const headA = await as('truongphonga');
    expect((await headA.post(`/api/items/${itemId}/assignments`, { userId: ids.colleagueA })).statusCode).toBe(201);
    expect((await (await as('dongnghiepa')).get(`/api/items/${itemId}/content`)).statusCode).toBe(200);
    expect((await (await as('canbob')).get(`/api/items/${itemId}/content`)).statusCode).toBe(403);

    page = (await headA.get(`/api/items/${itemId}`)).json();
    expect(page.drafter).toEqual({ id: ids.officerA, name: 'Người dùng canboa' });
    expect(page.approver).toEqual({ id: ids.headR, name: 'Người dùng giamdoc' });
    expect(page.item).toMatchObject({ id: itemId, state: 'issued', drafterId: ids.officerA, approverId: ids.headR, copiesPlanned: 4 });
    expect(page.canReadContent).toBe(true);
    expect(page.copies.map((c: { label: string; holderName: string; pendingName: string | null }) => [c.label, c.holderName, c.pendingName])).toEqual([
      ['Bản số 1/4', 'Phòng Hợp tác quốc tế', null],
      ['Bản số 2/4', 'Người dùng vanthu', 'Bộ Ngoại giao'],
      ['Bản số 3/4', 'Phòng Hợp tác quốc tế', null],
      ['Bản số 4/4', 'Phòng Hợp tác quốc tế', null],
    ]);
    // Existing fields stay.
    expect(page.copies[0]).toMatchObject({ holderKind: 'unit', holderUnitId: ids.unitA, status: 'held' });
    expect(page.history.length).toBeGreaterThan(0);
    expect(page.assignments).toEqual([
      expect.objectContaining({ userId: ids.colleagueA, name: 'Người dùng dongnghiepa', assignedBy: { id: ids.headA, name: 'Người dùng truongphonga' } }),
    ]);

    const lifecycle = (page.events as Event[]).map((e) => e.action);
    expect(lifecycle).toEqual([
      'item.drafted',
      'item.proposed',
      'item.returned',
      'item.revised',
      'item.draft_updated',
      'item.proposed',
      'item.classified',
      'item.issued',
      'custody.receipt_confirmed',
      'item.assignment_granted',
    ]);
    const ev = (action: string) => (page.events as Event[]).find((e) => e.action === action)!;
    expect(ev('item.returned')).toMatchObject({
      actor: { id: ids.headR, name: 'Người dùng giamdoc' },
      details: { reason: 'Bổ sung nơi nhận Văn phòng', via: 'head' },
    });
    expect(ev('item.drafted')).toEqual({
      at: expect.any(String),
      action: 'item.drafted',
      actor: { id: ids.officerA, name: 'Người dùng canboa' },
      details: { kind: 'document', proposedLevel: 'SECRET', recipients: 2, copies: 3 },
    });
    expect(ev('item.draft_updated').details).toEqual({ kind: 'document', proposedLevel: 'SECRET', recipients: 2, copies: 4, revised: true });
    expect(ev('item.issued').details).toMatchObject({ numberSymbol: '1/KH-SNV', copies: 4 });
    expect(ev('item.assignment_granted').details).toEqual({ userId: ids.colleagueA });
    // The head does not see who opened the content, nor who was refused.
    expect(lifecycle.some((x) => x.startsWith('item.content_'))).toBe(false);
    expect(JSON.stringify(page)).not.toContain(SUMMARY);

    // The security officer does, with the reason and the reader.
    const bySo = (await (await as('baomat')).get(`/api/items/${itemId}`)).json();
    const reads = (bySo.events as Event[]).filter((e) => e.action.startsWith('item.content_'));
    expect(reads.map((e) => [e.action, e.actor?.id, e.details])).toEqual([
      ['item.content_read', ids.colleagueA, { reason: 'assigned' }],
      ['item.content_refused', ids.officerB, { reason: 'no_need_to_know' }],
    ]);
    // The inspector sees the lifecycle but neither the content reads nor the assignments.
    const byInspector = (await (await as('thanhtra')).get(`/api/items/${itemId}`)).json();
    expect(byInspector.canReadContent).toBe(false);
    expect(byInspector.assignments).toEqual([]);
    expect((byInspector.events as Event[]).map((e) => e.action)).toEqual(lifecycle);

    // Details go through the allow-list: a key nobody vetted never reaches the page.
    await t.deps.dbh.db.transaction().execute((tx) =>
      t.deps.audit.append(tx, {
        actorId: ids.clerkR,
        action: 'custody.receipt_confirmed',
        subjectType: 'item',
        subjectId: itemId,
        details: { eventId: 'e1', copies: 1, note: 'nội dung không được lộ' },
      }),
    );
    await t.deps.dbh.db
      .transaction()
      .execute((tx) =>
        t.deps.audit.append(tx, { actorId: null, action: 'item.something_new', subjectType: 'item', subjectId: itemId, details: { text: 'không hiện' } }),
      );
    await t.deps.dbh.db.transaction().execute((tx) =>
      t.deps.audit.append(tx, {
        actorId: ids.colleagueA,
        action: 'item.attachment_read',
        subjectType: 'item',
        subjectId: itemId,
        details: { attachmentId: 'f1' },
      }),
    );
    const again = (await headA.get(`/api/items/${itemId}`)).json();
    const last = (again.events as Event[]).slice(-2);
    expect(last).toEqual([
      {
        at: expect.any(String),
        action: 'custody.receipt_confirmed',
        actor: { id: ids.clerkR, name: 'Người dùng vanthu' },
        details: { eventId: 'e1', copies: 1 },
      },
      { at: expect.any(String), action: 'item.something_new', actor: null, details: {} },
    ]);
    expect(((await (await as('baomat')).get(`/api/items/${itemId}`)).json().events as Event[]).at(-1)).toMatchObject({
      action: 'item.attachment_read',
      actor: { id: ids.colleagueA },
    });
  });

  it('an incoming item has no drafter or approver; its copies name their holders', async () => {
    a = await startAgency(dialect);
    const { ids, as } = a;
    const clerk = await as('vanthu');
    const r = await clerk.post('/api/items/incoming', {
      issuer: 'Bộ Ngoại giao',
      numberSymbol: '125/BNG-LS',
      documentDate: '2026-02-27',
      docType: 'Công văn',
      kind: 'document',
      level: 'CONFIDENTIAL',
      copies: 1,
      addresseeOnly: false,
      envelopeState: 'damaged',
      to: { kind: 'unit', id: ids.unitB },
    });
    expect(r.statusCode, r.body).toBe(200);
    const page = (await clerk.get(`/api/items/${r.json().item.id}`)).json();
    expect(page).toMatchObject({ drafter: null, approver: null, assignments: [], eventsTruncated: false });
    expect(page.copies.map((c: { holderName: string; pendingName: string }) => [c.holderName, c.pendingName])).toEqual([
      ['Người dùng vanthu', 'Phòng Lãnh sự'],
    ]);
    expect((page.events as Event[]).map((e) => [e.action, e.details])).toEqual([
      // The day it arrived (today here) and the moment it was recorded (issue 12 point 7).
      [
        'item.received',
        {
          registerNumber: 1,
          level: 'CONFIDENTIAL',
          copies: 1,
          addresseeOnly: false,
          envelope: 'damaged',
          arrivalDate: '2026-03-02',
          recordedAt: '2026-03-02T01:00:00.000Z',
        },
      ],
      // The agency head, the head of the receiving unit B and the security officer (not unit A's head).
      ['incident.envelope_reported', { envelope: 'damaged', notified: 3 }],
    ]);
  });
});
