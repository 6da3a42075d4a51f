import { expect, type Locator, type Page } from '@playwright/test';

/**
 * The Registry view: the repositories served at /v2/, their tags (and, expanded, each tag's manifest and
 * referrers), anonymous pull and garbage collection.
 */
export class RegistryPane {
  readonly view: Locator;
  readonly list: Locator;
  readonly empty: Locator;
  readonly storage: Locator;
  readonly gcStatus: Locator;

  constructor(private readonly page: Page) {
    this.view = page.getByRole('region', { name: 'Registry', exact: true });
    this.list = this.view.getByRole('table', { name: 'Registry repositories' });
    this.empty = this.view.getByText('No repositories yet');
    this.storage = this.view.getByLabel('Registry storage');
    this.gcStatus = this.view.getByRole('status', { name: 'Garbage collection' });
  }

  /** Through its keyboard shortcut, as a keyboard user gets there. */
  async open(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+Digit8');
    await expect(this.view).toBeVisible();
  }

  repository(name: string): Locator {
    return this.list.getByRole('row').filter({ has: this.page.getByRole('rowheader', { name, exact: true }) });
  }

  tags(name: string): Locator {
    return this.list.getByRole('list', { name: `Tags of ${name}` }).getByRole('listitem');
  }

  /** The repository's name is a disclosure button; a keyboard user focuses it and presses Enter. */
  async expand(name: string): Promise<void> {
    const button = this.repository(name).getByRole('button', { name, exact: true });
    await button.focus();
    await this.page.keyboard.press('Enter');
    await expect(button).toHaveAttribute('aria-expanded', 'true');
  }

  manifests(name: string): Locator {
    return this.view.getByRole('table', { name: `Manifests of ${name}` });
  }

  /** The row of one tag in an expanded repository: tag, digest, type, sizes, referrers. */
  manifest(name: string, tag: string): Locator {
    return this.manifests(name)
      .getByRole('row')
      .filter({ has: this.page.getByRole('rowheader', { name: tag, exact: true }) });
  }

  referrers(name: string, tag: string): Locator {
    return this.manifests(name)
      .getByRole('list', { name: `Referrers of ${tag}` })
      .getByRole('listitem');
  }

  anonymousPull(name: string): Locator {
    return this.repository(name).getByRole('checkbox', { name: 'Anonymous pull' });
  }

  /** A click, not check(): the box follows the engine's answer, so it changes a moment after the click. */
  async toggleAnonymousPull(name: string): Promise<void> {
    await this.anonymousPull(name).click();
  }

  /** Why the engine refused the last anonymous pull change of this repository. */
  refusal(name: string): Locator {
    return this.repository(name).getByRole('alert');
  }

  async collectGarbage(): Promise<void> {
    await this.view.getByRole('button', { name: 'Run garbage collection' }).click();
  }
}
