// Page object for the scoring surfaces: the sample code lenses before and after Score File, and the notification
// that reports the run. Selectors come from the workbench page object.
import type { Locator } from 'playwright-core';
import { SELECTORS, type Workbench } from './workbench';

export class ScoringPage {
  constructor(private readonly wb: Workbench) {}

  /** The headline lenses ("reward … · adv …") of an editor. */
  headlines(editor: Locator): Locator {
    return this.wb.codeLensLinks(editor).filter({ hasText: /^reward / });
  }

  /** Headline lenses that carry recomputed scores (after Score File / Score Sample). */
  rescored(editor: Locator): Locator {
    return this.wb.codeLensLinks(editor).filter({ hasText: /· recomputed / });
  }

  /** Reveals a 1-based line with Go to Line (Ctrl+G), so that its lens is rendered. */
  async goToLine(line: number): Promise<void> {
    await this.wb.page.keyboard.press('Control+G');
    await this.wb.page.keyboard.type(String(line));
    await this.wb.page.keyboard.press('Enter');
  }

  /** Runs "Rollout Lens: Score File" from the palette and returns the message of the notification it shows. */
  async scoreFileFromPalette(before?: () => Promise<void>): Promise<Locator> {
    await this.wb.runFromPalette('Rollout Lens: Score File', before);
    const message = this.wb.notifications().locator(SELECTORS.notificationMessage).filter({ hasText: /Rollout Lens: scored \d+ samples/ }).first();
    await message.waitFor({ state: 'visible', timeout: 30000 });
    return message;
  }
}
