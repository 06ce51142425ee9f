import type { Generated } from 'kysely';
import type {
  BaselineState,
  Category,
  FileKind,
  Fixability,
  Grade,
  Lang,
  Severity,
} from '../core/index.js';

/*
 * Row types of the store, as the database holds them. Timestamps are ISO-8601 UTC text, booleans are
 * 0/1 integers and structured values are JSON text, so the same queries run on SQLite and PostgreSQL.
 */

export interface RepositoriesTable {
  id: Generated<number>;
  /** Absolute path of the scanned folder. */
  root: string;
  name: string;
  created_at: string;
  /** When the repository was registered for the HTTP API; null for folders only the CLI scanned. */
  registered_at: string | null;
}

export interface ScansTable {
  id: Generated<number>;
  repository_id: number;
  commit: string | null;
  branch: string | null;
  dirty: number;
  started_at: string;
  duration_ms: number;
  since: string | null;
  score: number;
  grade: Grade;
  /** JSON object: score component name -> value. */
  components: string;
  files: number;
  findings: number;
  debt_minutes: number;
  tool_version: string;
  gate_passed: number;
  /** sha256 of the scan's file and finding rows; null for scans recorded before it was kept. */
  result_hash: string | null;
  /** The scan whose file and finding rows this scan shares (same result); null when it has its own. */
  rows_of: number | null;
  /** Why hotspots were not computed (a shallow clone); null when they were. */
  hotspots_unavailable: string | null;
}

export interface FileResultsTable {
  id: Generated<number>;
  scan_id: number;
  path: string;
  hash: string;
  lang: Lang;
  /** JSON `FileMetrics`. */
  metrics: string;
  score: number;
  grade: Grade;
  parse_error: string | null;
  /** `FileKind`: source, test, bench or fixture. */
  kind: Generated<FileKind>;
}

export interface FindingsTable {
  id: Generated<number>;
  scan_id: number;
  rule_id: string;
  category: Category;
  severity: Severity;
  file: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  message: string;
  effort_minutes: number;
  fixability: Fixability;
  /** `new` or `unchanged` when the scan was compared with a baseline file, else null. */
  baseline_state: BaselineState | null;
}

export interface HotspotsTable {
  id: Generated<number>;
  scan_id: number;
  file: string;
  changes: number;
  complexity: number;
  risk: number;
}

export interface FileCacheTable {
  /** Content hash + analyzer version + rules fingerprint, computed by the caller. */
  key: string;
  /** JSON value. */
  value: string;
  created_at: string;
  last_used_at: string;
  /** Bytes of `value`: what the cache's size limit sums. */
  size: Generated<number>;
}

/** The tables of the store, for `Kysely<Database>`. */
export interface Database {
  repositories: RepositoriesTable;
  scans: ScansTable;
  file_results: FileResultsTable;
  findings: FindingsTable;
  hotspots: HotspotsTable;
  file_cache: FileCacheTable;
  improve_runs: ImproveRunsTable;
  proposals: ProposalsTable;
  risk_models: RiskModelsTable;
  jobs: JobsTable;
  model_calls: ModelCallsTable;
  code_files: CodeFilesTable;
  code_symbols: CodeSymbolsTable;
  code_edges: CodeEdgesTable;
  code_test_links: CodeTestLinksTable;
  code_index_state: CodeIndexStateTable;
  embeddings: EmbeddingsTable;
  chat_sessions: ChatSessionsTable;
  chat_messages: ChatMessagesTable;
  knowledge_facts: KnowledgeFactsTable;
  knowledge_files: KnowledgeFilesTable;
  knowledge_state: KnowledgeStateTable;
  test_gen_runs: TestGenRunsTable;
}

