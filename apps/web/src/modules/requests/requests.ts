import { useQuery } from '@tanstack/react-query';
import type { Level } from '@khomat/policy';
import { api } from '../../kit/api';
import { useCan } from '../../kit/auth';

// Requests (đề nghị) as the web app reads them: the shapes of GET /api/requests/inbox and
// GET /api/requests/:id, and the inbox count for the navigation.

export const REQUEST_TYPES = ['copy', 'photograph', 'extract', 'provide_domestic', 'provide_foreign', 'take_out_domestic', 'take_out_abroad'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export const REQUEST_STATUSES = ['draft', 'submitted', 'approved', 'refused', 'executed', 'closed', 'expired', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export interface Person {
  id: string;
  name: string;
}

export type Recipient = { kind: 'user'; userId: string } | { kind: 'unit'; unitId: string } | { kind: 'outside'; name: string };

export interface RequestListRow {
  id: string;
  type: RequestType;
  status: RequestStatus;
  route: 'agency' | 'higher_authority' | null;
  itemId: string;
  /** The item's kind of document and number (never its summary). */
  item: { docType: string; numberSymbol: string | null };
  level: Level | null;
  requester: Person;
  createdAt: string;
  submittedAt: string | null;
}

export interface RequestView {
  id: string;
  type: RequestType;
  status: RequestStatus;
  route: 'agency' | 'higher_authority' | null;
  outsideAuthority: string | null;
  item: { id: string; docType: string; numberSymbol: string | null; level: Level | null; summary: string | null; summaryHidden: boolean };
  copyIds: string[];
  requester: Person;
  purpose: string;
  details: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  decision: {
    outcome: 'approved' | 'refused';
    via: 'position' | 'delegation' | 'outside';
    decidedBy: Person | null;
    recordedBy: Person;
    reason: string | null;
    quantity: number | null;
    recipients: Recipient[] | null;
    deadline: string | null;
    outside: { authority: string; number: string; date: string; signer: string } | null;
    decidedAt: string;
  } | null;
  can: { edit: boolean; submit: boolean; cancel: boolean; decide: boolean; recordOutside: boolean; uploadScans: RequestScanKind[] };
  /** The scans kept with the request (its page only). */
  scans: RequestScan[];
}

export type RequestScanKind = 'written_request' | 'outside_decision';
export interface RequestScan {
  kind: RequestScanKind;
  fileName: string;
  size: number;
  uploadedAt: string;
}

export const REQUESTS_KEY = ['requests'] as const;
/** How often the navigation asks for the inbox count. */
export const INBOX_POLL_MS = 60_000;

/** The number beside "Đề nghị chờ phê duyệt" in the navigation. */
export function useInboxCount() {
  const can = useCan();
  return useQuery({
    queryKey: [...REQUESTS_KEY, 'inbox-count'],
    queryFn: () => api.get<{ count: number }>('/requests/inbox/count').then((r) => r.count),
    enabled: can('request.read'),
    refetchInterval: INBOX_POLL_MS,
    refetchIntervalInBackground: false,
    retry: false,
  });
}

/** The requested details in order, for the request page: [dictionary key suffix, value as text]. */
export function detailLines(details: Record<string, unknown>, recipientText: (r: Recipient) => string, yesNo: (b: boolean) => string): [string, string][] {
  const order = [
    'form',
    'quantity',
    'recipients',
    'subject',
    'part',
    'requestingBody',
    'representative',
    'representativePosition',
    'nationality',
    'idDocument',
    'whatAsked',
    'commitment',
    'place',
    'country',
    'from',
    'to',
    'protectionMeasures',
  ];
  const out: [string, string][] = [];
  for (const key of order) {
    const v = details[key];
    if (v === undefined || v === null) continue;
    if (key === 'recipients' && Array.isArray(v)) out.push([key, (v as Recipient[]).map(recipientText).join('; ')]);
    else if (typeof v === 'boolean') out.push([key, yesNo(v)]);
    else out.push([key, String(v)]);
  }
  return out;
}
