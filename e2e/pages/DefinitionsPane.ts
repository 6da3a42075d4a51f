import type { Locator, Page } from '@playwright/test';

/** The Files view sidebar's DEFINITIONS section: definitions grouped by kind, and their relations. */
export class DefinitionsPane {
  readonly region: Locator;
  readonly relations: Locator;

  constructor(page: Page) {
    const files = page.getByRole('region', { name: 'Files', exact: true });
    this.region = files.getByRole('region', { name: 'Definitions' });
    this.relations = this.region.getByRole('list', { name: 'Relations' }).getByRole('listitem');
  }

  /** The heading button of a kind, e.g. "dockerfile (2)"; it folds and unfolds the group. */
  kind(kind: string): Locator {
    return this.region.getByRole('button', { name: new RegExp(`^${kind} \\(\\d+\\)$`) });
  }

  /** A definition's row, named "path, summary[, N errors][, N warnings]". */
  definition(path: string): Locator {
    return this.region
      .getByRole('list', { name: /definitions$/ })
      .getByRole('button', { name: new RegExp(`^${escape(path)}, `) });
  }

  relation(text: string): Locator {
    return this.relations.filter({ hasText: text });
  }

  async open(path: string): Promise<void> {
    await this.definition(path).click();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
