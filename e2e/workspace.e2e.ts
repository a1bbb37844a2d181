import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './support/browser';
import { checkScreen, type ScreenCheck } from './support/a11y';
import { storyEndChecks, storyHooks } from './support/story';
import { ApiSession } from './support/api';
import { seedAccounts } from './support/accounts';
import { DEMO_PASSWORD, loadDemo } from './support/demo';
import { CHROMIUM, RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { TotpDevice } from './support/totp';
import { Screens } from './support/ui';

// The registry's everyday workspace in a real browser against a real server and the built UI:
// an officer drafts an electronic document, naming a person through the people picker, attaches a
// file and proposes → the head returns it with a reason → the officer edits the draft and proposes
// again → the head approves → the clerk issues → the head of the unit that keeps a copy assigns a
// colleague, who then reads the content and downloads the file → the clerk finds the item by
// typing without diacritics → the clerk registers an incoming item whose envelope is torn → the
// security officer sees the notice under the bell and marks it read → unit holdings pages list the
// unit's copies → the named recipient signs for her copy and attaches the scan of the signed
// page, which the clerk downloads. Accounts the UI is not about here are seeded through the API. Every screen:
// axe-core + screenshot (test-results/e2e/workspace-NN-*.png).

const P = DEMO_PASSWORD;
const NAMES = { clerk: 'Nguyễn Thị Thu Hà', officer: 'Trần Văn Bình', head: 'Lê Hoàng Sơn', secoff: 'Phạm Thị Lan', translator: 'Hoàng Mai Anh' };
const LSBG = 'Phòng Lãnh sự - Biên giới';
/** Created by the administrator, cleared by the security officer, first sign-in done through the API. */
const HEAD_LSBG = {
  username: 'truongphong.lsbg',
  fullName: 'Ngô Quang Huy',
  position: 'Trưởng phòng Lãnh sự - Biên giới',
  roles: ['head'],
  clearance: 'SECRET' as const,
  temp: 'TamThoi2026huy',
  password: 'TruongPhong2026Huy',
};
const COLLEAGUE = {
  username: 'chuyenvien.lsbg',
  fullName: 'Lý Thị Mai',
  position: 'Chuyên viên Phòng Lãnh sự - Biên giới',
  roles: ['officer'],
  clearance: 'SECRET' as const,
  temp: 'TamThoi2026mai',
  password: 'ChuyenVien2026Mai',
};
const JUNIOR = {
  username: 'nhanvien.lsbg',
  fullName: 'Đinh Văn Tú',
  position: 'Nhân viên Phòng Lãnh sự - Biên giới',
  roles: ['officer'],
  clearance: 'CONFIDENTIAL' as const,
  temp: 'TamThoi2026tu1',
  password: 'NhanVien2026Tu',
};
const BASIS = { typed: 'doan cap cao', text: 'Kế hoạch, nội dung làm việc với đoàn cấp cao nước ngoài chưa công bố (mẫu)' };
const SUMMARY_1 = 'Báo cáo kết quả làm việc với đoàn đại biểu biên giới tỉnh bạn (thử nghiệm)';
const SUMMARY_2 = 'Báo cáo kết quả làm việc với đoàn đại biểu biên giới tỉnh bạn, bổ sung phụ lục số liệu (thử nghiệm)';
const RETURN_REASON = 'Bổ sung phụ lục số liệu vào trích yếu trước khi trình lại';
const FILE_NAME = 'Phụ lục số liệu làm việc (thử nghiệm).txt';
const BIG_FILE = 'Số liệu gốc (quá lớn).txt';
const SCAN_NAME = 'Phiếu ký nhận bản số 1 (thử nghiệm).pdf';
const INCOMING = { issuer: 'Ủy ban nhân dân tỉnh Hà Lâm', numberSymbol: '45/UBND-NC', summary: 'Thông báo lịch làm việc của đoàn liên ngành (thử nghiệm)' };

let server: RunningServer;
let session: BrowserSession;
let page: Page;
let ui: Screens;
let tmp: string;
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];
const ids: { item?: string; incoming?: string; deputyItem?: string } = {};
let fileBytes: Buffer;
/** A small PDF: the scan of the signed receipt page. */
let scanBytes: Buffer;

