import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { TotpDevice } from './totp';

// Moves every browser test makes on the KhoMật screens, the way a person does them: by the
// visible Vietnamese labels and roles, with the keyboard where a person would use it.

/** The antd Select (or TreeSelect) a field's input belongs to. */
function selectOf(field: Locator): Locator {
  return field.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
}

/**
 * Picks an option of an antd Select / TreeSelect by typing into it and pressing the option, then
 * checks on the field itself that the choice took, and makes it again if it did not. The dropdown
 * can still be moving when the option is pressed: antd re-aligns it a frame or more after the typed
 * text shortens the list (or the server's answer replaces it), and on a loaded machine the press
 * lands on the option while the release lands elsewhere — the browser then makes no click of it,
 * nothing is chosen and the field keeps its value (seen: the 'Giao chức vụ' dialog sent the
 * position the officer already held and stayed open on the server's refusal).
 */
export async function pickOption(page: Page, field: Locator, typed: string, option: string | RegExp): Promise<void> {
  const select = selectOf(field);
  // The chosen label is shown as text in the field (what was typed is only the input's value).
  const chosen = typeof option === 'string' ? select.getByText(option, { exact: true }) : select.filter({ hasText: option });
  for (let attempt = 1; ; attempt++) {
    // A choice that took late is not pressed again (in a multiple choice that would undo it).
    if (attempt > 1 && (await chosen.count()) > 0) return;
    await field.click();
    await field.fill(typed);
    await page
      .locator('.ant-select-dropdown:visible, .ant-select-tree:visible')
      .getByText(option, { exact: typeof option === 'string' })
      .first()
      .click();
    try {
      await chosen.first().waitFor({ timeout: 3_000 });
      return;
    } catch (e) {
      if (attempt === 3)
        throw new Error(`The choice «${String(option)}» did not take in the field (it shows «${(await select.innerText().catch(() => '')).trim()}»)`, {
          cause: e,
        });
    }
  }
}

/**
 * Picks a person in a people picker (a Select searched on the server). The picker holds its list
 * still while the pointer is down (workspace.e2e.ts tests that race), but the server's answer can
 * still arrive between the moment the option's position is read and the press: `pickOption`
 * checks the choice and makes it again.
 */
export async function pickPerson(page: Page, field: Locator, typed: string, option: RegExp): Promise<void> {
  await pickOption(page, field, typed, option);
}

/**
 * Waits until a dialog has finished opening. antd zooms a dialog in from the point that was
 * clicked (0.3 s); on a loaded machine a press sent meanwhile can land on a button that has moved
 * by the release, and the browser then makes no click of it (seen: a unit's «Đóng» pressed while
 * its dialog was growing, released on the mask — no validation, no request).
 */
export async function dialogOpened(dialog: Locator): Promise<void> {
  await dialog.and(dialog.page().locator('.ant-modal:not([class*="ant-zoom"])')).waitFor();
}

/**
 * Waits for a dialog whose form was just sent to close. When it stays open the step fails with what
 * the dialog shows — the server's refusal or a field's message — instead of a bare timeout.
 */
export async function dialogClosed(dialog: Locator, timeout = 30_000): Promise<void> {
  const errors = dialog.locator('.form-error, .ant-form-item-explain-error');
  const closed = dialog.waitFor({ state: 'hidden', timeout }).then(
    () => 'closed' as const,
    () => 'open' as const,
  );
  const message = errors
    .first()
    .waitFor({ timeout })
    .then(
      () => 'message' as const,
      () => 'open' as const,
    );
  const first = await Promise.race([closed, message]);
  if (first === 'closed') return;
  // A field's message still fading out from before the form was sent is no refusal: a refusal
  // stays as long as the dialog does.
  if (
    first === 'message' &&
    (await dialog.waitFor({ state: 'hidden', timeout: 1_500 }).then(
      () => true,
      () => false,
    ))
  )
    return;
  const title = (
    await dialog
      .locator('.ant-modal-title')
      .innerText({ timeout: 1_000 })
      .catch(() => '')
  ).trim();
  const shown = (await errors.allInnerTexts().catch(() => [] as string[])).map((t) => t.replace(/\s+/g, ' ').trim());
  throw new Error(
    `The dialog «${title}» stayed open` +
      (shown.length > 0
        ? `, showing: ${shown.join(' | ')}`
        : ` for ${timeout / 1000} s with no message shown (was the press lost, or is the request still waiting?)`),
  );
}

export class Screens {
  constructor(
    readonly page: Page,
    private readonly totp: TotpDevice,
    /** TOTP secrets by username (filled by enrolment here or by ApiSession.signIn). */
    readonly secrets: Map<string, string>,
  ) {}

  /** Waits for the page's h1. */
  async heading(text: string | RegExp): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: text }).waitFor();
  }

  /** A link of the side navigation ("Chức năng"). */
  nav(name: string): Locator {
    return this.page.getByRole('navigation', { name: 'Chức năng' }).getByRole('link', { name, exact: true });
  }

  /** Password, then the TOTP code (enrolling first when the account has no device yet). */
  async signIn(username: string, password: string, fullName: string): Promise<void> {
    const page = this.page;
    await this.heading('Đăng nhập');
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByLabel('Mật khẩu').press('Enter');
    const h1 = page.getByRole('heading', { level: 1 }).first();
    await expect.poll(async () => (await h1.textContent().catch(() => '')) ?? '', { timeout: 20_000 }).toMatch(/xác thực hai lớp|Xin chào/i);
    const text = (await h1.textContent()) ?? '';
    if (text.includes('Đăng ký xác thực hai lớp')) {
      const secretEl = page.locator('.totp-secret');
      await secretEl.waitFor();
      const secret = (await secretEl.innerText()).replace(/\s+/g, '');
      this.secrets.set(username, secret);
      await page.getByLabel('Mã xác thực').fill(await this.totp.code(secret));
      await page.getByLabel('Mã xác thực').press('Enter');
    } else if (text.includes('Xác thực hai lớp')) {
      const secret = this.secrets.get(username);
      if (!secret) throw new Error(`No TOTP secret known for ${username}`);
      await page.getByLabel('Mã xác thực').fill(await this.totp.code(secret));
      await page.getByLabel('Mã xác thực').press('Enter');
    }
    await this.heading(`Xin chào, ${fullName}`);
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Đăng xuất' }).click();
    await this.heading('Đăng nhập');
  }

  /** The open dropdown of an antd Select / AutoComplete. */
  dropdown(): Locator {
    return this.page.locator('.ant-select-dropdown:visible');
  }

  /** Picks an option of an antd Select by typing into it (see `pickOption`). */
  pick(field: Locator, typed: string, option: string | RegExp): Promise<void> {
    return pickOption(this.page, field, typed, option);
  }

  /** A person from a people picker (see `pickPerson`). */
  pickPerson(field: Locator, typed: string, option: RegExp): Promise<void> {
    return pickPerson(this.page, field, typed, option);
  }

  /** The item id in an item page's address. */
  static itemIdOf(url: string): string {
    const m = /\/items\/([0-9a-f-]{36})/.exec(url);
    if (!m) throw new Error(`not an item page: ${url}`);
    return m[1]!;
  }
}
