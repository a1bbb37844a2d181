import type { AppDeps } from '../../kernel/context';
import { isUniqueViolation } from '../../platform/db/dialect';
import { defineError } from '../../platform/errors';
import { createSession, toMe, type SessionState } from '../auth/auth.usecases';
import { findUserWithRoles } from '../auth/auth.repository';
import * as orgRepo from '../org/org.repository';
import { insertNewUser } from '../org/org.usecases';

export const setupErrors = {
  alreadyDone: defineError('setup.already_done', 'conflict', 'Hệ thống đã được thiết lập.'),
};

type Deps = Pick<AppDeps, 'dbh' | 'audit' | 'clock' | 'ids' | 'passwords' | 'config'>;

export interface SetupInput {
  agency: { name: string; code: string; parentBody: string };
  admin: { username: string; fullName: string; position: string; password: string };
  /**
   * The agency head (Thủ trưởng cơ quan). Created here, by the set-up and not by the administrator,
   * to break the circle of confirmations (issue 11; DESIGN.md principle 8): every later account
   * that works with secrets needs a second person, and the agency head is the first of them.
   */
  head: { username: string; fullName: string; position: string; password: string };
}

export async function isInitialized(deps: Pick<Deps, 'dbh'>): Promise<boolean> {
  const row = await deps.dbh.db.selectFrom('settings').select('value').where('key', '=', 'setup.completed_at').executeTakeFirst();
  return row !== undefined;
}

/**
 * First run: the agency (root unit) and its first administrator, in one transaction with the
 * audit event. The settings row is the guard: a second set-up, even a concurrent one, conflicts.
 */
export async function completeSetup(deps: Deps, input: SetupInput): Promise<{ userId: string; unitId: string; headId: string }> {
  const now = deps.clock.now().toISOString();
  try {
    return await deps.dbh.db.transaction().execute(async (tx) => {
      await tx.insertInto('settings').values({ key: 'setup.completed_at', value: now }).execute();
      if (await orgRepo.findRootUnit(tx)) throw setupErrors.alreadyDone();
      const unitId = deps.ids();
      await orgRepo.insertUnit(tx, {
        id: unitId,
        parent_id: null,
        name: input.agency.name,
        code: input.agency.code,
        parent_body: input.agency.parentBody,
        closed_at: null,
        closed_reason: null,
        created_at: now,
      });
      await orgRepo.ensureStartingPositions(tx, deps.ids, now);
      const userId = await insertNewUser(deps, tx, { ...input.admin, unitId, roles: ['admin'], mustChangePassword: false });
      // The agency head: head role in the root unit, cleared Tuyệt mật, sets their own password at
      // the first sign-in (the person setting up may have typed it), not held.
      // Its position: the agency head (chức vụ of kind agency_head, issue 13).
      const headId = await insertNewUser(deps, tx, {
        ...input.head,
        unitId,
        roles: ['head'],
        positionKind: 'agency_head',
        clearance: 'TOP_SECRET',
        mustChangePassword: true,
      });
      await deps.audit.append(tx, {
        actorId: userId,
        action: 'setup.completed',
        subjectType: 'unit',
        subjectId: unitId,
        details: {
          agency: input.agency.name,
          code: input.agency.code,
          admin: input.admin.username.toLowerCase(),
          head: input.head.username.toLowerCase(),
          headId,
        },
      });
      return { userId, unitId, headId };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw setupErrors.alreadyDone();
    throw e;
  }
}

/** Set-up from the browser: also opens a session that must enrol TOTP next. */
export async function setupFromWeb(deps: Deps, input: SetupInput): Promise<{ token: string; state: SessionState }> {
  const { userId } = await completeSetup(deps, input);
  const { token, session } = await createSession(deps, deps.dbh.db, userId, 'enrol');
  const user = (await findUserWithRoles(deps.dbh.db, userId))!;
  return { token, state: { authenticated: true, stage: 'enrol', csrfToken: session.csrf_token, user: toMe(user) } };
}
