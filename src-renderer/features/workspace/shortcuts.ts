/**
 * Every workspace action that has a shortcut, in one table: the key handler and the help overlay both read
 * it, so the overlay cannot drift from what the keys do. Alt chords are matched by physical key (`code`),
 * since Alt (Option on macOS) changes the character typed.
 */
export type ShortcutId =
  | 'save'
  | 'commit'
  | 'commitAndBuild'
  | 'newFile'
  | 'renameFile'
  | 'deleteFile'
  | 'closeTab'
  | 'nextTab'
  | 'previousTab'
  | 'focusRepo'
  | 'focusBranch'
  | 'focusFiles'
  | 'focusChanges'
  | 'focusMessage'
  | 'focusHistory'
  | 'newRepo'
  | 'newBranch'
  | 'merge'
  | 'toggleDiffLayout'
  | 'help';

interface Chord {
  /** Ctrl on Windows and Linux, Cmd on macOS. */
  mod?: boolean;
  alt?: boolean;
  shift?: boolean;
  code: string;
}

export interface Shortcut {
  id: ShortcutId;
  label: string;
  /** As shown to people, and in aria-keyshortcuts (which wants Control, not Ctrl). */
  keys: string;
  chords: Chord[];
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'save', label: 'Save the file', keys: 'Control+S', chords: [{ mod: true, code: 'KeyS' }] },
  { id: 'commit', label: 'Commit', keys: 'Control+Enter', chords: [{ mod: true, code: 'Enter' }] },
  {
    id: 'commitAndBuild',
    label: 'Commit and build',
    keys: 'Control+Shift+Enter',
    chords: [{ mod: true, shift: true, code: 'Enter' }],
  },
  { id: 'newFile', label: 'New file', keys: 'Alt+N', chords: [{ alt: true, code: 'KeyN' }] },
  { id: 'renameFile', label: 'Rename the file', keys: 'Alt+R', chords: [{ alt: true, code: 'KeyR' }] },
  { id: 'deleteFile', label: 'Delete the file', keys: 'Alt+D', chords: [{ alt: true, code: 'KeyD' }] },
  { id: 'closeTab', label: 'Close the tab', keys: 'Alt+W', chords: [{ alt: true, code: 'KeyW' }] },
  { id: 'nextTab', label: 'Next tab', keys: 'Alt+]', chords: [{ alt: true, code: 'BracketRight' }] },
  { id: 'previousTab', label: 'Previous tab', keys: 'Alt+[', chords: [{ alt: true, code: 'BracketLeft' }] },
  { id: 'focusRepo', label: 'Go to the repository picker', keys: 'Alt+P', chords: [{ alt: true, code: 'KeyP' }] },
  { id: 'focusBranch', label: 'Go to the branch picker', keys: 'Alt+B', chords: [{ alt: true, code: 'KeyB' }] },
  { id: 'focusFiles', label: 'Go to the files', keys: 'Alt+E', chords: [{ alt: true, code: 'KeyE' }] },
  { id: 'focusChanges', label: 'Go to the changes', keys: 'Alt+C', chords: [{ alt: true, code: 'KeyC' }] },
  { id: 'focusMessage', label: 'Go to the commit message', keys: 'Alt+M', chords: [{ alt: true, code: 'KeyM' }] },
  { id: 'focusHistory', label: 'Go to the history', keys: 'Alt+H', chords: [{ alt: true, code: 'KeyH' }] },
  {
    id: 'newRepo',
    label: 'New or imported repository',
    keys: 'Alt+Shift+N',
    chords: [{ alt: true, shift: true, code: 'KeyN' }],
  },
  { id: 'newBranch', label: 'New branch', keys: 'Alt+Shift+B', chords: [{ alt: true, shift: true, code: 'KeyB' }] },
  {
    id: 'merge',
    label: 'Merge a branch into this one',
    keys: 'Alt+Shift+M',
    chords: [{ alt: true, shift: true, code: 'KeyM' }],
  },
  {
    id: 'toggleDiffLayout',
    label: 'Diff: inline or side by side',
    keys: 'Alt+L',
    chords: [{ alt: true, code: 'KeyL' }],
  },
  { id: 'help', label: 'Keyboard shortcuts', keys: 'F1', chords: [{ code: 'F1' }] },
];

/** How a shortcut reads on this platform: Cmd on macOS. */
export function displayKeys(keys: string, mac: boolean): string {
  return mac ? keys.replace('Control+', '⌘').replace('Alt+', '⌥') : keys.replace('Control+', 'Ctrl+');
}

type KeyFacts = Pick<KeyboardEvent, 'code' | 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>;

export function shortcutFor(event: KeyFacts, mac: boolean): ShortcutId | undefined {
  const mod = mac ? event.metaKey : event.ctrlKey;
  const otherMod = mac ? event.ctrlKey : event.metaKey;
  if (otherMod) return undefined;
  const found = SHORTCUTS.find((shortcut) =>
    shortcut.chords.some(
      (c) => c.code === event.code && !!c.mod === mod && !!c.alt === event.altKey && !!c.shift === event.shiftKey,
    ),
  );
  return found?.id;
}

/** `?` opens the help too, but only where it is not being typed into a field or the editor. */
export function isHelpKey(event: KeyFacts, typing: boolean): boolean {
  return !typing && event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey;
}
