import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ApiSession } from './support/api';
import { checkScreen, type ScreenCheck } from './support/a11y';
import { openBrowser, type BrowserSession } from './support/browser';
import { DEMO_PASSWORD, loadDemo } from './support/demo';
import { CHROMIUM, RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { storyEndChecks, storyHooks } from './support/story';
import { TotpDevice } from './support/totp';
import { Screens } from './support/ui';

// Issue 12 "Screens" (points 9–11) in a real browser against the demo agency:
// - the registers at 1366 × 768 show the columns a clerk checks without sideways scrolling, other
//   columns by choice (remembered), a compact mode, and row actions in a "Thao tác" menu; at 200 %
//   zoom (683 px of CSS width) the header does not overlap and the menu keeps its icons only;
// - the head's list of proposals says what each one is about (summary and level);
// - the audit trail speaks Vietnamese, in Vietnam time even on a computer set to another zone,
//   and its CSV export says so in its header and is dated by the Vietnam day.
// Items are made through the API (drafting and issuing are the registry story's subject).

const P = DEMO_PASSWORD;
const NAMES = { clerk: 'Nguyễn Thị Thu Hà', head: 'Lê Hoàng Sơn', secoff: 'Phạm Thị Lan' };
const ISSUED = [
  { docType: 'Báo cáo', summary: 'Báo cáo kết quả hội đàm với đối tác chiến lược quý IV (thử nghiệm màn hình)', symbol: 'BC-SNV' },
  { docType: 'Kế hoạch', summary: 'Kế hoạch làm việc với đoàn cấp cao nước ngoài tháng 01 (thử nghiệm màn hình)', symbol: 'KH-SNV' },
];
const INCOMING = { issuer: 'Bộ Ngoại giao', numberSymbol: '77/BNG-LS', summary: 'Về việc bảo hộ công dân tại nước ngoài (thử nghiệm màn hình)' };
const WAITING = { docType: 'Tờ trình', summary: 'Tờ trình phương án đón đoàn đại biểu cấp cao năm 2027 (thử nghiệm màn hình)' };
const VN_ZONE = 'Asia/Ho_Chi_Minh';
const vnDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: VN_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const vnDateTime = (iso: string) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: VN_ZONE,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
};

let server: RunningServer;
let session: BrowserSession;
/** A second browser on a computer whose clock is set to New York time. */
let abroad: BrowserSession | undefined;
let page: Page;
let ui: Screens;
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];

