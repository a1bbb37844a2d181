import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sampleOriginal } from '../apps/server/src/modules/copying/sample-original';
import { ApiSession } from './support/api';
import { checkScreen, type ScreenCheck } from './support/a11y';
import { openBrowser, type BrowserSession } from './support/browser';
import { DEMO_PASSWORD, loadDemo } from './support/demo';
import { DEMO_HEAD_NAME } from './support/items';
import { CHROMIUM, RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { storyEndChecks, storyHooks } from './support/story';
import { TotpDevice } from './support/totp';
import { Screens } from './support/ui';

// Issue 13 §2.1 and point 4 in a real browser against the demo agency: "a copy request from
// request to approval to execution to verifying a printed copy". The officer's electronic
// document (a PDF original) is made and issued through the API, and the head of his unit (which
// keeps the bản lưu) assigns it to him; the officer asks for one true copy for himself on the
// document's page ("Lập đề nghị"); the agency head approves it on the request's page, the agency's văn thư carries it out
// ("Thực hiện sao, chụp": equipment, form); the officer downloads his copy's PDF, its first page is
// rasterised at 150 dpi to a JPEG (q = 60) as a scan would be, and the security officer finds the
// copy and its holder from that image on "Tra cứu bản sao". Every screen: axe-core + screenshot
// (test-results/e2e/copying-NN-*.png).

const P = DEMO_PASSWORD;
const NAMES = { head: DEMO_HEAD_NAME, officer: 'Trần Văn Bình', clerk: 'Nguyễn Thị Thu Hà', so: 'Phạm Thị Lan' };
const PURPOSE = 'Nghiên cứu chuẩn bị nội dung làm việc với đoàn';
const SUMMARY = 'Kế hoạch đón đoàn đại biểu cấp cao (thử nghiệm sao tài liệu điện tử)';
const EQUIPMENT = 'Máy in, sao chụp Canon iR2525 phòng bảo mật (không kết nối mạng)';
const VN_ZONE = 'Asia/Ho_Chi_Minh';
const vnDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: VN_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const fmt = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: VN_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);

let server: RunningServer;
let session: BrowserSession;
let page: Page;
let ui: Screens;
let tmp: string;
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];
let requestId = '';
let itemId = '';
let extractId = '';
let scanFile = '';

