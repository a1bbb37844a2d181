import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openRuntime } from '../apps/server/src/app/runtime';
import { loadConfig } from '../apps/server/src/platform/config';
import { newCopyVerificationId, produceCopyPdf } from '../apps/server/src/modules/copying/copy-pdf';
import { recordCopyVerificationId } from '../apps/server/src/modules/copying/copying.repository';
import { sampleOriginal } from '../apps/server/src/modules/copying/sample-original';
import { issueDemoItem } from './support/items';
import { checkScreen, type ScreenCheck } from './support/a11y';
import { openBrowser, type BrowserSession } from './support/browser';
import { DEMO_PASSWORD, loadDemo } from './support/demo';
import { CHROMIUM, RESULTS_DIR } from './support/paths';
import { startServer, type RunningServer } from './support/server';
import { storyEndChecks, storyHooks } from './support/story';
import { TotpDevice } from './support/totp';
import { Screens } from './support/ui';

// Issue 13 point 4 in a real browser against the demo agency: the security officer opens
// "Tra cứu bản sao", looks a copy up by the id typed, by the /verify/<id> address, and from a
// 150 dpi JPEG scan of a printed copy page; a page without a mark is said so plainly. The officer
// (cán bộ) has no such entry in the navigation and learns nothing from the same address.
// The copy's verification id is recorded straight into the database (the copy execution flow
// that will record it does not exist yet).

const P = DEMO_PASSWORD;
const NAMES = { secoff: 'Phạm Thị Lan', officer: 'Trần Văn Bình', head: 'Lê Hoàng Sơn' };
const SUMMARY = 'Kế hoạch làm việc với đoàn cấp cao nước ngoài (thử nghiệm tra cứu bản sao)';

let server: RunningServer;
let session: BrowserSession;
let page: Page;
let ui: Screens;
let tmp: string;
let dirs: { KHOMAT_DATA_DIR: string; KHOMAT_KEY_DIR: string };
const totp = new TotpDevice();
const secrets = new Map<string, string>();
const screens: ScreenCheck[] = [];
const verificationId = newCopyVerificationId();
let scanFile: string;
let blankFile: string;

async function check(name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  screens.push(await checkScreen(page, `verify-${String(screens.length + 1).padStart(2, '0')}-${name}`));
}

const scanned = (pdf: Uint8Array): Buffer =>
  execFileSync('pdftoppm', ['-r', '150', '-jpeg', '-jpegopt', 'quality=60', '-f', '1', '-l', '1', '-singlefile', '-'], {
    input: pdf,
    maxBuffer: 64 * 1024 * 1024,
  });

/** An issued item (through the API) whose first copy gets the verification id (in the database). */
async function seedTracedCopy(baseUrl: string): Promise<void> {
  const r = await issueDemoItem(
    baseUrl,
    { totp, secrets },
    { docType: 'Kế hoạch', summary: SUMMARY, copyAllowed: false, symbol: 'KH-SNV', documentDate: '2026-03-02' },
  );
  const { officer, head, clerk } = r;
  for (const s of [officer, head, clerk]) await s.signOut();
  // A second process on the same (encrypted) SQLite file, as the CLI opens it.
  const deps = await openRuntime(loadConfig({ ...dirs, KHOMAT_ENV: 'test' }), { createKeys: false });
  try {
    const copy = await deps.dbh.db.selectFrom('copies').select('id').where('item_id', '=', r.id).orderBy('seq_no').executeTakeFirstOrThrow();
    await recordCopyVerificationId(deps.dbh.db, copy.id, verificationId);
  } finally {
    await deps.dbh.close();
  }
}

