import { ApiError } from '../../kit/api';

// What the draft form tells the item page it opens: saved or proposed, and, when the proposal
// was refused after saving, the refusal (history state must be plain data).

export type Flash = { what: 'saved' | 'proposed'; error?: { status: number; code: string; message: string; details?: Record<string, unknown> } };

export function flashState(what: Flash['what'], error?: ApiError | null): { flash: Flash } {
  return {
    flash: error
      ? { what, error: { status: error.status, code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } }
      : { what },
  };
}

export function readFlash(state: unknown): { what: Flash['what']; error: ApiError | null } | null {
  if (typeof state !== 'object' || state === null || !('flash' in state)) return null;
  const f = (state as { flash: Flash }).flash;
  if (f.what !== 'saved' && f.what !== 'proposed') return null;
  const e = f.error;
  return { what: f.what, error: e ? new ApiError({ ...e, fromServer: true }) : null };
}