async function check(name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  screens.push(await checkScreen(page, `copying-${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

/** The officer's electronic document (PDF original, copying allowed), issued and assigned to him; an extract of it made. */
async function seedCopyRequest(baseUrl: string): Promise<void> {
  const auth = { totp, secrets };
  const officer = await new ApiSession(baseUrl).signIn('canbo', P, auth);
  const head = await new ApiSession(baseUrl).signIn('giamdoc', P, auth);
  const clerk = await new ApiSession(baseUrl).signIn('vanthu', P, auth);
  const catalog = await officer.get<{ items: { id: string }[] }>('/catalog?field=Ngo%E1%BA%A1i%20giao&level=SECRET');
  const item = await officer.post<{ id: string }>('/items', {
    kind: 'electronic_document',
    docType: 'Kế hoạch',
    summary: SUMMARY,
    field: 'Ngoại giao',
    level: 'SECRET',
    catalogItemIds: [catalog.items[0]!.id],
    recipients: [{ kind: 'outside', outsideName: 'Cục Lãnh sự, Bộ Ngoại giao', copies: 1 }],
    copyCount: 2,
    copyAllowed: true,
  });
  await officer.upload(`/items/${item.id}/attachments`, await sampleOriginal(['portrait', 'portrait']), 'ke-hoach-don-doan.pdf');
  await officer.post(`/items/${item.id}/propose`);
  await head.post(`/items/${item.id}/approve`);
  await clerk.post(`/items/${item.id}/issue`, { symbol: 'KH-SNV', documentDate: vnDay(new Date()), signerName: NAMES.head });
  // The head of his unit, which keeps the bản lưu, gives him the document to work on (need-to-know).
  const unitHead = await new ApiSession(baseUrl).signIn('truongphong', P, auth);
  await unitHead.post(`/items/${item.id}/assignments`, { userId: officer.userId });
  await unitHead.signOut();
  itemId = item.id;
  // An extract of the same document, approved and made through the API: a new Mật item linked to it.
  const x = await officer.post<{ id: string }>('/requests', {
    type: 'extract',
    itemId: item.id,
    purpose: 'Trích lịch làm việc gửi Phòng',
    details: { part: 'Mục II: lịch làm việc của đoàn', quantity: 1, recipients: [{ kind: 'user', userId: officer.userId }] },
  });
  await officer.post(`/requests/${x.id}/submit`);
  await head.post(`/requests/${x.id}/approve`, { deadline: vnDay(new Date(Date.now() + 7 * 86_400_000)) });
  const made = await clerk.post<{ execution: { extract: { id: string } } }>(`/requests/${x.id}/copy-execution`, {
    form: 'trich_sao',
    quantity: 1,
    equipment: EQUIPMENT,
    spoiled: 0,
    partLevel: 'CONFIDENTIAL',
  });
  extractId = made.execution.extract.id;
  for (const s of [officer, head, clerk]) await s.signOut();
}

describe('KhoMật copying: from request to a verified printed copy', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^copying-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-e2e-copying-'));
    server = await startServer('copying', { beforeStart: loadDemo });
    await seedCopyRequest(server.baseUrl);
    session = await openBrowser(server.baseUrl);
    page = session.page;
    ui = new Screens(page, totp, secrets);
  });

  storyHooks('copying-', () => ({ server, session, tmp }));

  it('lets the officer ask, on the document page, for one true copy for himself', async () => {
    await page.goto('/');
    await ui.signIn('canbo', P, NAMES.officer);
    await page.goto(`/items/${itemId}`);
    await ui.heading(/Kế hoạch/);
    await page.getByRole('button', { name: 'Lập đề nghị' }).click();
    await page.getByRole('menuitem', { name: 'Sao tài liệu, vật chứa bí mật nhà nước' }).click();
    await ui.heading('Lập đề nghị');
    const form = page.locator('form.request-form');
    await form.getByLabel('Số lượng bản').fill('1');
    const first = form.getByRole('listitem', { name: 'Nơi nhận 1' });
    await first.getByText('Một người', { exact: true }).click();
    await ui.pickPerson(first.getByLabel('Người nhận'), 'tran van binh', new RegExp(`^${NAMES.officer} — `));
    await form.getByLabel('Mục đích', { exact: true }).fill(PURPOSE);
    await check('request-form');
    await page.getByRole('button', { name: 'Gửi đề nghị' }).click();
    await ui.heading('Sao tài liệu, vật chứa bí mật nhà nước');
    await page.locator('.request-card').getByText('Chờ phê duyệt', { exact: true }).waitFor();
    requestId = new URL(page.url()).pathname.split('/').pop()!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await check('request-sent');
    await ui.signOut();
  });

  it('lets the agency head approve the copy request', async () => {
    await page.goto('/');
    await ui.signIn('giamdoc', P, NAMES.head);
    await page.goto(`/requests/${requestId}`);
    await ui.heading('Sao tài liệu, vật chứa bí mật nhà nước');
    await page.getByRole('button', { name: 'Phê duyệt' }).click();
    const dialog = page.getByRole('dialog', { name: 'Phê duyệt đề nghị' });
    await dialog.getByLabel('Thời hạn thực hiện').fill(fmt(new Date(Date.now() + 7 * 86_400_000)));
    await dialog.getByLabel('Thời hạn thực hiện').press('Enter');
    await page.locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
    await dialog.getByLabel('Số lượng bản').fill('1');
    await dialog.getByLabel('Số lượng bản').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.request-card').getByText('Đã phê duyệt', { exact: true }).waitFor();
    // The head decides; the copies are the văn thư's to make.
    expect(await page.getByRole('button', { name: 'Thực hiện sao, chụp' }).count()).toBe(0);
    await check('approved');
    await ui.signOut();
  });

  it('lets the văn thư make the copy: equipment and form, then the copy with its holder and verification id', async () => {
    await ui.signIn('vanthu', P, NAMES.clerk);
    await page.goto(`/requests/${requestId}`);
    await ui.heading('Sao tài liệu, vật chứa bí mật nhà nước');
    const card = page.locator('.copy-execution-card');
    await card.getByText('Đề nghị đã được phê duyệt; chưa thực hiện sao, chụp.').waitFor();
    await card.getByText(/Tài liệu gốc có tệp PDF/).waitFor();
    await check('to-execute');
    await card.getByRole('button', { name: 'Thực hiện sao, chụp' }).click();
    const dialog = page.getByRole('dialog', { name: 'Thực hiện sao, chụp' });
    // Not sent without the equipment.
    await dialog.getByRole('button', { name: 'Thực hiện', exact: true }).click();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    await dialog.getByLabel('Thiết bị dùng để sao, chụp').fill(EQUIPMENT);
    await check('execute-dialog');
    await dialog.getByRole('button', { name: 'Thực hiện', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    const row = card.locator('.copies-made-table tbody tr', { hasText: 'Bản sao số 1' });
    await row.getByText(NAMES.officer, { exact: true }).waitFor();
    expect(await row.locator('.verification-id').innerText()).toMatch(/^[A-Z2-7]{26}$/);
    await card.getByText(EQUIPMENT).waitFor();
    await page.locator('.request-card').first().getByText('Đã thực hiện', { exact: true }).waitFor();
    expect(await card.getByRole('button', { name: 'Thực hiện sao, chụp' }).count()).toBe(0);
    await check('executed');
    await ui.signOut();
  });

  it('lets the officer download his copy; its page is scanned at 150 dpi', async () => {
    await ui.signIn('canbo', P, NAMES.officer);
    await page.goto(`/requests/${requestId}`);
    await ui.heading('Sao tài liệu, vật chứa bí mật nhà nước');
    const link = page.locator('.copy-execution-card').getByRole('link', { name: 'Tải Bản sao số 1' });
    await check('copy-to-download');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const pdfFile = path.join(tmp, 'ban-sao-so-1.pdf');
    await download.saveAs(pdfFile);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfFile, '-']).toString('utf8');
    expect(text).toContain('BẢN SAO SỐ 1');
    expect(text).toContain(NAMES.officer);
    // The printed page as a scanner would see it: 150 dpi, JPEG quality 60.
    scanFile = path.join(tmp, 'trang-ban-sao.jpg');
    fs.writeFileSync(
      scanFile,
      execFileSync('pdftoppm', ['-r', '150', '-jpeg', '-jpegopt', 'quality=60', '-f', '1', '-l', '1', '-singlefile', pdfFile], { maxBuffer: 64 * 1024 * 1024 }),
    );
    await ui.signOut();
  });

  it('lets the security officer find the copy and its holder from the scanned page', async () => {
    await ui.signIn('baomat', P, NAMES.so);
    await ui.nav('Tra cứu bản sao').click();
    await ui.heading('Tra cứu bản sao');
    await page.locator('#verify-image').setInputFiles(scanFile);
    await page.getByRole('button', { name: 'Đọc mã và tra cứu' }).click();
    await page.getByRole('heading', { name: /^Trang này thuộc / }).waitFor({ timeout: 30_000 });
    const card = page.locator('.ant-descriptions');
    await card.getByText(NAMES.officer, { exact: false }).first().waitFor();
    await card.getByText('Bản sao số 1', { exact: true }).waitFor();
    await card.getByText(/KH-SNV/).waitFor();
    await check('verified-from-scan');
    await ui.signOut();
  });

  it('shows the extract on the source document’s page, and the source on the extract’s', async () => {
    await ui.signIn('canbo', P, NAMES.officer);
    await page.goto(`/items/${itemId}`);
    const links = page.locator('.copy-links-card');
    await links.getByRole('link', { name: /^Văn bản trích sao/ }).waitFor();
    await check('source-with-extract');
    await links.getByRole('link', { name: /^Văn bản trích sao/ }).click();
    await page.waitForURL(`**/items/${extractId}`);
    await page
      .locator('.copy-links-card')
      .getByRole('link', { name: /^Kế hoạch/ })
      .waitFor();
    await check('extract-with-source');
    await ui.signOut();
  });

  storyEndChecks(() => ({ server, session }), screens, 7);
});
