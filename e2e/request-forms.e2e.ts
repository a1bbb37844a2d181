import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiSession } from './support/api';
import { DEMO_HEAD_NAME } from './support/items';
import { checkScreen, type ScreenCheck } from './support/a11y';
import { openBrowser, type BrowserSession } from './support/browser';
import { DEMO_PASSWORD, loadDemo } from './support/demo';
import { CHROMIUM, RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { storyEndChecks, storyHooks } from './support/story';
import { TotpDevice } from './support/totp';
import { Screens } from './support/ui';

// Issue 13, the requester's side in a real browser against the demo agency: the officer opens an
// issued item, asks for two copies for two recipients, saves the draft, edits it and sends it; it
// waits under "Đề nghị của tôi" as "Chờ phê duyệt". A copy request on an item marked "không được
// sao, chụp" is kept as a draft and refused at sending, in the server's Vietnamese words. A
// provision to a foreign party, with the Mẫu 17 fields, goes to a higher authority. The
// administrator adds a position. Items are made through the API (the registry story's subject).
// Every screen: axe-core + screenshot (test-results/e2e/request-forms-NN-*.png).

const P = DEMO_PASSWORD;
const NAMES = { officer: 'Trần Văn Bình', admin: 'Đỗ Minh Quân' };
const COPYABLE = { docType: 'Kế hoạch', summary: 'Kế hoạch đón đoàn đại biểu nước ngoài (thử nghiệm lập đề nghị)', symbol: 'KH-SNV' };
const FORBIDDEN = { docType: 'Báo cáo', summary: 'Báo cáo tình hình biên giới (thử nghiệm không được sao)', symbol: 'BC-SNV' };
const PURPOSE = 'Phục vụ cuộc họp giao ban tuần của Phòng';
const PURPOSE_EDITED = 'Phục vụ cuộc họp giao ban tuần của Phòng và báo cáo Ban Giám đốc';
const VN_ZONE = 'Asia/Ho_Chi_Minh';
const vnDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: VN_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

let server: RunningServer;
let session: BrowserSession;
let page: Page;
let ui: Screens;
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];
const items: { copyable?: string; forbidden?: string } = {};

