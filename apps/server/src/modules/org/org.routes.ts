import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../kernel/context';
import * as uc from './org.usecases';
import * as changes from './account-changes.usecases';
import {
  accountChangeRowSchema,
  accountChangeSchema,
  accountChangeWarningSchema,
  accountChangesQuery,
  clearanceReply,
  confirmChangeBody,
  rejectChangeBody,
  toAccountChange,
  toAccountChangeRow,
  clearanceBody,
  createUnitBody,
  createPositionBody,
  positionSchema,
  renamePositionBody,
  setPositionBody,
  toPosition,
  createUserBody,
  idParam,
  listUsersQuery,
  moveUnitBody,
  peopleQuery,
  personSchema,
  reasonBody,
  renameUnitBody,
  resetPasswordBody,
  toUnit,
  toUser,
  unitSchema,
  updateUserBody,
  userSchema,
} from './org.schemas';

export function orgRoutes(deps: AppDeps) {
  return async (fastify: FastifyInstance) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const units = { tags: ['org'] };
    const one = { 200: unitSchema };
    const oneUser = { 200: userSchema };

    app.get('/api/units', { schema: { ...units, response: { 200: z.object({ items: z.array(unitSchema) }) } } }, async (req) => ({
      items: (await uc.listUnits(deps, req.actor)).map(toUnit),
    }));
    app.post('/api/units', { schema: { ...units, body: createUnitBody, response: one } }, async (req) =>
      toUnit(await uc.createUnit(deps, req.actor, req.body)),
    );
    app.patch('/api/units/:id', { schema: { ...units, params: idParam, body: renameUnitBody, response: one } }, async (req) =>
      toUnit(await uc.renameUnit(deps, req.actor, req.params.id, req.body)),
    );
    app.post('/api/units/:id/move', { schema: { ...units, params: idParam, body: moveUnitBody, response: one } }, async (req) =>
      toUnit(await uc.moveUnit(deps, req.actor, req.params.id, req.body.parentId)),
    );
    app.post('/api/units/:id/close', { schema: { ...units, params: idParam, body: reasonBody, response: one } }, async (req) =>
      toUnit(await uc.closeUnit(deps, req.actor, req.params.id, req.body.reason)),
    );

    const usersReply = z.object({ items: z.array(userSchema), warnings: z.array(accountChangeWarningSchema) });
    app.get('/api/users', { schema: { ...units, querystring: listUsersQuery, response: { 200: usersReply } } }, async (req) => {
      const r = await uc.listUsers(deps, req.actor, { ...req.query, includeInactive: req.query.includeInactive === 'true' });
      return { items: r.items.map(toUser), warnings: r.warnings };
    });
    app.get('/api/people', { schema: { ...units, querystring: peopleQuery, response: { 200: z.object({ people: z.array(personSchema) }) } } }, async (req) => ({
      people: await uc.listPeople(deps, req.actor, req.query),
    }));
    app.get('/api/users/:id', { schema: { ...units, params: idParam, response: oneUser } }, async (req) =>
      toUser(await uc.getUser(deps, req.actor, req.params.id)),
    );
    app.post('/api/users', { schema: { ...units, body: createUserBody, response: oneUser } }, async (req) =>
      toUser(await uc.createUser(deps, req.actor, req.body)),
    );
    app.patch('/api/users/:id', { schema: { ...units, params: idParam, body: updateUserBody, response: oneUser } }, async (req) =>
      toUser(await uc.updateUser(deps, req.actor, req.params.id, req.body)),
    );
    app.post('/api/users/:id/deactivate', { schema: { ...units, params: idParam, body: reasonBody, response: oneUser } }, async (req) =>
      toUser(await uc.deactivateUser(deps, req.actor, req.params.id, req.body.reason)),
    );
    app.post('/api/users/:id/activate', { schema: { ...units, params: idParam, response: oneUser } }, async (req) =>
      toUser(await uc.activateUser(deps, req.actor, req.params.id)),
    );
    app.post('/api/users/:id/reset-password', { schema: { ...units, params: idParam, body: resetPasswordBody, response: oneUser } }, async (req) =>
      toUser(await uc.resetUserPassword(deps, req.actor, req.params.id, req.body.newPassword)),
    );
    app.post('/api/users/:id/reset-totp', { schema: { ...units, params: idParam, response: oneUser } }, async (req) =>
      toUser(await uc.resetUserTotp(deps, req.actor, req.params.id)),
    );
    app.post('/api/users/:id/clearance', { schema: { ...units, params: idParam, body: clearanceBody, response: { 200: clearanceReply } } }, async (req) => {
      const r = await uc.setUserClearance(deps, req.actor, req.params.id, req.body);
      return { user: toUser(r.user), change: r.change };
    });

    // Positions (chức vụ, issue 13): the agency's list of titles, and the one each user holds.
    const positions = { tags: ['org'] };
    app.get('/api/positions', { schema: { ...positions, response: { 200: z.object({ items: z.array(positionSchema) }) } } }, async (req) => ({
      items: (await uc.listPositions(deps, req.actor)).map(toPosition),
    }));
    app.post('/api/positions', { schema: { ...positions, body: createPositionBody, response: { 200: positionSchema } } }, async (req) =>
      toPosition(await uc.createPosition(deps, req.actor, req.body)),
    );
    app.patch('/api/positions/:id', { schema: { ...positions, params: idParam, body: renamePositionBody, response: { 200: positionSchema } } }, async (req) =>
      toPosition(await uc.renamePosition(deps, req.actor, req.params.id, req.body.name)),
    );
    const positionReply = z.object({ user: userSchema, change: z.object({ id: z.string(), status: z.literal('pending') }).nullable() });
    app.post('/api/users/:id/position', { schema: { ...positions, params: idParam, body: setPositionBody, response: { 200: positionReply } } }, async (req) => {
      const r = await uc.setUserPosition(deps, req.actor, req.params.id, req.body);
      return { user: toUser(r.user), change: r.change };
    });

    // Account changes waiting for a second person (issue 11; DESIGN.md principle 8).
    // `warnings`: what makes changes wait for ever (no security officer, no agency head); texts in
    // packages/policy ACCOUNT_CHANGE_WARNINGS.
    const listReply = z.object({
      items: z.array(accountChangeSchema),
      total: z.number(),
      page: z.number(),
      pageSize: z.number(),
      warnings: z.array(accountChangeWarningSchema),
    });
    app.get('/api/account-changes', { schema: { ...units, querystring: accountChangesQuery, response: { 200: listReply } } }, async (req) => {
      const r = await changes.listAccountChanges(deps, req.actor, req.query);
      return { items: r.items.map(toAccountChange), total: r.total, page: r.page, pageSize: r.pageSize, warnings: r.warnings };
    });
    app.post(
      '/api/account-changes/:id/confirm',
      { schema: { ...units, params: idParam, body: confirmChangeBody, response: { 200: accountChangeRowSchema } } },
      async (req) => toAccountChangeRow(await changes.confirmAccountChange(deps, req.actor, req.params.id, req.body.note)),
    );
    app.post(
      '/api/account-changes/:id/reject',
      { schema: { ...units, params: idParam, body: rejectChangeBody, response: { 200: accountChangeRowSchema } } },
      async (req) => toAccountChangeRow(await changes.rejectAccountChange(deps, req.actor, req.params.id, req.body.reason)),
    );
  };
}