export interface ImproveRunsTable {
  id: Generated<number>;
  repository_id: number;
  started_at: string;
  duration_ms: number;
  /** `delivered`, `dry-run`, `nothing-to-do`, `unvalidated` or `failed`. */
  status: string;
  /** The branch holding the commits; null when none was kept. */
  branch: string | null;
  base_commit: string;
  head_commit: string | null;
  score_before: number;
  score_after: number;
  accepted: number;
  rejected: number;
  validations: number;
  /** JSON: the whole improvement report. */
  report: string;
}

export interface ProposalsTable {
  id: Generated<number>;
  run_id: number;
  repository_id: number;
  created_at: string;
  model: string;
  task: string;
  rule_id: string;
  file: string;
  line: number;
  column: number;
  /** sha256 of the finding's message and the code it spans. */
  content_hash: string;
  title: string;
  /** `accepted`, `rejected` or `withheld` (passed, but not delivered). */
  status: string;
  /** The check that rejected it. */
  gate: string | null;
  reason: string | null;
  commit_sha: string | null;
  cost_usd: number | null;
  duration_ms: number;
  /** JSON evidence record: finding, edits, each check and its result, metrics before and after. */
  evidence: string;
}

export interface RiskModelsTable {
  id: Generated<number>;
  repository_id: number;
  /** `quality:defect-risk`. */
  name: string;
  /** 1, 2, ... per repository and name. */
  version: number;
  created_at: string;
  /** HEAD when the model was trained. */
  commit: string | null;
  /** `gbt` or `heuristic`. */
  kind: string;
  /** `szz` or `fix-touch`. */
  labelling: string;
  /** ISO times of the first and last snapshot the model learned from. */
  trained_from: string | null;
  trained_to: string | null;
  /** JSON array of feature names. */
  features: string;
  /** JSON: the evaluation (metrics of the model and the baselines, split, reason). */
  metrics: string;
  /** JSON: the model itself. */
  model: string;
}

