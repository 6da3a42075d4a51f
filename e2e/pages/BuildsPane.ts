import { expect, type Locator, type Page } from '@playwright/test';

/** What the build form's fields are set to; a field left out keeps the form's default. */
export interface BuildFormOptions {
  tags?: string;
  ref?: 'HEAD' | 'worktree';
  labels?: string;
}

/**
 * Builds, wherever they show: the build dock under the Files editor (Build action, form, panel with its
 * timeline and log) and the Builds view (history, compare).
 */
export class BuildsPane {
  readonly dock: Locator;
  readonly panel: Locator;
  readonly status: Locator;
  readonly timeline: Locator;
  readonly form: Locator;
  readonly view: Locator;
  readonly history: Locator;
  readonly comparison: Locator;
  readonly toasts: Locator;
  /** The build shown under the Builds view's table. */
  readonly viewStatus: Locator;
  /** The bar above the build panel in Files that resizes it. */
  readonly splitter: Locator;

  constructor(private readonly page: Page) {
    this.dock = page
      .getByRole('region', { name: 'Files', exact: true })
      .getByRole('region', { name: 'Build', exact: true });
    this.panel = this.dock.getByRole('region', { name: 'Build panel' });
    this.status = this.panel.getByRole('status', { name: 'Build status' });
    this.timeline = this.panel.getByRole('list', { name: 'Build timeline' });
    this.form = page.getByRole('dialog', { name: 'Build an image' });
    this.view = page.getByRole('region', { name: 'Builds', exact: true });
    this.history = this.view.getByRole('table', { name: 'Build history' }).locator('tbody tr');
    this.comparison = this.view.getByRole('region', { name: 'Comparison' });
    this.toasts = page.getByRole('region', { name: 'Notifications' }).getByRole('status');
    this.viewStatus = this.view
      .getByRole('region', { name: 'Build panel' })
      .getByRole('status', { name: 'Build status' });
    this.splitter = this.dock.getByRole('separator', { name: 'Resize the build panel' });
  }

  /** Ctrl/Cmd+B with a Dockerfile in the editor opens the form. */
  async openFormWithShortcut(): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+KeyB');
    await expect(this.form).toBeVisible();
  }

  async fillForm(options: BuildFormOptions = {}): Promise<void> {
    if (options.tags) await this.form.getByRole('textbox', { name: 'Tags' }).fill(options.tags);
    if (options.labels) await this.form.getByRole('textbox', { name: 'Labels' }).fill(options.labels);
    if (options.ref === 'worktree') await this.form.getByRole('radio', { name: /work tree/ }).check();
  }

  async startFromForm(): Promise<void> {
    await this.form.getByRole('button', { name: 'Start build' }).click();
    await expect(this.form).toBeHidden();
  }

  /** Opens the form by its shortcut, fills it and starts the build, as a keyboard user builds the open file. */
  async buildFromForm(options: BuildFormOptions = {}): Promise<void> {
    await this.openFormWithShortcut();
    await this.fillForm(options);
    await this.startFromForm();
  }

  step(text: string): Locator {
    return this.timeline.getByRole('listitem').filter({ hasText: text }).last();
  }

  async waitForStatus(status: string): Promise<void> {
    await expect(this.status).toHaveText(status, { timeout: 30_000 });
  }

  async rebuild(): Promise<void> {
    await this.panel.getByRole('button', { name: /Rebuild/ }).click();
  }

  async cancel(): Promise<void> {
    await this.panel.getByRole('button', { name: /Cancel/ }).click();
  }

  async showLogs(): Promise<Locator> {
    await this.panel.getByRole('tab', { name: 'Logs' }).click();
    return this.panel.getByRole('log', { name: 'Build log' });
  }

  async showTimeline(): Promise<void> {
    await this.panel.getByRole('tab', { name: 'Timeline' }).click();
  }

  /** The build panel's height as the splitter reports it. */
  async panelHeight(): Promise<number> {
    return Number(await this.splitter.getAttribute('aria-valuenow'));
  }

  async compareFirstTwo(): Promise<void> {
    await this.history.nth(0).getByRole('checkbox').check();
    await this.history.nth(1).getByRole('checkbox').check();
    await this.view.getByRole('button', { name: 'Compare the two selected' }).click();
    await expect(this.comparison.getByRole('status', { name: 'Comparison summary' })).toBeVisible();
  }
}
