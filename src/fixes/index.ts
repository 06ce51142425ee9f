export {
  applyEdits,
  changesOverlap,
  editsOverlap,
  normalizeEdits,
  type FileChange,
  type TextEdit,
} from './edits.js';
export {
  BEAST_IDENTITY,
  branchDiff,
  cleanupStaleWorkspaces,
  closeWorkspace,
  commitFiles,
  createWorkspace,
  defaultBranchName,
  git,
  type Workspace,
  type WorkspaceOptions,
} from './worktree.js';
