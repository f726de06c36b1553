// Page object for the VS Code workbench in code-server. Every selector the e2e suite uses lives here, so a
// VS Code DOM change is fixed in one place. Selectors were verified on 1.100 / 1.139 (docs/platform.md §4.4).
// Rules from VS Code's smoke tests: wait for conditions, never fixed delays; don't rely on :focus.
import type { Locator, Page } from 'playwright-core';

export const SELECTORS = {
  workbench: '.monaco-workbench',
  explorerRows: '.explorer-folders-view .monaco-list-row',
  editor: (fileSuffix: string) => `.monaco-editor[data-uri$="${fileSuffix}"]`,
  viewLine: '.view-lines .view-line',
  codeLensLink: '.codelens-decoration a',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  notificationToast: '.notifications-toasts .notification-list-item',
  // VS Code adds this class once a toast's fade-in transition has finished (screenshots before it are blank).
  notificationToastShown: '.notifications-toasts .notification-toast.notification-fade-in-done',
  notificationMessage: '.notification-list-item-message',
  problemsPanel: '.markers-panel',
  problemsRow: '.markers-panel .monaco-list-row',
  statusBarItem: 'footer .statusbar-item',
} as const;

export class Workbench {
  constructor(readonly page: Page) {}

  async waitReady(timeoutMs = 30000): Promise<void> {
    await this.page.locator(SELECTORS.workbench).waitFor({ state: 'visible', timeout: timeoutMs });
    // The Explorer's first row means the workspace folder has been resolved over the remote connection.
    await this.page.locator(SELECTORS.explorerRows).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  treeItem(name: string): Locator {
    return this.page.getByRole('treeitem', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`) });
  }

  /** Expands folders and double-clicks the file (a double click pins the editor, a single one only previews). */
  async openFromExplorer(...segments: string[]): Promise<Locator> {
    for (const folder of segments.slice(0, -1)) {
      const item = this.treeItem(folder).first();
      await item.waitFor({ state: 'visible', timeout: 10000 });
      if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
      await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await item.elementHandle(), { timeout: 10000 });
    }
    const file = segments[segments.length - 1]!;
    await this.treeItem(file).first().dblclick();
    const editor = this.editor(segments.join('/'));
    await editor.locator(SELECTORS.viewLine).first().waitFor({ state: 'visible', timeout: 15000 });
    return editor;
  }

  editor(fileSuffix: string): Locator {
    return this.page.locator(SELECTORS.editor(fileSuffix)).first();
  }

  codeLensLinks(editor: Locator): Locator {
    return editor.locator(SELECTORS.codeLensLink);
  }

  /**
   * Runs a command through the palette the way a user does: Ctrl+Shift+P, type the title, Enter.
   * On a loaded machine the palette can open before the workbench has taken focus from the
   * explorer, and the typed title then lands partly elsewhere; so the typed value is checked and
   * the whole gesture retried (up to three times), and a final failure says what the palette held.
   */
  async runFromPalette(title: string, beforeEnter?: () => Promise<void>): Promise<void> {
    const input = this.page.locator(SELECTORS.quickInputBox);
    const row = this.page.locator(SELECTORS.quickInputRow, { hasText: title }).first();
    let seen = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (await this.page.locator(SELECTORS.quickInput).isVisible()) {
        await this.page.keyboard.press('Escape');
        await this.page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
      }
      await this.page.keyboard.press('Control+Shift+P');
      const opened = await input.waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false);
      if (!opened) { seen = '(palette did not open)'; continue; }
      await input.pressSequentially(title);
      const value = await input.inputValue();
      if (value !== `>${title}`) await input.fill(`>${title}`);
      const found = await row.waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false);
      if (!found) {
        const rows = await this.page.locator(SELECTORS.quickInputRow).allTextContents().catch(() => []);
        seen = `input ${JSON.stringify(await input.inputValue().catch(() => '?'))}, rows ${JSON.stringify(rows.slice(0, 5))}`;
        continue;
      }
      if (beforeEnter) await beforeEnter();
      await this.page.keyboard.press('Enter');
      await this.page.locator(SELECTORS.quickInput).waitFor({ state: 'hidden', timeout: 5000 });
      return;
    }
    throw new Error(`command "${title}" not found in the palette after 3 tries; last time the palette held ${seen}`);
  }

  notifications(): Locator {
    return this.page.locator(SELECTORS.notificationToast);
  }

  async waitToastShown(timeoutMs = 5000): Promise<void> {
    await this.page.locator(SELECTORS.notificationToastShown).first().waitFor({ state: 'visible', timeout: timeoutMs });
  }

  async openProblems(): Promise<Locator> {
    await this.page.keyboard.press('Control+Shift+M');
    const panel = this.page.locator(SELECTORS.problemsPanel);
    await panel.waitFor({ state: 'visible', timeout: 5000 });
    return panel;
  }

  problemRows(): Locator {
    return this.page.locator(SELECTORS.problemsRow);
  }

  statusBarItem(hasText: string | RegExp): Locator {
    return this.page.locator(SELECTORS.statusBarItem, { hasText }).first();
  }
}

/**
 * Chooses an entry of an open workbench context menu. A click that lands too soon after the menu opened is
 * sometimes swallowed (the entry is highlighted, the menu stays open, nothing runs): then the highlighted entry is
 * chosen with Enter, as a keyboard user would.
 */
export async function chooseMenuEntry(page: Page, entry: Locator): Promise<void> {
  await entry.hover();
  await page.waitForTimeout(150);
  await entry.click();
  const menu = page.locator('.context-view .monaco-menu');
  await page.waitForTimeout(500);
  if (await menu.isVisible().catch(() => false)) {
    await entry.hover();
    await page.keyboard.press('Enter');
  }
}
