import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser';
import { checkScreen, type ScreenCheck } from './support/a11y';
import { storyEndChecks, storyHooks } from './support/story';
import { CHROMIUM, RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { TotpDevice } from './support/totp';

// The foundation's main path in a real browser against a real server and the built UI:
// first-run set-up → TOTP → sign-in → units → users → security officer's first sign-in →
// clearance → audit log. Every screen is checked with axe-core (WCAG 2.1 AA) and photographed.

const ADMIN = { username: 'quantri', fullName: 'Nguyễn Văn Quản', position: 'Chuyên viên công nghệ thông tin', password: 'QuanTri2026ab' };
const SECOFF = { username: 'hanh.tt', fullName: 'Trần Thị Hạnh', position: 'Chuyên viên bảo mật', password: 'TamThoi2026xy', newPassword: 'BaoMat2026Hanh' };
const OFFICER = { username: 'minh.lv', fullName: 'Lê Văn Minh', position: 'Chuyên viên', password: 'TamThoi2026mn' };
const UNIT = { name: 'Phòng Hành chính – Tổng hợp', code: 'HCTH' };
const OLD_UNIT = { name: 'Tổ Lưu trữ (cũ)', code: 'LUUTRU-CU' };

let server: RunningServer;
let session: BrowserSession;
let page: Page;
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];