/** Screenshot test-results/e2e/workspace-NN-<name>.png + axe-core run of the current screen. */
async function check(name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  screens.push(await checkScreen(page, `workspace-${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

/** A screenshot of the window only (an open dropdown is a passing state, not a screen to audit). */
async function shot(name: string): Promise<void> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(RESULTS_DIR, `workspace-${String(screens.length + 1).padStart(2, '0')}-${name}.png`) });
}

/** Types into a people picker and waits for the server's answer to exactly that text. */
async function searchPeople(picker: Locator, typed: string): Promise<void> {
  const answered = page.waitForResponse((r) => r.url().includes('/api/people?') && new URL(r.url()).searchParams.get('q') === typed);
  await picker.click();
  await picker.fill(typed);
  await answered;
}

function stateTag(text: string) {
  return page.locator('.page-title .state-tag').getByText(text, { exact: true });
}

function today(): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
}

describe('KhoMật workspace in the browser', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^workspace-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-e2e-workspace-files-'));
    // A file of several encryption chunks: Vietnamese text, ~200 KiB.
    const line = 'Số liệu làm việc với đoàn đại biểu biên giới — bảng tổng hợp (thử nghiệm)\n';
    fileBytes = Buffer.from(line.repeat(Math.ceil((200 * 1024) / Buffer.byteLength(line))) + crypto.randomUUID());
    fs.writeFileSync(path.join(tmp, FILE_NAME), fileBytes);
    fs.writeFileSync(path.join(tmp, 'cong-cu.exe'), Buffer.from('MZ not a document'));
    scanBytes = Buffer.from(
      `%PDF-1.7\n% Phiếu ký nhận (thử nghiệm) ${crypto.randomUUID()}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    );
    fs.writeFileSync(path.join(tmp, SCAN_NAME), scanBytes);
    fs.writeFileSync(path.join(tmp, BIG_FILE), Buffer.alloc(Math.round(1.5 * 1024 * 1024), 'a'));
    // A small upload limit (1 MiB) so that "too large" can be shown; only this server sees it.
    process.env.KHOMAT_MAX_UPLOAD_MB = '1';
    try {
      server = await startServer('workspace', { beforeStart: loadDemo });
    } finally {
      delete process.env.KHOMAT_MAX_UPLOAD_MB;
    }

    // Three people of Phòng Lãnh sự - Biên giới: its head, a colleague cleared for Mật and above,
    // and a junior whose clearance does not reach Tối mật — created, confirmed and cleared the
    // agency's way (support/accounts.ts).
    await seedAccounts(
      server.baseUrl,
      [HEAD_LSBG, COLLEAGUE, JUNIOR].map((who) => ({ ...who, unit: 'LSBG' })),
      { totp, secrets, reason: 'Được giao theo dõi hồ sơ biên giới (thử nghiệm)' },
    );

    session = await openBrowser(server.baseUrl);
    page = session.page;
    ui = new Screens(page, totp, secrets);
  });

  storyHooks('workspace-', () => ({ server, session, tmp }));

  it('lets an officer draft an electronic document for a named person, attach a file and propose it', async () => {
    await page.goto('/');
    await ui.signIn('canbo', P, NAMES.officer);
    await ui.nav('Soạn thảo').click();
    await ui.heading('Soạn thảo, đề xuất độ mật');
    await page.getByLabel('Loại tài liệu, vật chứa').click();
    await ui.dropdown().getByText('Tài liệu điện tử', { exact: true }).click();
    await page.getByLabel('Tên loại').fill('Báo cáo');
    await page.keyboard.press('Escape');
    await page.getByLabel('Trích yếu nội dung').fill(SUMMARY_1);
    const basisField = page.getByLabel('Căn cứ trong danh mục BMNN');
    await basisField.click();
    const searched = page.waitForResponse((r) => r.url().includes('/api/catalog?') && r.url().includes('q=doan+cap+cao'));
    await basisField.fill(BASIS.typed);
    await searched;
    await ui.dropdown().getByText(BASIS.text, { exact: true }).first().click();
    await page.locator('.basis-table').getByText(BASIS.text, { exact: true }).waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.level-box').getByText('Tối mật', { exact: true }).waitFor();

    // Officers now pick named people: typed without diacritics; someone whose clearance is below
    // the level is listed but cannot be chosen.
    await expect(page.getByText(/Vai trò của bạn không xem được danh sách cán bộ/).count()).resolves.toBe(0);
    const first = page.locator('.recipient-row').first();
    await first.getByText('Một người', { exact: true }).click();
    const person = first.getByLabel('Người nhận');
    await searchPeople(person, 'mai anh');
    const low = ui
      .dropdown()
      .locator('.ant-select-item-option-disabled')
      .getByText(`${NAMES.translator} — Trung tâm Dịch thuật và Dịch vụ đối ngoại (chưa đủ độ mật)`);
    await low.waitFor();
    await shot('draft-people-picker-not-cleared');
    // Lý Thanh Tâm (cleared for Tối mật) waits for the security officer to confirm her password
    // reset: listed, not choosable, and the picker says why (not «chưa đủ độ mật»).
    await searchPeople(person, 'thanh tam');
    await ui
      .dropdown()
      .locator('.ant-select-item-option-disabled')
      .getByText('Lý Thanh Tâm — Phòng Hợp tác quốc tế (chờ xác nhận tài khoản)', { exact: true })
      .waitFor();
    await shot('draft-people-picker-held');
    await ui.pickPerson(person, 'pham thi lan', new RegExp(`^${NAMES.secoff} — `));
    await expect.poll(() => first.locator('.person-picker').textContent()).toContain(`${NAMES.secoff} — Văn phòng Sở`);
    await first.getByLabel('Số bản').fill('1');
    await page.getByRole('button', { name: 'Thêm nơi nhận' }).click();
    const second = page.locator('.recipient-row').nth(1);
    await second.getByText('Cơ quan bên ngoài', { exact: true }).click();
    await second.getByLabel('Tên cơ quan, tổ chức nhận').fill('Bộ Ngoại giao');
    await second.getByLabel('Số bản').fill('1');
    await page.getByLabel('Số lượng bản phát hành').fill('3');
    await page.getByRole('radio', { name: 'Không được sao, chụp' }).check();
    await check('draft-electronic-named-person');
    await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await ui.heading('Báo cáo');
    ids.item = Screens.itemIdOf(page.url());

    // The file: a type the server refuses first (a clear message), then the real one, with progress.
    const files = page.locator('.attachments-card');
    await files.getByText('Chưa có tệp đính kèm. Chọn tệp bên dưới rồi bấm «Tải lên».').waitFor();
    await files.getByRole('button', { name: 'Tải lên' }).click();
    await files.getByText('Vui lòng chọn tệp cần tải lên.').waitFor();
    await page.getByLabel('Thêm tệp').setInputFiles(path.join(tmp, 'cong-cu.exe'));
    await files.getByRole('button', { name: 'Tải lên' }).click();
    await files.getByRole('alert').first().waitFor();
    await check('item-draft-file-refused');
    await page.getByLabel('Thêm tệp').setInputFiles(path.join(tmp, BIG_FILE));
    await files.getByRole('button', { name: 'Tải lên' }).click();
    const tooLarge = files.locator('#attach-file-help[role="alert"]');
    await tooLarge.waitFor();
    expect(await tooLarge.innerText()).not.toContain('Nhận tệp PDF');
    await check('item-draft-file-too-large');
    await page.getByLabel('Thêm tệp').setInputFiles(path.join(tmp, FILE_NAME));
    await files.getByText(`${FILE_NAME} (`).waitFor();
    await files.getByRole('button', { name: 'Tải lên' }).click();
    await files.locator('.attachments-table').getByText(FILE_NAME).waitFor();
    await expect(files.getByRole('alert').count()).resolves.toBe(0);
    await check('item-draft-file-attached');

    await page.getByRole('button', { name: 'Trình duyệt' }).click();
    await stateTag('Chờ phê duyệt').waitFor();
    await ui.signOut();
  });

  it('lets the head return the proposal with a reason', async () => {
    await ui.signIn('giamdoc', P, NAMES.head);
    await page.goto(`/items/${ids.item}`);
    await stateTag('Chờ phê duyệt').waitFor();
    await page.getByRole('button', { name: 'Trả lại' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Lý do').fill(RETURN_REASON);
    await dialog.getByRole('button', { name: 'Trả lại' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await stateTag('Bị trả lại').waitFor();
    const timeline = page.locator('.timeline');
    await timeline.locator('[data-action="item.returned"]').getByText(`Lý do: ${RETURN_REASON}`).waitFor();
    await check('item-returned-head');
    await ui.signOut();
  });

  it('lets the officer edit the returned draft and propose it again', async () => {
    await ui.signIn('canbo', P, NAMES.officer);
    await page.getByRole('link', { name: /^1 Đề xuất bị trả lại$/ }).click();
    await page.locator(`.items-returned a[href="/items/${ids.item}"]`).click();
    await page.getByText(`Lý do: ${RETURN_REASON}`).first().waitFor();
    await page.getByRole('button', { name: 'Sửa dự thảo' }).click();
    await ui.heading('Sửa dự thảo');
    // The form holds what was saved; the head's reason is on top.
    await page.getByText(`Lý do: ${RETURN_REASON}`).waitFor();
    await expect.poll(() => page.getByLabel('Trích yếu nội dung').inputValue()).toBe(SUMMARY_1);
    await page.locator('.basis-table').getByText(BASIS.text, { exact: true }).waitFor();
    await expect.poll(() => page.locator('.recipient-row').first().locator('.person-picker').textContent()).toContain(NAMES.secoff);
    await expect.poll(() => page.locator('.recipient-row').nth(1).getByLabel('Tên cơ quan, tổ chức nhận').inputValue()).toBe('Bộ Ngoại giao');
    await expect.poll(() => page.getByLabel('Số lượng bản phát hành').inputValue()).toBe('3');
    await page.getByLabel('Trích yếu nội dung').fill(SUMMARY_2);
    await check('draft-edit-returned');
    await page.getByRole('button', { name: 'Lưu và trình duyệt' }).click();
    await page.getByText('Đã trình người có thẩm quyền phê duyệt.').first().waitFor();
    expect(Screens.itemIdOf(page.url())).toBe(ids.item);
    await stateTag('Chờ phê duyệt').waitFor();
    await page.locator('.timeline [data-action="item.draft_updated"]').waitFor();
    await page.locator('.attachments-table').getByText(FILE_NAME).waitFor();
    await page.getByRole('button', { name: 'Xem nội dung' }).click();
    await page.locator('.content-summary').getByText(SUMMARY_2).waitFor();
    await ui.signOut();
  });

  it('lets the head approve and the clerk issue', async () => {
    await ui.signIn('giamdoc', P, NAMES.head);
    await page.goto(`/items/${ids.item}`);
    await page.getByRole('button', { name: 'Phê duyệt' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Phê duyệt' }).click();
    await stateTag('Đã duyệt, chờ phát hành').waitFor();
    await ui.signOut();

    await ui.signIn('vanthu', P, NAMES.clerk);
    await page.goto(`/items/${ids.item}`);
    await page.getByRole('button', { name: 'Phát hành' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Ký hiệu').fill('BC-LSBG');
    await expect.poll(() => dialog.getByLabel('Người ký').inputValue()).toBe(NAMES.head);
    await dialog.getByLabel('Ký hiệu').press('Enter');
    await dialog.locator('.issue-result').waitFor();
    await dialog.locator('.form-actions').getByRole('button', { name: 'Đóng' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await stateTag('Đã phát hành').waitFor();
    // Names, not ids: the named person awaits, the drafting unit keeps the third copy.
    const copies = page.locator('.copies-table');
    await copies.getByText(`${NAMES.secoff} (chờ ký nhận)`).waitFor();
    await copies.getByRole('row').filter({ hasText: 'Bản số 3/3' }).getByText(LSBG).waitFor();
    await page.locator('.item-details').getByText(NAMES.officer).waitFor();
    await check('item-issued-clerk');
  });

  it('finds the item typed without diacritics and keeps the search in the address', async () => {
    await ui.nav('Tra cứu').click();
    await ui.heading('Tra cứu sổ đăng ký');
    await check('search-empty');
    const box = page.getByLabel('Từ khóa');
    await box.fill('ket qua lam viec bien gioi phu luc');
    await box.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('ket qua lam viec bien gioi phu luc');
    const table = page.locator('.search-table');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    await table.getByText(SUMMARY_2).first().waitFor();
    await page.getByText(/^Tìm thấy \d+ kết quả\.$/).waitFor();
    await check('search-results');
    // The address holds the search: reloading (or the Back button) shows the same results.
    await page.reload();
    await ui.heading('Tra cứu sổ đăng ký');
    await expect.poll(() => page.getByLabel('Từ khóa').inputValue()).toBe('ket qua lam viec bien gioi phu luc');
    await table.getByText(SUMMARY_2).first().waitFor();
    await table.locator(`a[href="/items/${ids.item}"]`).first().click();
    await stateTag('Đã phát hành').waitFor();
  });

  it('lets the clerk register an incoming item whose envelope is torn', async () => {
    await ui.nav('Vào sổ văn bản đến').click();
    await ui.heading('Vào sổ văn bản đến');
    await page.getByLabel('Cơ quan ban hành').fill(INCOMING.issuer);
    await page.getByLabel('Số, ký hiệu').fill(INCOMING.numberSymbol);
    await page.getByLabel('Ngày văn bản').fill(today());
    await page.getByLabel('Ngày văn bản').press('Enter');
    await page.getByLabel('Tên loại').fill('Thông báo');
    await page.keyboard.press('Escape');
    await page.getByRole('radio', { name: 'Mật', exact: true }).check();
    await page.getByLabel('Trích yếu nội dung').fill(INCOMING.summary);
    await page.getByRole('radio', { name: 'Rách, hư hỏng' }).check();
    await page.getByText(/người có thẩm quyền và cán bộ bảo mật sẽ được thông báo/).waitFor();
    await ui.pick(page.getByLabel('Đơn vị nhận'), 'Hop tac', 'Phòng Hợp tác quốc tế');
    await page.getByRole('button', { name: 'Vào sổ' }).click();
    await page.getByText(/Đã vào sổ: số đến \d+\/\d{4}/).waitFor();
    await page.getByRole('button', { name: 'Mở tài liệu' }).click();
    ids.incoming = Screens.itemIdOf(page.url());
    await ui.signOut();
  });

  it('shows the security officer the notice under the bell and marks it read', async () => {
    await ui.signIn('baomat', P, NAMES.secoff);
    const bell = page.getByRole('link', { name: /^Thông báo: 1 chưa đọc$/ });
    await bell.waitFor();
    await check('home-bell-unread');
    await bell.click();
    await ui.heading('Thông báo');
    const table = page.locator('.notice-table');
    const row = table.locator('tbody tr.ant-table-row').first();
    await row.getByText('Bì không còn nguyên vẹn').waitFor();
    await row.getByText('Mới', { exact: true }).waitFor();
    await expect(row.locator(`a[href="/items/${ids.incoming}"]`).count()).resolves.toBe(1);
    await check('notifications-unread');
    await row.getByRole('button', { name: /^Đánh dấu đã đọc thông báo lúc/ }).click();
    await row.getByText(/^Đã đọc \d{2}\/\d{2}\/\d{4}/).waitFor();
    await page.getByRole('link', { name: 'Thông báo: không có thông báo mới' }).waitFor();
    await expect(page.getByRole('button', { name: 'Đánh dấu tất cả đã đọc' }).isDisabled()).resolves.toBe(true);
    await page.locator('.notice-filter').getByText('Chưa đọc (0)', { exact: true }).click();
    await table.getByText('Không có thông báo chưa đọc.').waitFor();
    await check('notifications-all-read');

    // Any unit's holdings, from the units page.
    await ui.nav('Đơn vị').click();
    await page.getByRole('link', { name: `Xem tài liệu ${LSBG} đang giữ` }).click();
    await ui.heading(`Tài liệu ${LSBG} đang giữ`);
    await page.locator('.holdings-table').getByRole('row').filter({ hasText: 'Bản số 3/3' }).waitFor();
    await check('holdings-security-officer');
    await ui.signOut();
  });

  it('lets the head of the unit keeping a copy assign a colleague from the holdings page', async () => {
    await ui.signIn(HEAD_LSBG.username, HEAD_LSBG.password, HEAD_LSBG.fullName);
    // A department head neither grants clearances nor confirms account changes (the agency head does).
    await expect(ui.nav('Xác nhận thay đổi tài khoản').count()).resolves.toBe(0);
    await ui.nav('Mức tiếp cận BMNN').click();
    await ui.heading('Mức được tiếp cận bí mật nhà nước');
    await page.getByText('Chỉ cán bộ bảo mật và thủ trưởng cơ quan quyết định mức tiếp cận; bạn được xem danh sách này.').waitFor();
    await page.locator('.clearance-table tbody tr.ant-table-row').first().waitFor();
    await expect(page.getByRole('button', { name: /^Thay đổi mức tiếp cận/ }).count()).resolves.toBe(0);
    await check('clearance-department-head');
    await ui.nav('Trang chủ').click();
    await ui.heading(`Xin chào, ${HEAD_LSBG.fullName}`);
    await page.getByRole('link', { name: /^1 Bản tài liệu đơn vị đang giữ$/ }).click();
    await ui.heading(`Tài liệu ${LSBG} đang giữ`);
    const row = page.locator('.holdings-table').getByRole('row').filter({ hasText: 'Bản số 3/3' });
    await row.getByText('Đang giữ', { exact: true }).waitFor();
    await row.getByText('Tối mật', { exact: true }).waitFor();
    await check('holdings-head');
    await row.locator(`a[href="/items/${ids.item}"]`).click();
    await stateTag('Đã phát hành').waitFor();

    const card = page.locator('.assignments-card');
    await card.getByText('Chưa phân công ai.').waitFor();
    const picker = card.getByLabel('Phân công cho');
    await searchPeople(picker, 'dinh van tu');
    await ui.dropdown().locator('.ant-select-item-option-disabled').getByText(`${JUNIOR.fullName} — ${LSBG} (chưa đủ độ mật)`).waitFor();
    await shot('assign-picker-not-cleared');
    await ui.pickPerson(picker, 'ly thi mai', new RegExp(`^${COLLEAGUE.fullName} — `));
    await card.getByRole('button', { name: 'Phân công' }).click();
    await card.locator('.assignments-table').getByText(COLLEAGUE.fullName).waitFor();
    await page.locator('.timeline [data-action="item.assignment_granted"]').waitFor();
    await check('item-assigned-head');
    await ui.signOut();
  });

  it('lets the assigned colleague read the content and download the file', async () => {
    await ui.signIn(COLLEAGUE.username, COLLEAGUE.password, COLLEAGUE.fullName);
    await ui.nav('Tài liệu').click();
    await page.getByLabel('Mở tài liệu theo mã').fill(ids.item!);
    await page.getByLabel('Mở tài liệu theo mã').press('Enter');
    await stateTag('Đã phát hành').waitFor();
    await page.getByRole('button', { name: 'Xem nội dung' }).click();
    await page.locator('.content-summary').getByText(SUMMARY_2).waitFor();
    const link = page.locator('.attachments-table').getByRole('link', { name: `Tải về ${FILE_NAME}` });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = path.join(tmp, 'tai-ve.txt');
    await download.saveAs(saved);
    expect(fs.readFileSync(saved).equals(fileBytes)).toBe(true);
    await check('item-content-assigned-colleague');
    await ui.signOut();
  });

  it('lets the receiver sign for a copy and attach the scan of the signed page, and the clerk download it', async () => {
    // The security officer is the named recipient of copy 1: she signs on the work page, and the
    // optional scan is offered right away.
    await ui.signIn('baomat', P, NAMES.secoff);
    await page.getByRole('link', { name: /^\d+ Chờ tôi ký nhận$/ }).click();
    const row = page.locator('.pending-table tbody tr').filter({ has: page.locator(`a[href="/items/${ids.item}"]`) });
    await row.getByRole('button', { name: /^Ký nhận tài liệu/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Đính kèm bản quét phiếu ký nhận (không bắt buộc)' });
    await dialog.waitFor();
    await row.waitFor({ state: 'detached' });
    // A type the server refuses: its own message, the dialog stays open.
    await dialog.getByLabel('Tệp bản quét').setInputFiles(path.join(tmp, 'cong-cu.exe'));
    await dialog.getByRole('button', { name: 'Tải lên' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/^Bản chụp phiếu ký nhận chỉ nhận:/)
      .waitFor();
    await check('receipt-scan-dialog-refused');
    await dialog.getByLabel('Tệp bản quét').setInputFiles(path.join(tmp, SCAN_NAME));
    await dialog.getByText(`${SCAN_NAME} (`).waitFor();
    await dialog.getByRole('button', { name: 'Tải lên' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`Đã đính kèm bản quét «${SCAN_NAME}».`).waitFor();
    // The signer sees it on the item page; the scan cannot be attached twice.
    await page.goto(`/items/${ids.item}`);
    const history = page.locator('.history-table');
    await history.getByRole('link', { name: `Tải về bản quét phiếu ký nhận ${SCAN_NAME}` }).waitFor();
    await expect(history.getByRole('button', { name: /^Đính kèm bản quét/ }).count()).resolves.toBe(0);
    await ui.signOut();

    // The clerk keeps the register: she sees the scan in "Quá trình giao nhận" and downloads it.
    await ui.signIn('vanthu', P, NAMES.clerk);
    await page.goto(`/items/${ids.item}`);
    await stateTag('Đã phát hành').waitFor();
    const link = history.getByRole('link', { name: `Tải về bản quét phiếu ký nhận ${SCAN_NAME}` });
    await link.waitFor();
    await link.scrollIntoViewIfNeeded();
    await shot('item-receipt-scan-clerk-history');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(SCAN_NAME);
    const saved = path.join(tmp, 'phieu-tai-ve.pdf');
    await download.saveAs(saved);
    expect(fs.readFileSync(saved).equals(scanBytes)).toBe(true);
    await check('item-receipt-scan-clerk');
    await ui.signOut();
  });

  it('lets the agency head delegate a field to a deputy', async () => {
    await ui.signIn('giamdoc', P, NAMES.head);
    await ui.nav('Ủy quyền xác định độ mật').click();
    await ui.heading('Ủy quyền xác định độ mật');
    await page.getByRole('button', { name: 'Ủy quyền mới' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ủy quyền xác định độ mật' });
    await ui.pickPerson(dialog.getByLabel('Người được ủy quyền'), 'tran van binh', new RegExp(`^${NAMES.officer} — `));
    await dialog.getByLabel('Lĩnh vực').click();
    await ui.dropdown().locator('.ant-select-item-option', { hasText: 'Ngoại giao' }).first().click();
    const fmt = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
    const today = new Date();
    await dialog.getByLabel('Từ ngày').fill(fmt(today));
    await dialog.getByLabel('Từ ngày').press('Enter');
    await dialog.getByLabel('Đến ngày').fill(fmt(new Date(today.getTime() + 180 * 86_400_000)));
    await dialog.getByLabel('Đến ngày').press('Enter');
    await dialog.getByLabel('Văn bản ủy quyền').fill('Quyết định số 15/QĐ-SNV (thử nghiệm)');
    await check('delegation-dialog');
    await dialog.getByRole('button', { name: 'Ủy quyền', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('tr', { hasText: NAMES.officer });
    await row.getByText('Đang hiệu lực').waitFor();
    await check('delegations');
    await ui.signOut();
  });

  it('lets the deputy find a proposal in the delegated field on the home page and approve it', async () => {
    // A colleague proposes a Mật item in «Ngoại giao» (through the API: drafting is shown above).
    const colleague = await new ApiSession(server.baseUrl).signIn(COLLEAGUE.username, COLLEAGUE.password, { totp, secrets });
    const catalog = await colleague.get<{ items: { id: string; level: string }[] }>('/catalog?field=Ngo%E1%BA%A1i%20giao&level=CONFIDENTIAL');
    const proposal = await colleague.post<{ id: string }>('/items', {
      kind: 'document',
      docType: 'Hồ sơ',
      summary: 'Hồ sơ vụ việc lãnh sự của công dân ở nước ngoài (thử nghiệm ủy quyền)',
      field: 'Ngoại giao',
      level: 'CONFIDENTIAL',
      catalogItemIds: [catalog.items[0]!.id],
      recipients: [{ kind: 'outside', outsideName: 'Cục Lãnh sự, Bộ Ngoại giao', copies: 1 }],
      copyCount: 2,
      copyAllowed: false,
    });
    await colleague.post(`/items/${proposal.id}/propose`);
    await colleague.signOut();

    await ui.signIn('canbo', P, NAMES.officer);
    // Told under the bell when it was proposed (a delegate of its field), and counted on the home page.
    await page.getByRole('link', { name: /^Thông báo: 1 chưa đọc$/ }).waitFor();
    const counter = page.getByRole('link', { name: /^[1-9]\d* Đề xuất chờ phê duyệt$/ });
    await counter.waitFor();
    await check('home-deputy');
    await counter.click();
    await page.getByRole('tab', { name: 'Chờ phê duyệt', selected: true }).waitFor();
    await page.locator(`.items-proposed a[href="/items/${proposal.id}"]`).click();
    await check('item-proposal-deputy');
    await page.getByRole('button', { name: 'Phê duyệt' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Phê duyệt' }).click();
    // Decided: the deputy's reading ends, and they are back at the proposals still waiting.
    await page.getByText('Đã phê duyệt độ mật.').waitFor();
    await page.getByRole('tab', { name: 'Chờ phê duyệt', selected: true }).waitFor();
    await expect.poll(() => page.locator(`.items-proposed a[href="/items/${proposal.id}"]`).count()).toBe(0);
    ids.deputyItem = proposal.id;
    await ui.signOut();
  });

  it('lets the agency head see the deputy’s decision and revoke the delegation', async () => {
    await ui.signIn('giamdoc', P, NAMES.head);
    await page.goto(`/items/${ids.deputyItem}`);
    await stateTag('Đã duyệt, chờ phát hành').waitFor();
    await page.locator('.timeline [data-action="item.classified"]').getByText('Cấp phó được ủy quyền').waitFor();
    await check('item-approved-by-deputy');
    await ui.nav('Ủy quyền xác định độ mật').click();
    await ui.heading('Ủy quyền xác định độ mật');
    const row = page.locator('tr', { hasText: NAMES.officer });
    await row.getByText('Đang hiệu lực').waitFor();
    await row.getByRole('button', { name: `Thu hồi ủy quyền cho «${NAMES.officer}»` }).click();
    const revoke = page.getByRole('dialog', { name: `Thu hồi ủy quyền cho «${NAMES.officer}»` });
    await revoke.getByLabel('Lý do').fill('Hết nhiệm vụ (thử nghiệm)');
    await revoke.getByRole('button', { name: 'Thu hồi', exact: true }).click();
    await revoke.waitFor({ state: 'hidden' });
    await row.getByText('Đã thu hồi').waitFor();
    await check('delegations-revoked');
    await ui.signOut();
  });

  it('keeps the person the pointer went down on when the server answers mid-click', async () => {
    await ui.signIn('giamdoc', P, NAMES.head);
    await ui.nav('Ủy quyền xác định độ mật').click();
    await ui.heading('Ủy quyền xác định độ mật');
    await page.getByRole('button', { name: 'Ủy quyền mới' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ủy quyền xác định độ mật' });
    const field = dialog.getByLabel('Người được ủy quyền');
    await field.click();
    await ui.dropdown().locator('.ant-select-item-option').first().waitFor();
    // The answer to the typed text is held, then delivered in the reverse order while the
    // pointer is down on the first option: a different person arrives under the pointer.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const answered = page.waitForResponse((r) => /\/api\/people\?.*q=thi(&|$)/.test(r.url()));
    await page.route(/\/api\/people\?.*q=thi(&|$)/, async (route) => {
      await held;
      const response = await route.fetch();
      const body = (await response.json()) as { people: unknown[] };
      expect(body.people.length).toBeGreaterThan(1);
      await route.fulfill({ response, json: { ...body, people: body.people.reverse() } });
    });
    await field.fill('thi');
    const first = ui.dropdown().locator('.ant-select-item-option').first();
    await first.waitFor();
    await page.waitForTimeout(400); // the request for «thi» is on its way (typing is debounced)
    const chosen = (await first.innerText()).trim();
    const box = (await first.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    release();
    await answered;
    await page.waitForTimeout(300); // the answer is rendered (or, with the list held, is not)
    await page.mouse.up();
    const select = field.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
    await expect.poll(async () => (await select.innerText()).trim()).toBe(chosen);
    await page.unroute(/\/api\/people\?.*q=thi(&|$)/);
    await dialog.getByRole('button', { name: 'Hủy' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await ui.signOut();
  });

  // Issue 11, as the demo agency shows it: an officer whose password the administrator reset has
  // set her own and waits; the security officer confirms face to face that it is her.
  it('tells a person whose password was reset why she waits, and lets the security officer confirm it is her', async () => {
    await ui.signIn('canbohtqt', P, 'Lý Thanh Tâm');
    const banner = page.locator('.hold-banner');
    await banner.getByText(/^Đặt lại mật khẩu\/mã xác thực: bạn cần tự đặt mật khẩu mới và đăng ký lại mã xác thực, rồi cán bộ bảo mật xác nhận$/).waitFor();
    await check('home-held-identity');
    await ui.signOut();

    await ui.signIn('baomat', P, NAMES.secoff);
    await page.getByRole('link', { name: /^1 Thay đổi tài khoản chờ xác nhận$/ }).click();
    await ui.heading('Xác nhận thay đổi tài khoản');
    const row = page.locator('.changes-table').getByRole('row').filter({ hasText: 'Lý Thanh Tâm' });
    await row.getByText('Đặt lại mật khẩu/mã xác thực', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Xác nhận thay đổi của «Lý Thanh Tâm»' }).click();
    const dialog = page.getByRole('dialog', { name: 'Xác nhận thay đổi tài khoản của «Lý Thanh Tâm»' });
    // How the security officer made sure it is her is required. (Submitted from the field with Enter
    // once it has focus: a click on the button while the dialog was still opening was once lost.)
    const how = dialog.getByLabel('Cách xác minh');
    await how.waitFor();
    await how.focus();
    await how.press('Enter');
    await dialog.getByText('Vui lòng ghi cách đã xác minh đúng là người dùng.').waitFor();
    await check('account-change-identity-dialog');
    await dialog.getByLabel('Cách xác minh').fill('Đối chiếu trực tiếp CCCD');
    await dialog.getByLabel('Cách xác minh').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Không có thay đổi nào chờ xác nhận.').waitFor();
  });

  it('lets the security officer ask for a higher clearance, which the agency head confirms', async () => {
    await ui.nav('Mức tiếp cận BMNN').click();
    await ui.heading('Mức được tiếp cận bí mật nhà nước');
    const row = page.getByRole('row').filter({ hasText: 'vanthuttdt' });
    await row.getByRole('button', { name: 'Thay đổi mức tiếp cận của «Bùi Thị Ngọc»' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thay đổi mức tiếp cận của «Bùi Thị Ngọc»' });
    await dialog.getByRole('radio', { name: 'Tối mật', exact: true }).check();
    await dialog.getByLabel('Lý do').fill('Được giao quản lý sổ tài liệu tối mật của Trung tâm (thử nghiệm)');
    await dialog.getByLabel('Số quyết định/văn bản').fill('Quyết định 31/QĐ-SNV (thử nghiệm)');
    await dialog.getByLabel('Số quyết định/văn bản').press('Enter');
    const sent = page.getByRole('dialog').filter({ hasText: 'Đã gửi, chờ xác nhận' });
    await sent.getByText(/Mức «Tối mật» của «Bùi Thị Ngọc» có hiệu lực khi người thứ hai xác nhận/).waitFor();
    await check('clearance-sent');
    await sent.getByRole('button', { name: 'Đóng' }).click();
    await row.getByText('Chờ xác nhận: Tối mật', { exact: true }).waitFor();
    await expect(row.locator('.clearance-tag[data-clearance="CONFIDENTIAL"]').count()).resolves.toBe(1);
    await check('clearance-pending');
    // The security officer does not confirm her own request.
    await ui.nav('Xác nhận thay đổi tài khoản').click();
    const change = page.locator('.changes-table').getByRole('row').filter({ hasText: 'Bùi Thị Ngọc' });
    await change.getByText('Mức tiếp cận: Mật → Tối mật').waitFor();
    await change.getByText('Chờ người có thẩm quyền khác xác nhận').waitFor();
    await ui.signOut();

    await ui.signIn('giamdoc', P, NAMES.head);
    await ui.nav('Xác nhận thay đổi tài khoản').click();
    await ui.heading('Xác nhận thay đổi tài khoản');
    await change.getByText('Quyết định 31/QĐ-SNV (thử nghiệm)').waitFor();
    await check('account-changes-clearance');
    // Rejecting asks for a reason; the agency head looks, then confirms instead.
    await change.getByRole('button', { name: 'Từ chối thay đổi của «Bùi Thị Ngọc»' }).click();
    const reject = page.getByRole('dialog', { name: 'Từ chối thay đổi tài khoản của «Bùi Thị Ngọc»' });
    await reject.getByLabel('Lý do').waitFor();
    await check('account-change-reject-dialog');
    await reject.getByRole('button', { name: 'Hủy' }).click();
    await reject.waitFor({ state: 'hidden' });
    await change.getByRole('button', { name: 'Xác nhận thay đổi của «Bùi Thị Ngọc»' }).click();
    const confirm = page.getByRole('dialog', { name: 'Xác nhận thay đổi tài khoản của «Bùi Thị Ngọc»' });
    await confirm.getByRole('button', { name: 'Xác nhận', exact: true }).click();
    await confirm.waitFor({ state: 'hidden' });
    await ui.nav('Mức tiếp cận BMNN').click();
    await ui.heading('Mức được tiếp cận bí mật nhà nước');
    await row.locator('.clearance-tag[data-clearance="SECRET"]').waitFor();
    await ui.signOut();
  });

  storyEndChecks(() => ({ server, session, tmp }), screens, 12);
});
