import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { RESULTS_DIR } from './paths';

export interface ScreenCheck {
  name: string;
  violations: string[];
}

/** Runs axe-core (WCAG 2.1 A + AA) on the page and returns readable violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`)
        .join('\n')}`,
  );
}

/** Full-page screenshot under test-results/e2e/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  // Toasts fade out by themselves; leave them out of the record so that they hide nothing.
  await page.screenshot({ path: file, fullPage: true, style: '.ant-message { display: none !important; }' });
  return file;
}

/** Waits for the page to settle, saves the screenshot and returns axe's violations. */
export async function checkScreen(page: Page, name: string): Promise<ScreenCheck> {
  await page.waitForLoadState('networkidle');
  // Let antd finish its enter animations so that colours are final when axe reads them.
  await page.waitForTimeout(400);
  await screenshot(page, name);
  return { name, violations: await axeViolations(page) };
}
