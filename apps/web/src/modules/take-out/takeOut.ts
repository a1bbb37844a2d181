import type { Level } from '@khomat/policy';
import type { Person } from '../requests/requests';

// Take-out (mang ra khỏi nơi lưu giữ) as the web app reads it: GET /api/requests/:id/take-out and
// GET /api/take-outs.

export const TAKE_OUT_KEY = ['take-outs'] as const;

export type TakeOutStatus = 'out' | 'returned' | 'lost';

export interface TakeOutView {
  takeOut: {
    id: string;
    status: TakeOutStatus;
    takenBy: Person;
    takenAt: string;
    dueDate: string;
    overdue: boolean;
    returnedAt: string | null;
    returnReport: string | null;
    copies: { id: string; label: string; status: string }[];
  } | null;
  can: { execute: boolean; return: boolean; reportLoss: boolean };
}

export interface TakeOutListRow {
  id: string;
  requestId: string;
  requestType: 'take_out_domestic' | 'take_out_abroad';
  item: { id: string; docType: string; numberSymbol: string | null; level: Level | null };
  takenBy: Person;
  takenAt: string;
  dueDate: string;
  overdue: boolean;
}

export const isTakeOutType = (t: string) => t === 'take_out_domestic' || t === 'take_out_abroad';
