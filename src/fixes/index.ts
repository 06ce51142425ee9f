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
  endLeftoverProcesses,
  git,
  type Workspace,
  type WorkspaceOptions,
} from './worktree.js';
export {
  bundledTypeScript,
  createFileTexts,
  createTypeChecker,
  defaultProjectConfig,
  diffDiagnostics,
  isStackOverflow,
  loadTypeScript,
  readProjectConfig,
  DEFAULT_COMPILER_OPTIONS,
  type FileText,
  type FileTexts,
  type LoadedTypeScript,
  type ProjectConfig,
  type TypeChecker,
  type TypeCheckerOptions,
  type TypeCheckerResult,
  type TypeDiagnostic,
  type TypeScriptModule,
} from './typecheck.js';
export * from './gate/index.js';
export {
  FOLLOWS_FILE_STYLE,
  loadFormatter,
  minimalEdit,
  type Formatter,
  type LoadedFormatter,
} from './format.js';
