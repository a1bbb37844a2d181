import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ApiSession } from './support/api';
import { issueDemoItem } from './support/items';
import { checkScreen, type ScreenCheck } from './support/a11y';
import { openBrowser, type BrowserSession } from './support/browser';
import { DEMO_PASSWORD, loadDemo } from './support/demo';
import { CHROMIUM, RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { storyEndChecks, storyHooks } from './support/story';
import { TotpDevice } from './support/totp';
import { Screens } from './support/ui';

// Issue 13 point 2 in a real browser against the demo agency: an officer's copy request and
// take-out request (made through the API: the request forms come with the flows) wait for the
// agency head, whose navigation shows "Đề nghị chờ phê duyệt" with their number; the head opens
// the inbox, approves the copy request with a deadline and refuses the take-out with a reason;
// the inbox empties and the count goes; the agency's văn thư sends the copy of the provision the
// higher authority approved, prints the answer letter (read with pdftotext) and records the
// embassy's receipt, which closes the request. Every screen: axe-core + screenshot
// (test-results/e2e/requests-NN-*.png).

const P = DEMO_PASSWORD;
const NAMES = { head: 'Lê Hoàng Sơn', officer: 'Trần Văn Bình', clerk: 'Nguyễn Thị Thu Hà' };
const SUMMARY = 'Kế hoạch làm việc với đoàn cấp cao nước ngoài (thử nghiệm đề nghị)';
const REFUSAL = 'Chưa cần mang tài liệu ra ngoài; làm việc tại cơ quan';
const VN_ZONE = 'Asia/Ho_Chi_Minh';
const vnDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: VN_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const fmt = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: VN_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);

let server: RunningServer;
let session: BrowserSession;
let page: Page;
let ui: Screens;
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];
const ids: { copy?: string; takeOut?: string; provide?: string } = {};

