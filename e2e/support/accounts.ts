import { ApiSession } from './api';
import { DEMO_PASSWORD } from './demo';
import type { TotpDevice } from './totp';

// Accounts a browser story needs but is not about, made the way the agency makes them (issue 11,
// separation of duties): the administrator creates the account, which is held until the security
// officer confirms it; the security officer asks for the clearance, which the agency head confirms;
// the person then signs in for the first time and sets their own password.

type Clearance = 'NONE' | 'CONFIDENTIAL' | 'SECRET' | 'TOP_SECRET';

export interface NewAccount {
  username: string;
  fullName: string;
  position: string;
  roles: string[];
  /** Unit code, e.g. 'LSBG'. */
  unit: string;
  clearance: Clearance;
  /** Initial password given by the administrator, and the one the person then sets. */
  temp: string;
  password: string;
}

/** The demo agency's accounts that run this (apps/server/src/modules/setup/demo.ts). */
export const DEMO_ADMIN = 'quantri';
export const DEMO_SECURITY_OFFICER = 'baomat';
export const DEMO_AGENCY_HEAD = 'giamdoc';

interface ChangeRow {
  id: string;
  kind: string;
  status: string;
  user: { id: string };
  canConfirm: boolean;
}

/**
 * Confirms, as `confirmer`, the pending change of `kind` of each of `userIds` (fails when one is
 * missing or this person may not confirm it: the story would otherwise go on with a held account).
 */
export async function confirmChanges(confirmer: ApiSession, kind: string, userIds: readonly string[], note?: string): Promise<void> {
  const list = await confirmer.get<{ items: ChangeRow[] }>('/account-changes?status=pending&pageSize=100');
  for (const id of userIds) {
    const c = list.items.find((x) => x.user.id === id && x.kind === kind);
    if (!c) throw new Error(`No pending '${kind}' change for user ${id}`);
    if (!c.canConfirm) throw new Error(`The confirmer may not confirm the '${kind}' change of user ${id}`);
    await confirmer.post(`/account-changes/${c.id}/confirm`, note ? { note } : {});
  }
}

/** Creates, confirms and clears the accounts, then signs each in once to set their own password. Returns their ids. */
export async function seedAccounts(
  baseUrl: string,
  who: readonly NewAccount[],
  opts: { totp: TotpDevice; secrets: Map<string, string>; reason: string },
): Promise<string[]> {
  const { totp, secrets } = opts;
  const admin = await new ApiSession(baseUrl).signIn(DEMO_ADMIN, DEMO_PASSWORD, { totp, secrets });
  const units = await admin.get<{ items: { id: string; code: string }[] }>('/units');
  const ids: string[] = [];
  for (const p of who) {
    const unit = units.items.find((u) => u.code === p.unit);
    if (!unit) throw new Error(`No unit ${p.unit} in the demo agency`);
    const u = await admin.post<{ id: string }>('/users', {
      username: p.username,
      fullName: p.fullName,
      unitId: unit.id,
      position: p.position,
      roles: p.roles,
      password: p.temp,
    });
    ids.push(u.id);
  }
  await admin.signOut();

  const secoff = await new ApiSession(baseUrl).signIn(DEMO_SECURITY_OFFICER, DEMO_PASSWORD, { totp, secrets });
  await confirmChanges(secoff, 'account', ids);
  const raised: string[] = [];
  for (const [n, p] of who.entries()) {
    if (p.clearance === 'NONE') continue;
    const r = await secoff.post<{ change: { status: string } }>(`/users/${ids[n]}/clearance`, {
      clearance: p.clearance,
      reason: opts.reason,
      decisionRef: 'QĐ 05/QĐ-TN (thử nghiệm)',
    });
    if (r.change.status === 'pending') raised.push(ids[n]!);
  }
  // The notices of these changes are not what the stories count under the bell.
  await secoff.post('/notifications/read-all');
  await secoff.signOut();

  // A raise asked by the security officer is confirmed by the agency head.
  if (raised.length > 0) {
    const head = await new ApiSession(baseUrl).signIn(DEMO_AGENCY_HEAD, DEMO_PASSWORD, { totp, secrets });
    await confirmChanges(head, 'clearance', raised);
    await head.post('/notifications/read-all');
    await head.signOut();
  }

  for (const p of who) await (await new ApiSession(baseUrl).signIn(p.username, p.temp, { totp, secrets, newPassword: p.password })).signOut();
  return ids;
}
