import { createContext, useContext } from 'react';

/** A dialog the workspace can show; buttons and shortcuts ask for the same ones. */
export type DialogRequest =
  | { kind: 'newRepo' }
  | { kind: 'deleteRepo'; id: string }
  | { kind: 'newBranch' }
  | { kind: 'deleteBranch'; name: string }
  | { kind: 'merge' }
  | { kind: 'newFile' }
  | { kind: 'renameFile'; path: string }
  | { kind: 'deleteFile'; path: string }
  | { kind: 'restore'; path: string }
  | { kind: 'help' };

export const DialogContext = createContext<(request: DialogRequest) => void>(() => undefined);

export function useOpenDialog(): (request: DialogRequest) => void {
  return useContext(DialogContext);
}

/** Ids of the places focus shortcuts go to. */
export const FOCUS_TARGETS = {
  repo: 'ws-repo-picker',
  branch: 'ws-branch-picker',
  files: 'ws-file-tree',
  changes: 'ws-changes',
  message: 'ws-commit-message',
  history: 'ws-history',
} as const;
