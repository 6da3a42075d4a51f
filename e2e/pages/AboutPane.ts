import type { Locator, Page } from '@playwright/test';

export class AboutPane {
  readonly region: Locator;
  readonly facts: Locator;
  readonly pingResult: Locator;

  constructor(page: Page) {
    this.region = page.getByRole('region', { name: 'About' });
    this.facts = this.region.getByRole('definition');
    this.pingResult = this.region.getByRole('status', { name: 'Ping result' });
  }

  /** The value shown beside a fact's name (Version, Mode, Platform, Data folder…). */
  fact(term: string): Locator {
    return this.region.getByRole('term').filter({ hasText: term }).locator('+ dd');
  }

  async ping(message: string): Promise<Locator> {
    await this.region.getByRole('textbox', { name: 'Message' }).fill(message);
    await this.region.getByRole('button', { name: 'Ping engine' }).click();
    return this.pingResult;
  }
}
