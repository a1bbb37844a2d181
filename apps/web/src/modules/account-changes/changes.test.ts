import { describe, expect, it } from 'vitest';
import { ACCOUNT_CHANGE_WARNINGS, CLEARANCE_LABEL_VI, ROLE_TABLE, type Clearance, type Role } from '@khomat/policy';
import { vi } from '../../kit/dict.vi';
import { en } from '../../kit/dict.en';
import type { I18n } from '../../kit/i18n';
import type { AccountChange } from '../../kit/types';
import { describeChange, holdKinds, holdNotice, holdShortText, noteRequired, waitingText, warningTexts } from './changes';

const dict: Record<string, string> = vi;
const i = {
  t: (k: string, p?: Record<string, string | number>) => {
    if (!(k in dict)) throw new Error(`missing ${k}`);
    return dict[k]!.replace(/\{(\w+)\}/g, (m, x: string) => (p && x in p ? String(p[x]) : m));
  },
  roleLabel: (r: Role) => ROLE_TABLE[r].labelVi,
  clearanceLabel: (c: Clearance) => CLEARANCE_LABEL_VI[c],
} as unknown as I18n;

const change = (kind: AccountChange['kind'], payload: AccountChange['payload'] = {}) => ({ kind, payload });

describe('holds', () => {
  it('keeps the known kinds once, in reading order', () => {
    expect(holdKinds(['identity', 'account', 'later-kind', 'account'])).toEqual(['account', 'identity']);
    expect(holdKinds(null)).toEqual([]);
  });

  it('shows no banner for a person who is not held', () => {
    expect(holdNotice(i, { hold: null, roles: ['officer'] })).toBeNull();
    expect(holdNotice(i, { roles: ['officer'] })).toBeNull();
    expect(holdNotice(i, { hold: { kinds: [] }, roles: ['officer'] })).toBeNull();
  });

  it('says each reason in words and who confirms', () => {
    const n = holdNotice(i, { hold: { kinds: ['unit', 'account', 'roles', 'identity'] }, roles: ['officer'] });
    expect(n?.title).toBe('Quyền làm việc với bí mật nhà nước của tài khoản đang tạm dừng, chờ cán bộ bảo mật xác nhận');
    expect(n?.reasons).toEqual([
      'Tài khoản mới',
      'Thay đổi vai trò',
      'Chuyển đơn vị',
      'Đặt lại mật khẩu/mã xác thực: bạn cần tự đặt mật khẩu mới và đăng ký lại mã xác thực, rồi cán bộ bảo mật xác nhận',
    ]);
  });

  it('names the agency head as the confirmer of a security officer', () => {
    const n = holdNotice(i, { hold: { kinds: ['identity'] }, roles: ['security_officer'] });
    expect(n?.title).toContain('chờ thủ trưởng cơ quan xác nhận');
    expect(n?.reasons[0]).toContain('rồi thủ trưởng cơ quan xác nhận');
  });

  it('still warns of a hold whose kind this screen does not know', () => {
    expect(holdNotice(i, { hold: { kinds: ['later-kind'] as never }, roles: ['clerk'] })?.reasons).toEqual([]);
  });

  it('gives the short words of the users list', () => {
    expect(holdShortText(i, ['identity', 'account'])).toBe('tài khoản mới, mật khẩu/mã xác thực');
    expect(holdShortText(i, [])).toBe('');
  });
});

describe('account changes in words', () => {
  it('reads each kind of change', () => {
    expect(describeChange(i, change('account', { roles: ['security_officer'] }))).toBe('Tài khoản mới: Cán bộ bảo mật');
    expect(describeChange(i, change('roles', { roles: ['clerk', 'officer'] }))).toBe('Vai trò mới: Văn thư, Cán bộ');
    expect(describeChange(i, change('roles', { roles: ['clerk', 'officer'], added: ['clerk'] }))).toBe('Giao thêm vai trò: Văn thư');
    expect(describeChange(i, change('clearance', { fromClearance: 'CONFIDENTIAL', clearance: 'SECRET' }))).toBe('Mức tiếp cận: Mật → Tối mật');
    expect(describeChange(i, change('clearance', { clearance: 'CONFIDENTIAL' }))).toBe('Mức tiếp cận: Không → Mật');
    expect(describeChange(i, change('unit', { unitId: 'u1', unitName: 'Phòng Lãnh sự - Biên giới' }))).toBe('Chuyển đến: Phòng Lãnh sự - Biên giới');
    expect(describeChange(i, change('unit', { unitName: 'Phòng Lãnh sự - Biên giới', fromUnitName: 'Văn phòng' }))).toBe(
      'Chuyển đến: Phòng Lãnh sự - Biên giới (từ Văn phòng)',
    );
    expect(describeChange(i, change('identity'))).toBe('Đặt lại mật khẩu/mã xác thực');
  });

  it('says "no role" rather than an empty list', () => {
    expect(describeChange(i, change('roles', { roles: [] }))).toBe('Vai trò mới: Chưa có vai trò');
  });

  it('asks how the person was verified only for a reset password/TOTP', () => {
    expect(noteRequired('identity')).toBe(true);
    for (const k of ['account', 'roles', 'unit', 'clearance'] as const) expect(noteRequired(k)).toBe(false);
  });

  it('says what a pending change waits for when this person cannot confirm it', () => {
    expect(waitingText(i, { status: 'pending', canConfirm: false, waitingFor: 'person' })).toBe('Chờ người dùng tự đặt mật khẩu và mã xác thực');
    expect(waitingText(i, { status: 'pending', canConfirm: false, waitingFor: 'confirmer' })).toBe('Chờ người có thẩm quyền khác xác nhận');
    expect(waitingText(i, { status: 'pending', canConfirm: true, waitingFor: 'confirmer' })).toBeNull();
    expect(waitingText(i, { status: 'confirmed', canConfirm: false, waitingFor: null })).toBeNull();
  });

  it('has every word in both languages', () => {
    const keys = Object.keys(vi).filter((k) => k.startsWith('hold.') || k.startsWith('changes.'));
    expect(keys.length).toBeGreaterThan(40);
    for (const k of keys) expect(en[k as keyof typeof en], k).toBeTruthy();
  });
});

describe('warnings about changes nobody can confirm', () => {
  const codes = Object.keys(ACCOUNT_CHANGE_WARNINGS) as (keyof typeof ACCOUNT_CHANGE_WARNINGS)[];

  it("says in Vietnamese exactly what the server's policy says, and has English words for each", () => {
    expect(codes).toEqual(['no_security_officer', 'no_agency_head']);
    for (const code of codes) {
      expect(warningTexts(i, [code])).toEqual([ACCOUNT_CHANGE_WARNINGS[code]]);
      const english: string | undefined = (en as Record<string, string>)[`changes.warning.${code}`];
      expect(english).toMatch(/wait for ever/);
    }
  });

  it('shows nothing without warnings, each warning once in the policy order, and an unknown code as such', () => {
    expect(warningTexts(i, undefined)).toEqual([]);
    expect(warningTexts(i, [])).toEqual([]);
    expect(warningTexts(i, ['no_agency_head', 'no_security_officer', 'no_agency_head'])).toEqual([
      ACCOUNT_CHANGE_WARNINGS.no_security_officer,
      ACCOUNT_CHANGE_WARNINGS.no_agency_head,
    ]);
    expect(warningTexts(i, ['no_keys'])).toEqual(['Máy chủ báo một cảnh báo mà màn hình này chưa biết (mã no_keys).']);
  });
});
