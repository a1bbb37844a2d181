import fs from 'node:fs';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import type { BrowserSession } from './browser';
import { screenshot, type ScreenCheck } from './a11y';
import type { RunningServer } from './server';

// What every browser story (one suite walking one flow, step after step) shares.

/** The parts a story opens in its beforeAll; read through a getter because they are assigned there. */
export interface StoryParts {
  server?: RunningServer | undefined;
  session?: BrowserSession | undefined;
  /** A temporary directory of the story's own, removed at the end. */
  tmp?: string | undefined;
}

/**
 * Later steps build on earlier ones, so the first failing step stops the story: the rest are
 * skipped, the page errors so far are printed and the screen is saved as `<prefix>failure-<step>`.
 * Everything is closed at the end.
 */
export function storyHooks(prefix: string, parts: () => StoryParts): void {
  let broken = false;
  afterAll(async () => {
    const { session, server, tmp } = parts();
    await session?.close();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach((ctx) => {
    if (broken) ctx.skip();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    broken = true;
    const { session, server } = parts();
    if (server && fs.existsSync(server.logFile)) {
      // The server's warnings and errors (pino level ≥ 40) tell a refused or failed request apart from a slow page.
      const bad = fs
        .readFileSync(server.logFile, 'utf8')
        .split('\n')
        .filter((l) => /"level":(4|5|6)\d/.test(l));
      if (bad.length > 0) console.error(`Server warnings and errors:\n${bad.slice(-15).join('\n')}`);
    }
    if (!session) return;
    if (session.pageErrors.length > 0) console.error(`Page errors so far:\n${session.pageErrors.join('\n')}`);
    const shown = await session.page
      .locator('[role="alert"], .ant-message-notice, .ant-alert-message')
      .allInnerTexts()
      .catch(() => [] as string[]);
    console.error(`The page at the failure: ${session.page.url()}${shown.length > 0 ? `\nMessages shown: ${shown.join(' | ')}` : ''}`);
    // A dialog left open says why in its own error (the server's refusal, a field's message).
    for (const dialog of await session.page
      .getByRole('dialog')
      .all()
      .catch(() => [])) {
      if (!(await dialog.isVisible().catch(() => false))) continue;
      const title = (
        await dialog
          .locator('.ant-modal-title')
          .allInnerTexts()
          .catch(() => [] as string[])
      )
        .join(' ')
        .trim();
      const errors = await dialog
        .locator('.form-error, .ant-form-item-explain-error')
        .allInnerTexts()
        .catch(() => [] as string[]);
      console.error(
        `Dialog open: «${title}»${errors.length > 0 ? `, showing: ${errors.map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ')}` : ', with no error shown'}`,
      );
    }
    await screenshot(session.page, `${prefix}failure-${ctx.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => undefined);
  });
}

/**
 * The two closing steps of every story: the UI loaded nothing from outside the server (an
 * isolated LAN) and raised no page error, and every screen checked along the way passes axe-core.
 */
export function storyEndChecks(parts: () => StoryParts, screens: readonly ScreenCheck[], atLeast: number): void {
  it('loaded nothing from outside and raised no page error', () => {
    const { session } = parts();
    expect(session?.outsideRequests).toEqual([]);
    expect(session?.pageErrors).toEqual([]);
  });

  it('every screen passes axe-core WCAG 2.1 AA', () => {
    const bad = screens.filter((s) => s.violations.length > 0).map((s) => `${s.name}:\n  ${s.violations.join('\n  ')}`);
    expect(screens.length).toBeGreaterThan(atLeast);
    expect(bad.join('\n'), `axe violations:\n${bad.join('\n')}`).toBe('');
  });
}
