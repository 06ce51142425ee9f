/** Severity of a finding, from most to least severe. */
export const SEVERITIES = ['blocker', 'critical', 'major', 'minor', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  'complexity',
  'size',
  'duplication',
  'unused',
  'type-safety',
  'error-handling',
  'correctness',
  'maintainability',
  'parse',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * What can fix a rule's findings: its own fix, applied by `builtin:codemods` (`safe-fix`); a
 * built-in engine such as `builtin:ts-fixes` (`suggestion`); or only an LLM model (`none`).
 */
export type Fixability = 'safe-fix' | 'suggestion' | 'none';

export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

/** A source range; lines and columns are 1-based, `endColumn` is exclusive. */
export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  message: string;
  /** Repository-relative path with forward slashes. */
  file: string;
  location: Location;
  /** Estimated minutes to remediate. */
  effortMinutes: number;
  fixability: Fixability;
  /** Set by rules that measure (size, complexity, nesting): lets a change be judged by it. */
  measure?: Measure;
  /**
   * Set when the scan was compared with a baseline file: `unchanged` when the baseline holds the
   * finding's fingerprint, else `new`. Absent when no baseline applied.
   */
  baselineState?: BaselineState;
}

/** Whether a finding was already in the baseline (`unchanged`) or not (`new`), as SARIF says. */
export type BaselineState = 'new' | 'unchanged';

/** How a scan compared with its baseline file. */
export interface BaselineSummary {
  /** The baseline file, as named (`.beast/baseline.json` by default). */
  file: string;
  /** Reported findings not in the baseline: the ones the gate judges. */
  new: number;
  /** Reported findings the baseline holds: listed with their state, not shown or gated. */
  unchanged: number;
  /** Baseline entries that no scanned finding matches any more (`beast baseline --update` prunes them). */
  fixed: number;
}

/** What a measuring rule measured, and what it measured it on. */
export interface Measure {
  value: number;
  threshold: number;
  /** `lines`, `parameters`, `levels`, or '' for a bare number such as a complexity. */
  unit: string;
  /** The function's name, or '' for the file: stable across edits that move lines. */
  subject: string;
}

export interface HalsteadMetrics {
  /** Distinct operators (n1) and operands (n2). */
  distinctOperators: number;
  distinctOperands: number;
  /** Total operators (N1) and operands (N2). */
  totalOperators: number;
  totalOperands: number;
  volume: number;
  difficulty: number;
  effort: number;
}

export interface FunctionMetrics {
  name: string;
  /** Offsets of the function node, used to match it with the AST. */
  start: number;
  end: number;
  line: number;
  endLine: number;
  physicalLines: number;
  logicalLines: number;
  cyclomatic: number;
  cognitive: number;
  maxNesting: number;
  params: number;
  halstead: HalsteadMetrics;
  maintainability: number;
}

export interface FileMetrics {
  physicalLines: number;
  /** Lines holding code (not blank, not only comments). */
  codeLines: number;
  commentLines: number;
  /** Number of statements and declarations. */
  logicalLines: number;
  functions: number;
  cyclomatic: number;
  cognitive: number;
  maxCognitive: number;
  maxCyclomatic: number;
  maxNesting: number;
  halsteadVolume: number;
  halsteadEffort: number;
  maintainability: number;
  /** Filled in by repository-wide passes. */
  duplicatedLines: number;
  fanIn: number;
  fanOut: number;
}

export interface Score {
  /** 0-100, higher is better. */
  score: number;
  grade: Grade;
  components: Record<string, number>;
}

/** Declarative description of a rule: everything but its behaviour. */
export interface RuleMeta {
  /** kebab-case, equal to the rule's file name. */
  id: string;
  category: Category;
  severity: Severity;
  /** Estimated minutes to remediate one finding. */
  effortMinutes: number;
  fixability: Fixability;
  /** The ESLint rule that flags the same code (`max-depth`, `@typescript-eslint/no-explicit-any`). */
  eslint?: string;
  /** One sentence: what the rule flags. */
  description: string;
  /** A short paragraph: why it matters and what to do instead. */
  docs: string;
  /** Off unless enabled by config or `--enable`. Defaults to on. */
  optIn?: boolean;
}

export type SkipReason =
  | 'generated'
  | 'vendored'
  | 'bundled'
  | 'minified'
  | 'binary'
  | 'too-large'
  | 'too-deep'
  | 'unreadable'
  | 'excluded'
  | 'symlink'
  /** Named explicitly but ignored by git (.gitignore, info/exclude) or not among its files. */
  | 'ignored'
  /** Named explicitly but not a JavaScript or TypeScript file. */
  | 'unsupported';

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  detail: string;
}

