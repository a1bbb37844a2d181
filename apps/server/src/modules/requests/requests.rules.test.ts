import { AUTHORITY_TABLE, LEVELS, type AuthorityTable, type DelegationScope, type Level } from '@khomat/policy';
import { describe, expect, it } from 'vitest';
import {
  applyRequestEvent,
  checkDecider,
  checkDecisionContent,
  checkExecutable,
  checkOutsideRecorder,
  checkSubmission,
  effectiveStatus,
  OPERATION_OF_TYPE,
  REQUEST_EVENTS,
  REQUEST_STATUSES,
  REQUEST_TYPES,
  routeOf,
  type DeciderFacts,
  type RequestEvent,
  type RequestStatus,
} from './requests.rules';

const TODAY = '2026-06-15';

describe('the request state machine', () => {
  // Every status × every event: the expected answer, written out.
  const EXPECTED: Record<RequestStatus, Partial<Record<RequestEvent, RequestStatus>>> = {
    draft: { edit: 'draft', submit: 'submitted', cancel: 'cancelled' },
    submitted: { approve: 'approved', refuse: 'refused', cancel: 'cancelled' },
    approved: { execute: 'executed', expire: 'expired' },
    executed: { close: 'closed' },
    refused: {},
    closed: {},
    expired: {},
    cancelled: {},
  };
  const cases = REQUEST_STATUSES.flatMap((s) => REQUEST_EVENTS.map((e) => [s, e] as const));
  it.each(cases)('%s + %s', (status, event) => {
    const r = applyRequestEvent(status, event);
    const to = EXPECTED[status][event];
    if (to) expect(r).toEqual({ ok: true, to });
    else if ((event === 'approve' || event === 'refuse') && ['approved', 'refused', 'executed', 'closed', 'expired'].includes(status))
      expect(r).toEqual({ ok: false, code: 'request.already_decided' });
    else if (event === 'execute' && status === 'expired') expect(r).toEqual({ ok: false, code: 'request.approval_expired' });
    else expect(r).toEqual({ ok: false, code: 'request.transition_not_allowed' });
  });

  it('an approval past its deadline has expired and cannot be carried out; on its last day it can', () => {
    expect(effectiveStatus('approved', '2026-06-14', TODAY)).toBe('expired');
    expect(effectiveStatus('approved', TODAY, TODAY)).toBe('approved');
    expect(effectiveStatus('submitted', '2026-06-14', TODAY)).toBe('submitted');
    expect(checkExecutable({ status: 'approved', deadline: '2026-06-14' }, TODAY)).toEqual({ ok: false, code: 'request.approval_expired' });
    expect(checkExecutable({ status: 'approved', deadline: TODAY }, TODAY)).toEqual({ ok: true, to: 'executed' });
    expect(checkExecutable({ status: 'refused', deadline: null }, TODAY)).toEqual({ ok: false, code: 'request.transition_not_allowed' });
  });
});

