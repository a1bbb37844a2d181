import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, dialects } from '../../test/harness';
import { startAgency, type Agency } from './items-test-helpers';

// Every refusal of content is audited, whoever is refused (issue 11 point 5): the administrator
// and the inspector were stopped by the permission check before the refusal event was written.

const DIALECTS = await dialects();

describe.each(DIALECTS)('content refusals are audited for every role on %s', (dialect) => {
  let a: Agency;
  let admin: Client;
  let itemId: string;
  beforeAll(async () => {
    a = await startAgency(dialect);
    admin = new Client(a.t.app, a.t.clock);
    await admin.signIn('admin', ADMIN_PASSWORD);
    itemId = await a.issued();
  });
  afterAll(() => a.t.cleanup());

  const refusals = (action: string, actorId: string) =>
    a.t.deps.dbh.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', action)
      .where('actor_id', '=', actorId)
      .where('subject_id', '=', itemId)
      .execute();

  it.each([
    ['admin', 'item.content_refused', (id: string) => `/api/items/${id}/content`],
    ['thanhtra', 'item.content_refused', (id: string) => `/api/items/${id}/content`],
    ['admin', 'item.attachment_refused', (id: string) => `/api/items/${id}/attachments/${crypto.randomUUID()}`],
    ['thanhtra', 'item.attachment_refused', (id: string) => `/api/items/${id}/attachments/${crypto.randomUUID()}`],
    ['vanthub', 'item.content_refused', (id: string) => `/api/items/${id}/content`],
  ])('%s is refused %s with the reason, and it is recorded', async (username, action, url) => {
    const c = username === 'admin' ? admin : await a.as(username);
    const actorId = username === 'admin' ? a.ids.admin : username === 'thanhtra' ? a.ids.inspector : a.ids.clerkB;
    const before = (await refusals(action, actorId)).length;
    const r = await c.get(url(itemId));
    expect(r.statusCode, r.body).toBe(403);
    const after = await refusals(action, actorId);
    expect(after.length).toBe(before + 1);
    expect(JSON.parse(after.at(-1)!.details).reason).toBe(username === 'vanthub' ? 'no_need_to_know' : 'metadata_only_role');
  });
});
