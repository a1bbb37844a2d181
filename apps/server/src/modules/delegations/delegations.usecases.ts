import { LEVELS, type AuthorityOperation, type Level, type Role } from '@khomat/policy';
import { requirePermission, type Actor } from '../../kernel/actor';
import type { AppDeps } from '../../kernel/context';
import type { Database } from '../../platform/db/schema';
import { isActorAgencyHead } from '../org/org.repository';
import { delegationErrors } from './delegations.errors';
import { checkGrant } from './delegations.rules';

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids'>;
type Db = AppDeps['dbh']['db'];

export interface GrantInput {
  delegateId: string;
  /** What is delegated; by default classification (the delegations before issue 13). */
  operations?: AuthorityOperation[] | undefined;
  /** By default every level. */
  levels?: Level[] | undefined;
  field: string;
  validFrom: string;
  validTo: string;
  /** The written decision: number and date of the document (e.g. "15/QĐ-SNV ngày 02/01/2026"). */
  decisionRef: string;
}

const isAgencyHead = (db: Db, actor: Actor) => isActorAgencyHead(db, actor);

/** Does the person hold a delegation of their own (then they cannot delegate)? */
async function holdsDelegation(db: Db, userId: string): Promise<boolean> {
  return (await db.selectFrom('delegations').select('id').where('delegate_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst()) !== undefined;
}

async function findDelegate(db: Db, id: string) {
  const user = await db.selectFrom('users').select(['id', 'active']).where('id', '=', id).executeTakeFirst();
  if (!user) return undefined;
  const roles = (await db.selectFrom('user_roles').select('role').where('user_id', '=', id).execute()).map((r) => r.role as Role);
  return { id: user.id, active: user.active === 1, roles };
}

/** The agency head records a written delegation for a deputy: one field, one period. */
export async function grantDelegation(deps: Deps, actor: Actor | null, input: GrantInput) {
  requirePermission(actor, 'delegation.manage');
  const operations: AuthorityOperation[] = [...new Set(input.operations ?? (['classify'] as AuthorityOperation[]))].sort();
  const levels = LEVELS.filter((l) => (input.levels ?? LEVELS).includes(l));
  return deps.dbh.db.transaction().execute(async (tx) => {
    const check = checkGrant({
      actor: { id: actor.userId, roles: actor.roles, isAgencyHead: await isAgencyHead(tx, actor), delegated: await holdsDelegation(tx, actor.userId) },
      delegate: await findDelegate(tx, input.delegateId),
      operations,
      levels,
      validFrom: input.validFrom,
      validTo: input.validTo,
    });
    if (!check.ok) throw delegationErrors[check.code]!();
    const row: Database['delegations'] = {
      id: deps.ids(),
      delegate_id: input.delegateId,
      field: input.field,
      valid_from: input.validFrom,
      valid_to: input.validTo,
      decision_ref: input.decisionRef,
      granted_by: actor.userId,
      created_at: deps.clock.now().toISOString(),
      revoked_at: null,
      operations: JSON.stringify(operations),
      levels: JSON.stringify(levels),
    };
    await tx.insertInto('delegations').values(row).execute();
    await deps.audit.append(tx, {
      actorId: actor.userId,
      action: 'delegation.granted',
      subjectType: 'delegation',
      subjectId: row.id,
      details: {
        delegateId: row.delegate_id,
        operations,
        levels,
        field: row.field,
        validFrom: row.valid_from,
        validTo: row.valid_to,
        decisionRef: row.decision_ref,
      },
    });
    return row;
  });
}

/** Ends a delegation before its term (the agency head). Kept, marked revoked. */
export async function revokeDelegation(deps: Deps, actor: Actor | null, id: string, reason: string) {
  requirePermission(actor, 'delegation.manage');
  return deps.dbh.db.transaction().execute(async (tx) => {
    if (!(await isAgencyHead(tx, actor))) throw delegationErrors['delegation.not_agency_head']!();
    const row = await tx.selectFrom('delegations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw delegationErrors['delegation.not_found']!();
    if (row.revoked_at) throw delegationErrors['delegation.already_revoked']!();
    const now = deps.clock.now().toISOString();
    await tx.updateTable('delegations').set({ revoked_at: now }).where('id', '=', id).execute();
    await deps.audit.append(tx, { actorId: actor.userId, action: 'delegation.revoked', subjectType: 'delegation', subjectId: id, details: { reason } });
    return { ...row, revoked_at: now };
  });
}

/** Every delegation, newest first, with the names of the deputy and the grantor. */
export async function listDelegations(deps: Pick<Deps, 'dbh'>, actor: Actor | null) {
  requirePermission(actor, 'delegation.read');
  return deps.dbh.db
    .selectFrom('delegations')
    .innerJoin('users as d', 'd.id', 'delegations.delegate_id')
    .innerJoin('users as g', 'g.id', 'delegations.granted_by')
    .selectAll('delegations')
    .select(['d.full_name as delegate_name', 'g.full_name as granted_by_name'])
    .orderBy('delegations.created_at', 'desc')
    .orderBy('delegations.id')
    .limit(500)
    .execute();
}
