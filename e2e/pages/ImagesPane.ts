import { expect, type Locator, type Page } from '@playwright/test';

/** The Images view: local images, the selected one's details, and its actions. */
export class ImagesPane {
  readonly view: Locator;
  readonly list: Locator;
  readonly layers: Locator;
  readonly history: Locator;
  readonly configuration: Locator;
  readonly actions: Locator;
  readonly status: Locator;

  constructor(private readonly page: Page) {
    this.view = page.getByRole('region', { name: 'Images', exact: true });
    this.list = this.view.getByRole('table', { name: 'Local images' });
    this.layers = this.view.getByRole('table', { name: 'Layers' }).locator('tbody tr');
    this.history = this.view.getByRole('region', { name: 'History' }).getByRole('listitem');
    this.configuration = this.view.getByRole('region', { name: 'Configuration' });
    this.actions = this.view.getByRole('region', { name: 'Image actions' });
    this.status = this.view.getByRole('status', { name: 'Image action' });
  }

  /** Through its keyboard shortcut, as a keyboard user gets there. */
  async open(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+Digit7');
    await expect(this.view).toBeVisible();
  }

  image(name: string): Locator {
    return this.list.getByRole('button', { name });
  }

  async select(name: string): Promise<void> {
    await this.image(name).click();
    await expect(this.image(name)).toHaveAttribute('aria-pressed', 'true');
    await expect(this.layers.first()).toBeVisible();
  }

  async exportAs(format: 'oci' | 'oci-archive' | 'docker-archive', dest: string): Promise<void> {
    const form = this.actions.getByRole('form', { name: 'Export image' });
    await form.getByRole('combobox', { name: 'Format' }).selectOption(format);
    await form.getByRole('textbox', { name: /Destination/ }).fill(dest);
    await form.getByRole('button', { name: 'Export' }).click();
  }

  async signSelected(): Promise<void> {
    await this.actions.getByRole('group', { name: 'Sign image' }).getByRole('button', { name: 'Sign' }).click();
  }

  async deleteSelected(): Promise<void> {
    const group = this.actions.getByRole('group', { name: 'Delete image' });
    await group.getByRole('button', { name: 'Delete…' }).click();
    await group.getByRole('button', { name: 'Confirm delete' }).click();
    await expect(this.status).toContainText('Deleted');
  }
}
