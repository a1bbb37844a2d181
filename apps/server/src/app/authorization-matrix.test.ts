import { ROLES, type Role } from '@khomat/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, Client, createTestApp, dialects, seedAgency, seedUser, USER_PASSWORD, type TestApp } from '../test/harness';

// The authorization matrix: for every API route, who may call it. Generated checks below walk
// the routes the server actually registered, so a new route without an entry here fails.
type Who = 'anyone' | 'signed_in' | 'nobody_fully_signed_in' | readonly Role[];

interface Entry {
  who: Who;
  /**
   * The code the roles outside `who` get instead of auth.forbidden, for a route whose refusal must
   * not differ from "not found" (verifying a copy: nobody else learns whether the id exists).
   */
  deniedAs?: string;
  body?: (ids: Ids) => unknown;
  query?: string;
}

interface Ids {
  root: string;
  victimUser: string;
  victimUnit: string;
}

const ALL: readonly Role[] = ROLES;
const MATRIX: Record<string, Entry> = {
  'GET /api/health': { who: 'anyone' },
  'GET /api/setup/status': { who: 'anyone' },
  'POST /api/setup': {
    who: 'anyone',
    body: () => ({
      agency: { name: 'A', code: 'A', parentBody: 'B' },
      admin: { username: 'abc', fullName: 'A', position: 'P', password: ADMIN_PASSWORD },
      head: { username: 'abd', fullName: 'B', position: 'P', password: ADMIN_PASSWORD },
    }),
  },
  'GET /api/auth/session': { who: 'anyone' },
  'POST /api/auth/login': { who: 'anyone', body: () => ({ username: 'nobody', password: 'x' }) },
  // Only for a half-signed session; a full session is refused.
  'POST /api/auth/totp': { who: 'nobody_fully_signed_in', body: () => ({ code: '123456' }) },
  'POST /api/auth/totp/enrolment': { who: 'signed_in' },
  'POST /api/auth/totp/enrolment/confirm': { who: 'signed_in', body: () => ({ code: '123456' }) },
  'POST /api/auth/password': { who: 'signed_in', body: () => ({ currentPassword: 'wrong', newPassword: 'Khac2026abcdef' }) },
  'POST /api/auth/logout': { who: 'signed_in' },
  'GET /api/units': { who: ALL },
  'POST /api/units': { who: ['admin'], body: (ids) => ({ name: 'Phòng mới', code: `P${Math.random().toString(36).slice(2, 8)}`, parentId: ids.root }) },
  'PATCH /api/units/:id': { who: ['admin'], body: () => ({ name: 'Tên mới' }) },
  'POST /api/units/:id/move': { who: ['admin'], body: (ids) => ({ parentId: ids.root }) },
  'POST /api/units/:id/close': { who: ['admin'], body: () => ({ reason: 'Thử' }) },
  'GET /api/users': { who: ['clerk', 'head', 'security_officer', 'inspector', 'admin'] },
  'GET /api/users/:id': { who: ['clerk', 'head', 'security_officer', 'inspector', 'admin'] },
  'POST /api/users': {
    who: ['admin'],
    body: (ids) => ({
      username: `u${Math.random().toString(36).slice(2, 8)}`,
      fullName: 'Mới',
      unitId: ids.root,
      position: 'CV',
      roles: ['officer'],
      password: USER_PASSWORD,
    }),
  },
  'PATCH /api/users/:id': { who: ['admin'], body: () => ({ position: 'Chuyên viên chính' }) },
  'POST /api/users/:id/deactivate': { who: ['admin'], body: () => ({ reason: 'Thử' }) },
  'POST /api/users/:id/activate': { who: ['admin'] },
  'POST /api/users/:id/reset-password': { who: ['admin'], body: () => ({ newPassword: USER_PASSWORD }) },
  'POST /api/users/:id/reset-totp': { who: ['admin'] },
  // The grant table narrows 'head' to the agency head (r_head sits in the root unit).
  'POST /api/users/:id/clearance': {
    who: ['security_officer', 'head'],
    body: () => ({ clearance: 'CONFIDENTIAL', reason: 'Thử', decisionRef: 'QĐ 1/QĐ-SNV' }),
  },
  // Positions (chức vụ, issue 13): listed like the users, managed and given by the administrator.
  'GET /api/positions': { who: ['clerk', 'head', 'security_officer', 'inspector', 'admin'] },
  'POST /api/positions': { who: ['admin'], body: () => ({ name: `Chức vụ ${Math.random().toString(36).slice(2, 8)}`, kind: 'staff' }) },
  'PATCH /api/positions/:id': { who: ['admin'], body: () => ({ name: 'Tên mới' }) },
  'POST /api/users/:id/position': { who: ['admin'], body: (ids) => ({ positionId: ids.victimUnit }) },
  // Account changes waiting for a second person: the security officer and the agency head.
  'GET /api/account-changes': { who: ['security_officer', 'head'] },
  'POST /api/account-changes/:id/confirm': { who: ['security_officer', 'head'], body: () => ({ note: 'Đối chiếu trực tiếp CCCD' }) },
  'POST /api/account-changes/:id/reject': { who: ['security_officer', 'head'], body: () => ({ reason: 'Không đúng người' }) },
  'GET /api/catalog': { who: ['clerk', 'officer', 'head', 'security_officer', 'inspector'] },
  'GET /api/catalog/fields': { who: ['clerk', 'officer', 'head', 'security_officer', 'inspector'] },
  'POST /api/catalog/import': { who: ['security_officer'], body: () => ({ format: 'json', content: '[]' }) },
  'POST /api/catalog/remove-sample': { who: ['security_officer'] },
  'POST /api/items': {
    who: ['officer', 'head', 'clerk', 'security_officer'],
    body: (ids) => ({
      kind: 'document',
      docType: 'Báo cáo',
      summary: 'x',
      field: 'Ngoại giao',
      level: 'SECRET',
      catalogItemIds: [ids.victimUnit],
      recipients: [{ kind: 'unit', unitId: ids.root, copies: 1 }],
      copyCount: 1,
      copyAllowed: false,
    }),
  },
  'POST /api/items/:id/propose': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/items/:id/approve': { who: ['head', 'officer', 'clerk', 'security_officer'] },
  'POST /api/items/:id/return': { who: ['head', 'officer', 'clerk', 'security_officer'], body: () => ({ reason: 'Thử' }) },
  'POST /api/items/:id/revise': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/items/:id/issue': { who: ['clerk'], body: () => ({ symbol: 'SNV-VP', documentDate: '2026-03-02', signerName: 'Lê Văn A' }) },
  'POST /api/items/incoming': {
    who: ['clerk'],
    body: (ids) => ({
      issuer: 'Bộ Ngoại giao',
      numberSymbol: '1/BNG',
      documentDate: '2026-03-01',
      docType: 'Công văn',
      kind: 'document',
      level: 'CONFIDENTIAL',
      copies: 1,
      addresseeOnly: false,
      envelopeState: 'intact',
      to: { kind: 'unit', id: ids.root },
    }),
  },
  'GET /api/items': { who: ['clerk', 'officer', 'head', 'security_officer', 'inspector'] },
  'GET /api/items/:id': { who: ['clerk', 'officer', 'head', 'security_officer', 'inspector'] },
  'GET /api/items/:id/content': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  'POST /api/custody/hand-over': {
    who: ['clerk', 'officer', 'head', 'security_officer'],
    body: (ids) => ({ copyIds: [ids.victimUnit], to: { kind: 'user', id: ids.victimUser } }),
  },
  'POST /api/custody/:id/confirm': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  'POST /api/custody/:id/outside-receipt': { who: ['clerk'], body: () => ({ receivedBy: 'Nguyễn Văn B' }) },
  'GET /api/my/copies': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  'GET /api/registers/:register': { who: ['clerk', 'head', 'security_officer', 'inspector'], query: '?year=2026' },
  'GET /api/registers/:register/print.pdf': { who: ['clerk', 'security_officer', 'inspector'], query: '?year=2026' },
  'GET /api/registers/:register/export.xlsx': { who: ['clerk', 'security_officer', 'inspector'], query: '?year=2026' },
  'GET /api/registers/:register/export.csv': { who: ['clerk', 'security_officer', 'inspector'], query: '?year=2026' },
  'GET /api/items/:id/envelopes.pdf': { who: ['clerk'] },
  // The summary of an addressee-only envelope: its named person (any role that holds copies), or
  // the clerk with their agreement; the rule (dispatch.rules SUMMARY_RULES) refuses everyone else.
  'GET /api/items/:id/summary-completion': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  'POST /api/items/:id/summary-agreement': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  'POST /api/items/:id/summary': { who: ['clerk', 'officer', 'head', 'security_officer'], body: () => ({ summary: 'Về việc thử' }) },
  'POST /api/registers/entries/:id/cancel': { who: ['clerk'], body: () => ({ reason: 'Ghi nhầm' }) },
  'POST /api/registers/:register/:year/lock': { who: ['clerk', 'security_officer'], body: () => ({ reason: 'Khoá sổ cuối năm' }) },
  'POST /api/registers/:register/:year/unlock': { who: ['clerk', 'security_officer'], body: () => ({ reason: 'Mở lại để sửa' }) },
  'GET /api/search': { who: ['clerk', 'head', 'security_officer', 'inspector'], query: '?q=bo' },
  // -- delegations of the agency head (a head of another unit reaches the use case and is refused there) --
  'GET /api/delegations': { who: ['head', 'security_officer', 'inspector'] },
  'POST /api/delegations': {
    who: ['head'],
    body: (ids) => ({ delegateId: ids.victimUser, field: 'Ngoại giao', validFrom: '2026-01-01', validTo: '2026-12-31', decisionRef: '1/QĐ' }),
  },
  'POST /api/delegations/:id/revoke': { who: ['head'], body: () => ({ reason: 'Thử' }) },
  // -- requests (đề nghị sao, chụp; cung cấp, chuyển giao; mang ra khỏi nơi lưu giữ), issue 13 --
  // The role opens the door; who decides is the authority table's answer, asked in the use case.
  'GET /api/requests': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'GET /api/requests/inbox': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'GET /api/requests/inbox/count': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'GET /api/requests/:id': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/requests': {
    who: ['officer', 'head', 'clerk', 'security_officer'],
    body: (ids) => ({
      type: 'copy',
      itemId: ids.victimUnit,
      purpose: 'Phục vụ công tác',
      details: { form: 'sao_y', quantity: 1, recipients: [{ kind: 'user', userId: ids.victimUser }] },
    }),
  },
  'PUT /api/requests/:id': {
    who: ['officer', 'head', 'clerk', 'security_officer'],
    body: (ids) => ({
      type: 'copy',
      itemId: ids.victimUnit,
      purpose: 'Phục vụ công tác',
      details: { form: 'sao_y', quantity: 1, recipients: [{ kind: 'user', userId: ids.victimUser }] },
    }),
  },
  'POST /api/requests/:id/submit': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/requests/:id/cancel': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/requests/:id/approve': { who: ['head', 'officer', 'clerk', 'security_officer'], body: () => ({ deadline: '2026-12-31' }) },
  'POST /api/requests/:id/refuse': { who: ['head', 'officer', 'clerk', 'security_officer'], body: () => ({ reason: 'Không cần thiết' }) },
  'POST /api/requests/:id/outside-decision': {
    who: ['head', 'clerk', 'security_officer'],
    body: () => ({
      outcome: 'approved',
      authority: 'Chủ tịch UBND tỉnh',
      number: '12/QĐ-UBND',
      date: '2026-03-01',
      signer: 'Nguyễn Văn C',
      deadline: '2026-12-31',
    }),
  },
  // The scans kept with a request (raw upload, as the receipt scan): the role opens the door; the
  // kind, the person (requester / outside recorder) and the request's visibility decide in the use case.
  'POST /api/requests/:id/scans/:kind': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'GET /api/requests/:id/scans/:kind': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  // -- take-out (mang ra khỏi nơi lưu giữ), issue 13: the role opens the door; the take-out rules
  // (keeper, holder, security officer) decide in the use case --
  'GET /api/take-outs': { who: ['head', 'security_officer'] },
  'GET /api/requests/:id/take-out': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/requests/:id/take-out': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/take-outs/:id/return': { who: ['officer', 'head', 'clerk', 'security_officer'], body: () => ({ report: 'Luôn mang theo người' }) },
  'POST /api/take-outs/:id/loss': {
    who: ['officer', 'head', 'clerk', 'security_officer'],
    body: (ids) => ({ copyId: ids.victimUnit, description: 'Mất trên đường' }),
  },
  // -- carrying out a copy / photograph / extract request, issue 13 §2.1: the role opens the door;
  // the copying rules (the clerk of the unit keeping the original or of the agency) decide in the use case --
  'GET /api/requests/:id/copy-execution': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/requests/:id/copy-execution': { who: ['clerk'], body: () => ({ form: 'sao_y', quantity: 1, equipment: 'Máy photocopy', spoiled: 0 }) },
  'GET /api/requests/:id/photo-record': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  // A copy's produced PDF: its holder or whoever may read the content (need-to-know in the use case).
  'GET /api/copies/:id/file': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  'GET /api/items/:id/copy-links': { who: ['clerk', 'officer', 'head', 'security_officer', 'inspector'] },
  // -- provision (cung cấp, chuyển giao), issue 13: the role opens the door; the provision rules
  // (the văn thư keeping the copies) and the request's visibility decide in the use case --
  'GET /api/requests/:id/provision': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/requests/:id/provision': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'GET /api/requests/:id/letter.pdf': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'GET /api/requests/:id/provision/envelopes.pdf': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  // -- attached files and receipt scans --
  // Uploads take the raw file (application/octet-stream), which the harness cannot send; without a
  // body the use case still checks the permission first, then answers item/custody not found.
  'POST /api/items/:id/attachments': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'GET /api/items/:id/attachments': { who: ['clerk', 'officer', 'head', 'security_officer', 'inspector'] },
  'GET /api/items/:id/attachments/:attachmentId': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  'DELETE /api/items/:id/attachments/:attachmentId': { who: ['officer', 'head', 'clerk', 'security_officer'] },
  'POST /api/custody/:id/receipt-scan': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  // The signer (any of these roles) or a register reader; the admin never.
  'GET /api/custody/:id/receipt-scan': { who: ['clerk', 'officer', 'head', 'security_officer', 'inspector'] },
  // -- people directory, unit holdings, need-to-know assignments, notifications --
  'GET /api/people': { who: ['clerk', 'officer', 'head', 'security_officer'] },
  // A clerk or head of another unit gets unit.holdings_forbidden (a finer check than the role).
  'GET /api/units/:id/holdings': { who: ['clerk', 'head', 'security_officer', 'inspector'] },
  'PATCH /api/items/:id': {
    who: ['officer', 'head', 'clerk', 'security_officer'],
    body: (ids) => ({
      kind: 'document',
      docType: 'Báo cáo',
      summary: 'x',
      field: 'Ngoại giao',
      level: 'SECRET',
      catalogItemIds: [ids.victimUnit],
      recipients: [{ kind: 'unit', unitId: ids.root, copies: 1 }],
      copyCount: 1,
      copyAllowed: false,
    }),
  },
  'POST /api/items/:id/assignments': { who: ['head'], body: (ids) => ({ userId: ids.victimUser }) },
  'DELETE /api/items/:id/assignments/:userId': { who: ['head'] },
  'GET /api/notifications': { who: ALL },
  'POST /api/notifications/:id/read': { who: ALL },
  'POST /api/notifications/read-all': { who: ALL },
  'GET /api/catalog/:id': { who: ['clerk', 'officer', 'head', 'security_officer', 'inspector'] },
  // -- verifying a printed copy: the security officer and the agency head (r_head is in the root
  // unit); everyone else gets the unknown id's answer, never a "forbidden" (verify.usecases.ts) --
  'GET /api/copies/verify/:id': { who: ['security_officer', 'head'], deniedAs: 'copy.verification_not_found' },
  // The harness sends JSON, not an image: allowed roles are told it is not a readable image.
  'POST /api/copies/verify': { who: ['security_officer', 'head'], deniedAs: 'copy.verification_not_found', body: () => ({}) },
  'GET /api/audit': { who: ['security_officer', 'inspector'] },
  'GET /api/audit/actions': { who: ['security_officer', 'inspector'] },
  'GET /api/audit/export.csv': { who: ['security_officer', 'inspector'] },
  'GET /api/audit/verify': { who: ['security_officer', 'inspector'] },
};