/** Screenshot (numbered in the order taken) + axe-core run of the current screen. */
async function check(name: string): Promise<void> {
  screens.push(await checkScreen(page, `${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

function nav(name: string) {
  return page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name, exact: true });
}

async function heading(text: string | RegExp) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

/** Reads the secret shown on the enrolment screen and confirms it with a generated code. */
async function enrolTotp(username: string, shot?: string): Promise<void> {
  await heading('Đăng ký xác thực hai lớp');
  const secretEl = page.locator('.totp-secret');
  await secretEl.waitFor();
  await page.locator('.qr-box svg').waitFor();
  const secret = (await secretEl.innerText()).replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  secrets.set(username, secret);
  if (shot) await check(shot);
  await page.getByLabel('Mã xác thực').fill(await totp.code(secret));
  await page.getByLabel('Mã xác thực').press('Enter');
}

async function signIn(username: string, password: string): Promise<void> {
  await heading('Đăng nhập');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByLabel('Mật khẩu').press('Enter');
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await heading('Đăng nhập');
}

/** Picks an option in an antd Select / TreeSelect by typing, the way a keyboard user would. */
async function pick(label: string, text: string, scope = page.getByRole('dialog')): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(text);
  await page.locator('.ant-select-dropdown:visible, .ant-select-tree:visible').getByText(text, { exact: true }).first().click();
}

describe('KhoMật foundation in the browser', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    // Screenshots of this run only (this file's own: other files keep theirs under their prefix).
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^(\d{2}|failure)-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    server = await startServer('foundation');
    session = await openBrowser(server.baseUrl);
    page = session.page;
  });

  storyHooks('', () => ({ server, session }));

  it('shows the first-run set-up and validates it in Vietnamese', async () => {
    await page.goto('/');
    await heading('Thiết lập hệ thống lần đầu');
    await check('setup');
    await page.getByRole('button', { name: 'Thiết lập hệ thống' }).click();
    await page.getByText('Vui lòng nhập tên cơ quan.').waitFor();
    await page.getByText('Vui lòng nhập mật khẩu.').waitFor();
    await check('setup-validation');
  });

  it('sets up the agency and the first administrator, then enrols TOTP', async () => {
    await page.getByLabel('Tên cơ quan').fill('Sở Tư pháp tỉnh Hà Nam');
    await page.getByLabel('Mã cơ quan').fill('STP');
    await page.getByLabel('Cơ quan chủ quản').fill('Ủy ban nhân dân tỉnh Hà Nam');
    await page.getByLabel('Tên đăng nhập').fill(ADMIN.username);
    await page.getByLabel('Họ và tên').fill(ADMIN.fullName);
    await page.getByLabel('Chức vụ').fill(ADMIN.position);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Nhập lại mật khẩu').fill(ADMIN.password);
    await page.getByLabel('Nhập lại mật khẩu').press('Enter');
    await enrolTotp(ADMIN.username, 'totp-enrolment');
    await heading(`Xin chào, ${ADMIN.fullName}`);
    await check('home-admin');
    await expect(nav('Đơn vị').count()).resolves.toBe(1);
    await expect(nav('Người dùng').count()).resolves.toBe(1);
    // The administrator manages accounts but reads neither clearances' decisions nor the log.
    await expect(nav('Nhật ký hệ thống').count()).resolves.toBe(0);
    await expect(nav('Mức tiếp cận BMNN').count()).resolves.toBe(0);
  });

  it('signs out, refuses a wrong password, then signs in with password and TOTP', async () => {
    await signOut();
    await check('login');
    await signIn(ADMIN.username, 'saimatkhau123');
    await page.getByRole('alert').filter({ hasText: 'Tên đăng nhập hoặc mật khẩu không đúng' }).waitFor();
    await check('login-error');
    await page.getByLabel('Mật khẩu').fill(ADMIN.password);
    await page.getByLabel('Mật khẩu').press('Enter');
    await heading('Xác thực hai lớp');
    await check('totp');
    await page.getByLabel('Mã xác thực').fill(await totp.code(secrets.get(ADMIN.username)!));
    await page.getByLabel('Mã xác thực').press('Enter');
    await heading(`Xin chào, ${ADMIN.fullName}`);
  });

  it('creates units and closes one', async () => {
    await nav('Đơn vị').click();
    await heading('Đơn vị');
    await page.getByRole('cell', { name: 'Sở Tư pháp tỉnh Hà Nam' }).waitFor();
    await check('units');

    for (const u of [UNIT, OLD_UNIT]) {
      await page.getByRole('button', { name: 'Thêm đơn vị', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Tên đơn vị').fill(u.name);
      await dialog.getByLabel('Mã đơn vị').fill(u.code);
      if (u === UNIT) await check('unit-create-dialog');
      await dialog.getByLabel('Mã đơn vị').press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('cell', { name: u.name }).waitFor();
    }

    // Moving offers every open unit except the unit itself and its descendants.
    await page.getByRole('row').filter({ hasText: UNIT.name }).getByRole('button', { name: 'Chuyển' }).click();
    await page.getByRole('dialog').getByLabel('Đơn vị cấp trên mới').waitFor();
    await check('unit-move-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Hủy' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    const oldRow = page.getByRole('row').filter({ hasText: OLD_UNIT.name });
    await oldRow.getByRole('button', { name: 'Đóng' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Đóng' }).last().click();
    await dialog.getByText('Vui lòng nhập lý do.').waitFor();
    await dialog.getByLabel('Lý do').fill('Sáp nhập vào Phòng Hành chính – Tổng hợp theo Quyết định 15/QĐ-STP');
    await dialog.getByLabel('Lý do').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await oldRow.getByText('Đã đóng', { exact: true }).waitFor();
    await check('units-after-changes');
  });

  it('creates a security officer and an officer', async () => {
    await nav('Người dùng').click();
    await heading('Người dùng');
    const people = [
      { ...SECOFF, role: 'Cán bộ bảo mật' },
      { ...OFFICER, role: 'Cán bộ' },
    ];
    for (const p of people) {
      await page.getByRole('button', { name: 'Thêm người dùng' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Tên đăng nhập').fill(p.username);
      await dialog.getByLabel('Họ và tên').fill(p.fullName);
      await pick('Đơn vị', `${UNIT.name} (${UNIT.code})`);
      await dialog.getByLabel('Chức vụ').fill(p.position);
      await pick('Vai trò', p.role);
      await page.keyboard.press('Escape');
      await dialog.getByLabel('Mật khẩu ban đầu').fill(p.password);
      await dialog.getByLabel('Nhập lại mật khẩu').fill(p.password);
      if (p === people[0]) await check('user-create-dialog');
      await dialog.getByLabel('Nhập lại mật khẩu').press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await page.locator('.person-name').getByText(p.fullName, { exact: true }).waitFor();
    }
    await check('users');

    // Edit a user; Enter in the dialog saves.
    const row = page.getByRole('row').filter({ hasText: OFFICER.username });
    await row.getByRole('button', { name: /^Sửa/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Chức vụ').fill('Chuyên viên chính');
    await check('user-edit-dialog');
    await dialog.getByLabel('Chức vụ').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Chuyên viên chính').waitFor();

    // The other account actions sit in the "Khác" menu; open the password reset and cancel it.
    await row.getByRole('button', { name: /Thao tác khác/ }).click();
    await page.getByRole('menuitem', { name: 'Đặt lại mật khẩu' }).click();
    await dialog.getByLabel('Mật khẩu mới').waitFor();
    await check('user-reset-password-dialog');
    await dialog.getByRole('button', { name: 'Hủy' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The administrator has no access to the audit log, even by typing its address.
    await page.goto('/audit');
    await heading('Không có quyền truy cập');
    await check('forbidden');
    await nav('Trang chủ').click();
    await heading(`Xin chào, ${ADMIN.fullName}`);
  });

  it('lets the security officer sign in for the first time: TOTP enrolment and new password', async () => {
    await signOut();
    await signIn(SECOFF.username, SECOFF.password);
    // The API asks for enrolment first (stage enrol), then the password change (stage full).
    const enrolFirst = await page
      .getByRole('heading', { level: 1, name: 'Đăng ký xác thực hai lớp' })
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (enrolFirst) await enrolTotp(SECOFF.username);
    await heading('Đổi mật khẩu');
    await check('change-password');
    await page.getByLabel('Mật khẩu hiện tại').fill(SECOFF.password);
    await page.getByLabel('Mật khẩu mới').fill(SECOFF.newPassword);
    await page.getByLabel('Nhập lại mật khẩu').fill(SECOFF.newPassword);
    await page.getByLabel('Nhập lại mật khẩu').press('Enter');
    if (!enrolFirst) await enrolTotp(SECOFF.username);
    await heading(`Xin chào, ${SECOFF.fullName}`);
    await check('home-security-officer');
    await expect(nav('Nhật ký hệ thống').count()).resolves.toBe(1);
    await expect(nav('Mức tiếp cận BMNN').count()).resolves.toBe(1);
  });

  it('can be driven with the keyboard alone, with a visible focus', async () => {
    const focused = page.locator(':focus');
    let reached = false;
    for (let n = 0; n < 30 && !reached; n++) {
      await page.keyboard.press('Tab');
      reached = (await focused.textContent().catch(() => ''))?.trim() === 'Mức tiếp cận BMNN';
    }
    expect(reached).toBe(true);
    // (This file is type-checked without the DOM library, hence the narrow structural type.)
    type Styled = { ownerDocument: { defaultView: { getComputedStyle: (e: unknown) => { outlineStyle: string } } | null } };
    const outline = await focused.evaluate((el) => {
      const e = el as unknown as Styled;
      return e.ownerDocument.defaultView?.getComputedStyle(e).outlineStyle ?? 'none';
    });
    expect(outline).not.toBe('none');
    await check('keyboard-focus');
    await page.keyboard.press('Enter');
    await heading('Mức được tiếp cận bí mật nhà nước');
    await nav('Trang chủ').click();
  });

  it('sets the officer’s clearance to Mật with a reason', async () => {
    await nav('Mức tiếp cận BMNN').click();
    await heading('Mức được tiếp cận bí mật nhà nước');
    const row = page.getByRole('row').filter({ hasText: OFFICER.fullName });
    await row.waitFor();
    await check('clearance');
    await row.getByRole('button', { name: /^Thay đổi/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: 'Mật', exact: true }).check();
    await dialog.getByLabel('Lý do').fill('Được phân công soạn thảo tài liệu mật theo Quyết định 20/QĐ-STP');
    await check('clearance-dialog');
    await dialog.getByLabel('Lý do').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('.clearance-tag[data-clearance="CONFIDENTIAL"]').waitFor();
    // One's own clearance cannot be changed, and administrators are never given one.
    await expect(page.getByRole('row').filter({ hasText: SECOFF.fullName }).getByRole('button').count()).resolves.toBe(0);
    await expect(page.getByRole('row').filter({ hasText: ADMIN.fullName }).getByText('Không áp dụng').count()).resolves.toBe(1);
  });

  it('shows the unit creation and the clearance change in the audit log, verifies and exports it', async () => {
    await nav('Nhật ký hệ thống').click();
    await heading('Nhật ký hệ thống');
    const table = page.locator('.audit-table');
    await table.getByText('Tạo đơn vị', { exact: true }).first().waitFor();
    await table.getByText('Thay đổi mức tiếp cận BMNN', { exact: true }).first().waitFor();
    await check('audit');

    await pick('Hành động', 'Thay đổi mức tiếp cận BMNN', page.locator('.filter-panel'));
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    // Details are shown in words: the new level is "Mật", the reason as typed.
    await table.locator('dd').getByText('Mật', { exact: true }).waitFor();
    await table.getByText(/Quyết định 20\/QĐ-STP/).waitFor();

    // A date range in Vietnam time: from today keeps the event; the end may not precede the start.
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
    await page.getByLabel('Từ ngày').fill(today);
    await page.getByLabel('Từ ngày').press('Enter');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    await page.getByLabel('Đến ngày').fill('01/01/2020');
    await page.getByLabel('Đến ngày').press('Enter');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await page.getByText('Ngày bắt đầu phải trước ngày kết thúc.').waitFor();
    await page.getByLabel('Đến ngày').fill(today);
    await page.getByLabel('Đến ngày').press('Enter');
    await page.getByRole('button', { name: 'Lọc', exact: true }).click();
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);

    await page.getByRole('button', { name: 'Kiểm tra tính toàn vẹn' }).click();
    await page.getByText(/Nhật ký toàn vẹn/).waitFor();
    await check('audit-filtered-verified');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Xuất CSV' }).click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('org.user.clearance_changed');
    expect(csv).not.toContain('org.unit.created');
  });

  it('switches to English and remembers the choice', async () => {
    await page.locator('.lang-switch').getByText('EN', { exact: true }).click();
    await heading('Audit log');
    await check('audit-english');
    await page.reload();
    await heading('Audit log');
    await page.locator('.lang-switch').getByText('VI', { exact: true }).click();
    await heading('Nhật ký hệ thống');
  });

  it('shows the account page', async () => {
    await nav('Tài khoản của tôi').click();
    await heading('Tài khoản của tôi');
    await check('account');
  });

  storyEndChecks(() => ({ server, session }), screens, 10);
});
