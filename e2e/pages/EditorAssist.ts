import { expect, type Locator, type Page } from '@playwright/test';

/** The Files view editor's help: the suggestion list with its details, and the hover over a word. */
export class EditorAssist {
  readonly suggestions: Locator;
  readonly details: Locator;
  readonly hover: Locator;
  private readonly editor: Locator;

  constructor(private readonly page: Page) {
    const files = page.getByRole('region', { name: 'Files', exact: true });
    this.editor = files.locator('.ws-editor .monaco-editor');
    this.suggestions = this.editor.locator('.suggest-widget .monaco-list-row');
    this.details = this.editor.locator('.suggest-details');
    // Monaco renders the hover in an overflow widget that may sit outside the editor's element.
    this.hover = page.locator('.monaco-hover:not(.hidden)');
  }

  /** Ctrl+Space, as a person asks for suggestions when none came up while typing. */
  async suggest(): Promise<void> {
    await this.page.keyboard.press('Control+Space');
  }

  suggestion(label: string): Locator {
    return this.suggestions.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  }

  /** With the list open, Ctrl+Space again shows the focused suggestion's documentation beside it. */
  async showDetails(): Promise<void> {
    if (!(await this.details.isVisible())) await this.page.keyboard.press('Control+Space');
    await expect(this.details).toBeVisible();
  }

  /**
   * Moves the mouse over the `nth` occurrence (top to bottom) of `word` in the editor's text, after closing
   * any hover shown, which could cover the word and would keep its old text.
   */
  async hoverOn(word: string, nth = 0): Promise<void> {
    await this.page.mouse.move(0, 0);
    await this.page.keyboard.press('Escape');
    await expect(this.hover).toBeHidden();
    // Monaco keeps line elements in any DOM order: sort the tokens by where they are drawn.
    const tokens = this.editor.locator('.view-line span span', { hasText: word });
    const found: { x: number; y: number; width: number; height: number; text: string }[] = [];
    for (const token of await tokens.all()) {
      const box = await token.boundingBox();
      if (box) found.push({ ...box, text: (await token.textContent()) ?? '' });
    }
    found.sort((a, b) => a.y - b.y || a.x - b.x);
    const token = found[nth];
    if (!token) throw new Error(`"${word}" is not shown ${nth + 1} times in the editor`);
    const charWidth = token.width / Math.max(1, token.text.length);
    // Over the word's second letter, whatever else the token holds.
    await this.page.mouse.move(token.x + charWidth * (token.text.indexOf(word) + 1.5), token.y + token.height / 2);
  }
}