async function check(name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  screens.push(await checkScreen(page, `request-forms-${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

/**
 * A Tối mật document of the demo agency drafted by the officer (canbo) with one copy addressed to
 * himself — a named recipient may open it (need-to-know) — approved by the head, issued by the văn
 * thư. The drafter alone keeps no access once the item is issued.
 */
async function issueItemTo(o: { docType: string; summary: string; symbol: string; copyAllowed: boolean }): Promise<string> {
  const officer = await new ApiSession(server.baseUrl).signIn('canbo', P, { totp, secrets });
  const head = await new ApiSession(server.baseUrl).signIn('giamdoc', P, { totp, secrets });
  const clerk = await new ApiSession(server.baseUrl).signIn('vanthu', P, { totp, secrets });
  const catalog = await officer.get<{ items: { id: string }[] }>('/catalog?field=Ngo%E1%BA%A1i%20giao&level=SECRET');
  const item = await officer.post<{ id: string }>('/items', {
    kind: 'document',
    docType: o.docType,
    summary: o.summary,
    field: 'Ngoại giao',
    level: 'SECRET',
    catalogItemIds: [catalog.items[0]!.id],
    recipients: [
      { kind: 'user', userId: officer.userId, copies: 1 },
      { kind: 'outside', outsideName: 'Cục Lãnh sự, Bộ Ngoại giao', copies: 1 },
    ],
    copyCount: 3,
    copyAllowed: o.copyAllowed,
  });
  await officer.post(`/items/${item.id}/propose`);
  await head.post(`/items/${item.id}/approve`);
  await clerk.post(`/items/${item.id}/issue`, { symbol: o.symbol, documentDate: vnDay(new Date()), signerName: DEMO_HEAD_NAME });
  for (const s of [officer, head, clerk]) await s.signOut();
  return item.id;
}

/** "Lập đề nghị" on the item's page, then the kind of request. */
async function lodgeFromItem(itemId: string, heading: RegExp, type: string, screen?: string): Promise<void> {
  await page.goto(`/items/${itemId}`);
  await ui.heading(heading);
  await page.getByRole('button', { name: 'Lập đề nghị' }).click();
  await page.getByRole('menuitem', { name: type }).waitFor();
  if (screen) await check(screen);
  await page.getByRole('menuitem', { name: type }).click();
  await ui.heading('Lập đề nghị');
  await page.getByText(type, { exact: true }).waitFor();
}

describe('KhoMật requests: lodging a request', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^request-forms-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    server = await startServer('request-forms', { beforeStart: loadDemo });
    items.copyable = await issueItemTo({ ...COPYABLE, copyAllowed: true });
    items.forbidden = await issueItemTo({ ...FORBIDDEN, copyAllowed: false });
    session = await openBrowser(server.baseUrl);
    page = session.page;
    ui = new Screens(page, totp, secrets);
  });

  storyHooks('request-forms-', () => ({ server, session }));

  it('lets the officer ask for two copies for two recipients and save the draft', async () => {
    await page.goto('/');
    await ui.signIn('canbo', P, NAMES.officer);
    await lodgeFromItem(items.copyable!, /Kế hoạch/, 'Sao tài liệu, vật chứa bí mật nhà nước', 'item-menu');
    const form = page.locator('form.request-form');
    // Sao y is the default form; two copies.
    await form.getByLabel('Số lượng bản').fill('2');
    await form.getByLabel('Tên cơ quan, tổ chức').first().fill('Cục Lãnh sự, Bộ Ngoại giao');
    await form.getByRole('button', { name: 'Thêm nơi nhận' }).click();
    const second = form.getByRole('listitem', { name: 'Nơi nhận 2' });
    await second.getByText('Đơn vị', { exact: true }).click();
    await ui.pick(second.getByLabel('Đơn vị nhận'), 'hop tac', 'Phòng Hợp tác quốc tế');
    await form.getByLabel('Mục đích', { exact: true }).fill(PURPOSE);
    await check('copy-form');
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await ui.heading('Sao tài liệu, vật chứa bí mật nhà nước');
    await page.locator('.request-card').getByText('Dự thảo', { exact: true }).waitFor();
    await page.getByText('Dự thảo chưa gửi: người có thẩm quyền chưa thấy đề nghị này.').waitFor();
    await page.locator('.request-card').getByText('Cục Lãnh sự, Bộ Ngoại giao; Phòng Hợp tác quốc tế').waitFor();
    await check('copy-draft');
  });

  it('lets the officer edit the draft and send it; it waits under "Đề nghị của tôi"', async () => {
    await page.getByRole('button', { name: 'Sửa dự thảo' }).click();
    await ui.heading('Sửa dự thảo đề nghị');
    const form = page.locator('form.request-form');
    await expect.poll(() => form.getByLabel('Mục đích', { exact: true }).inputValue()).toBe(PURPOSE);
    expect(await form.getByLabel('Số lượng bản').inputValue()).toBe('2');
    expect(await form.getByRole('listitem', { name: 'Nơi nhận 2' }).getByText('Phòng Hợp tác quốc tế').count()).toBe(1);
    await form.getByLabel('Mục đích', { exact: true }).fill(PURPOSE_EDITED);
    await check('copy-edit');
    await page.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await ui.heading('Sao tài liệu, vật chứa bí mật nhà nước');
    await page.locator('.request-card').getByText('Chờ phê duyệt', { exact: true }).waitFor();
    await page.locator('.request-card').getByText(PURPOSE_EDITED).waitFor();
    expect(await page.getByRole('button', { name: 'Sửa dự thảo' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Hủy đề nghị' }).waitFor();
    await check('copy-sent');
    await ui.nav('Đề nghị của tôi').click();
    await ui.heading('Đề nghị của tôi');
    const row = page.locator('.my-requests-table tbody tr', { hasText: 'Sao tài liệu, vật chứa bí mật nhà nước' });
    await row.getByText('Chờ phê duyệt', { exact: true }).waitFor();
    await row.getByText(new RegExp(`^${COPYABLE.docType} \\d+/${COPYABLE.symbol}$`)).waitFor();
    await check('my-requests');
    // From the list, a new request starts by choosing one of the items this person holds.
    await page.getByRole('button', { name: 'Lập đề nghị' }).click();
    await ui.heading('Lập đề nghị');
    // His unit keeps the bản lưu of both items: he may choose either.
    await page.getByLabel('Tài liệu bạn đang giữ').click();
    await ui
      .dropdown()
      .getByText(/^Báo cáo \d+\/BC-SNV — Tối mật$/)
      .waitFor();
    await check('choose-item');
    await ui
      .dropdown()
      .getByText(/^Kế hoạch \d+\/KH-SNV — Tối mật$/)
      .click();
    await page.getByRole('button', { name: 'Tiếp tục' }).click();
    await page
      .locator('.request-form-item')
      .getByRole('link', { name: /^Kế hoạch \d+\/KH-SNV$/ })
      .waitFor();
  });

  it('shows the take-out fields when the kind is changed to taking out abroad', async () => {
    await lodgeFromItem(items.copyable!, /Kế hoạch/, 'Mang ra khỏi nơi lưu giữ phục vụ công tác ở nước ngoài');
    const form = page.locator('form.request-form');
    await form.getByLabel('Nơi mang đến').waitFor();
    await form.getByLabel('Nước đến').fill('Lào');
    await form.getByLabel('Ngày mang ra').fill('10/07/2026');
    await form.getByLabel('Ngày mang ra').press('Enter');
    await form.getByLabel('Ngày mang về').fill('05/07/2026');
    await form.getByLabel('Ngày mang về').press('Enter');
    await expect.poll(() => page.locator('.ant-picker-dropdown:visible').count()).toBe(0);
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await form.getByText('Ngày mang về phải sau hoặc bằng ngày mang ra.').waitFor();
    await form.getByText('Vui lòng nhập nơi mang đến.').waitFor();
    await form.getByText('Vui lòng chọn bản sẽ mang ra.').waitFor();
    await check('take-out-form');
    // Switching kind keeps the page: the copying fields come back.
    await form.getByRole('radio', { name: 'Sao', exact: true }).check();
    await form.getByLabel('Số lượng bản').waitFor();
    expect(await form.getByLabel('Nơi mang đến').count()).toBe(0);
  });

  it('keeps a copy request on a copy-forbidden item as a draft and shows the refusal in Vietnamese', async () => {
    await lodgeFromItem(items.forbidden!, /Báo cáo/, 'Sao tài liệu, vật chứa bí mật nhà nước');
    await page.getByText('Tài liệu này được đánh dấu không được sao, chụp: đề nghị sao, chụp, trích sao sẽ bị từ chối khi gửi.').waitFor();
    const form = page.locator('form.request-form');
    await form.getByLabel('Số lượng bản').fill('1');
    await form.getByLabel('Tên cơ quan, tổ chức').first().fill('Bộ Tư lệnh Bộ đội Biên phòng');
    await form.getByLabel('Mục đích', { exact: true }).fill('Phối hợp tuần tra biên giới');
    await page.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await ui.heading('Sửa dự thảo đề nghị');
    const alert = page.locator('.form-error');
    await alert.getByText('Tài liệu này được đánh dấu không được sao, chụp.').waitFor();
    await alert.getByText('Dự thảo đã được lưu nhưng chưa gửi được', { exact: false }).waitFor();
    await check('copy-forbidden');
    await ui.nav('Đề nghị của tôi').click();
    await ui.heading('Đề nghị của tôi');
    await page
      .locator('.my-requests-table tbody tr', { hasText: `/${FORBIDDEN.symbol}` })
      .getByText('Dự thảo', { exact: true })
      .waitFor();
  });

  it('routes a provision to a foreign party, with the Mẫu 17 fields, to a higher authority', async () => {
    await lodgeFromItem(items.copyable!, /Kế hoạch/, 'Cung cấp, chuyển giao cho cơ quan, tổ chức, cá nhân nước ngoài');
    const form = page.locator('form.request-form');
    await form.getByLabel('Cơ quan, tổ chức đề nghị').fill('Đại sứ quán nước X tại Hà Nội');
    await form.getByLabel('Người đại diện').fill('John Smith');
    await form.getByLabel('Chức vụ').fill('Tham tán');
    await form.getByLabel('Quốc tịch').fill('Nước X');
    await form.getByLabel('Số CCCD/hộ chiếu').fill('P1234567');
    await form.getByLabel('Tài liệu, vật chứa đề nghị cung cấp').fill('Lịch trình làm việc của đoàn');
    await form.getByLabel('Mục đích', { exact: true }).fill('Phối hợp tổ chức chuyến thăm');
    // Without the commitment the form is not sent.
    await page.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await form.getByText('Cần có cam kết bảo vệ bí mật nhà nước được cung cấp.').waitFor();
    await form.getByRole('checkbox', { name: /Bên nhận cam kết bảo vệ bí mật nhà nước/ }).check();
    await check('provide-form');
    await page.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await ui.heading('Cung cấp, chuyển giao cho cơ quan, tổ chức, cá nhân nước ngoài');
    const card = page.locator('.request-card');
    await card.getByText('Chờ phê duyệt', { exact: true }).waitFor();
    await card.getByText('Đại sứ quán nước X tại Hà Nội').waitFor();
    await card
      .locator('tr', { hasText: 'Thẩm quyền quyết định' })
      .getByText(/Cấp có thẩm quyền ngoài cơ quan/)
      .waitFor();
    await page.getByText('Việc này do cấp có thẩm quyền ngoài cơ quan quyết định', { exact: false }).waitFor();
    await check('provide-sent');
    await ui.signOut();
  });

  it('lets the administrator add a position, from the list linked with the users screen', async () => {
    await ui.signIn('quantri', P, NAMES.admin);
    await ui.nav('Chức vụ').click();
    await ui.heading('Chức vụ');
    const table = page.locator('.positions-table');
    await table.getByText('Giám đốc Sở', { exact: true }).waitFor();
    await check('positions');
    await page.getByRole('button', { name: 'Thêm chức vụ' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thêm chức vụ' });
    // A title already in the list is refused before it is sent.
    await dialog.getByLabel('Tên chức vụ').fill('giám đốc sở');
    await dialog.getByRole('button', { name: 'Tạo mới' }).click();
    await dialog.getByText('Tên chức vụ đã có trong danh sách chức vụ của cơ quan.').waitFor();
    await dialog.getByLabel('Tên chức vụ').fill('Phó Chánh Văn phòng');
    await dialog.getByLabel('Loại chức vụ').click();
    await ui.dropdown().getByText('Cấp phó của người đứng đầu đơn vị', { exact: true }).click();
    await check('position-dialog');
    await dialog.getByRole('button', { name: 'Tạo mới' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = table.locator('tr', { hasText: 'Phó Chánh Văn phòng' });
    await row.getByText('Cấp phó của người đứng đầu đơn vị').waitFor();
    await row.getByText('Chưa ai giữ').waitFor();
    await check('position-added');
    await page.getByRole('button', { name: 'Giao chức vụ cho người dùng' }).click();
    await ui.heading('Người dùng');
    await page.getByRole('button', { name: 'Danh sách chức vụ' }).waitFor();
    await ui.signOut();
  });

  storyEndChecks(() => ({ server, session }), screens, 13);
});
