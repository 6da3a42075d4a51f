import { expect, type Locator, type Page } from '@playwright/test';

/** The Files view: repository and branch pickers, file tree, editor tabs, changes, commit box, history. */
export class WorkspacePane {
  readonly region: Locator;
  readonly repoPicker: Locator;
  readonly branchPicker: Locator;
  readonly tree: Locator;
  readonly tabs: Locator;
  readonly changes: Locator;
  readonly commitMessage: Locator;
  readonly commitButton: Locator;
  /** Commit, then build the chosen Dockerfile at the new commit (Ctrl/Cmd+Shift+Enter). */
  readonly commitAndBuildButton: Locator;
  readonly commits: Locator;
  readonly conflicts: Locator;
  readonly dialog: Locator;
  readonly diff: Locator;
  readonly unsavedNote: Locator;
  private readonly editorLines: Locator;

  constructor(private readonly page: Page) {
    this.region = page.getByRole('region', { name: 'Files', exact: true });
    this.repoPicker = this.region.getByRole('combobox', { name: 'Repository' });
    this.branchPicker = this.region.getByRole('combobox', { name: 'Branch' });
    this.tree = this.region.getByRole('tree', { name: 'Files' });
    this.tabs = this.region.getByRole('tablist', { name: 'Open files' });
    this.changes = this.region.getByRole('list', { name: 'Changed files' }).getByRole('listitem');
    this.commitMessage = this.region.getByRole('textbox', { name: 'Commit message' });
    this.commitButton = this.region.getByRole('form', { name: 'Commit' }).getByRole('button');
    this.commitAndBuildButton = this.region
      .getByRole('group', { name: 'Commit and build' })
      .getByRole('button', { name: /^Commit(ting)? and build/ });
    this.commits = this.region.getByRole('list', { name: 'Commits' }).getByRole('listitem');
    this.conflicts = this.region.getByRole('list', { name: 'Conflicting paths' }).getByRole('listitem');
    this.dialog = page.getByRole('dialog');
    this.diff = this.region.getByRole('region', { name: /^Diff of / });
    this.unsavedNote = this.region.getByRole('tabpanel').getByRole('status');
    this.editorLines = this.region.locator('.ws-editor .monaco-editor .view-lines');
  }

  async createRepo(id: string, options: { persist?: boolean; importFrom?: string } = {}): Promise<void> {
    await this.region.getByRole('button', { name: 'New repository' }).click();
    await this.dialog.getByRole('textbox', { name: 'Name' }).fill(id);
    await this.dialog.getByRole('checkbox', { name: /Keep on disk/ }).setChecked(options.persist ?? false);
    if (options.importFrom) await this.dialog.getByRole('textbox', { name: /Import from/ }).fill(options.importFrom);
    await this.dialog.getByRole('button', { name: /(Create|Import) repository/ }).click();
    await expect(this.repoPicker).toHaveValue(id);
  }

  /** A new file through Alt+N, as a keyboard user makes one. */
  async newFile(path: string): Promise<void> {
    await this.page.keyboard.press('Alt+KeyN');
    await this.dialog.getByRole('textbox', { name: 'Path in the repository' }).fill(path);
    await this.dialog.getByRole('button', { name: 'Create file' }).click();
    await expect(this.tab(path)).toHaveAttribute('aria-selected', 'true');
  }

  tab(path: string): Locator {
    return this.tabs.getByRole('tab', { name: new RegExp(`^${escape(path)}(, unsaved)?$`) });
  }

  treeItem(name: string): Locator {
    return this.tree.getByRole('treeitem', { name: new RegExp(`^${escape(name)}(,|$)`) });
  }

  change(path: string): Locator {
    return this.changes.filter({ has: this.page.getByRole('button', { name: `Show diff of ${path} (` }) });
  }

  /** Types at the end of the open file, through Monaco's keyboard input. */
  async type(text: string, options: { replace?: boolean } = {}): Promise<void> {
    await this.editorLines.click();
    if (options.replace) {
      await this.page.keyboard.press('ControlOrMeta+A');
      await this.page.keyboard.press('Delete');
    } else {
      await this.page.keyboard.press('ControlOrMeta+End');
    }
    await this.page.keyboard.type(text);
  }

  /** Types line by line; Escape closes any suggestion list first, so Enter makes a new line instead of picking one. */
  async typeLines(lines: string[]): Promise<void> {
    await this.type('');
    for (const [index, line] of lines.entries()) {
      await this.page.keyboard.type(line);
      await this.page.keyboard.press('Escape');
      if (index < lines.length - 1) await this.page.keyboard.press('Enter');
    }
  }

  async editorText(): Promise<string> {
    return (await this.editorLines.innerText()).replace(/\u00a0/g, ' ');
  }

  async save(path: string): Promise<void> {
    await this.page.keyboard.press('ControlOrMeta+S');
    await expect(this.tab(path)).toHaveAccessibleName(path);
  }

  /** A new file with this text, saved. */
  async writeFile(path: string, text: string): Promise<void> {
    await this.newFile(path);
    await this.type(text);
    await this.save(path);
  }

  async commit(message: string): Promise<void> {
    await this.commitMessage.fill(message);
    await expect(this.commitButton).toBeEnabled();
    await this.page.keyboard.press('ControlOrMeta+Enter');
    await expect(this.commitMessage).toHaveValue('');
  }

  /** Writes the message and presses Ctrl/Cmd+Shift+Enter, as a keyboard user commits and builds. */
  async commitAndBuild(message: string): Promise<void> {
    await this.commitMessage.fill(message);
    await expect(this.commitAndBuildButton).toBeEnabled();
    await this.page.keyboard.press('ControlOrMeta+Shift+Enter');
    // It ends in the Builds view, showing the build.
    await expect(this.page.getByRole('region', { name: 'Builds', exact: true })).toBeVisible();
  }

  commitRow(summary: string): Locator {
    return this.commits.filter({ hasText: summary });
  }

  async showCommitDiff(summary: string, path: string): Promise<void> {
    const row = this.commitRow(summary);
    await row.getByRole('button', { expanded: false }).click();
    await row.getByRole('button', { name: new RegExp(`^Show diff of ${escape(path)} in `) }).click();
    await expect(this.diff).toBeVisible();
  }

  /** The text of the diff's right (modified) side. */
  async diffModifiedText(): Promise<string> {
    const text = await this.diff.locator('.editor.modified .view-lines:not(.line-delete)').innerText();
    return text.replace(/\u00a0/g, ' ');
  }

  async createBranch(name: string): Promise<void> {
    await this.region.getByRole('button', { name: 'New branch' }).click();
    await this.dialog.getByRole('textbox', { name: /Branch name/ }).fill(name);
    await this.dialog.getByRole('button', { name: 'Create branch' }).click();
    await expect(this.branchPicker).toHaveValue(name);
  }

  async switchBranch(name: string): Promise<void> {
    await this.branchPicker.selectOption(name);
    await expect(this.branchPicker).toHaveValue(name);
  }

  async merge(name: string): Promise<void> {
    await this.region.getByRole('button', { name: 'Merge into current branch' }).click();
    await this.dialog.getByRole('combobox', { name: 'Branch to merge' }).selectOption(name);
    await this.dialog.getByRole('button', { name: 'Merge' }).click();
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