async function check(p: Page, name: string): Promise<void> {
  await p.evaluate('window.scrollTo(0, 0)');
  screens.push(await checkScreen(p, `screens-${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

/** Drafted by the officer, proposed, and (unless left waiting) approved by the head and issued by the clerk. */
async function seedItems(baseUrl: string): Promise<void> {
  const officer = await new ApiSession(baseUrl).signIn('canbo', P, { totp, secrets });
  const head = await new ApiSession(baseUrl).signIn('giamdoc', P, { totp, secrets });
  const clerk = await new ApiSession(baseUrl).signIn('vanthu', P, { totp, secrets });
  const catalog = await officer.get<{ items: { id: string; level: string }[] }>('/catalog?field=Ngo%E1%BA%A1i%20giao&level=SECRET');
  const draft = async (i: { docType: string; summary: string }) => {
    const r = await officer.post<{ id: string }>('/items', {
      kind: 'document',
      docType: i.docType,
      summary: i.summary,
      field: 'Ngoại giao',
      level: 'SECRET',
      catalogItemIds: [catalog.items[0]!.id],
      recipients: [{ kind: 'outside', outsideName: 'Cục Lãnh sự, Bộ Ngoại giao', copies: 1 }],
      copyCount: 2,
      copyAllowed: false,
    });
    await officer.post(`/items/${r.id}/propose`);
    return r.id;
  };
  for (const i of ISSUED) {
    const id = await draft(i);
    await head.post(`/items/${id}/approve`);
    await clerk.post(`/items/${id}/issue`, { symbol: i.symbol, documentDate: vnDay(new Date()), signerName: 'Lê Hoàng Sơn' });
  }
  await draft(WAITING);
  const units = await clerk.get<{ items: { id: string; parentId: string | null }[] }>('/units');
  await clerk.post('/items/incoming', {
    ...INCOMING,
    documentDate: vnDay(new Date()),
    docType: 'Công văn',
    kind: 'document',
    level: 'CONFIDENTIAL',
    copies: 1,
    addresseeOnly: false,
    envelopeState: 'intact',
    to: { kind: 'unit', id: units.items.find((u) => u.parentId === null)!.id },
  });
  for (const s of [officer, head, clerk]) await s.signOut();
}

/** The register table's scrolling box: its content wider than itself means sideways scrolling. */
async function sidewaysOverflow(p: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  const box = p.locator('.register-table .ant-table-content, .register-table .ant-table-body').first();
  return box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
}

const headerText = (p: Page) => p.locator('.register-table thead th').allInnerTexts();
/** The outgoing register's default columns (and the row actions). */
const OUTGOING_DEFAULT = ['Số', 'Số, ký hiệu', 'Ngày văn bản', 'Tên loại và trích yếu', 'Độ mật', 'Nơi nhận, ký nhận', 'Thao tác'];

describe('KhoMật screens: registers, proposals, audit', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^screens-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    server = await startServer('screens', { beforeStart: loadDemo });
    await seedItems(server.baseUrl);
    session = await openBrowser(server.baseUrl);
    page = session.page;
    ui = new Screens(page, totp, secrets);
  });

  storyHooks('screens-', () => ({ server, session }));

  it('shows the columns a clerk checks at 1366 × 768 without sideways scrolling', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    await ui.signIn('vanthu', P, NAMES.clerk);
    await ui.nav('Sổ đăng ký').click();
    await ui.heading('Sổ đăng ký bí mật nhà nước');
    const table = page.locator('.register-outgoing');
    await table.getByText('BC-SNV', { exact: false }).first().waitFor();
    expect(await headerText(page)).toEqual(OUTGOING_DEFAULT);
    const o = await sidewaysOverflow(page);
    expect(o.scrollWidth, JSON.stringify(o)).toBeLessThanOrEqual(o.clientWidth);
    // No red button on every row: one "Thao tác" menu per row.
    await expect(table.getByRole('button', { name: /^Hủy mục/ }).count()).resolves.toBe(0);
    await expect(table.getByRole('button', { name: /^Thao tác với mục số \d+$/ }).count()).resolves.toBe(2);
    await check(page, 'register-outgoing-1366');
    // The incoming register too: its own default columns, no sideways scrolling either.
    await page.getByRole('tab', { name: 'Sổ đến', exact: true }).click();
    await page.locator('.register-incoming').getByText(INCOMING.numberSymbol).waitFor();
    const incoming = ['Số', 'Ngày đến', 'Số, ký hiệu', 'Tên loại và trích yếu', 'Độ mật', 'Đơn vị hoặc người nhận', 'Ký nhận', 'Thao tác'];
    expect(await headerText(page)).toEqual(incoming);
    const i = await sidewaysOverflow(page);
    expect(i.scrollWidth, JSON.stringify(i)).toBeLessThanOrEqual(i.clientWidth);
    await check(page, 'register-incoming-1366');
    await page.getByRole('tab', { name: 'Sổ đi', exact: true }).click();
    await page.locator('.register-outgoing').getByText('BC-SNV', { exact: false }).first().waitFor();
  });

  it('lets the clerk cancel an entry through the row’s "Thao tác" menu', async () => {
    const table = page.locator('.register-outgoing');
    await table.getByRole('button', { name: 'Thao tác với mục số 1' }).click();
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: 'Mở tài liệu' }).waitFor();
    await check(page, 'register-actions-menu');
    await menu.getByRole('menuitem', { name: 'Hủy mục' }).click();
    const dialog = page.getByRole('dialog', { name: /^Hủy mục số 1\/\d{4}$/ });
    await dialog.getByLabel('Lý do').fill('Vào sổ trùng (thử nghiệm màn hình)');
    await dialog.getByRole('button', { name: 'Hủy mục' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const cancelled = table.locator('tr.row-cancelled');
    await cancelled.locator('.tag-cancelled', { hasText: 'Đã hủy' }).waitFor();
    await cancelled.locator('.tag-cancelled').focus();
    await page
      .getByRole('tooltip')
      .getByText(/Vào sổ trùng \(thử nghiệm màn hình\)/)
      .waitFor();
    // A cancelled entry has nothing left to cancel: its menu only opens the item.
    await cancelled.getByRole('button', { name: /^Thao tác với mục số/ }).click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'Mở tài liệu' }).waitFor();
    await expect(page.getByRole('menu').getByRole('menuitem', { name: 'Hủy mục' }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    await check(page, 'register-cancelled');
  });

  it('remembers the columns chosen for each register, and offers a compact mode', async () => {
    await page.getByRole('button', { name: 'Cột hiển thị' }).click();
    const chooser = page.locator('.column-chooser');
    await chooser.getByRole('checkbox', { name: 'Người ký' }).check();
    await chooser.getByRole('checkbox', { name: 'Ghi chú' }).check();
    await check(page, 'register-column-chooser');
    await page.keyboard.press('Escape');
    await page.getByRole('switch', { name: 'Thu gọn' }).click();
    await expect.poll(() => page.locator('.register-table.table-compact').count()).toBe(1);
    await page.reload();
    await page.locator('.register-outgoing').getByText('KH-SNV', { exact: false }).first().waitFor();
    const chosen = [...OUTGOING_DEFAULT.slice(0, 5), 'Người ký', 'Nơi nhận, ký nhận', 'Ghi chú', 'Thao tác'];
    expect(await headerText(page)).toEqual(chosen);
    await expect(page.getByRole('switch', { name: 'Thu gọn' }).getAttribute('aria-checked')).resolves.toBe('true');
    await check(page, 'register-outgoing-chosen-compact');
    // Another register keeps its own default columns.
    await page.getByRole('tab', { name: 'Sổ chuyển giao', exact: true }).click();
    await page.getByRole('tab', { name: 'Sổ chuyển giao', selected: true }).waitFor();
    await expect.poll(() => headerText(page)).not.toContain('Ghi chú');
    // Back to the default for the outgoing register.
    await page.getByRole('tab', { name: 'Sổ đi', exact: true }).click();
    await page.getByRole('button', { name: 'Cột hiển thị' }).click();
    await page.locator('.column-chooser').getByRole('button', { name: 'Về mặc định' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => headerText(page)).toEqual(OUTGOING_DEFAULT);
    await page.getByRole('switch', { name: 'Thu gọn' }).click();
  });

  it('at 200 % zoom (683 px wide) keeps the header apart and the menu to its icons', async () => {
    // A 1366 × 768 screen at 200 % zoom lays pages out in 683 × 384 CSS pixels.
    await page.setViewportSize({ width: 683, height: 384 });
    await page.waitForTimeout(300);
    const header = page.locator('.app-header');
    const parts = [
      header.locator('.brand'),
      header.locator('.header-user'),
      header.getByRole('link', { name: /^Thông báo/ }),
      header.getByRole('group', { name: /Ngôn ngữ|Language/ }),
      header.getByRole('button', { name: 'Đăng xuất' }),
    ];
    const boxes = [];
    for (const p of parts) boxes.push((await p.boundingBox())!);
    const headerBox = (await header.boundingBox())!;
    for (const [n, b] of boxes.entries()) {
      expect(b, `part ${n}`).not.toBeNull();
      expect(b.x, `part ${n} starts inside the screen`).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width, `part ${n} ends inside the screen`).toBeLessThanOrEqual(683);
      expect(b.y + b.height, `part ${n} inside the header`).toBeLessThanOrEqual(headerBox.y + headerBox.height);
      for (const [m, c] of boxes.entries()) {
        if (m <= n) continue;
        const apart = b.x + b.width <= c.x || c.x + c.width <= b.x || b.y + b.height <= c.y || c.y + c.height <= b.y;
        expect(apart, `header parts ${n} and ${m} overlap: ${JSON.stringify([b, c])}`).toBe(true);
      }
    }
    // The menu is collapsed to its icons: narrow, its names hidden from sight but still its links' names.
    const sider = (await page.locator('.app-sider').boundingBox())!;
    expect(sider.width).toBeLessThanOrEqual(64);
    const link = ui.nav('Sổ đăng ký');
    await expect(link.isVisible()).resolves.toBe(true);
    const label = (await link.locator('span').last().boundingBox())!;
    expect(label.width).toBeLessThanOrEqual(1);
    await check(page, 'register-zoom-200');
    await page.setViewportSize({ width: 1366, height: 768 });
    await ui.signOut();
  });

  it('shows the head what each waiting proposal is about: summary and level, not only its type', async () => {
    await ui.signIn('giamdoc', P, NAMES.head);
    await page.goto('/items?tab=proposed');
    const list = page.locator('.items-proposed');
    const row = list.locator('tr', { hasText: WAITING.summary });
    await row.waitFor();
    await row.getByText(WAITING.docType, { exact: true }).waitFor();
    // Proposed as SECRET: «Tối mật».
    await row.getByText('Tối mật', { exact: true }).first().waitFor();
    await check(page, 'proposals-head');
    await ui.signOut();
  });

  it('speaks Vietnamese and Vietnam time on the audit screen, even on a computer set to New York time', async () => {
    abroad = await openBrowser(server.baseUrl, { timezoneId: 'America/New_York' });
    const p = abroad.page;
    const there = new Screens(p, totp, secrets);
    await p.goto('/');
    await there.signIn('baomat', P, NAMES.secoff);
    await there.nav('Nhật ký hệ thống').click();
    await there.heading('Nhật ký hệ thống');
    const table = p.locator('.audit-table');
    // The clerk's reading of the register, the head's approval, in words.
    await table.locator('[data-action="register.listed"]', { hasText: 'Xem sổ đăng ký' }).first().waitFor();
    await table.locator('[data-action="register.entry_cancelled"]', { hasText: 'Hủy mục trong sổ' }).first().waitFor();
    // A register year by its name (not 'outgoing').
    await table
      .locator('.subject-id', { hasText: /^Sổ đi \d{4}$/ })
      .first()
      .waitFor();
    const events = await p.evaluate(async () => (await (await fetch('/api/audit?pageSize=1')).json()) as { items: { seq: number; occurredAt: string }[] });
    const latest = events.items[0]!;
    const latestRow = table.locator('tbody tr', { has: p.getByRole('cell', { name: String(latest.seq), exact: true }) });
    await latestRow.getByText(vnDateTime(latest.occurredAt), { exact: true }).waitFor();
    await check(p, 'audit-vietnamese');

    const exportButton = p
      .getByRole('link', { name: 'Xuất CSV' })
      .or(p.getByRole('button', { name: 'Xuất CSV' }))
      .first();
    const [download] = await Promise.all([p.waitForEvent('download'), exportButton.click()]);
    expect(download.suggestedFilename()).toBe(`nhat-ky-khomat-${vnDay(new Date())}.csv`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-e2e-screens-')), 'audit.csv');
    await download.saveAs(file);
    const csv = fs.readFileSync(file, 'utf8');
    expect(csv.split('\r\n')[0]).toContain('"Thời điểm (giờ Việt Nam, UTC+07:00)"');
    expect(csv).toContain(`,${vnDateTime(latest.occurredAt)},`);
    // Audit details carry metadata only: no summary of any item.
    for (const s of [...ISSUED.map((i) => i.summary), WAITING.summary]) expect(csv).not.toContain(s);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    expect(abroad.pageErrors).toEqual([]);
    await abroad.close();
  });

  storyEndChecks(() => ({ server, session }), screens, 6);
});
