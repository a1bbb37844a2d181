import type { Clearance, Level, Role } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { SecretItemRow } from '../../platform/db/schema';
import { idSchema } from '../../platform/validation';
import { assignmentError, itemErrors } from './items.errors';
import * as repo from './items.repository';
import { checkAssignment, checkRevocation, type AssignmentActor, type AssignmentItem } from './items.rules';

// Need-to-know by assignment (DESIGN.md principle 2): the head of a unit that answers for an item
// names a colleague of the unit who may read it. Granting and withdrawing are audited with the
// change, in one transaction.

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock'>;
type Tx = AppDeps['dbh']['db'];

const LIVE = (status: string) => status !== 'destroyed' && status !== 'lost';

async function loadItem(tx: Tx, id: string): Promise<SecretItemRow> {
  const item = await repo.findItem(tx, id);
  if (!item) throw itemErrors.notFound({ id });
  return item;
}

async function assignmentFacts(tx: Tx, item: SecretItemRow): Promise<AssignmentItem> {
  const live = (await repo.findCopiesOfItem(tx, item.id)).filter((c) => LIVE(c.status));
  const recipients = await repo.findRecipients(tx, item.id);
  return {
    level: (item.level ?? item.proposed_level ?? 'TOP_SECRET') as Level,
    addresseeOnly: item.addressee_only === 1,
    holderUnitIds: live.flatMap((c) => (c.holder_unit_id ? [c.holder_unit_id] : [])),
    holderUserUnitIds: await repo.findUnitsOfUsers(
      tx,
      live.flatMap((c) => (c.holder_user_id ? [c.holder_user_id] : [])),
    ),
    recipientUnitIds: recipients.flatMap((r) => (r.kind === 'unit' && r.unit_id ? [r.unit_id] : [])),
  };
}

const asAssigner = (actor: Actor): AssignmentActor => ({ id: actor.userId, roles: actor.roles, unitId: actor.unitId });

export async function assignItem(deps: Deps, actor: Actor | null, itemId: string, userId: string) {
  requirePermission(actor, 'item.assign');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, itemId);
    const assignee = await repo.findAssignee(tx, userId);
    const check = checkAssignment({
      actor: asAssigner(actor),
      item: await assignmentFacts(tx, item),
      assigneeId: userId,
      assignee: assignee
        ? {
            id: assignee.id,
            active: assignee.active === 1,
            unitId: assignee.unit_id,
            roles: assignee.roles as Role[],
            clearance: assignee.clearance as Clearance,
          }
        : null,
      alreadyAssigned: (await repo.findAssignment(tx, itemId, userId)) !== undefined,
    });
    if (!check.ok) throw assignmentError(check.code);
    const assignedAt = deps.clock.now().toISOString();
    if (!(await repo.insertAssignment(tx, { item_id: itemId, user_id: userId, assigned_by: actor.userId, assigned_at: assignedAt })))
      throw assignmentError('item.already_assigned');
    await deps.audit.append(tx, { actorId: actor.userId, action: 'item.assignment_granted', subjectType: 'item', subjectId: itemId, details: { userId } });
    return { itemId, userId, assignedAt };
  });
}

export async function unassignItem(deps: Deps, actor: Actor | null, itemId: string, userId: string) {
  requirePermission(actor, 'item.assign');
  return deps.dbh.db.transaction().execute(async (tx) => {
    const item = await loadItem(tx, itemId);
    // The route accepts any short text here so that refusals come before input checks; an id
    // that cannot exist is simply not assigned (and is never sent to the database).
    const assignment = idSchema.safeParse(userId).success ? await repo.findAssignment(tx, itemId, userId) : undefined;
    const assignee = assignment ? await repo.findAssignee(tx, userId) : undefined;
    const check = checkRevocation({
      actor: asAssigner(actor),
      item: await assignmentFacts(tx, item),
      assignment: assignment ? { assignedBy: assignment.assigned_by } : null,
      assigneeUnitId: assignee?.unit_id ?? null,
    });
    if (!check.ok) throw assignmentError(check.code);
    const revokedAt = deps.clock.now().toISOString();
    await repo.deleteAssignment(tx, itemId, userId);
    await deps.audit.append(tx, { actorId: actor.userId, action: 'item.assignment_revoked', subjectType: 'item', subjectId: itemId, details: { userId } });
    return { itemId, userId, revokedAt };
  });
}
