import { describe, expect, it } from 'vitest';
import { checkScanUpload, isRequestScanKind, type ScanUploadFacts } from './request-scans.rules';
import { REQUEST_STATUSES, type RequestStatus } from './requests.rules';

// Who may upload which scan of a request, when: kind (type / route), then person, then status.

const provision = (status: RequestStatus, over: Partial<ScanUploadFacts['request']> = {}) => ({
  type: 'provide_foreign' as const,
  route: 'higher_authority',
  status,
  requesterId: 'officer',
  ...over,
});
const written = (status: RequestStatus, actorId = 'officer', over: Partial<ScanUploadFacts['request']> = {}): ScanUploadFacts => ({
  kind: 'written_request',
  actorId,
  request: provision(status, over),
  recorder: { ok: true },
});
const outside = (
  status: RequestStatus,
  recorder: ScanUploadFacts['recorder'] = { ok: true },
  over: Partial<ScanUploadFacts['request']> = {},
): ScanUploadFacts => ({
  kind: 'outside_decision',
  actorId: 'so',
  request: provision(status, over),
  recorder,
});
const code = (f: ScanUploadFacts) => {
  const r = checkScanUpload(f);
  return r.ok ? 'ok' : r.code;
};

describe('scans of a request', () => {
  it('knows its two kinds only', () => {
    expect(['written_request', 'outside_decision', 'other', ''].map(isRequestScanKind)).toEqual([true, true, false, false]);
  });

  it('the written request: a provision request, its requester, while a draft or submitted', () => {
    const allowed = REQUEST_STATUSES.filter((s) => code(written(s)) === 'ok');
    expect(allowed).toEqual(['draft', 'submitted']);
    for (const s of REQUEST_STATUSES.filter((x) => !allowed.includes(x))) expect(code(written(s))).toBe('request.scan_closed');
    expect(code(written('draft', 'colleague'))).toBe('request.not_requester');
    expect(code(written('draft', 'officer', { type: 'provide_domestic', route: 'agency' }))).toBe('ok');
    for (const type of ['copy', 'photograph', 'extract', 'take_out_domestic', 'take_out_abroad'] as const)
      expect(code(written('draft', 'officer', { type }))).toBe('request.scan_kind_not_allowed');
  });

  it('the outside decision: a request routed to a higher authority, its recorder, before or right after the decision', () => {
    const allowed = REQUEST_STATUSES.filter((s) => code(outside(s)) === 'ok');
    expect(allowed).toEqual(['submitted', 'approved', 'refused']);
    for (const s of ['draft', 'executed', 'closed', 'expired', 'cancelled'] as const) expect(code(outside(s))).toBe('request.scan_closed');
    expect(code(outside('submitted', { ok: false, code: 'request.not_recorder' }))).toBe('request.not_recorder');
    expect(code(outside('submitted', { ok: false, code: 'request.self_decision' }))).toBe('request.self_decision');
    // Decided in the agency (or not yet routed): no outside decision to keep.
    expect(code(outside('submitted', { ok: false, code: 'request.not_higher_authority' }, { route: 'agency' }))).toBe('request.scan_kind_not_allowed');
    expect(code(outside('draft', { ok: true }, { route: null }))).toBe('request.scan_kind_not_allowed');
    // Any type routed outside keeps it (copying Tuyệt mật, for one).
    expect(code(outside('submitted', { ok: true }, { type: 'copy' }))).toBe('ok');
  });
});