describe('KhoMật: verifying a printed copy', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium).`);
    if (fs.existsSync(RESULTS_DIR)) for (const f of fs.readdirSync(RESULTS_DIR)) if (/^verify-.*\.png$/.test(f)) fs.rmSync(path.join(RESULTS_DIR, f));
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'khomat-e2e-verify-'));
    server = await startServer('verify', {
      beforeStart: (env) => {
        dirs = env;
        loadDemo(env);
      },
    });
    await seedTracedCopy(server.baseUrl);
    const original = await sampleOriginal(['portrait']);
    const copyPdf = await produceCopyPdf(original, {
      level: 'SECRET',
      copyNumber: 1,
      total: 1,
      form: 'SAO_Y',
      date: '2026-03-02',
      quantity: 1,
      recipients: ['Cục Lãnh sự, Bộ Ngoại giao'],
      authoriser: { name: NAMES.head, position: 'Giám đốc Sở' },
      holder: { name: 'Nguyễn Thị Thu Hà', unit: 'Văn phòng Sở' },
      verificationId,
    });
    scanFile = path.join(tmp, 'trang-ban-sao.jpg');
    fs.writeFileSync(scanFile, scanned(copyPdf));
    blankFile = path.join(tmp, 'trang-khong-ma.jpg');
    fs.writeFileSync(blankFile, scanned(original));
    session = await openBrowser(server.baseUrl);
    page = session.page;
    ui = new Screens(page, totp, secrets);
  });

  storyHooks('verify-', () => ({ server, session, tmp }));

  it('the security officer finds the copy and its holder from the id typed', async () => {
    await page.goto('/');
    await ui.signIn('baomat', P, NAMES.secoff);
    await ui.nav('Tra cứu bản sao').click();
    await ui.heading('Tra cứu bản sao');
    await check('empty');
    // Typed as a person copies it from the footer: lower case, in groups.
    await page.getByLabel('Mã kiểm tra bản sao').fill(verificationId.toLowerCase().replace(/(.{5})/g, '$1 '));
    await page.getByRole('button', { name: 'Tra cứu', exact: true }).click();
    await page.getByRole('heading', { name: /^Trang này thuộc / }).waitFor();
    const card = page.locator('.ant-descriptions');
    await card.getByText('Nguyễn Thị Thu Hà', { exact: false }).waitFor();
    await card.getByText('Bản số 1/2', { exact: true }).waitFor();
    await card.getByText(/KH-SNV/).waitFor();
    expect(page.url()).toMatch(/\/verify\/[a-z0-9%]+$/i);
    await check('found-by-id');
  });

  it('and from the /verify/<id> address; an unknown id is simply not found', async () => {
    await page.goto(`/verify/${verificationId}`);
    await page.getByRole('heading', { name: /^Trang này thuộc / }).waitFor();
    await page.goto(`/verify/${newCopyVerificationId()}`);
    await page.getByText('Không tìm thấy bản sao có mã kiểm tra này.').waitFor();
    await check('unknown-id');
  });

  it('from a 150 dpi JPEG scan of a printed page; a page without a mark is said so', async () => {
    await page.goto('/verify');
    await ui.heading('Tra cứu bản sao');
    await page.locator('#verify-image').setInputFiles(blankFile);
    await page.getByRole('button', { name: 'Đọc mã và tra cứu' }).click();
    await page.getByText(/Không tìm thấy mã QR kiểm tra bản sao trong ảnh/).waitFor({ timeout: 30_000 });
    await check('image-without-mark');
    await page.locator('#verify-image').setInputFiles(scanFile);
    await page.getByRole('button', { name: 'Đọc mã và tra cứu' }).click();
    await page.getByRole('heading', { name: /^Trang này thuộc / }).waitFor({ timeout: 30_000 });
    await page.locator('.ant-descriptions').getByText(verificationId).waitFor();
    await check('found-by-image');
    await ui.signOut();
  });

  it('an officer has no such entry and learns nothing from the address', async () => {
    await ui.signIn('canbo', P, NAMES.officer);
    await expect(ui.nav('Tra cứu bản sao').count()).resolves.toBe(0);
    await page.goto(`/verify/${verificationId}`);
    await page.getByText('Không tìm thấy bản sao có mã kiểm tra này.').waitFor();
    await expect(page.getByRole('heading', { name: /^Trang này thuộc / }).count()).resolves.toBe(0);
    await check('officer-refused');
  });

  storyEndChecks(() => ({ server, session }), screens, 4);
});