export type Lang = 'js' | 'jsx' | 'ts' | 'tsx';

/**
 * What a file is for: the product (`source`), its tests, its benchmarks, or data and code the tests
 * use (`fixture`: fixtures, mocks, snapshots). The repository score and the default gate cover
 * source files; the others are test code, scored on their own.
 */
export const FILE_KINDS = ['source', 'test', 'bench', 'fixture'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export interface FileReport {
  path: string;
  /** sha256 of the content. */
  hash: string;
  lang: Lang;
  /** What the file is for; set by every scan. Absent (read as `source`) in older reports. */
  kind?: FileKind;
  metrics: FileMetrics;
  functions: FunctionMetrics[];
  /** Scanned files this file imports (value and type imports), repository-relative. */
  imports: string[];
  score: Score;
  /** Set when the file could not be parsed; its metrics are then partial. */
  parseError?: string;
}

export interface CodeSpan {
  file: string;
  line: number;
  endLine: number;
}

/** Two places that share a run of tokens of the same shape. */
export interface Clone {
  a: CodeSpan;
  b: CodeSpan;
  tokens: number;
}

export interface Hotspot {
  file: string;
  /** Commits touching the file in the history window. */
  changes: number;
  /** Summed cognitive complexity of the file. */
  complexity: number;
  /** changes x complexity, the ranking key. */
  risk: number;
}

export interface GateResult {
  passed: boolean;
  failOn: string;
  minScore: number;
  /** Why the gate failed; empty when it passed. */
  reasons: string[];
}

export interface ScanSummary {
  files: number;
  parsed: number;
  fromCache: number;
  /** Files read from disk; the others were trusted unchanged by size, mtime and inode. */
  read: number;
  skipped: number;
  physicalLines: number;
  codeLines: number;
  findings: number;
  bySeverity: Record<Severity, number>;
  byCategory: Partial<Record<Category, number>>;
  debtMinutes: number;
  /**
   * Files, code lines, findings and debt per kind of file; the totals above count every kind.
   * Absent in reports written before files had kinds.
   */
  byKind?: Partial<Record<FileKind, KindSummary>>;
}

/** What one kind of file adds up to in a scan. */
export interface KindSummary {
  files: number;
  codeLines: number;
  findings: number;
  debtMinutes: number;
}

/** The result of one scan: everything the formats, the store and the gate need. */
export interface ScanReport {
  tool: { name: string; version: string };
  repo: {
    /** Absolute path of the scanned folder. */
    root: string;
    isGit: boolean;
    commit: string | undefined;
    branch: string | undefined;
    dirty: boolean;
  };
  startedAt: string;
  durationMs: number;
  /** Set in new-code mode: findings are limited to lines changed since this ref. */
  since: string | undefined;
  files: FileReport[];
  skipped: SkippedFile[];
  findings: Finding[];
  clones: Clone[];
  hotspots: Hotspot[];
  /** Why hotspots were not computed (a shallow clone's truncated history); absent when they were. */
  hotspotsUnavailable?: string;
  /** The score of the source files: test, bench and fixture files are left out (see `testScore`). */
  score: Score;
  /**
   * The score of the test code (test, bench and fixture files) on its own, computed the same way;
   * absent when the scan found none. Reported beside the score, never part of it or of the gate.
   */
  testScore?: Score;
  summary: ScanSummary;
  rules: RuleMeta[];
  gate: GateResult;
  /** Problems met during the scan that did not stop it (permission errors, symlink loops). */
  warnings: string[];
  /**
   * Set when the scan reports on some of the repository's files (paths, globs, `--changed`,
   * `--stdin`): files, findings, clones, hotspots, the score and the gate then cover those files
   * only, though what spans files (clones, import cycles, fan-in) was computed over the whole
   * repository. Absent for a whole scan.
   */
  selection?: ScanSelection;
  /**
   * Set when the scan was compared with a baseline file: findings then carry `baselineState`,
   * and the gate judges the new ones only, while the score still counts every finding.
   */
  baseline?: BaselineSummary;
}

/** How a partial scan chose its files. */
export interface ScanSelection {
  by: 'paths' | 'changed' | 'stdin';
  /** Files named one by one (not through a folder or a glob), repository-relative. */
  named: string[];
}
