import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { civilDateInVietnam, addDays } from '@khomat/policy';
import { ApiSession } from './support/api';
import { openBrowser, type BrowserSession } from './support/browser';
import { checkScreen, type ScreenCheck } from './support/a11y';
import { storyEndChecks, storyHooks } from './support/story';
import { dialogClosed, dialogOpened, pickPerson, Screens } from './support/ui';
import { DEMO_PASSWORD, loadDemo } from './support/demo';
import { CHROMIUM, RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { TotpDevice } from './support/totp';

// Receiving (issue 12, points 7 and 8) in a real browser against a real server and the built UI:
// the agency's clerk registers a paper that arrived yesterday, with its arrival date, under
// "Chỉ người có tên mới được bóc bì" → the incoming register shows that date → the named person
// signs for the envelope, opens it and completes its summary → the clerk, who keeps the register,
// sees the summary there → the clerk records an outside body's signed receipt with the day it was
// signed (a day before the copy left is refused, in words). Every screen: axe-core + screenshot.

const P = DEMO_PASSWORD;
const NAMES = { clerk: 'Nguyễn Thị Thu Hà', officer: 'Trần Văn Bình' };
const PAPER = { issuer: 'Bộ Quốc phòng', numberSymbol: '31/BQP-TM', summary: 'Về việc phối hợp bảo vệ đoàn công tác biên giới (thử nghiệm)' };
const vi = (iso: string) => iso.split('-').reverse().join('/');
const today = civilDateInVietnam(new Date());
const documentDate = addDays(today, -3);
const arrivalDate = addDays(today, -1);

let server: RunningServer;
let session: BrowserSession;
let page: Page;
let ui: Screens;
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];
let itemId = '';

