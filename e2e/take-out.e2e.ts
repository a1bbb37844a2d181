import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openRuntime } from '../apps/server/src/app/runtime';
import { loadConfig } from '../apps/server/src/platform/config';
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

// Issue 13 point 3 in a real browser against the demo agency: "a take-out that becomes overdue and
// is returned". The officer's take-out request (made through the API) is for a trip from today to
// tomorrow; the head of his unit hands the bản lưu over, due back tomorrow. The server's clock is
// not moved: the days of the trip pass in the database instead (a second process moves the due
// date to yesterday, as the CLI opens it), then the server's periodic job (KHOMAT_JOBS_SECONDS=1)
// tells the security officer, whose list "Đang mang ra ngoài / Quá hạn" marks it overdue; the
// officer then records the return with his report and the list empties. Every screen: axe-core +
// screenshot (test-results/e2e/take-out-NN-*.png).

const P = DEMO_PASSWORD;
const NAMES = { head: 'Lê Hoàng Sơn', officer: 'Trần Văn Bình', unitHead: 'Đặng Quốc Việt', so: 'Phạm Thị Lan' };
const SUMMARY = 'Phương án làm việc với đoàn công tác (thử nghiệm mang ra ngoài)';
const REPORT = 'Tài liệu luôn để trong cặp có khóa, mang theo người; không ai khác tiếp cận.';
const VN_ZONE = 'Asia/Ho_Chi_Minh';
const DAY = 86_400_000;
const vnDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: VN_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
const fmt = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: VN_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);

let server: RunningServer;
let session: BrowserSession;
let page: Page;
let ui: Screens;
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];
let requestId = '';
let dirs: { KHOMAT_DATA_DIR: string; KHOMAT_KEY_DIR: string };

