import type { Level } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { findUnit } from '../org/org.repository';
import { orgErrors } from '../org/org.errors';
import type { CopyStatus } from '../copies/copies.rules';
import { itemErrors } from './items.errors';
import * as repo from './items.repository';
import { canReadUnitHoldings } from './items.rules';

type Deps = Pick<AppDeps, 'dbh'>;

type Party = { kind: 'user' | 'unit'; id: string; name: string };

function party(kind: string | null, userId: string | null, userName: string | null, unitId: string | null, unitName: string | null): Party | null {
  if (kind === 'user' && userId) return { kind: 'user', id: userId, name: userName ?? userId };
  if (kind === 'unit' && unitId) return { kind: 'unit', id: unitId, name: unitName ?? unitId };
  return null;
}

/**
 * "Đơn vị đang giữ": the copies a unit answers for — held by the unit or by its active members, or
 * on their way to them — without destroyed or lost copies unless `status` asks for them. Metadata
 * only (no summaries). A clerk or head sees their own unit; the security officer and the
 * inspector any unit.
 */
export async function unitHoldings(deps: Deps, actor: Actor | null, unitId: string, f: { status?: CopyStatus | undefined; page: number; pageSize: number }) {
  requirePermission(actor, 'unit.holdings.read');
  if (!canReadUnitHoldings(actor, unitId)) throw itemErrors.holdingsForbidden({ unitId });
  const db = deps.dbh.db;
  const unit = await findUnit(db, unitId);
  if (!unit) throw orgErrors.unitNotFound({ id: unitId });
  const r = await repo.findUnitHoldings(db, unitId, f.status, f.pageSize, (f.page - 1) * f.pageSize);
  return {
    unit: { id: unit.id, name: unit.name },
    rows: r.rows.map((c) => ({
      copyId: c.id,
      label: c.label,
      status: c.status,
      itemId: c.item_id,
      numberSymbol: c.number_symbol,
      docType: c.doc_type,
      level: c.level as Level | null,
      // Copies of an agency unit or member: the holder is always inside (user or unit).
      holder: party(c.holder_kind, c.holder_user_id, c.holder_user_name, c.holder_unit_id, c.holder_unit_name)!,
      pending: party(c.pending_kind, c.pending_user_id, c.pending_user_name, c.pending_unit_id, c.pending_unit_name),
      since: c.updated_at,
    })),
    total: r.total,
    page: f.page,
    pageSize: f.pageSize,
  };
}
