import type { Person, RequestType } from '../requests/requests';

// Provision (cung cấp, chuyển giao) as the web app reads it: GET /api/requests/:id/provision.

export const PROVISION_KEY = ['provisions'] as const;

export const isProvisionType = (t: RequestType) => t === 'provide_domestic' || t === 'provide_foreign';

export interface ProvisionView {
  provision: {
    id: string;
    recipient: string;
    executedAt: string;
    executedBy: Person;
    custodyEventId: string;
    registerNumber: number | null;
    registerYear: number | null;
    receivedAt: string | null;
    closedAt: string | null;
  } | null;
  can: { execute: boolean; printLetter: boolean; recordReceipt: boolean; printEnvelopes: boolean };
}
