import type { CopyRow } from '../../platform/db/schema';
import type { CopyCustodyState, CopyStatus, Holder, HolderKind } from '../copies/copies.rules';

// Between a copy's row and the pure custody state of copies.rules.ts. An outside body's "id" is
// its name: outside bodies are not accounts.

function holderOf(kind: string | null, userId: string | null, unitId: string | null, outside: string | null): Holder | null {
  if (kind === 'user' && userId) return { kind: 'user', id: userId };
  if (kind === 'unit' && unitId) return { kind: 'unit', id: unitId };
  if (kind === 'outside' && outside) return { kind: 'outside', id: outside };
  return null;
}

export function custodyStateOf(c: CopyRow): CopyCustodyState {
  return {
    status: c.status as CopyStatus,
    holder: holderOf(c.holder_kind, c.holder_user_id, c.holder_unit_id, c.holder_outside)!,
    pendingHolder: holderOf(c.pending_kind, c.pending_user_id, c.pending_unit_id, c.pending_outside),
    returnTo: null,
  };
}

export function holderColumns(h: Holder, prefix: 'holder' | 'pending') {
  return {
    [`${prefix}_kind`]: h.kind as HolderKind,
    [`${prefix}_user_id`]: h.kind === 'user' ? h.id : null,
    [`${prefix}_unit_id`]: h.kind === 'unit' ? h.id : null,
    [`${prefix}_outside`]: h.kind === 'outside' ? h.id : null,
  } as Record<string, string | null>;
}

export function rowWithState(c: CopyRow, s: CopyCustodyState, at: string): CopyRow {
  const pending = s.pendingHolder
    ? holderColumns(s.pendingHolder, 'pending')
    : { pending_kind: null, pending_user_id: null, pending_unit_id: null, pending_outside: null };
  return { ...c, ...holderColumns(s.holder, 'holder'), ...pending, status: s.status, updated_at: at } as CopyRow;
}
