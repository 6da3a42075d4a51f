import { expect, type Locator, type Page } from '@playwright/test';

/** The Settings view: theme, repositories and API server, the build cache (limit, statistics, prune). */
export class SettingsPane {
  readonly view: Locator;
  readonly cacheStats: Locator;
  readonly pruneResult: Locator;
  readonly persistDefault: Locator;
  readonly apiServer: Locator;
  /** What the view says about the API server (where it listens, or why it cannot be changed). */
  readonly apiServerNote: Locator;

  constructor(private readonly page: Page) {
    this.view = page.getByRole('region', { name: 'Settings', exact: true });
    this.cacheStats = this.view.getByLabel('Build cache statistics');
    this.pruneResult = this.view.getByRole('status', { name: 'Prune result' });
    this.persistDefault = this.view.getByRole('checkbox', { name: 'Keep new repositories on disk' });
    this.apiServer = this.view.getByRole('checkbox', { name: /^Serve the REST API/ });
    this.apiServerNote = this.view.locator('#settings-api-hint');
  }

  async open(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+Digit6');
    await expect(this.view).toBeVisible();
  }

  theme(label: 'Follow the system' | 'Light' | 'Dark'): Locator {
    return this.view.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: label });
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