describe('submission', () => {
  it.each<[string, Omit<Parameters<typeof checkSubmission>[0], 'period' | 'today'> & { period?: { from: string; to: string } }, string | null]>([
    [
      'a cleared officer asks to copy a copyable item',
      { type: 'copy', requester: { clearance: 'SECRET' }, item: { level: 'SECRET', copyAllowed: true } },
      null,
    ],
    [
      'clearance below the level',
      { type: 'copy', requester: { clearance: 'CONFIDENTIAL' }, item: { level: 'SECRET', copyAllowed: true } },
      'request.clearance_below_level',
    ],
    [
      'no clearance at all',
      { type: 'take_out_domestic', requester: { clearance: 'NONE' }, item: { level: 'CONFIDENTIAL', copyAllowed: true } },
      'request.clearance_below_level',
    ],
    [
      'copying an item marked not to be copied',
      { type: 'copy', requester: { clearance: 'TOP_SECRET' }, item: { level: 'SECRET', copyAllowed: false } },
      'request.copy_forbidden',
    ],
    [
      'photographing it',
      { type: 'photograph', requester: { clearance: 'TOP_SECRET' }, item: { level: 'SECRET', copyAllowed: false } },
      'request.copy_forbidden',
    ],
    [
      'extracting from it',
      { type: 'extract', requester: { clearance: 'TOP_SECRET' }, item: { level: 'SECRET', copyAllowed: false } },
      'request.copy_forbidden',
    ],
    ['taking it out (no copy made)', { type: 'take_out_domestic', requester: { clearance: 'SECRET' }, item: { level: 'SECRET', copyAllowed: false } }, null],
    [
      'taking it out from today to today',
      { type: 'take_out_domestic', requester: { clearance: 'SECRET' }, item: { level: 'SECRET', copyAllowed: true }, period: { from: TODAY, to: TODAY } },
      null,
    ],
    [
      'taking it out for a period already over',
      {
        type: 'take_out_abroad',
        requester: { clearance: 'SECRET' },
        item: { level: 'SECRET', copyAllowed: true },
        period: { from: '2026-01-01', to: '2026-01-02' },
      },
      'request.period_past',
    ],
    [
      'an item without a level yet',
      { type: 'copy', requester: { clearance: 'TOP_SECRET' }, item: { level: null, copyAllowed: true } },
      'request.item_not_classified',
    ],
  ])('%s', (_n, facts, code) => {
    const r = checkSubmission({ ...facts, period: facts.period ?? null, today: TODAY });
    expect(r.ok ? null : r.code).toBe(code);
  });

  it('routes each type × level as the authority table says', () => {
    for (const type of REQUEST_TYPES)
      for (const level of LEVELS)
        expect(routeOf(type, level)).toBe(AUTHORITY_TABLE[OPERATION_OF_TYPE[type]][level].decidedBy === 'agency' ? 'agency' : 'higher_authority');
    expect(routeOf('copy', 'TOP_SECRET')).toBe('higher_authority');
    expect(routeOf('provide_foreign', 'CONFIDENTIAL')).toBe('higher_authority');
    expect(routeOf('copy', 'SECRET')).toBe('agency');
  });
});