async function check(name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  screens.push(await checkScreen(page, `requests-${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

/** An issued Tối mật item that may be copied, and the officer's two submitted requests about it. */
async function seedRequests(baseUrl: string): Promise<void> {
  const item = await issueDemoItem(
    baseUrl,
    { totp, secrets },
    { docType: 'Kế hoạch', summary: SUMMARY, copyAllowed: true, symbol: 'KH-SNV', documentDate: vnDay(new Date()) },
  );
  const { officer, head, clerk } = item;
  const copy = await officer.post<{ id: string }>('/requests', {
    type: 'copy',
    itemId: item.id,
    purpose: 'Phục vụ cuộc họp giao ban tuần của Phòng',
    details: { form: 'sao_y', quantity: 2, recipients: [{ kind: 'outside', name: 'Cục Lãnh sự, Bộ Ngoại giao' }] },
  });
  await officer.post(`/requests/${copy.id}/submit`);
  const takeOut = await officer.post<{ id: string }>('/requests', {
    type: 'take_out_domestic',
    itemId: item.id,
    purpose: 'Làm việc với Cục Lãnh sự',
    details: {
      place: 'Cục Lãnh sự, Bộ Ngoại giao, Hà Nội',
      from: vnDay(new Date()),
      to: vnDay(new Date(Date.now() + 2 * 86_400_000)),
      protectionMeasures: 'Cặp có khóa, luôn mang theo người',
    },
  });
  await officer.post(`/requests/${takeOut.id}/submit`);
  // Provision to a foreign party is decided outside the agency (Luật 29/2018 Đ.16). The copy asked
  // for is the unit's bản lưu, which the head of the unit hands to the agency's văn thư, who sends
  // what leaves the agency.
  const { copies } = await clerk.get<{ copies: { id: string; status: string; holderKind: string }[] }>(`/items/${item.id}`);
  const kept = copies.find((c) => c.status === 'held' && c.holderKind === 'unit')!;
  const unitHead = await new ApiSession(baseUrl).signIn('truongphong', P, { totp, secrets });
  const clerkId = (await clerk.get<{ user: { id: string } }>('/auth/session')).user.id;
  const handed = await unitHead.post<{ eventId: string }>('/custody/hand-over', { copyIds: [kept.id], to: { kind: 'user', id: clerkId } });
  await clerk.post(`/custody/${handed.eventId}/confirm`);
  await unitHead.signOut();
  const provide = await officer.post<{ id: string }>('/requests', {
    type: 'provide_foreign',
    itemId: item.id,
    copyIds: [kept.id],
    purpose: 'Phối hợp tổ chức chuyến thăm',
    details: {
      requestingBody: 'Đại sứ quán nước X tại Hà Nội',
      representative: 'John Smith',
      representativePosition: 'Tham tán',
      nationality: 'X',
      idDocument: 'Hộ chiếu P1234567',
      whatAsked: 'Lịch trình làm việc của đoàn',
      commitment: true,
    },
  });
  await officer.post(`/requests/${provide.id}/submit`);
  ids.provide = provide.id;
  ids.copy = copy.id;
  ids.takeOut = takeOut.id;
  for (const s of [officer, head, clerk]) await s.signOut();
}

describe('KhoMật requests: the decider’s inbox and decision', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^requests-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    server = await startServer('requests', { beforeStart: loadDemo });
    await seedRequests(server.baseUrl);
    session = await openBrowser(server.baseUrl);
    page = session.page;
    ui = new Screens(page, totp, secrets);
  });

  storyHooks('requests-', () => ({ server, session }));

  it('shows the agency head the number of requests waiting in the navigation, and the inbox', async () => {
    await page.goto('/');
    await ui.signIn('giamdoc', P, NAMES.head);
    const link = page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Đề nghị chờ phê duyệt (3 đề nghị)' });
    await link.waitFor();
    await expect.poll(() => link.locator('.nav-count').getAttribute('data-count')).toBe('3');
    await link.click();
    await ui.heading('Đề nghị chờ phê duyệt');
    const table = page.locator('.requests-inbox-table');
    await table.getByRole('link', { name: 'Sao tài liệu, vật chứa bí mật nhà nước' }).waitFor();
    await table.getByRole('link', { name: 'Mang ra khỏi nơi lưu giữ phục vụ công tác trong nước' }).waitFor();
    await table
      .locator('tr', { hasText: 'Cung cấp, chuyển giao cho cơ quan, tổ chức, cá nhân nước ngoài' })
      .getByText('Cấp có thẩm quyền ngoài cơ quan')
      .waitFor();
    expect(await table.locator('tbody tr').count()).toBe(3);
    await check('inbox');
  });

  it('lets the head approve the copy request with a deadline', async () => {
    await page.locator('.requests-inbox-table').getByRole('link', { name: 'Sao tài liệu, vật chứa bí mật nhà nước' }).click();
    await ui.heading('Sao tài liệu, vật chứa bí mật nhà nước');
    await page.getByText('Phục vụ cuộc họp giao ban tuần của Phòng').waitFor();
    await page.getByText('Chờ phê duyệt', { exact: true }).first().waitFor();
    await check('copy-request');
    await page.getByRole('button', { name: 'Phê duyệt' }).click();
    const dialog = page.getByRole('dialog', { name: 'Phê duyệt đề nghị' });
    await dialog.getByLabel('Thời hạn thực hiện').fill(fmt(new Date(Date.now() + 7 * 86_400_000)));
    // Enter takes the typed date (and closes the calendar) without sending the form yet.
    await dialog.getByLabel('Thời hạn thực hiện').press('Enter');
    await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
    await dialog.getByLabel('Số lượng bản').fill('1');
    await check('approve-dialog');
    await dialog.getByLabel('Số lượng bản').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.request-card').getByText('Đã phê duyệt', { exact: true }).waitFor();
    await page.locator('.request-card').getByText(NAMES.head, { exact: true }).waitFor();
    const decision = page.locator('.request-card').nth(1);
    await decision.getByText(fmt(new Date(Date.now() + 7 * 86_400_000)), { exact: true }).waitFor();
    expect(await decision.locator('tr', { hasText: 'Số lượng bản' }).innerText()).toMatch(/\b1$/);
    expect(await page.getByRole('button', { name: 'Phê duyệt' }).count()).toBe(0);
    await check('copy-approved');
  });

  it('routes the provision to a foreign party to a higher authority; the head records its decision', async () => {
    await page.goto(`/requests/${ids.provide}`);
    await ui.heading('Cung cấp, chuyển giao cho cơ quan, tổ chức, cá nhân nước ngoài');
    await page.getByText('Đại sứ quán nước X tại Hà Nội').waitFor();
    expect(await page.getByRole('button', { name: 'Phê duyệt' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Ghi nhận quyết định của cấp trên' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ghi nhận quyết định của cấp có thẩm quyền ngoài cơ quan' });
    await dialog.getByLabel('Cấp có thẩm quyền').fill('Chủ tịch Ủy ban nhân dân tỉnh Minh Sơn');
    await dialog.getByLabel('Số văn bản').fill('125/QĐ-UBND');
    await dialog.getByLabel('Ngày văn bản').fill(fmt(new Date()));
    await dialog.getByLabel('Ngày văn bản').press('Enter');
    await dialog.getByLabel('Người ký').fill('Nguyễn Văn Chính');
    await dialog.getByLabel('Thời hạn thực hiện').fill(fmt(new Date(Date.now() + 30 * 86_400_000)));
    await dialog.getByLabel('Thời hạn thực hiện').press('Enter');
    await expect.poll(() => page.locator('.ant-picker-dropdown:visible').count()).toBe(0);
    await check('outside-dialog');
    await dialog.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const decision = page.locator('.request-card').nth(1);
    await decision.getByText(/^Nguyễn Văn Chính \(Chủ tịch Ủy ban nhân dân tỉnh Minh Sơn\), 125\/QĐ-UBND/).waitFor();
    await page.locator('.request-card').getByText('Đã phê duyệt', { exact: true }).waitFor();
    await check('provide-recorded');
    // Right after recording, the head attaches the scan of the authority's signed decision (kept encrypted).
    const scan = page.locator('.request-scan[data-kind="outside_decision"]');
    await scan.getByText('Chưa có bản chụp.').waitFor();
    await scan
      .locator('input[type=file]')
      .setInputFiles({ name: 'QĐ 125-UBND.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% quyết định 125/QĐ-UBND\n%%EOF\n') });
    await scan.getByRole('button', { name: 'Tải lên' }).click();
    await scan.getByRole('link', { name: /QĐ 125-UBND\.pdf/ }).waitFor();
    await check('provide-decision-scan');
  });

  it('lets the head refuse the take-out with a reason; the inbox then holds nothing', async () => {
    await page.goto(`/requests/${ids.takeOut}`);
    await ui.heading('Mang ra khỏi nơi lưu giữ phục vụ công tác trong nước');
    await page.getByRole('button', { name: 'Từ chối' }).click();
    const dialog = page.getByRole('dialog', { name: 'Từ chối đề nghị' });
    // Refusing without a reason is not sent.
    await dialog.getByRole('button', { name: 'Từ chối', exact: true }).click();
    await dialog.getByText('Hãy nhập lý do', { exact: false }).or(dialog.locator('.ant-form-item-explain-error')).first().waitFor();
    await dialog.getByLabel('Lý do').fill(REFUSAL);
    await check('refuse-dialog');
    await dialog.getByRole('button', { name: 'Từ chối', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.request-card').getByText(REFUSAL).waitFor();
    await check('take-out-refused');
    const nav = page.getByRole('navigation', { name: 'Chức năng' });
    await nav.getByRole('link', { name: 'Đề nghị chờ phê duyệt', exact: true }).click();
    await ui.heading('Đề nghị chờ phê duyệt');
    await page.getByText('Không có đề nghị nào chờ bạn phê duyệt.').waitFor();
    expect(await nav.locator('.nav-count').count()).toBe(0);
    await check('inbox-empty');
    await ui.signOut();
  });

  it('lets the văn thư send the copy to the foreign party and print the answer letter; the receipt closes the request', async () => {
    await page.goto('/');
    await ui.signIn('vanthu', P, NAMES.clerk);
    await page.goto(`/requests/${ids.provide}`);
    await ui.heading('Cung cấp, chuyển giao cho cơ quan, tổ chức, cá nhân nước ngoài');
    const card = page.locator('.provision-card');
    await card.getByText('Đề nghị đã được phê duyệt; bản chưa được gửi cho bên nhận.').waitFor();
    await check('provision-approved');
    await card.getByRole('button', { name: 'Gửi cho bên nhận' }).click();
    await card.locator('[data-provision-status="sent"]').waitFor();
    await card.getByText('Đại sứ quán nước X tại Hà Nội').waitFor();
    await page.locator('.request-card').getByText('Đã thực hiện', { exact: true }).first().waitFor();
    expect(await card.getByRole('button', { name: 'Gửi cho bên nhận' }).count()).toBe(0);
    await card.getByRole('link', { name: 'In nhãn bì (PDF)' }).waitFor();
    await check('provision-sent');

    // The answer letter: the outside decision's number and signer, the body and its representative.
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: 'In văn bản trả lời' }).click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-e2e-letter-')), 'van-ban-tra-loi.pdf');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const s of [
      'Số: 125/QĐ-UBND',
      'Kính gửi: Đại sứ quán nước X tại Hà Nội',
      'John Smith',
      'đồng ý cung cấp, chuyển giao',
      'Phối hợp tổ chức chuyến thăm',
      'Nguyễn Văn Chính',
      'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH MINH SƠN',
    ])
      expect(text).toContain(s);

    // The embassy's signed receipt comes back: recorded, the request ends.
    await card.getByRole('button', { name: 'Ghi nhận ký nhận' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ghi nhận bên nhận đã ký nhận' });
    await dialog.getByLabel('Người ký nhận').fill('John Smith');
    await check('provision-receipt-dialog');
    await dialog.getByRole('button', { name: 'Ghi nhận ký nhận', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.locator('[data-provision-status="received"]').waitFor();
    await page.locator('.request-card').getByText('Đã kết thúc', { exact: true }).first().waitFor();
    await check('provision-closed');
    await ui.signOut();
  });

  storyEndChecks(() => ({ server, session }), screens, 11);
});