export interface JobsTable {
  id: Generated<number>;
  /** `scan`, `improve` or `refactor`. */
  kind: string;
  repository_id: number | null;
  /** `queued`, `running`, `succeeded`, `failed`, `interrupted` or `cancelled`. */
  status: string;
  /** JSON: what the job was asked to do. */
  params: string;
  /** JSON: what it produced, once it succeeded. */
  result: string | null;
  error: string | null;
  /** JSON: the latest progress event. */
  progress: string | null;
  /** How many times the job was started (a rerun after an interruption counts again). */
  attempts: Generated<number>;
  /** The server instance running it, so a restarted server knows which jobs were cut off. */
  owner: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface ModelCallsTable {
  id: Generated<number>;
  created_at: string;
  /** UTC day `YYYY-MM-DD`, what per-day budgets sum over. */
  day: string;
  /** The model id the caller asked for (`custom:fast`), */
  model: string;
  /** and the deployment that served or failed the call (the same, or a fallback). */
  deployment: string;
  /** `openai`, `anthropic`, `ollama` or `custom:<name>`: what per-provider budgets and limits key on. */
  provider: string;
  task: string | null;
  rule_id: string | null;
  /** The improve run or job that made the call. */
  run_id: string | null;
  /** `ok`, or the error kind (`timeout`, `rate-limit`, `server`, `auth`, `malformed`, ...). */
  outcome: string;
  error: string | null;
  input_tokens: number | null;
  output_tokens: number | null;
  /** Null when the price is unknown: never silently zero. */
  cost_usd: number | null;
  latency_ms: number;
  /** Why the provider's reported usage was not believed; the call was charged its reservation. */
  usage_anomaly: string | null;
}

/** One indexed file of a repository (the codebase index, `store/code-index.ts`). */
export interface CodeFilesTable {
  repository_id: number;
  path: string;
  /** Git blob id, or sha256 of the text outside git. */
  hash: string;
  is_test: number;
  lines: number;
  /** JSON: FileImport[]. */
  imports: string;
  /** JSON: string[]. */
  exports: string;
  /** JSON: { exported, local }[]. */
  export_aliases: string;
  /** Why the file has no symbols (a syntax error, too large); null when indexed. */
  skip_reason: string | null;
}

export interface CodeSymbolsTable {
  id: Generated<number>;
  repository_id: number;
  path: string;
  name: string;
  qualified_name: string;
  kind: string;
  exported: number;
  signature: string;
  doc: string;
  start_line: number;
  end_line: number;
  is_test: number;
  rank: Generated<number>;
  /** JSON: string[], the identifiers the declaration uses. */
  refs: string;
  /** The declaration's text (capped), for snippets and extractive answers. */
  code: string;
}

export interface CodeEdgesTable {
  repository_id: number;
  source_id: number;
  target_id: number;
}

export interface CodeTestLinksTable {
  repository_id: number;
  test_path: string;
  module_path: string;
}

export interface CodeIndexStateTable {
  repository_id: number;
  commit: string | null;
  version: number;
  indexed_at: string;
  files: number;
  symbols: number;
}

/** A vector of an embedded text, by embedding model and the text's sha256. */
export interface EmbeddingsTable {
  model: string;
  hash: string;
  dimensions: number;
  /** Little-endian float32 components. */
  vector: Buffer;
  created_at: string;
}

export interface ChatSessionsTable {
  id: Generated<number>;
  repository_id: number;
  /** The first question, cut to 200 characters. */
  title: string;
  created_at: string;
}

export interface ChatMessagesTable {
  id: Generated<number>;
  session_id: number;
  /** `user` or `assistant`. */
  role: string;
  text: string;
  /** Assistant messages: JSON `CheckedCitation[]`; null for questions. */
  citations: string | null;
  /** Assistant messages: `grounded`, `extractive` or `unknown`. */
  mode: string | null;
  model: string | null;
  /** The indexed commit the answer's citations were checked against. */
  commit: string | null;
  /** Assistant messages: 1 when the first answer's citations failed and it was asked to repair them. */
  repaired: number | null;
  /** Assistant messages: citations still failing in the text kept. */
  failed: number | null;
  created_at: string;
}

/** A fact of `beast knowledge` (migration 015). */
export interface KnowledgeFactsTable {
  id: Generated<number>;
  repository_id: number;
  /** The file whose text the fact was read from. */
  origin: string;
  /** The module it is about; '' for the repository. */
  module: string;
  kind: string;
  /** Identifies the fact within its module and kind across commits. */
  key: string;
  text: string;
  /** JSON array of `{ file, startLine, endLine }`. */
  citations: string;
  commit: string;
  /** `code`, `readme` or `llm`. */
  source: string;
  /** `fresh`, or `stale` when its cited lines changed and it was not written again. */
  status: string;
  /** sha256 of the cited lines' text. */
  hash: string;
  updated_at: string;
}

export interface KnowledgeFilesTable {
  repository_id: number;
  path: string;
  blob: string;
  /** `module`, `test`, `readme` or `package`. */
  role: string;
  /** JSON: a module's exports, a test's resolved imports. */
  data: string;
}

export interface KnowledgeStateTable {
  repository_id: number;
  commit: string;
  updated_at: string;
}

export interface TestGenRunsTable {
  id: Generated<number>;
  repository_id: number;
  started_at: string;
  duration_ms: number;
  /** `delivered`, `dry-run`, `nothing-kept` or `not-run`. */
  status: string;
  /** Why nothing ran, when `not-run`. */
  reason: string | null;
  /** The branch holding the kept tests; null when none was kept. */
  branch: string | null;
  base_commit: string;
  head_commit: string | null;
  /** The runner and how coverage was measured, for a person. */
  runner: string;
  /** JSON: the suite's coverage totals (statements, branches, functions, lines) before the run. */
  coverage_before: string;
  /** JSON: the same with the kept tests. */
  coverage_after: string;
  /** JSON: test cases that reached each stage of the test gate. */
  funnel: string;
  files_kept: number;
  /** JSON: the run's report, without the generated files' contents. */
  report: string;
}
