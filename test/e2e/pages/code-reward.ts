// Page object for Score Code Samples…: VS Code's modal dialog (the first-time opt-in) and the code tests table of
// the sample view. Dialog selectors checked on code-server 4.100 (VS Code 1.100).
import type { Locator, Page } from 'playwright-core';
import type { Viewer } from './viewer';

export const CODE_SELECTORS = {
  dialog: '.monaco-dialog-box',
  dialogMessage: '.monaco-dialog-box .dialog-message-text',
  dialogDetail: '.monaco-dialog-box .dialog-message-detail',
  dialogButton: '.monaco-dialog-box .dialog-buttons .monaco-button',
} as const;

export class CodeRewardPage {
  constructor(readonly page: Page) {}

  dialog(): Locator {
    return this.page.locator(CODE_SELECTORS.dialog);
  }

  async dialogText(): Promise<string> {
    const msg = (await this.page.locator(CODE_SELECTORS.dialogMessage).innerText().catch(() => '')) ?? '';
    const detail = (await this.page.locator(CODE_SELECTORS.dialogDetail).innerText().catch(() => '')) ?? '';
    return `${msg}\n${detail}`;
  }

  async clickDialogButton(label: string): Promise<void> {
    await this.page.locator(CODE_SELECTORS.dialogButton, { hasText: label }).first().click();
    await this.dialog().waitFor({ state: 'hidden', timeout: 5000 });
  }

  /** The code tests section of a sample view and its rows. */
  tests(v: Viewer): { section: Locator; summary: Locator; rows: Locator } {
    return { section: v.id('code-tests'), summary: v.id('code-tests-summary'), rows: v.id('code-test-row') };
  }
}
