import type { Locator, Page } from '@playwright/test';

/** The scratch editor: a Monaco instance, driven through its keyboard input like a person would. */
export class EditorPane {
  readonly region: Locator;
  readonly language: Locator;
  readonly input: Locator;
  /** Problems the language service marked in the text (drawn as red squiggles). */
  readonly errorSquiggles: Locator;
  private readonly lines: Locator;

  constructor(private readonly page: Page) {
    this.region = page.getByRole('region', { name: 'Editor' });
    this.language = this.region.getByRole('combobox', { name: 'Language' });
    this.input = this.region.getByRole('textbox', { name: 'Scratch editor' });
    this.lines = this.region.locator('.monaco-editor .view-lines');
    this.errorSquiggles = this.region.locator('.monaco-editor .squiggly-error');
  }

  /** Replaces the whole text by typing it. */
  async replaceText(text: string): Promise<void> {
    await this.lines.click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.type(text);
  }

  /** The rendered text; Monaco draws spaces as non-breaking ones. Only the visible lines are rendered. */
  async visibleText(): Promise<string> {
    const text = await this.lines.innerText();
    return text.replace(/\u00a0/g, ' ');
  }

  /** Distinct token classes on the line holding `text`: more than one means the language's highlighter ran. */
  async tokenClasses(text: string): Promise<string[]> {
    return this.lines
      .locator('.view-line')
      .filter({ hasText: text })
      .first()
      .locator('span > span')
      .evaluateAll((spans) => [...new Set(spans.map((span) => span.className))]);
  }
}
