import { useEffect, useRef, useState } from 'react';
import { tabsOf } from '../../stores/tabs';
import { BuildDock } from '../builds/BuildDock';
import { useWorkspace, useWorkspaceStores } from '../../stores/workspace-context';
import type { WorkspaceStores } from '../../stores/workspace';
import { ChangesPanel } from '../changes/ChangesPanel';
import { COMMIT_AND_BUILD_ID } from '../changes/commit-message';
import { DefinitionsSection } from '../definitions/DefinitionsSection';
import { HistoryPanel } from '../history/HistoryPanel';
import { BranchPicker } from './BranchPicker';
import { DialogContext, FOCUS_TARGETS, type DialogRequest } from './dialogs-context';
import { EditorArea } from './EditorArea';
import { FileTree } from './FileTree';
import { RepoPicker } from './RepoPicker';
import { isHelpKey, shortcutFor, type ShortcutId } from './shortcuts';
import { WorkspaceDialogs } from './WorkspaceDialogs';
import './workspace.css';

const IS_MAC = /Mac/.test(navigator.platform);

/** Sidebar (pickers, files) · tabs and editor (or a diff) · right panel (changes, commit, history). */
export default function WorkspaceView({ active }: { active: boolean }) {
  const stores = useWorkspaceStores();
  const repo = useWorkspace('repos', (s) => s.selected);
  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  const dialogRef = useRef(dialog);
  dialogRef.current = dialog;

  useEffect(() => {
    if (!active) return;
    const onKey = (event: KeyboardEvent) => {
      if (dialogRef.current) return; // the dialog has the keyboard
      const id = shortcutFor(event, IS_MAC) ?? (isHelpKey(event, isTyping(event.target)) ? 'help' : undefined);
      if (!id) return;
      const request = runShortcut(id, stores);
      // A shortcut that does nothing here (no file open) leaves the key to the page, e.g. Alt+D.
      if (request === false) return;
      event.preventDefault();
      event.stopPropagation();
      if (request) setDialog(request);
    };
    // Capture: Monaco would otherwise take Ctrl+S and Ctrl+Enter for itself.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [active, stores]);

  return (
    <DialogContext.Provider value={setDialog}>
      <div className="ws">
        <aside className="ws-sidebar" aria-label="Workspace sidebar">
          <RepoPicker />
          {repo && <BranchPicker />}
          {repo && <DefinitionsSection repo={repo} />}
          <div className="ws-section-head">
            <h2 className="ws-section-title">Files</h2>
            <button
              type="button"
              className="ws-icon-button"
              aria-label="New file"
              aria-keyshortcuts="Alt+N"
              title="New file (Alt+N)"
              disabled={!repo}
              onClick={() => setDialog({ kind: 'newFile' })}
            >
              +
            </button>
          </div>
          {repo ? <FileTree repo={repo} /> : <p className="ws-empty">Create or import a repository (Alt+Shift+N).</p>}
        </aside>
        <div className="ws-main">
          <Problems />
          {repo ? <EditorArea repo={repo} /> : <p className="ws-empty">No repository open.</p>}
          {repo && <BuildDock repo={repo} active={active} />}
        </div>
        <aside className="ws-right" aria-label="Changes and history">
          {repo && (
            <>
              <ChangesPanel repo={repo} />
              <HistoryPanel repo={repo} />
            </>
          )}
        </aside>
      </div>
      <WorkspaceDialogs request={dialog} onClose={() => setDialog(null)} />
    </DialogContext.Provider>
  );
}

/** What went wrong last in any workspace store, each dismissible. */
function Problems() {
  const stores = useWorkspaceStores();
  const problems = [
    ['repos', useWorkspace('repos', (s) => s.problem), () => stores.repos.getState().clearProblem()],
    ['branches', useWorkspace('branches', (s) => s.problem), () => stores.branches.getState().clearProblem()],
    ['worktree', useWorkspace('worktree', (s) => s.problem), () => stores.worktree.getState().clearProblem()],
    ['tabs', useWorkspace('tabs', (s) => s.problem), () => stores.tabs.getState().clearProblem()],
  ] as const;
  const shown = problems.filter(([, problem]) => problem);
  if (shown.length === 0) return null;
  return (
    <div className="ws-problems" role="alert">
      {shown.map(([name, problem, clear]) => (
        <p key={name} className="ws-problem">
          {problem}{' '}
          <button type="button" className="ws-link-button" onClick={clear}>
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof Element && !!target.closest('input, textarea, select, [contenteditable], .monaco-editor');
}

function focus(id: string): void {
  const element = document.getElementById(id);
  const target = element?.matches('input, select, textarea, button, [tabindex]')
    ? element
    : element?.querySelector<HTMLElement>('[tabindex="0"], input, button');
  (target ?? element)?.focus();
}

/** Does what a shortcut asks: a dialog to show, nothing more (undefined), or false when it does not apply. */
function runShortcut(id: ShortcutId, stores: WorkspaceStores): DialogRequest | undefined | false {
  const repo = stores.repos.getState().selected;
  const tabs = tabsOf(stores.tabs.getState(), repo);
  const file = tabs.active;
  const needRepo = (then: () => DialogRequest | undefined) => (repo ? then() : false);
  const needFile = (then: (path: string) => DialogRequest | undefined) => (repo && file ? then(file) : false);
  const cycle = (step: number) =>
    needFile((path) => {
      const next = tabs.open[(tabs.open.indexOf(path) + step + tabs.open.length) % tabs.open.length];
      if (next && repo) stores.tabs.getState().activate(repo, next);
      stores.diff.getState().close();
      return undefined;
    });

  switch (id) {
    case 'save':
      return needFile((path) => void stores.tabs.getState().save(repo!, path));
    case 'commit':
      return needRepo(() => {
        const message = document.getElementById(FOCUS_TARGETS.message) as HTMLTextAreaElement | null;
        message?.form?.requestSubmit();
        return undefined;
      });
    case 'commitAndBuild':
      return needRepo(() => {
        const button = document.getElementById(COMMIT_AND_BUILD_ID) as HTMLButtonElement | null;
        if (button && !button.disabled) button.click();
        return undefined;
      });
    case 'newFile':
      return needRepo(() => ({ kind: 'newFile' }));
    case 'renameFile':
      return needFile((path) => ({ kind: 'renameFile', path }));
    case 'deleteFile':
      return needFile((path) => ({ kind: 'deleteFile', path }));
    case 'closeTab':
      return needFile((path) => void stores.tabs.getState().close(repo!, path));
    case 'nextTab':
      return cycle(1);
    case 'previousTab':
      return cycle(-1);
    case 'newRepo':
      return { kind: 'newRepo' };
    case 'newBranch':
      return needRepo(() => ({ kind: 'newBranch' }));
    case 'merge':
      return needRepo(() => ({ kind: 'merge' }));
    case 'toggleDiffLayout':
      return stores.diff.getState().target ? void stores.diff.getState().toggleLayout() : false;
    case 'help':
      return { kind: 'help' };
    case 'focusRepo':
      return void focus(FOCUS_TARGETS.repo);
    case 'focusBranch':
      return void focus(FOCUS_TARGETS.branch);
    case 'focusFiles':
      return void focus(FOCUS_TARGETS.files);
    case 'focusChanges':
      return void focus(FOCUS_TARGETS.changes);
    case 'focusMessage':
      return void focus(FOCUS_TARGETS.message);
    case 'focusHistory':
      return void focus(FOCUS_TARGETS.history);
  }
}
