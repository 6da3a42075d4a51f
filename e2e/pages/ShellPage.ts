import { expect, type Locator, type Page } from '@playwright/test';
import { AboutPane } from './AboutPane';
import { ActivityPane } from './ActivityPane';
import { EditorPane } from './EditorPane';

export type ViewName = 'Editor' | 'Activity' | 'About' | 'Files' | 'Builds' | 'Settings' | 'Images' | 'Registry';

/** The window: rail, the view beside it, the status bar. Finds everything by role and accessible name. */
export class ShellPage {
  readonly rail: Locator;
  readonly statusBar: Locator;
  readonly connection: Locator;
  readonly editor: EditorPane;
  readonly activity: ActivityPane;
  readonly about: AboutPane;

  constructor(readonly page: Page) {
    this.rail = page.getByRole('navigation', { name: 'Views' });
    this.statusBar = page.getByRole('contentinfo', { name: 'Status bar' });
    this.connection = this.statusBar.getByRole('status', { name: 'Engine connection' });
    this.editor = new EditorPane(page);
    this.activity = new ActivityPane(page);
    this.about = new AboutPane(page);
  }

  /** Signs in with the token URL (the server redirects to `/` with a session cookie) and waits for the engine. */
  async open(signInUrl: string): Promise<void> {
    await this.page.goto(signInUrl);
    await expect(this.page).toHaveURL(/\/$/);
    await this.waitUntilConnected();
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitUntilConnected();
  }

  async waitUntilConnected(): Promise<void> {
    await expect(this.rail).toBeVisible();
    await expect(this.connection).toHaveText('Connected to engine');
  }

  /** The Builds item of the rail; its accessible name carries the running and queued count. */
  get buildsRailButton(): Locator {
    return this.rail.getByRole('button', { name: /^Builds(, \d+ running or queued)?$/ });
  }

  railButton(name: ViewName): Locator {
    return this.rail.getByRole('button', { name });
  }

  async gotoView(name: ViewName): Promise<void> {
    await this.railButton(name).click();
    await expect(this.railButton(name)).toHaveAttribute('aria-current', 'page');
    await expect(this.page.getByRole('region', { name })).toBeVisible();
  }

  /** A round trip through the contract from the UI; returns the line that shows the reply. */
  async pingEngine(message: string): Promise<Locator> {
    await this.gotoView('About');
    return this.about.ping(message);
  }
}
