import { expect, type Locator, type Page } from '@playwright/test';

/** The Settings view's build cache section: limit, statistics and prune. */
export class SettingsPane {
  readonly view: Locator;
  readonly cacheStats: Locator;
  readonly pruneResult: Locator;

  constructor(private readonly page: Page) {
    this.view = page.getByRole('region', { name: 'Settings', exact: true });
    this.cacheStats = this.view.getByLabel('Build cache statistics');
    this.pruneResult = this.view.getByRole('status', { name: 'Prune result' });
  }

  async open(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+Digit6');
    await expect(this.view).toBeVisible();
  }

  /** The value shown beside a statistic's name (Steps, Layers, Size, Hits / misses). */
  stat(name: string): Locator {
    return this.cacheStats.locator('dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');
  }

  async pruneAll(): Promise<void> {
    await this.view.getByRole('button', { name: 'Prune cache' }).click();
    await this.view.getByRole('button', { name: 'Confirm prune' }).click();
  }
}
