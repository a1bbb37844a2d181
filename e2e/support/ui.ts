import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { TotpDevice } from './totp';

// Moves every browser test makes on the KhoMật screens, the way a person does them: by the
// visible Vietnamese labels and roles, with the keyboard where a person would use it.

/**
 * Picks a person in a people picker (a Select searched on the server) and checks on the field
 * itself that the choice took. The picker holds its list still while the pointer is down
 * (workspace.e2e.ts tests that race), but the server's answer can still arrive between the moment
 * the option's position is read and the press — the list then moves under the pointer, as it
 * would under a person's hand — so the choice is made again if it did not take.
 */
export async function pickPerson(page: Page, field: Locator, typed: string, option: RegExp): Promise<void> {
  const select = field.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  for (let attempt = 1; ; attempt++) {
    await field.click();
    await field.fill(typed);
    await page.locator('.ant-select-dropdown:visible').getByText(option).first().click();
    try {
      // The chosen label is shown as text in the field (what was typed is only the input's value).
      await select.filter({ hasText: option }).waitFor({ timeout: 3_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
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

  /** Picks an option of an antd Select by typing into it, as a keyboard user would. */
  async pick(field: Locator, typed: string, option: string | RegExp): Promise<void> {
    await field.click();
    await field.fill(typed);
    await this.dropdown().getByText(option, { exact: typeof option === 'string' }).first().click();
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