describe('who decides (through the authority table)', () => {
  const head: DeciderFacts = { id: 'head', roles: ['head'], clearance: 'TOP_SECRET', positionKind: 'agency_head', isAgencyHead: true, delegations: [] };
  const deputy = (delegations: DelegationScope[]): DeciderFacts => ({
    id: 'deputy',
    roles: ['head'],
    clearance: 'TOP_SECRET',
    positionKind: 'deputy_agency_head',
    isAgencyHead: false,
    delegations,
  });
  const copyScope = (over: Partial<DelegationScope> = {}): DelegationScope => ({
    operations: ['copy'],
    levels: ['SECRET'],
    field: 'Ngoại giao',
    validFrom: '2026-01-01',
    validTo: '2026-12-31',
    ...over,
  });
  const req = (over: Partial<{ type: (typeof REQUEST_TYPES)[number]; level: Level; requesterId: string }> = {}) => ({
    type: 'copy' as const,
    level: 'SECRET' as Level,
    requesterId: 'officer',
    field: 'Ngoại giao',
    ...over,
  });

  it.each<[string, DeciderFacts, ReturnType<typeof req>, string]>([
    ['the agency head, copying Tối mật', head, req(), 'position'],
    ['the agency head, taking out Mật', head, req({ type: 'take_out_domestic', level: 'CONFIDENTIAL' }), 'position'],
    ['the agency head, own request', head, req({ requesterId: 'head' }), 'request.self_decision'],
    ['the agency head, copying Tuyệt mật (outside the agency)', head, req({ level: 'TOP_SECRET' }), 'request.higher_authority'],
    ['the agency head, providing to a foreign party', head, req({ type: 'provide_foreign' }), 'request.higher_authority'],
    ['the agency head without the head role (held account)', { ...head, roles: ['officer'] }, req(), 'request.wrong_authority'],
    ['the agency head not cleared for the level', { ...head, clearance: 'CONFIDENTIAL' }, req(), 'request.decider_clearance'],
    ['a deputy without a delegation', deputy([]), req(), 'request.wrong_authority'],
    ['a deputy with a delegation in force', deputy([copyScope()]), req(), 'delegation'],
    ['a deputy whose delegation has ended', deputy([copyScope({ validTo: '2026-06-14' })]), req(), 'request.delegation_expired'],
    ['a deputy whose delegation was revoked', deputy([copyScope({ revoked: true })]), req(), 'request.delegation_expired'],
    ['a deputy delegated for another field', deputy([copyScope({ field: 'Quốc phòng' })]), req(), 'request.wrong_authority'],
    [
      'a deputy delegated for copying, asked to provide (not delegable)',
      deputy([copyScope({ operations: ['copy', 'provide_domestic'] })]),
      req({ type: 'provide_domestic' }),
      'request.wrong_authority',
    ],
    ['a deputy delegated, own request', deputy([copyScope()]), req({ requesterId: 'deputy' }), 'request.self_decision'],
    ['an inspector', { ...head, roles: ['inspector'] }, req(), 'request.wrong_authority'],
  ])('%s', (_n, decider, request, expected) => {
    const r = checkDecider({ decider, request, today: TODAY });
    expect(r.ok ? r.via : r.code).toBe(expected);
  });

  it('changing a row of the table changes the answer, with no code change', () => {
    const table: AuthorityTable = structuredClone(AUTHORITY_TABLE);
    table.copy.SECRET = { decidedBy: 'agency', positions: ['agency_head', 'unit_head'], delegable: false, article: 'thử' };
    const unitHead: DeciderFacts = { id: 'tp', roles: ['head'], clearance: 'SECRET', positionKind: 'unit_head', isAgencyHead: false, delegations: [] };
    expect(checkDecider({ decider: unitHead, request: req(), today: TODAY })).toEqual({ ok: false, code: 'request.wrong_authority' });
    expect(checkDecider({ decider: unitHead, request: req(), today: TODAY, table })).toEqual({ ok: true, via: 'position' });
    expect(routeOf('copy', 'SECRET', table)).toBe('agency');
  });

  it.each<[string, Parameters<typeof checkOutsideRecorder>[0]['recorder'], string | null, string]>([
    ['the security officer', { id: 'so', roles: ['security_officer'], isAgencyHead: false, isAgencyClerk: false }, null, 'higher_authority'],
    ['the agency head', { id: 'head', roles: ['head'], isAgencyHead: true, isAgencyClerk: false }, null, 'higher_authority'],
    ['the agency văn thư', { id: 'vt', roles: ['clerk'], isAgencyHead: false, isAgencyClerk: true }, null, 'higher_authority'],
    ['a unit head', { id: 'tp', roles: ['head'], isAgencyHead: false, isAgencyClerk: false }, 'request.not_recorder', 'higher_authority'],
    [
      'the requester, a security officer',
      { id: 'officer', roles: ['security_officer'], isAgencyHead: false, isAgencyClerk: false },
      'request.self_decision',
      'higher_authority',
    ],
    [
      'a request the agency decides itself',
      { id: 'so', roles: ['security_officer'], isAgencyHead: false, isAgencyClerk: false },
      'request.not_higher_authority',
      'agency',
    ],
  ])('recording an outside decision: %s', (_n, recorder, code, route) => {
    const r = checkOutsideRecorder({ recorder, request: { requesterId: 'officer', route } });
    expect(r.ok ? null : r.code).toBe(code);
  });
});

describe('the decision content', () => {
  it.each<[string, Parameters<typeof checkDecisionContent>[0], string | null]>([
    ['approved until today', { outcome: 'approved', deadline: TODAY, quantity: 2, type: 'copy' }, null],
    ['approved with a past deadline', { outcome: 'approved', deadline: '2026-06-14', quantity: 2, type: 'copy' }, 'request.deadline_invalid'],
    ['approved without a deadline', { outcome: 'approved', deadline: null, quantity: 2, type: 'copy' }, 'request.deadline_required'],
    ['a copy approved without a quantity', { outcome: 'approved', deadline: TODAY, quantity: null, type: 'copy' }, 'request.quantity_required'],
    ['a take-out approved without a quantity', { outcome: 'approved', deadline: TODAY, quantity: null, type: 'take_out_domestic' }, null],
    ['refused with a reason', { outcome: 'refused', reason: 'Không cần thiết' }, null],
    ['refused without a reason', { outcome: 'refused', reason: undefined }, 'request.reason_required'],
    ['refused with blanks for a reason', { outcome: 'refused', reason: '   ' }, 'request.reason_required'],
  ])('%s', (_n, d, code) => {
    const r = checkDecisionContent(d, TODAY);
    expect(r.ok ? null : r.code).toBe(code);
  });
});