async function check(name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  screens.push(await checkScreen(page, `receiving-${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

/** A date picker takes the date typed as dd/mm/yyyy, confirmed with Enter (which submits nothing). */
async function typeDate(label: string, iso: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.click();
  await field.fill(vi(iso));
  await field.press('Enter');
  await expect.poll(() => field.inputValue()).toBe(vi(iso));
}

async function incomingRow() {
  await ui.nav('Sổ đăng ký').click();
  await page.getByRole('tab', { name: 'Sổ đến' }).click();
  const row = page.locator('.register-incoming tr').filter({ hasText: PAPER.numberSymbol });
  await row.waitFor();
  return row;
}

describe('receiving in the browser: arrival date and the summary of an addressee-only envelope', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^receiving-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    server = await startServer('receiving', { beforeStart: loadDemo });
    session = await openBrowser(server.baseUrl);
    page = session.page;
    ui = new Screens(page, totp, secrets);
  });

  storyHooks('receiving-', () => ({ server, session }));

  it('lets the clerk register a paper received yesterday with its arrival date', async () => {
    await page.goto('/');
    await ui.signIn('vanthu', P, NAMES.clerk);
    await ui.nav('Vào sổ văn bản đến').click();
    await ui.heading('Vào sổ văn bản đến');
    // Today is offered; the paper came yesterday.
    await expect.poll(() => page.getByLabel('Ngày đến', { exact: true }).inputValue()).toBe(vi(today));
    await page.getByLabel('Cơ quan ban hành').fill(PAPER.issuer);
    await page.getByLabel('Số, ký hiệu').fill(PAPER.numberSymbol);
    await typeDate('Ngày văn bản', documentDate);
    await typeDate('Ngày đến', arrivalDate);
    await page.getByLabel('Tên loại').fill('Công văn');
    await page.keyboard.press('Escape');
    await page.getByRole('radio', { name: 'Mật', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Bì có dấu «Chỉ người có tên mới được bóc bì»' }).check();
    await pickPerson(page, page.getByLabel('Người có tên trên bì'), 'Bình', new RegExp(`^${NAMES.officer} —`));
    await expect.poll(() => page.getByLabel('Ngày đến', { exact: true }).inputValue()).toBe(vi(arrivalDate));
    await check('incoming-arrival-date');
    await page.getByRole('button', { name: 'Vào sổ' }).click();
    await page.getByText(/Đã vào sổ: số đến \d+\/\d{4}/).waitFor();
    await page.getByRole('button', { name: 'Mở tài liệu' }).click();
    itemId = Screens.itemIdOf(page.url());

    // The incoming register shows the day it arrived, and no summary (a sealed envelope).
    const row = await incomingRow();
    await row.getByText(vi(arrivalDate), { exact: true }).waitFor();
    await row.getByText('(không ghi trích yếu)').waitFor();
    await check('register-incoming-arrival-date');
    await ui.signOut();
  });

  it('lets the named person sign for the envelope, open it and complete its summary', async () => {
    await ui.signIn('canbo', P, NAMES.officer);
    await page.goto(`/items/${itemId}`);
    const card = page.locator('.summary-completion');
    await card.getByText('Người có tên ký nhận bì trước, sau đó mới bổ sung được trích yếu.').waitFor();
    await page.locator('.history-table').getByRole('button', { name: 'Ký nhận' }).click();
    const offer = page.getByRole('dialog', { name: 'Đính kèm bản quét phiếu ký nhận (không bắt buộc)' });
    await dialogOpened(offer);
    await offer.getByRole('button', { name: 'Bỏ qua' }).click();
    await dialogClosed(offer);
    await card.getByLabel('Trích yếu nội dung').fill(PAPER.summary);
    await check('item-summary-form');
    await card.getByRole('button', { name: 'Ghi trích yếu', exact: true }).click();
    await page.getByText('Đã ghi trích yếu vào sổ đến.').waitFor();
    await card.getByText('Trích yếu đã được bổ sung.').waitFor();
    await page.getByRole('button', { name: 'Xem nội dung' }).click();
    await page.locator('.content-summary').getByText(PAPER.summary).waitFor();
    await check('item-summary-completed');
    await ui.signOut();
  });

  it('shows the completed summary to the clerk who keeps the incoming register', async () => {
    await ui.signIn('vanthu', P, NAMES.clerk);
    const row = await incomingRow();
    await row.getByText(PAPER.summary, { exact: false }).waitFor();
    await row.getByText(vi(arrivalDate), { exact: true }).waitFor();
    await check('register-incoming-summary');
    await ui.signOut();
  });

  it("lets the clerk record an outside body's receipt with the day it was signed", async () => {
    // An item sent today to an outside body (drafted, approved and issued through the API).
    const officer = await new ApiSession(server.baseUrl).signIn('canbo', P, { totp, secrets });
    const catalog = await officer.get<{ items: { id: string }[] }>('/catalog?field=Ngo%E1%BA%A1i%20giao&level=CONFIDENTIAL');
    const draft = await officer.post<{ id: string }>('/items', {
      kind: 'document',
      docType: 'Công văn',
      summary: 'Trao đổi về lịch làm việc (thử nghiệm ký nhận)',
      field: 'Ngoại giao',
      level: 'CONFIDENTIAL',
      catalogItemIds: [catalog.items[0]!.id],
      recipients: [{ kind: 'outside', outsideName: 'Cục Lãnh sự, Bộ Ngoại giao', copies: 1 }],
      copyCount: 1,
      copyAllowed: false,
    });
    await officer.post(`/items/${draft.id}/propose`);
    await officer.signOut();
    const head = await new ApiSession(server.baseUrl).signIn('giamdoc', P, { totp, secrets });
    await head.post(`/items/${draft.id}/approve`);
    await head.signOut();
    const clerkApi = await new ApiSession(server.baseUrl).signIn('vanthu', P, { totp, secrets });
    await clerkApi.post(`/items/${draft.id}/issue`, { symbol: 'SNG-LS', documentDate, signerName: 'Lê Hoàng Sơn' });
    await clerkApi.signOut();

    await ui.signIn('vanthu', P, NAMES.clerk);
    await page.goto(`/items/${draft.id}`);
    await page.locator('.history-table').getByRole('button', { name: 'Ghi nhận ký nhận' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Người ký nhận').fill('Nguyễn Văn Nam, chuyên viên');
    await expect.poll(() => dialog.getByLabel('Ngày ký nhận').inputValue()).toBe(vi(today));
    // The returned receipt says yesterday, but the copy only left today: refused, in words.
    await typeDate('Ngày ký nhận', arrivalDate);
    await expect(page.getByText('Đã ghi nhận ký nhận.').count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: 'Ghi nhận ký nhận' }).click();
    await dialog.getByText('Ngày ký nhận không được trước ngày gửi đi.').waitFor();
    await check('outside-receipt-refused');
    await typeDate('Ngày ký nhận', today);
    await dialog.getByRole('button', { name: 'Ghi nhận ký nhận' }).click();
    await page.getByText('Đã ghi nhận ký nhận.').waitFor();
    await dialog.waitFor({ state: 'hidden' });
    // The outgoing register shows the day the outside body signed (not the moment it was typed in).
    await page.goto(`/registers?register=outgoing&year=${today.slice(0, 4)}`);
    const receipt = page.getByText('Ký nhận: Nguyễn Văn Nam, chuyên viên').locator('xpath=..');
    await expect.poll(() => receipt.innerText()).toMatch(new RegExp(`${vi(today)}$`));
    await ui.signOut();
  });

  storyEndChecks(() => ({ server, session }), screens, 4);
});