async function check(name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  screens.push(await checkScreen(page, `take-out-${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

/** An issued Tối mật item, and the officer's approved request to take its bản lưu out (for a trip from today to tomorrow). */
async function seedApprovedTakeOut(baseUrl: string): Promise<void> {
  const item = await issueDemoItem(
    baseUrl,
    { totp, secrets },
    { docType: 'Phương án', summary: SUMMARY, copyAllowed: false, symbol: 'PA-SNV', documentDate: vnDay(new Date(Date.now() - 5 * DAY)) },
  );
  const { officer, head, clerk } = item;
  const { copies } = await clerk.get<{ copies: { id: string; status: string; holderKind: string }[] }>(`/items/${item.id}`);
  const kept = copies.find((c) => c.status === 'held' && c.holderKind === 'unit')!;
  const r = await officer.post<{ id: string }>('/requests', {
    type: 'take_out_domestic',
    itemId: item.id,
    copyIds: [kept.id],
    purpose: 'Làm việc với Cục Lãnh sự',
    details: {
      place: 'Cục Lãnh sự, Bộ Ngoại giao, Hà Nội',
      from: vnDay(new Date()),
      to: vnDay(new Date(Date.now() + DAY)),
      protectionMeasures: 'Cặp có khóa, luôn mang theo người',
    },
  });
  await officer.post(`/requests/${r.id}/submit`);
  await head.post(`/requests/${r.id}/approve`, { deadline: vnDay(new Date(Date.now() + DAY)) });
  requestId = r.id;
  for (const s of [officer, head, clerk]) await s.signOut();
}

/** The trip runs past its end: the take-out's due date becomes yesterday (a second process on the same encrypted SQLite file). */
async function tripRunsLate(): Promise<void> {
  const deps = await openRuntime(loadConfig({ ...dirs, KHOMAT_ENV: 'test' }), { createKeys: false });
  try {
    const moved = await deps.dbh.db
      .updateTable('take_outs')
      .set({ due_date: vnDay(new Date(Date.now() - DAY)) })
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    expect(Number(moved.numUpdatedRows)).toBe(1);
  } finally {
    await deps.dbh.close();
  }
}

describe('KhoMật take-out: overdue, then returned', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^take-out-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    server = await startServer('take-out', {
      beforeStart: (env) => {
        dirs = env;
        loadDemo(env);
      },
      env: { KHOMAT_JOBS_SECONDS: '1' },
    });
    await seedApprovedTakeOut(server.baseUrl);
    session = await openBrowser(server.baseUrl);
    page = session.page;
    ui = new Screens(page, totp, secrets);
  });

  storyHooks('take-out-', () => ({ server, session }));

  it('lets the head of the unit keeping the copy carry out the approved take-out, due back tomorrow', async () => {
    await page.goto('/');
    await ui.signIn('truongphong', P, NAMES.unitHead);
    await page.goto(`/requests/${requestId}`);
    await ui.heading('Mang ra khỏi nơi lưu giữ phục vụ công tác trong nước');
    const card = page.locator('.take-out-card');
    await card.getByText('Đề nghị đã được phê duyệt; bản chưa được giao để mang ra.').waitFor();
    await check('approved');
    await card.getByRole('button', { name: 'Thực hiện mang ra' }).click();
    await card.locator('[data-take-out-status="out"]').waitFor();
    await card.getByText(NAMES.officer, { exact: true }).waitFor();
    await card.getByText(fmt(new Date(Date.now() + DAY)), { exact: true }).waitFor();
    expect(await card.locator('[data-overdue="true"]').count()).toBe(0);
    await page.locator('.request-card').first().getByText('Đã thực hiện', { exact: true }).waitFor();
    expect(await card.getByRole('button', { name: 'Thực hiện mang ra' }).count()).toBe(0);
    await check('taken-out');
    await ui.signOut();
  });

  it('once the trip runs late, tells the security officer once, whose list marks it overdue', async () => {
    await tripRunsLate();
    await page.goto('/');
    await ui.signIn('baomat', P, NAMES.so);
    const so = await new ApiSession(server.baseUrl).signIn('baomat', P, { totp, secrets });
    await expect
      .poll(
        async () =>
          (await so.get<{ rows: { kind: string; subjectId: string; message: string }[] }>('/notifications')).rows.filter(
            (n) => n.kind === 'take_out_overdue' && n.subjectId === requestId,
          ).length,
        { timeout: 15_000 },
      )
      .toBe(1);
    const [notice] = (await so.get<{ rows: { kind: string; message: string }[] }>('/notifications')).rows.filter((n) => n.kind === 'take_out_overdue');
    expect(notice!.message).toContain(NAMES.officer);
    expect(notice!.message).not.toContain(SUMMARY);
    await so.signOut();
    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Đang mang ra ngoài' }).click();
    await ui.heading('Đang mang ra ngoài / Quá hạn');
    const row = page.locator('.take-outs-table tbody tr', { hasText: NAMES.officer });
    await row.locator('[data-overdue="true"]').waitFor();
    await row
      .getByRole('link', { name: 'Phương án 1/PA-SNV' })
      .or(row.getByRole('link', { name: /^Phương án/ }))
      .first()
      .waitFor();
    await check('overdue-list');
    await ui.signOut();
  });

  it('lets the officer record the return with his report; the list then holds nothing', async () => {
    await page.goto('/');
    await ui.signIn('canbo', P, NAMES.officer);
    await page.goto(`/requests/${requestId}`);
    await ui.heading('Mang ra khỏi nơi lưu giữ phục vụ công tác trong nước');
    const card = page.locator('.take-out-card');
    await card.getByRole('button', { name: 'Ghi nhận trả lại' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ghi nhận trả lại tài liệu mang ra ngoài' });
    // Not sent without the report.
    await dialog.getByRole('button', { name: 'Ghi nhận trả lại', exact: true }).click();
    await dialog.locator('.ant-form-item-explain-error').first().waitFor();
    await dialog.getByLabel('Báo cáo việc bảo vệ khi mang ra ngoài').fill(REPORT);
    await check('return-dialog');
    await dialog.getByRole('button', { name: 'Ghi nhận trả lại', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await card.locator('[data-take-out-status="returned"]').waitFor();
    await card.getByText(REPORT).waitFor();
    await page.locator('.request-card').first().getByText('Đã kết thúc', { exact: true }).waitFor();
    expect(await card.locator('[data-overdue="true"]').count()).toBe(0);
    await check('returned');
    await ui.signOut();
    await ui.signIn('baomat', P, NAMES.so);
    await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name: 'Đang mang ra ngoài' }).click();
    await ui.heading('Đang mang ra ngoài / Quá hạn');
    await page.getByText('Không có tài liệu nào đang mang ra ngoài.').waitFor();
    await check('list-empty');
    await ui.signOut();
  });

  storyEndChecks(() => ({ server, session }), screens, 5);
});
