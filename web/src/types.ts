/** The HTTP API's response shapes, as the dashboard reads them (see src/server). */

export type Grade = string;

export interface TrendPoint {
  scanId: number | string;
  at: string;
  score: number;
  grade: Grade;
}

export interface RepoSummary {
  id: number | string;
  name: string;
  root: string;
  registeredAt: string;
  latest: {
    scanId: number | string;
    score: number;
    grade: Grade;
    at: string;
    files: number;
    findings: number;
  } | null;
  trend: TrendPoint[];
}

export interface Finding {
  ruleId: string;
  severity: string;
  file: string;
  line: number;
  message: string;
}

export interface LatestScan {
  scanId: number | string;
  score: number;
  grade: Grade;
  at: string;
  components: Record<string, number>;
  findingsByCategory: Record<string, number>;
  findingsBySeverity: Record<string, number>;
  topFindings: Finding[];
}

export interface Hotspot {
  path: string;
  commits: number;
  complexity: number;
  score: number;
}

export interface RepoDetail {
  repo: RepoSummary;
  latest: LatestScan | null;
  hotspots: Hotspot[];
  /** Why hotspots were not computed (a shallow clone); null when they were. */
  hotspotsUnavailable: string | null;
  trend: TrendPoint[];
}

export interface ImprovementChange {
  ruleId: string;
  file: string;
  line: number;
  model: string;
  status: string;
  gate: string | null;
  reason: string | null;
}

