import type { Locator, Page } from '@playwright/test';

export class ActivityPane {
  readonly region: Locator;
  readonly events: Locator;

  constructor(page: Page) {
    this.region = page.getByRole('region', { name: 'Activity' });
    this.events = this.region.getByRole('list', { name: 'Engine events' }).getByRole('listitem');
  }

  /** Rows of one event type whose text contains `text`. */
  event(type: string, text = ''): Locator {
    return this.events.filter({ hasText: type }).filter({ hasText: text });
  }
}
