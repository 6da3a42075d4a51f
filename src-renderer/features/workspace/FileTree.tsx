import { useMemo, useState, type KeyboardEvent } from 'react';
import { bufferKey, isUnsaved } from '../../stores/buffers';
import { tabsOf } from '../../stores/tabs';
import type { ChangeBadge } from '../../stores/worktree';
import { useWorkspace } from '../../stores/workspace-context';
import { FOCUS_TARGETS, useOpenDialog } from './dialogs-context';
import { parentsOf, treeRows, type TreeRow } from './tree-model';

const BADGE_NAMES: Record<ChangeBadge, string> = { A: 'added', M: 'modified', D: 'deleted' };

/** The work tree as an ARIA tree: arrows move, Right/Left open and close folders, Enter opens a file. */
export function FileTree({ repo }: { repo: string }) {
  const files = useWorkspace('worktree', (s) => s.files);
  const changes = useWorkspace('worktree', (s) => s.changes);
  const buffers = useWorkspace('buffers', (s) => s.buffers);
  const active = useWorkspace('tabs', (s) => tabsOf(s, repo).active);
  const open = useWorkspace('tabs', (s) => s.open);
  const showDiff = useWorkspace('diff', (s) => s.show);
  const openDialog = useOpenDialog();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(null);

  const badges = useMemo(() => new Map(changes.map((c) => [c.path, c.badge])), [changes]);
  const rows = useMemo(() => {
    // Deleted files are gone from the work tree but still belong in the picture until committed.
    const paths = new Set(files.map((f) => f.path));
    for (const change of changes) if (change.badge === 'D') paths.add(change.path);
    // So are new files typed in the editor and not saved yet.
    const prefix = bufferKey(repo, '');
    for (const [key, buffer] of Object.entries(buffers)) {
      if (key.startsWith(prefix) && buffer.base === null) paths.add(key.slice(prefix.length));
    }
    return treeRows(paths, collapsed);
  }, [files, changes, collapsed, buffers, repo]);

  const current = rows.find((r) => r.path === focused) ?? rows.find((r) => r.path === active) ?? rows[0];

  const toggle = (path: string, expand: boolean) => {
    const next = new Set(collapsed);
    if (expand) next.delete(path);
    else next.add(path);
    setCollapsed(next);
  };
  const activate = (row: TreeRow) => {
    if (row.isDirectory) toggle(row.path, !row.expanded);
    else if (badges.get(row.path) === 'D') void showDiff({ kind: 'worktree', repo, path: row.path, change: 'deleted' });
    else void open(repo, row.path);
  };
  const moveFocus = (row: TreeRow | undefined) => {
    if (!row) return;
    setFocused(row.path);
    document.getElementById(rowId(row.path))?.focus();
  };

  const onKeyDown = (event: KeyboardEvent, row: TreeRow, index: number) => {
    const parent = parentsOf(row.path).at(-1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveFocus(rows[index + 1]),
      ArrowUp: () => moveFocus(rows[index - 1]),
      Home: () => moveFocus(rows[0]),
      End: () => moveFocus(rows.at(-1)),
      ArrowRight: () => (row.isDirectory && !row.expanded ? toggle(row.path, true) : moveFocus(rows[index + 1])),
      ArrowLeft: () =>
        row.isDirectory && row.expanded ? toggle(row.path, false) : moveFocus(rows.find((r) => r.path === parent)),
      Enter: () => activate(row),
      ' ': () => activate(row),
      F2: () => !row.isDirectory && openDialog({ kind: 'renameFile', path: row.path }),
      Delete: () => !row.isDirectory && openDialog({ kind: 'deleteFile', path: row.path }),
    };
    const handler = keys[event.key];
    if (!handler || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    handler();
  };

  if (rows.length === 0) return <p className="ws-empty">No files yet. New file: Alt+N.</p>;

  return (
    <ul role="tree" aria-label="Files" id={FOCUS_TARGETS.files} className="ws-tree">
      {rows.map((row, index) => {
        const badge = badges.get(row.path);
        const unsaved = !row.isDirectory && isUnsaved(buffers[bufferKey(repo, row.path)]);
        const states = [badge && BADGE_NAMES[badge], unsaved && 'unsaved'].filter(Boolean).join(', ');
        return (
          <li
            key={row.path}
            id={rowId(row.path)}
            role="treeitem"
            aria-level={row.depth + 1}
            aria-expanded={row.isDirectory ? row.expanded : undefined}
            aria-selected={row.path === active}
            aria-label={states ? `${row.name}, ${states}` : row.name}
            tabIndex={row.path === current?.path ? 0 : -1}
            className={`ws-tree-row${badge ? ` ws-badge-${badge}` : ''}`}
            style={{ paddingLeft: 8 + row.depth * 14 }}
            onClick={() => {
              setFocused(row.path);
              activate(row);
            }}
            onKeyDown={(event) => onKeyDown(event, row, index)}
          >
            <span className="ws-tree-twisty" aria-hidden="true">
              {row.isDirectory ? (row.expanded ? '▾' : '▸') : ''}
            </span>
            <span className="ws-tree-name">{row.name}</span>
            {unsaved && (
              <span className="ws-unsaved-dot" aria-hidden="true">
                ●
              </span>
            )}
            {badge && (
              <span className="ws-badge" aria-hidden="true">
                {badge}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function rowId(path: string): string {
  return `ws-tree-${encodeURIComponent(path)}`;
}
