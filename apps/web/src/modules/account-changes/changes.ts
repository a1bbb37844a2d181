import { ACCOUNT_CHANGE_WARNINGS } from '@khomat/policy';
import type { I18n, MessageKey } from '../../kit/i18n';
import type { AccountChange, HoldKind, Me } from '../../kit/types';

// How account changes and holds read (issue 11, separation of duties): pure, tested in
// changes.test.ts. A role that works with secrets, a clearance, a move to another unit and a reset
// of someone's password or TOTP take effect only when a second person confirms them — the security
// officer, or the agency head for the security officer's own account.

/** Cached answers of GET /api/account-changes (the list and the home page's count). */
export const ACCOUNT_CHANGES_KEY = ['account-changes'] as const;

/** Reasons of a hold in the order a person reads them, each once; kinds the UI does not know are left out. */
const HOLD_ORDER: readonly HoldKind[] = ['account', 'roles', 'unit', 'position', 'identity'];

export function holdKinds(kinds: readonly string[] | null | undefined): HoldKind[] {
  const given = new Set(kinds ?? []);
  return HOLD_ORDER.filter((k) => given.has(k));
}

/**
 * Who confirms this person's changes, in words: the agency head for a security officer (who
 * cannot confirm their own account), the security officer for everyone else.
 */
export function confirmerOf(i: Pick<I18n, 't'>, roles: readonly string[]): string {
  return i.t(roles.includes('security_officer') ? 'hold.byHead' : 'hold.bySecurityOfficer');
}

/**
 * The banner of a held person: its title and one line per reason it knows (null when nothing is
 * held). A kind this UI does not know still shows the banner, without its line.
 */
export function holdNotice(i: Pick<I18n, 't'>, me: Pick<Me, 'hold' | 'roles'>): { title: string; reasons: string[] } | null {
  if (!me.hold || me.hold.kinds.length === 0) return null;
  const who = confirmerOf(i, me.roles);
  return {
    title: i.t('hold.title', { who }),
    reasons: holdKinds(me.hold.kinds).map((k) => i.t(`hold.reason.${k}` as MessageKey, { who })),
  };
}

/** "tài khoản mới, vai trò" — the short words of a users list tag. */
export function holdShortText(i: Pick<I18n, 't'>, kinds: readonly string[] | null | undefined): string {
  return holdKinds(kinds)
    .map((k) => i.t(`hold.short.${k}` as MessageKey))
    .join(', ');
}

/** What a change does, in words: "Tài khoản mới: Cán bộ bảo mật", "Mức tiếp cận: Mật → Tối mật", "Chuyển đến: Phòng X". */
export function describeChange(i: Pick<I18n, 't' | 'roleLabel' | 'clearanceLabel'>, c: Pick<AccountChange, 'kind' | 'payload'>): string {
  const roles = (c.payload.roles ?? []).map(i.roleLabel).join(', ') || i.t('role.none');
  switch (c.kind) {
    case 'account':
      return i.t('changes.kind.account', { roles });
    case 'roles': {
      // The server says which roles were added (those are what waits); otherwise the new set.
      const added = c.payload.added ?? [];
      return added.length > 0 ? i.t('changes.kind.rolesAdded', { roles: added.map(i.roleLabel).join(', ') }) : i.t('changes.kind.roles', { roles });
    }
    case 'clearance':
      return i.t('changes.kind.clearance', {
        from: i.clearanceLabel(c.payload.fromClearance ?? 'NONE'),
        to: i.clearanceLabel(c.payload.clearance ?? 'NONE'),
      });
    case 'unit':
      return c.payload.fromUnitName
        ? i.t('changes.kind.unitFrom', { unit: c.payload.unitName ?? i.t('common.none'), from: c.payload.fromUnitName })
        : i.t('changes.kind.unit', { unit: c.payload.unitName ?? i.t('common.none') });
    case 'identity':
      return i.t('changes.kind.identity');
    case 'position':
      return c.payload.fromPositionName
        ? i.t('changes.kind.positionFrom', { position: c.payload.positionName ?? i.t('common.none'), from: c.payload.fromPositionName })
        : i.t('changes.kind.position', { position: c.payload.positionName ?? i.t('common.none') });
    default:
      return String(c.kind);
  }
}

/**
 * A confirmation of a reset password/TOTP must say how the confirmer made sure it is the person
 * (e.g. "Đối chiếu trực tiếp CCCD"); for other changes a note is optional.
 */
export function noteRequired(kind: AccountChange['kind']): boolean {
  return kind === 'identity';
}

/** What the actions cell says when no button is offered. */
export function waitingText(i: Pick<I18n, 't'>, c: Pick<AccountChange, 'status' | 'canConfirm' | 'waitingFor'>): string | null {
  if (c.status !== 'pending' || c.canConfirm) return null;
  if (c.waitingFor === 'person') return i.t('changes.waitingPerson');
  return i.t('changes.waitingOther');
}

/**
 * The warnings of GET /api/account-changes and GET /api/users in words, each once, in the
 * policy's order (no security officer, then no agency head). A code this UI does not know yet is
 * still shown, as such, rather than hidden: it means changes may wait for ever.
 */
export function warningTexts(i: Pick<I18n, 't'>, warnings: readonly string[] | null | undefined): string[] {
  const given = [...new Set(warnings ?? [])];
  const known = (Object.keys(ACCOUNT_CHANGE_WARNINGS) as string[]).filter((w) => given.includes(w));
  const unknown = given.filter((w) => !known.includes(w));
  return [...known.map((w) => i.t(`changes.warning.${w}` as MessageKey)), ...unknown.map((code) => i.t('changes.warning.unknown', { code }))];
}