export interface ImprovementRun {
  id: number | string;
  startedAt: string;
  status: string;
  branch: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  accepted: number;
  rejected: number;
  validations: number;
  changes: ImprovementChange[];
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'cancelled';

export interface Job {
  id: number | string;
  kind: string;
  repoId: number | string;
  status: JobStatus;
  params: unknown;
  progress: unknown;
  result: unknown;
  error: unknown;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ModelStats {
  id: string;
  state: string;
  stats: {
    /** The contract's name; the server sends `proposed` (see model-stats.tsx). */
    proposals?: number;
    proposed?: number;
    accepted: number;
    acceptance: number | null;
    costUsd?: number | null;
    /** Calls whose reported token usage was missing or impossible, charged in full. */
    usageAnomalies?: number;
    meanLatencyMs?: number | null;
  };
}

/** A finding as the findings browser and the code view list it (`/api/repos/:id/findings`). */
export interface FindingItem {
  ruleId: string;
  category: string;
  severity: string;
  file: string;
  /** source, test, bench or fixture. */
  kind: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  effortMinutes: number;
  fixability: string;
  baselineState: 'new' | 'unchanged' | null;
}

export interface ScanRef {
  id: number;
  at: string;
  commit: string | null;
  dirty: boolean;
}

export type FacetName = 'rule' | 'severity' | 'category' | 'kind' | 'baseline';

export interface FindingsPage {
  scan: ScanRef;
  total: number;
  offset: number;
  limit: number;
  order: 'value' | 'severity' | 'file';
  findings: FindingItem[];
  /** Counts per value of each filter under the other filters; `baseline` null when not recorded. */
  facets: Record<Exclude<FacetName, 'baseline'>, Record<string, number>> & {
    baseline: Record<string, number> | null;
  };
}

export interface FileProposal {
  id: number;
  runId: number;
  createdAt: string;
  model: string;
  task: string;
  ruleId: string;
  line: number;
  title: string;
  status: string;
  gate: string | null;
  reason: string | null;
}

export interface FileView {
  scan: ScanRef;
  /** The commit the text is read from: the one asked for (a citation's), else the scan's. */
  commit?: string | null;
  file: { path: string; kind: string; lang: string; score: number; grade: string };
  content: string | null;
  unavailable: { reason: string; message: string } | null;
  findings: FindingItem[];
  proposals: FileProposal[];
}

export interface RunChange {
  id: number;
  model: string;
  task: string;
  ruleId: string;
  file: string;
  line: number;
  message: string | null;
  title: string;
  status: string;
  gate: string | null;
  reason: string | null;
  commit: string | null;
  costUsd: number | null;
  durationMs: number;
  selection: string | null;
  checks: { name: string; ok: boolean; detail: string | null; durationMs: number }[];
  scores: { file: string; before: number; after: number | null }[];
  diff: string | null;
  diffSource: 'commit' | 'edits' | null;
  diffNote: string | null;
}

export interface RunDetail {
  run: {
    id: number;
    startedAt: string;
    durationMs: number;
    status: string;
    kind: string | null;
    branch: string | null;
    baseCommit: string;
    headCommit: string | null;
    scoreBefore: number;
    scoreAfter: number;
    accepted: number;
    rejected: number;
    validations: number;
    checks: { name: string; ran: boolean; detail: string }[];
    ordering: string | null;
    formatter: string | null;
    warnings: string[];
  };
  total: number;
  offset: number;
  limit: number;
  changes: RunChange[];
}

/** One symbol found by `/api/codebase/search`. */
export interface SearchHit {
  id: number;
  name: string;
  qualifiedName: string;
  kind: string;
  exported: boolean;
  file: string;
  startLine: number;
  endLine: number;
  signature: string;
  doc: string;
  score: number;
  /** `path:start-end`. */
  location: string;
  /** The declaration's first lines, from the indexed commit. */
  snippet: string;
}

export interface SearchResult {
  mode: 'bm25+graph' | 'bm25+vectors+graph';
  /** Why the mode is not what was configured (no embedding model, the endpoint failed). */
  notice?: string;
  /** The indexed commit the hits are at; null outside git. */
  commit: string | null;
  hits: SearchHit[];
}

/** A `[path:start-end]` citation of an answer, checked against the indexed commit. */
export interface CheckedCitation {
  file: string;
  startLine: number;
  endLine: number;
  ok: boolean;
  /** Why it failed: no-file, out-of-range or quote-mismatch. */
  reason?: string;
  detail?: string;
  /** Where it is in the answer's text (the offset of its `[`), when the server says. */
  index?: number;
}

/** A finished answer of `/api/codebase/chat`. */
export interface ChatAnswer {
  text: string;
  /** grounded: a language model's, citations checked; extractive: the best code as it is; unknown: nothing relevant. */
  mode: 'grounded' | 'extractive' | 'unknown';
  citations: CheckedCitation[];
  repaired: boolean;
  failed: number;
  model?: string;
  commit: string | null;
}

/** A fact of the repository's knowledge base (`/api/knowledge`), citing code at its commit. */
export interface KnowledgeFact {
  /** Repository-relative path; '' for the repository itself. */
  module: string;
  kind: string;
  text: string;
  source: 'code' | 'readme' | 'llm';
  status: 'fresh' | 'stale';
  commit: string;
  citations: { file: string; startLine: number; endLine: number; ref: string }[];
}

export interface Knowledge {
  repository: string;
  commit: string | null;
  query?: string;
  module?: string;
  facts: KnowledgeFact[];
}

/** Covered and total of one coverage measure. */
export interface CoverageCounts {
  covered: number;
  total: number;
}

/** A suite's (or a file's) coverage: Istanbul's four measures. */
export interface CoverageTotals {
  statements: CoverageCounts;
  branches: CoverageCounts;
  functions: CoverageCounts;
  lines: CoverageCounts;
}

export interface FileCoverage extends CoverageTotals {
  file: string;
  uncoveredLines?: number[];
}

/** The test gate's stages, in order; a test case that fails one stops there. */
export const FUNNEL_STAGES = ['generated', 'built', 'passed', 'stable', 'useful', 'kept'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** A test-generation run as `/api/codebase/tests/runs` lists it. */
export interface TestGenRun {
  id: number;
  startedAt: string;
  durationMs: number;
  /** delivered, dry-run, nothing-kept or not-run. */
  status: string;
  reason: string | null;
  branch: string | null;
  baseCommit: string;
  headCommit: string | null;
  runner: string;
  coverageBefore: CoverageTotals;
  coverageAfter: CoverageTotals;
  funnel: Record<FunnelStage, number>;
  filesKept: number;
}

export interface TestGenRuns {
  repo: { id: number; name: string };
  /** The newest run that measured coverage; null when none did. */
  latest: TestGenRun | null;
  runs: TestGenRun[];
}

/** The gate's verdict on one generated test file. */
export interface TestVerdict {
  file: string;
  target: string;
  model: string;
  attempt: number;
  kept: boolean;
  stage: FunnelStage;
  reason: string | null;
  funnel: Record<FunnelStage, number>;
  before: FileCoverage | null;
  after: FileCoverage | null;
  mutants: { tried: number; killedOnlyByNew: number };
}

/** One run with its report (`/api/codebase/tests/runs/:id`). */
export interface TestGenRunDetail {
  run: TestGenRun & {
    coverageHow: string;
    files: { file: string; before: FileCoverage | null; after: FileCoverage | null }[];
    verdicts: TestVerdict[];
    skipped: string[];
    warnings: string[];
  };
}
