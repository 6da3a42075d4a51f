import { useEffect, useState } from 'react';
import { useSettings, useStores } from '../../stores/context';
import { useWorkspace, useWorkspaceStores } from '../../stores/workspace-context';
import { ConfirmDialog, Dialog, PromptDialog } from './Dialog';
import type { DialogRequest } from './dialogs-context';
import { HelpOverlay } from './HelpOverlay';

const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A path inside the repository: relative, no empty, `.` or `..` parts. */
function pathProblem(path: string): string | undefined {
  if (path.startsWith('/')) return 'Give a path inside the repository, without a leading /';
  if (path.split('/').some((part) => part === '' || part === '.' || part === '..' || part === '.git')) {
    return 'A path cannot have empty, ".", ".." or ".git" parts';
  }
  return undefined;
}

/** The one dialog showing now, if any; each does its work through the stores and closes. */
export function WorkspaceDialogs({ request, onClose }: { request: DialogRequest | null; onClose(): void }) {
  const stores = useWorkspaceStores();
  const repo = useWorkspace('repos', (s) => s.selected);
  if (!request) return null;
  const done = <T,>(work: Promise<T>) => {
    onClose();
    void work;
  };

  switch (request.kind) {
    case 'help':
      return <HelpOverlay onClose={onClose} />;
    case 'newRepo':
      return <NewRepoDialog onClose={onClose} />;
    case 'deleteRepo':
      return (
        <ConfirmDialog
          title="Delete repository"
          question={`Delete “${request.id}” with all its branches and history? This cannot be undone.`}
          confirmLabel="Delete repository"
          onConfirm={() => done(stores.repos.getState().remove(request.id))}
          onClose={onClose}
        />
      );
    case 'newBranch':
      return (
        <PromptDialog
          title="New branch"
          label="Branch name (made from HEAD and switched to)"
          submitLabel="Create branch"
          validate={(name) => (/[\s~^:?*[\\]|\.\.|^-|\/$|\.lock$/.test(name) ? 'Not a valid branch name' : undefined)}
          onSubmit={(name) => done(stores.branches.getState().create(name, { checkout: true }))}
          onClose={onClose}
        />
      );
    case 'merge':
    case 'deleteBranch':
      return <BranchChoiceDialog request={request} onClose={onClose} />;
    case 'newFile':
      if (!repo) return null;
      return (
        <PromptDialog
          title="New file"
          label="Path in the repository"
          initial="Dockerfile"
          submitLabel="Create file"
          validate={pathProblem}
          onSubmit={(path) => {
            stores.diff.getState().close();
            stores.tabs.getState().create(repo, path);
            onClose();
          }}
          onClose={onClose}
        />
      );
    case 'renameFile':
      if (!repo) return null;
      return (
        <PromptDialog
          title={`Rename ${request.path}`}
          label="New path"
          initial={request.path}
          submitLabel="Rename"
          validate={pathProblem}
          onSubmit={(to) => done(stores.tabs.getState().rename(repo, request.path, to))}
          onClose={onClose}
        />
      );
    case 'deleteFile':
      if (!repo) return null;
      return (
        <ConfirmDialog
          title="Delete file"
          question={`Delete ${request.path} from the work tree? Its last committed version stays in the history.`}
          confirmLabel="Delete file"
          onConfirm={() => done(stores.tabs.getState().remove(repo, request.path))}
          onClose={onClose}
        />
      );
    case 'restore':
      if (!repo) return null;
      return (
        <ConfirmDialog
          title="Restore file"
          question={`Throw away the changes to ${request.path} and put it back as HEAD has it? This cannot be undone.`}
          confirmLabel="Restore"
          onConfirm={() =>
            done(
              stores.worktree
                .getState()
                .restore(request.path)
                .then(() => stores.tabs.getState().reload(repo))
                .then(() => stores.diff.getState().refresh()),
            )
          }
          onClose={onClose}
        />
      );
  }
}

function NewRepoDialog({ onClose }: { onClose(): void }) {
  const create = useWorkspace('repos', (s) => s.create);
  const settings = useStores().settings;
  // The engine's default (Settings → Repositories) until the box is touched; on disk while it is unknown.
  const persistDefault = useSettings((s) => s.engine?.persist_default);
  useEffect(() => void settings.getState().loadEngine(), [settings]);
  const [chosen, setPersist] = useState<boolean | undefined>(undefined);
  const persist = chosen ?? persistDefault ?? true;
  const [id, setId] = useState('');
  const [importFrom, setImportFrom] = useState('');
  const idProblem = id && !REPO_ID.test(id) ? 'Letters, digits, ".", "_" and "-", starting with a letter or digit' : '';
  const importProblem = importFrom && !importFrom.startsWith('/') ? 'Give an absolute path' : '';
  return (
    <Dialog
      title="New repository"
      submitLabel={importFrom ? 'Import repository' : 'Create repository'}
      canSubmit={!!id && !idProblem && !importProblem}
      onSubmit={() => {
        onClose();
        void create({ id, persist, importFrom: importFrom || undefined });
      }}
      onClose={onClose}
    >
      <label className="ws-field">
        <span>Name</span>
        <input autoFocus value={id} spellCheck={false} onChange={(e) => setId(e.target.value)} />
      </label>
      <p className="ws-field-problem" aria-live="polite">
        {idProblem}
      </p>
      <label className="ws-check">
        <input type="checkbox" checked={persist} onChange={(e) => setPersist(e.target.checked)} />
        Keep on disk (otherwise in memory only, gone when the engine stops)
      </label>
      <label className="ws-field">
        <span>Import from a folder (optional, absolute path of a git repository)</span>
        <input value={importFrom} spellCheck={false} onChange={(e) => setImportFrom(e.target.value)} />
      </label>
      <p className="ws-field-problem" aria-live="polite">
        {importProblem}
      </p>
    </Dialog>
  );
}

function BranchChoiceDialog({
  request,
  onClose,
}: {
  request: Extract<DialogRequest, { kind: 'merge' | 'deleteBranch' }>;
  onClose(): void;
}) {
  const branches = useWorkspace('branches', (s) => s.branches);
  const current = useWorkspace('branches', (s) => s.current);
  const merge = useWorkspace('branches', (s) => s.merge);
  const remove = useWorkspace('branches', (s) => s.remove);
  const others = branches.filter((b) => b.name !== current);
  const [name, setName] = useState(request.kind === 'deleteBranch' ? request.name : (others[0]?.name ?? ''));
  const [force, setForce] = useState(false);
  const merging = request.kind === 'merge';
  return (
    <Dialog
      title={merging ? `Merge into ${current ?? 'HEAD'}` : 'Delete branch'}
      submitLabel={merging ? 'Merge' : 'Delete branch'}
      danger={!merging}
      canSubmit={!!name}
      onSubmit={() => {
        onClose();
        void (merging ? merge(name) : remove(name, force));
      }}
      onClose={onClose}
    >
      <label className="ws-field">
        <span>{merging ? 'Branch to merge' : 'Branch to delete'}</span>
        <select autoFocus value={name} onChange={(e) => setName(e.target.value)}>
          {others.map((b) => (
            <option key={b.name} value={b.name}>
              {b.name}
            </option>
          ))}
        </select>
      </label>
      {!merging && (
        <label className="ws-check">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
          Delete even if it is not merged (its commits may be lost)
        </label>
      )}
    </Dialog>
  );
}
