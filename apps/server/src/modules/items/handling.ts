import type { Level } from '@khomat/policy';
import type { Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import { defineError } from '../../platform/errors';
import { isAgencyUnit } from '../org/org.repository';
import { checkHandling, type HandlingAction, type HandlingErrorCode } from './items.rules';

// Handling needs clearance and place (items.rules HANDLING_RULES): asked by every use case that
// drafts, numbers, packs, registers, hands over, cancels or locks, before it changes anything.

type Db = AppDeps['dbh']['db'];

const HANDLING_MESSAGES_VI: Record<HandlingErrorCode, string> = {
  'item.level_above_clearance':
    'Độ mật của tài liệu cao hơn mức tiếp cận bí mật nhà nước của bạn: bạn không được soạn thảo hoặc đề xuất tài liệu ở độ mật này.',
  'handling.clearance_below_level': 'Mức tiếp cận bí mật nhà nước của bạn thấp hơn độ mật của tài liệu (hoặc của sổ): bạn không được xử lý tài liệu này.',
  'handling.not_your_unit': 'Tài liệu (hoặc sổ) này thuộc đơn vị khác: chỉ văn thư của đơn vị đó, hoặc văn thư cơ quan, được xử lý.',
};

export function handlingError(code: HandlingErrorCode, details?: Record<string, unknown>) {
  return defineError(code, 'forbidden', HANDLING_MESSAGES_VI[code])(details);
}

/** Throws unless checkHandling allows this actor the action on this level and unit. */
export async function requireHandling(db: Db, actor: Actor, action: HandlingAction, level: Level | null, unitId?: string | null): Promise<void> {
  const atAgency = await isAgencyUnit(db, actor.unitId);
  const r = checkHandling({
    action,
    actor: { clearance: actor.clearance, unitId: actor.unitId, isAgencyClerk: atAgency && actor.roles.includes('clerk'), atAgency },
    level,
    unitId,
  });
  if (!r.ok) throw handlingError(r.code, { action });
}
