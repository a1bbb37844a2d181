import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from './paths';

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and the UI's own console errors. */
  pageErrors: string[];
  /** Any request to a host other than the server: the UI must run on an isolated LAN. */
  outsideRequests: string[];
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with no background traffic; one Vietnamese page on the server. The
 * computer's time zone is Vietnam's unless the story says otherwise (a reader abroad, a computer
 * left on UTC).
 */
export async function openBrowser(baseUrl: string, opts: { timezoneId?: string } = {}): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1366, height: 860 },
    locale: 'vi-VN',
    timezoneId: opts.timezoneId ?? 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const outsideRequests: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // The browser itself reports refused requests (e.g. a deliberate wrong password); anything
  // else written to the console as an error is the UI's own and counts as a failure.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(baseUrl) && !url.startsWith('data:') && !url.startsWith('blob:')) outsideRequests.push(url);
  });
  return {
    browser,
    context,
    page,
    pageErrors,
    outsideRequests,
    async close() {
      await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}