/** Error codes that mean "not allowed to call this" (as opposed to a refused input). */
const DENIALS = ['auth.unauthenticated', 'auth.forbidden', 'auth.wrong_stage', 'auth.totp_required', 'auth.csrf_invalid', 'auth.password_change_required'];
const codeOf = (res: { statusCode: number; body: string }) =>
  res.statusCode >= 400 && res.body.startsWith('{') ? (JSON.parse(res.body).error?.code as string) : 'ok';

function allowed(who: Who, role: Role): boolean {
  if (who === 'anyone' || who === 'signed_in') return true;
  if (who === 'nobody_fully_signed_in') return false;
  return who.includes(role);
}

const DIALECTS = await dialects();

describe.each(DIALECTS)('authorization matrix on %s', (dialect) => {
  let t: TestApp;
  let ids: Ids;
  const clients = new Map<Role, Client>();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    const { unitId } = await seedAgency(t.deps);
    for (const role of ROLES) {
      if (role === 'admin') continue;
      await seedUser(t.deps, { username: `r_${role}`, unitId, roles: [role], clearance: role === 'inspector' ? 'NONE' : 'SECRET' });
    }
    const victimUser = await seedUser(t.deps, { username: 'victim', unitId, roles: ['officer'] });
    ids = { root: unitId, victimUser, victimUnit: '' };
    for (const role of ROLES) {
      const c = new Client(t.app, t.clock);
      await c.signIn(role === 'admin' ? 'admin' : `r_${role}`, role === 'admin' ? ADMIN_PASSWORD : USER_PASSWORD);
      clients.set(role, c);
    }
    const unit = await clients.get('admin')!.post('/api/units', { name: 'Đơn vị thử', code: 'DVT', parentId: unitId });
    ids.victimUnit = unit.json().id;
  });
  afterAll(async () => t?.cleanup());

  const urlFor = (url: string) =>
    url.replace(/:([A-Za-z]+)/g, (_, name: string) =>
      name === 'register' ? 'incoming' : name === 'year' ? '2026' : name === 'id' && url.startsWith('/api/units') ? ids.victimUnit : ids.victimUser,
    ) + (MATRIX[`GET ${url}`]?.query ?? '');

  it('every registered route has an entry, and every entry a route', () => {
    const registered = t.app.apiRoutes.map((r) => `${r.method} ${r.url}`).sort();
    expect(registered).toEqual(Object.keys(MATRIX).sort());
  });

  it('anonymous callers reach only public routes', async () => {
    for (const r of t.app.apiRoutes) {
      const entry = MATRIX[`${r.method} ${r.url}`]!;
      const c = new Client(t.app, t.clock);
      const res = await c.request(r.method as 'GET', urlFor(r.url), entry.body?.(ids));
      if (entry.who === 'anyone') expect.soft(DENIALS, `${r.method} ${r.url}`).not.toContain(codeOf(res));
      else expect.soft(codeOf(res), `${r.method} ${r.url}`).toBe('auth.unauthenticated');
    }
  });

  it.each([...ROLES])('role %s gets exactly what the matrix allows', async (role) => {
    const c = clients.get(role)!;
    // Logging out last keeps the session for the other routes.
    const routes = [...t.app.apiRoutes].sort((a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'));
    for (const r of routes) {
      const entry = MATRIX[`${r.method} ${r.url}`]!;
      if (r.url === '/api/setup') continue; // set-up is done; it answers 409 to everyone
      const res = await c.request(r.method as 'GET', urlFor(r.url), entry.body?.(ids));
      const label = `${role}: ${r.method} ${r.url} → ${res.statusCode} ${res.statusCode >= 400 ? res.body.slice(0, 120) : ''}`;
      if (allowed(entry.who, role)) expect.soft(DENIALS, label).not.toContain(codeOf(res));
      else expect.soft(entry.deniedAs ? [entry.deniedAs] : ['auth.forbidden', 'auth.wrong_stage'], label).toContain(codeOf(res));
      expect.soft(res.statusCode, label).toBeLessThan(500);
    }
  });
});
