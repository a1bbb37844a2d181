import type { RequestStatus, RequestType } from './requests.rules';

// The scans a request keeps (issue 13): the requesting body's written request of a provision
// (Mẫu 17, "văn bản đề nghị") and the higher authority's written decision on a request routed
// outside the agency. One per request and kind; a new upload replaces the previous one while the
// table below still allows an upload. Pure: the use case gathers the facts.

export const REQUEST_SCAN_KINDS = ['written_request', 'outside_decision'] as const;
export type RequestScanKind = (typeof REQUEST_SCAN_KINDS)[number];

export const isRequestScanKind = (k: string): k is RequestScanKind => (REQUEST_SCAN_KINDS as readonly string[]).includes(k);

export type RequestScanRefusal =
  'request.scan_kind_not_allowed' | 'request.not_requester' | 'request.not_recorder' | 'request.self_decision' | 'request.scan_closed';

interface ScanRule {
  /** Which requests keep this kind of scan. */
  applies: (r: { type: RequestType; route: string | null }) => boolean;
  /** Who uploads it: the requester, or whoever may record the outside decision (checkOutsideRecorder). */
  uploader: 'requester' | 'outside_recorder';
  /** While the request is in one of these (effective) statuses. */
  statuses: readonly RequestStatus[];
}

/**
 * - The written request comes with the request: the requester attaches it while the request is a
 *   draft or waits for the decision; once decided, what the decider saw stays as it was.
 * - The outside decision: before the decision is recorded (the request waits) or right after it —
 *   while nothing has been done on it yet (approved and not yet carried out, nor expired; or
 *   refused). Once the copies have gone out, the scan of what authorised it no longer changes.
 */
export const REQUEST_SCAN_RULES: Record<RequestScanKind, ScanRule> = {
  written_request: { applies: (r) => r.type === 'provide_domestic' || r.type === 'provide_foreign', uploader: 'requester', statuses: ['draft', 'submitted'] },
  outside_decision: { applies: (r) => r.route === 'higher_authority', uploader: 'outside_recorder', statuses: ['submitted', 'approved', 'refused'] },
};

export interface ScanUploadFacts {
  kind: RequestScanKind;
  actorId: string;
  request: { type: RequestType; route: string | null; status: RequestStatus; requesterId: string };
  /** checkOutsideRecorder's answer for this actor (asked only for outside decisions). */
  recorder: { ok: true } | { ok: false; code: 'request.not_recorder' | 'request.self_decision' | 'request.not_higher_authority' };
}

/** May this person upload (or replace) this kind of scan of this request now? Kind, then person, then state. */
export function checkScanUpload(f: ScanUploadFacts): { ok: true } | { ok: false; code: RequestScanRefusal } {
  const rule = REQUEST_SCAN_RULES[f.kind];
  if (!rule.applies(f.request)) return { ok: false, code: 'request.scan_kind_not_allowed' };
  if (rule.uploader === 'requester' && f.actorId !== f.request.requesterId) return { ok: false, code: 'request.not_requester' };
  if (rule.uploader === 'outside_recorder' && !f.recorder.ok)
    return { ok: false, code: f.recorder.code === 'request.not_higher_authority' ? 'request.scan_kind_not_allowed' : f.recorder.code };
  if (!rule.statuses.includes(f.request.status)) return { ok: false, code: 'request.scan_closed' };
  return { ok: true };
}
