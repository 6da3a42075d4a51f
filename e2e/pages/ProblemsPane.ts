import { expect, type Locator, type Page } from '@playwright/test';

/** The Files view's Problems list and the editor's squiggles, quick fixes and suggestions for the open file. */
export class ProblemsPane {
  readonly region: Locator;
  readonly items: Locator;
  readonly errorSquiggles: Locator;
  readonly warningSquiggles: Locator;
  readonly suggestions: Locator;
  private readonly editor: Locator;

  constructor(private readonly page: Page) {
    const files = page.getByRole('region', { name: 'Files', exact: true });
    this.region = files.getByRole('region', { name: 'Problems' });
    this.items = this.region.getByRole('list', { name: 'Problems in this file' }).getByRole('listitem');
    this.editor = files.locator('.ws-editor .monaco-editor');
    this.errorSquiggles = this.editor.locator('.squiggly-error');
    this.warningSquiggles = this.editor.locator('.squiggly-warning');
    this.suggestions = this.editor.locator('.suggest-widget .monaco-list-row');
  }

  /** The entry for a rule, e.g. `GV1001` or `dockerfile/unknown-instruction`. */
  item(rule: string): Locator {
    return this.items.filter({ hasText: rule });
  }

  /** Clicks the entry, which moves the editor's cursor to the problem. */
  async jumpTo(rule: string): Promise<void> {
    await this.item(rule).getByRole('button').click();
  }

  /** With the cursor on a fixable problem: Ctrl+. opens the quick fixes; picks the one titled `title`. */
  async applyQuickFix(title: RegExp): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+Period');
    const action = this.page.locator('.action-widget').first().getByText(title);
    await expect(action).toBeVisible();
    await action.click();
  }

  /** Asks for suggestions at the cursor (Ctrl+Space), as a person does when none came up while typing. */
  async suggest(): Promise<void> {
    await this.page.keyboard.press('Control+Space');
  }

  suggestion(label: string): Locator {
    return this.suggestions.filter({ hasText: label });
  }
}
