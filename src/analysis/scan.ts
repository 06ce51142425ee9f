import path from 'node:path';
import {
  checkRepositoryRoot,
  FILE_KINDS,
  InputError,
  SEVERITIES,
  TOOL_NAME,
  TOOL_VERSION,
  resolveConfig,
  type Config,
  type FileKind,
  type FileReport,
  type Finding,
  type Gate,
  type GateResult,
  type Hotspot,
  type KindSummary,
  type ScanReport,
  type ScanSummary,
  type Severity,
  type SkippedFile,
} from '../core/index.js';
import type { FileSelection } from './targets.js';
import { compareWithBaseline, summariseBaseline, type LoadedBaseline } from './baseline.js';
import type { FileAnalysis, RuleSettings } from './analyze-file.js';
import { duplicatedLines, findClones } from './duplication.js';
import {
  createFileClassifier,
  FILE_KIND_VERSION,
  isTestCode,
  loadTestPatterns,
} from './file-kind.js';
import { checkFolder, discoverFiles, selectFiles, type Discovery, type Selected } from './files.js';
import { changeCounts, changedLinesSince, readGitInfo, SHALLOW_CLONE } from './git.js';
import { buildImportGraph, findCycles } from './imports.js';
import type { AnalysisPool } from './pool.js';
import type { RuleSelection } from './rule-config.js';
import { createRuleProfiles, type RuleProfiles } from './rule-profiles.js';
import {
  decodeRepository,
  encodeRepository,
  packAnalysis,
  repositoryKey,
  unpackAnalysis,
  type RepositoryEntry,
  type RepositoryResult,
} from './scan-cache.js';
import { PARSE_ERROR_META } from './rules/parse-error.js';
import { gradeOf, scoreFile, scoreRepository } from './score.js';
import {
  countUntrusted,
  loadStats,
  readAll,
  readSources,
  statsEntry,
  type Source,
  type StatRecord,
} from './sources.js';

/** Where per-file analyses are kept between scans, keyed by content hash and settings. */
export interface AnalysisCache {
  get(keys: readonly string[]): Promise<Map<string, unknown>>;
  set(entries: readonly { key: string; value: unknown }[]): Promise<void>;
}

export interface ScanProgress {
  done: number;
  total: number;
}

export interface ScanOptions {
  /** Resolved configuration; by default read from the repository's beast.config.json. */
  config?: Config;
  rules?: RuleSelection;
  /** New-code mode: keep only findings on lines changed since this git ref. */
  since?: string;
  cache?: AnalysisCache;
  /** Worker threads; 0 analyses on the calling thread. Defaults to config, then one per core. */
  workers?: number;
  onProgress?: (progress: ScanProgress) => void;
  /** How many hotspots to report (default 10). */
  hotspots?: number;
  /**
   * Report on these files only (see `resolveTargets`). The whole repository is still analysed,
   * so that what spans files (clones, import cycles, fan-in) is as a whole scan finds it.
   */
  select?: FileSelection;
  /**
   * Compare with this baseline: findings get their `baselineState`, and the gate judges the new
   * ones only (see `loadRepositoryBaseline`). New-code mode and a partial scan still apply.
   */
  baseline?: LoadedBaseline;
}

const BATCH = 16;
/** Below this many files to parse, starting threads costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 48;

function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Pure: whether a report passes a gate. A severity threshold fails on any finding at least as severe. */
export function evaluateGate(
  gate: Gate,
  score: { score: number; grade: string },
  findings: readonly Pick<Finding, 'severity'>[],
  /** What the findings are called in a reason: `new finding(s)` when a baseline left some out. */
  noun = 'finding(s)',
): GateResult {
  const reasons: string[] = [];
  const { failOn, minScore } = gate;
  if ((SEVERITIES as readonly string[]).includes(failOn)) {
    const limit = severityRank(failOn as Severity);
    const failing = findings.filter((f) => severityRank(f.severity) <= limit).length;
    if (failing > 0) reasons.push(`${failing} ${noun} of severity ${failOn} or worse`);
  } else if (failOn !== 'none' && score.grade > failOn) {
    reasons.push(`grade ${score.grade} is worse than ${failOn}`);
  }
  if (score.score < minScore) reasons.push(`score ${score.score} is below ${minScore}`);
  return { passed: reasons.length === 0, failOn, minScore, reasons };
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    a.file.localeCompare(b.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    a.ruleId.localeCompare(b.ruleId)
  );
}

/**
 * Scans a repository or folder: finds its source files, analyses them (in parallel, reusing cached
 * results), runs repository-wide passes (clones, import graph, hotspots), scores files and the
 * repository, and evaluates the quality gate. Never writes to the scanned folder.
 */
export async function scan(target: string, options: ScanOptions = {}): Promise<ScanReport> {
  const started = Date.now();
  const root = path.resolve(target);
  const kind = await checkFolder(root);
  if (kind === 'missing') throw new InputError(`no such folder: ${target}`);
  if (kind === 'file') throw new InputError(`not a folder: ${target}`);
  if (kind === 'denied') throw new InputError(`permission denied: ${target}`);
  await checkRepositoryRoot(root);
  const config = options.config ?? (await resolveConfig(root, {})).config;
  const profiles = createRuleProfiles(config, options.rules, PARSE_ERROR_META);
  const { settingsKey, repositorySettings: ruleSettings } = resolveSettings(config, profiles);
  // Kinds decide which files clone detection compares, so the cached result depends on them.
  const testPatterns = await loadTestPatterns(root);
  const kindOf = createFileClassifier(testPatterns);
  const repositorySettings = {
    ...ruleSettings,
    fileKinds: { version: FILE_KIND_VERSION, ...testPatterns },
  };

  const git = await readGitInfo(root);
  const changed =
    options.since !== undefined ? await requireGit(git, options.since, root) : undefined;
  const { discovery, selection, overrides } = await discover(root, config, {
    isGit: git !== undefined,
    select: options.select,
  });
  const skipped: SkippedFile[] = [...discovery.skipped, ...(selection?.selected.skipped ?? [])];
  const { result, parsed, read } = await analyseRepository(discovery, options, {
    root,
    settingsKeyOf: (file) => profiles.forFile(file).key,
    settingsKey,
    repositorySettings,
    config,
    profiles,
    skipped,
    includeVendored: config.includeVendored,
    kindOf,
    overrides,
  });
  skipped.sort((a, b) => a.path.localeCompare(b.path));

  return finishReport(result, {
    root,
    started,
    git,
    skipped,
    warnings: [...discovery.warnings],
    config,
    profiles,
    changed,
    since: options.since,
    parsed,
    read,
    hotspotCount: options.hotspots ?? 10,
    kindOf,
    selection,
    baseline: options.baseline,
    baselineFixed: 0,
  });
}

/**
 * The repository's files, and for a partial scan the chosen ones with the content that stands in
 * for a file's (`--stdin`). The discovery lists every file either way: the repository-wide passes
 * need them all.
 */
async function discover(
  root: string,
  config: Config,
  { isGit, select }: { isGit: boolean; select: FileSelection | undefined },
): Promise<{
  discovery: Discovery;
  selection: FinishInput['selection'];
  overrides: Map<string, string> | undefined;
}> {
  const options = {
    include: config.include,
    exclude: config.exclude,
    maxFileSizeKb: config.maxFileSizeKb,
    isGit,
    includeVendored: config.includeVendored,
  };
  const discovery = await discoverFiles(root, options);
  if (!select) return { discovery, selection: undefined, overrides: undefined };
  const { stdin } = select;
  const request = { ...select, unsaved: stdin?.path };
  const selected = await selectFiles(root, discovery, request, options);
  const overrides = stdin ? new Map([[stdin.path, stdin.source]]) : undefined;
  return { discovery, selection: { select, selected }, overrides };
}

/** What the repository result depends on besides the files: the base settings and the layers. */
function resolveSettings(config: Config, profiles: RuleProfiles) {
  const repositorySettings = {
    minTokens: config.duplicationMinTokens,
    rules: profiles.base.active.repository.map((a) => ({
      id: a.rule.meta.id,
      severity: a.severity,
      options: a.options,
    })),
    ...(profiles.fingerprint !== undefined ? { layers: profiles.fingerprint } : {}),
  };
  return { settingsKey: profiles.base.key, repositorySettings };
}

interface AnalyseContext {
  root: string;
  /** Cache key of a file's analysis settings, by path: overrides give files their own. */
  settingsKeyOf: (file: string) => string;
  settingsKey: string;
  repositorySettings: unknown;
  config: Config;
  profiles: RuleProfiles;
  skipped: SkippedFile[];
  includeVendored: boolean;
  kindOf: (file: string) => FileKind;
  overrides?: ReadonlyMap<string, string>;
}

/** The repository result, and which files were parsed and which read to get it. */
interface Analysed {
  result: RepositoryResult;
  parsed: Set<string>;
  read: Set<string>;
}

/**
 * The repository result: from the cache when no file and no setting changed since a scan that
 * recorded it (then no file's analysis is even loaded), else from every file's analysis.
 */
async function analyseRepository(
  discovery: Discovery,
  options: ScanOptions,
  context: AnalyseContext,
): Promise<Analysed> {
  const { root } = context;
  const { cache } = options;
  const recorded = await loadStats(root, cache, context.includeVendored);
  // When most files must be read (a first scan, a changed branch), most are likely to need parsing:
  // start the workers first, so that they load while the files are read instead of after. Files
  // skipped for their content are read on every scan, so a few unread files say nothing.
  const untrusted = countUntrusted(discovery, recorded);
  const pool =
    untrusted >= MIN_FILES_FOR_WORKERS && untrusted * 2 >= discovery.files.length
      ? await startPool(untrusted, context.config, options)
      : undefined;
  try {
    return await analyseWith({ pool, discovery, recorded, options, context });
  } finally {
    await pool?.close();
  }
}

async function analyseWith({
  pool,
  discovery,
  recorded,
  options,
  context,
}: {
  pool: AnalysisPool | undefined;
  discovery: Discovery;
  recorded: ReadonlyMap<string, StatRecord>;
  options: ScanOptions;
  context: AnalyseContext;
}): Promise<Analysed> {
  const { root, settingsKey, repositorySettings } = context;
  const { cache } = options;
  const sources = await readSources(discovery, recorded, context);
  const key = repositoryKey(settingsKey, repositorySettings, sources);
  // One entry per root, holding its latest result: rescans after edits replace it, not pile up.
  const entryKey = `repo:${root}`;
  const entry = cache ? (await cache.get([entryKey])).get(entryKey) : undefined;
  let result: RepositoryResult;
  let parsed = new Set<string>();
  const fresh: { key: string; value: unknown }[] = [];
  if ((entry as RepositoryEntry | undefined)?.key === key) {
    result = decodeRepository((entry as RepositoryEntry).result);
    options.onProgress?.({ done: sources.length, total: sources.length });
  } else {
    const analysed = await analyseSources(sources, context, options, pool);
    parsed = analysed.parsed;
    result = buildRepository(analysed.ordered, context);
    const analyses = analysed.fresh.map(({ key: k, value }) => ({
      key: k,
      value: packAnalysis(value),
    }));
    // Reading what was trusted unread may have dropped a file: key the result by what it covers.
    const covered: RepositoryEntry = {
      key: repositoryKey(settingsKey, repositorySettings, sources),
      result: encodeRepository(result),
    };
    fresh.push(...analyses, { key: entryKey, value: covered });
  }
  const stats = statsEntry(root, discovery, sources, recorded, context.includeVendored);
  if (cache && (fresh.length > 0 || stats)) await cache.set(stats ? [...fresh, stats] : fresh);
  const read = new Set(sources.filter((s) => s.source !== undefined).map((s) => s.path));
  return { result, parsed, read };
}

/**
 * Every file's analysis, from the cache or by parsing (in parallel). `sources` is updated in place:
 * an unread file whose analysis is not cached (other settings, a pruned cache) is read after all.
 */
async function analyseSources(
  sources: Source[],
  context: AnalyseContext,
  options: ScanOptions,
  pool: AnalysisPool | undefined,
): Promise<{
  ordered: FileAnalysis[];
  parsed: Set<string>;
  fresh: { key: string; value: FileAnalysis }[];
}> {
  const cached = options.cache
    ? await options.cache.get(sources.map((s) => s.key))
    : new Map<string, unknown>();
  const missing = sources.filter((s) => s.source === undefined && !cached.has(s.key));
  if (missing.length > 0) {
    const gone = new Set(missing.map((s) => s.path));
    const kept = sources.filter((s) => !gone.has(s.path));
    const reread = await readAll([...gone], context);
    sources.splice(0, sources.length, ...kept, ...reread);
    sources.sort((a, b) => a.path.localeCompare(b.path));
  }
  const analyses = new Map<string, FileAnalysis>();
  const toParse: (Source & { source: string })[] = [];
  for (const s of sources) {
    const value = cached.get(s.key);
    const hit = value === undefined ? undefined : unpackAnalysis<FileAnalysis>(value);
    if (hit) {
      analyses.set(s.path, {
        ...hit,
        path: s.path,
        findings: hit.findings.map((f) => ({ ...f, file: s.path })),
      });
    } else if (s.source !== undefined) {
      toParse.push({ ...s, source: s.source });
    }
  }
  const used = pool ?? (await startPool(toParse.length, context.config, options));
  let fresh: { key: string; value: FileAnalysis }[];
  try {
    const settingsOf = (file: string) => context.profiles.forFile(file).settings;
    fresh = await parseAll({ toParse, total: sources.length, settingsOf, pool: used, options });
  } finally {
    // Free the threads before the repository-wide passes.
    await used?.close();
  }
  for (const { value } of fresh) analyses.set(value.path, value);
  return {
    ordered: sources.map((s) => analyses.get(s.path)!),
    parsed: new Set(toParse.map((s) => s.path)),
    fresh,
  };
}

/**
 * A pool for analysing `files` files, started now: threads when there are enough files for them to
 * pay off, else the calling thread; none for no files. Loaded on demand: a scan that parses
 * nothing never loads the parser or the thread pool.
 */
async function startPool(
  files: number,
  config: Config,
  options: ScanOptions,
): Promise<AnalysisPool | undefined> {
  if (files === 0) return undefined;
  const { createPool, defaultWorkerCount } = await import('./pool.js');
  const threads =
    files < MIN_FILES_FOR_WORKERS
      ? 0
      : Math.min(
          options.workers ?? config.workers ?? defaultWorkerCount(),
          Math.ceil(files / BATCH),
        );
  return createPool(threads);
}

/** Batches of at most `BATCH` files, each of files with the same settings. */
function batchBySettings<T extends { path: string }>(
  files: readonly T[],
  settingsOf: (file: string) => RuleSettings,
): { files: T[]; settings: RuleSettings }[] {
  const groups = new Map<RuleSettings, T[]>();
  for (const f of files) {
    const settings = settingsOf(f.path);
    const group = groups.get(settings);
    if (group) group.push(f);
    else groups.set(settings, [f]);
  }
  const batches: { files: T[]; settings: RuleSettings }[] = [];
  for (const [settings, group] of groups)
    for (let i = 0; i < group.length; i += BATCH)
      batches.push({ files: group.slice(i, i + BATCH), settings });
  return batches;
}

async function parseAll({
  toParse,
  total,
  settingsOf,
  pool,
  options,
}: {
  toParse: readonly (Source & { source: string })[];
  total: number;
  settingsOf: (file: string) => RuleSettings;
  pool: AnalysisPool | undefined;
  options: ScanOptions;
}): Promise<{ key: string; value: FileAnalysis }[]> {
  let done = total - toParse.length;
  options.onProgress?.({ done, total });
  if (pool === undefined) return [];
  const fresh: { key: string; value: FileAnalysis }[] = [];
  await Promise.all(
    batchBySettings(toParse, settingsOf).map(async ({ files: batch, settings }) => {
      const results = await pool.run({
        files: batch.map(({ path: p, source, hash }) => ({ path: p, source, hash })),
        settings,
      });
      results.forEach((result, i) => fresh.push({ key: batch[i]!.key, value: result }));
      done += batch.length;
      options.onProgress?.({ done, total });
    }),
  );
  return fresh;
}

async function requireGit(
  git: Awaited<ReturnType<typeof readGitInfo>>,
  since: string,
  root: string,
): Promise<Map<string, Set<number> | 'all'>> {
  if (!git) throw new InputError(`--since needs a git repository, and ${root} is not in one`);
  return changedLinesSince(root, since);
}

function groupByFile(findings: readonly Finding[]): Map<string, Finding[]> {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  return byFile;
}

/**
 * The repository-wide passes over every file's analysis: import graph, clones, repository rules.
 * Clones are looked for among source files only, as SonarQube does: tests repeat their shape on
 * purpose (a table of cases, arrange-act-assert), and since names and literals are erased, each
 * case of a table-driven test would otherwise be reported as a copy of the next.
 */
function buildRepository(
  ordered: readonly FileAnalysis[],
  { config, profiles, kindOf }: Pick<AnalyseContext, 'config' | 'profiles' | 'kindOf'>,
): RepositoryResult {
  const graph = buildImportGraph(ordered);
  const clones = findClones(
    ordered
      .filter((a) => !isTestCode(kindOf(a.path)))
      .map((a) => ({ path: a.path, fingerprints: a.fingerprints })),
    config.duplicationMinTokens,
  );
  const duplicated = duplicatedLines(clones);
  const cycles = findCycles(graph.valueEdges);

  const files = ordered.map((a) => ({
    ...a,
    metrics: {
      ...a.metrics,
      duplicatedLines: duplicated.get(a.path) ?? 0,
      fanIn: graph.fanIn.get(a.path) ?? 0,
      fanOut: graph.fanOut.get(a.path) ?? 0,
    },
  }));

  const findings: Finding[] = ordered.flatMap((a) => a.findings);
  for (const { rule, severity, options } of profiles.repositoryRules(files.map((f) => f.path))) {
    rule.check({
      files,
      clones,
      importCycles: cycles,
      options,
      report: ({ file, location, message }) => {
        // Run once for the repository, each finding is held to its own file's settings.
        const finding = profiles.settle({
          ruleId: rule.meta.id,
          category: rule.meta.category,
          severity,
          message,
          file,
          location,
          effortMinutes: rule.meta.effortMinutes,
          fixability: rule.meta.fixability,
        });
        if (finding) findings.push(finding);
      },
    });
  }
  findings.sort(compareFindings);

  const byFile = groupByFile(findings);
  const fileReports: FileReport[] = files.map((f) => ({
    path: f.path,
    hash: f.hash,
    lang: f.lang,
    metrics: f.metrics,
    functions: f.functions,
    imports: [...(graph.edges.get(f.path) ?? [])].sort(),
    score: scoreFile(f.metrics, f.functions, byFile.get(f.path) ?? []),
    ...(f.parseError !== undefined ? { parseError: f.parseError } : {}),
  }));
  return { files: fileReports, findings, clones };
}

interface FinishInput {
  root: string;
  started: number;
  git: Awaited<ReturnType<typeof readGitInfo>>;
  skipped: SkippedFile[];
  warnings: string[];
  config: Config;
  profiles: RuleProfiles;
  changed: Map<string, Set<number> | 'all'> | undefined;
  since: string | undefined;
  parsed: Set<string>;
  read: Set<string>;
  hotspotCount: number;
  kindOf: (file: string) => FileKind;
  selection: { select: FileSelection; selected: Selected } | undefined;
  baseline: LoadedBaseline | undefined;
  /** Baseline entries no finding of the whole repository matches any more. */
  baselineFixed: number;
}

/** New-code mode keeps the findings on changed lines, and scores files by those alone. */
function keepChanged(
  result: RepositoryResult,
  changed: Map<string, Set<number> | 'all'>,
): RepositoryResult {
  const findings = result.findings.filter((f) => {
    const lines = changed.get(f.file);
    return lines === 'all' || (lines !== undefined && lines.has(f.location.line));
  });
  const byFile = groupByFile(findings);
  const files = result.files.map((f) => ({
    ...f,
    score: scoreFile(f.metrics, f.functions, byFile.get(f.path) ?? []),
  }));
  return { files, findings, clones: result.clones };
}

/**
 * A partial scan keeps the chosen files, their findings, the clones one of them is part of and
 * the skipped files among them; each finding is as the whole repository's analysis found it.
 */
function keepSelected(
  result: RepositoryResult,
  skipped: readonly SkippedFile[],
  { paths }: Selected,
): { result: RepositoryResult; skipped: SkippedFile[] } {
  return {
    result: {
      files: result.files.filter((f) => paths.has(f.path)),
      findings: result.findings.filter((f) => paths.has(f.file)),
      clones: result.clones.filter((c) => paths.has(c.a.file) || paths.has(c.b.file)),
    },
    skipped: skipped.filter((s) => paths.has(s.path)),
  };
}

async function findHotspots(input: FinishInput, files: readonly FileReport[]): Promise<Hotspot[]> {
  const hotspots: Hotspot[] = [];
  if (!input.git) return hotspots;
  const counts = await changeCounts(input.root);
  for (const f of files) {
    const changes = counts.get(f.path) ?? 0;
    const risk = changes * f.metrics.cognitive;
    if (risk > 0) hotspots.push({ file: f.path, changes, complexity: f.metrics.cognitive, risk });
  }
  hotspots.sort((a, b) => b.risk - a.risk || a.file.localeCompare(b.file));
  hotspots.splice(input.hotspotCount);
  return hotspots;
}

function summarise(
  input: FinishInput,
  files: readonly FileReport[],
  findings: readonly Finding[],
): ScanSummary {
  const summary: ScanSummary = {
    files: files.length,
    parsed: files.filter((f) => input.parsed.has(f.path)).length,
    fromCache: files.filter((f) => !input.parsed.has(f.path)).length,
    read: files.filter((f) => input.read.has(f.path)).length,
    skipped: input.skipped.length,
    physicalLines: 0,
    codeLines: 0,
    findings: findings.length,
    bySeverity: { blocker: 0, critical: 0, major: 0, minor: 0, info: 0 },
    byCategory: {},
    debtMinutes: 0,
  };
  for (const f of files) {
    summary.physicalLines += f.metrics.physicalLines;
    summary.codeLines += f.metrics.codeLines;
  }
  for (const f of findings) {
    summary.bySeverity[f.severity]++;
    summary.byCategory[f.category] = (summary.byCategory[f.category] ?? 0) + 1;
    summary.debtMinutes += f.effortMinutes;
  }
  summary.byKind = summariseKinds(files, findings);
  return summary;
}

/** Files, code lines, findings and debt per kind, in the order of `FILE_KINDS`; source always. */
function summariseKinds(
  files: readonly FileReport[],
  findings: readonly Finding[],
): Partial<Record<FileKind, KindSummary>> {
  const kinds = new Map<string, FileKind>();
  const byKind: Partial<Record<FileKind, KindSummary>> = {};
  const entry = (kind: FileKind): KindSummary =>
    (byKind[kind] ??= { files: 0, codeLines: 0, findings: 0, debtMinutes: 0 });
  entry('source');
  for (const f of files) {
    const kind = f.kind ?? 'source';
    kinds.set(f.path, kind);
    const e = entry(kind);
    e.files++;
    e.codeLines += f.metrics.codeLines;
  }
  for (const f of findings) {
    const e = entry(kinds.get(f.file) ?? 'source');
    e.findings++;
    e.debtMinutes += f.effortMinutes;
  }
  const ordered: Partial<Record<FileKind, KindSummary>> = {};
  for (const kind of FILE_KINDS) if (byKind[kind]) ordered[kind] = byKind[kind];
  return ordered;
}

async function finishReport(all: RepositoryResult, input: FinishInput): Promise<ScanReport> {
  // Compared before any finding is left out: a fingerprint counts the findings above it.
  const compared = input.baseline && compareWithBaseline(all.findings, input.baseline.baseline);
  const whole = compared ? { ...all, findings: compared.findings } : all;
  const finish = compared ? { ...input, baselineFixed: compared.fixed.length } : input;
  const { selection } = finish;
  if (!selection) return finishChosen(whole, finish);
  const chosen = keepSelected(whole, finish.skipped, selection.selected);
  const report = await finishChosen(chosen.result, { ...finish, skipped: chosen.skipped });
  return { ...report, selection: { by: selection.select.by, named: [...selection.select.files] } };
}

/**
 * The score of the source files and, apart, of the test code; in new-code mode the repository
 * score covers the changed files only.
 */
function scoreByKind(
  files: ScanReport['files'],
  findings: readonly Finding[],
  changed: { has(file: string): boolean } | undefined,
) {
  const scored = changed ? files.filter((f) => changed.has(f.path)) : files;
  const testCode = new Set(files.filter((f) => isTestCode(f.kind)).map((f) => f.path));
  const sourceFindings = findings.filter((f) => !testCode.has(f.file));
  const score = scoreRepository(
    scored.filter((f) => !testCode.has(f.path)),
    sourceFindings,
  );
  const scoredTests = scored.filter((f) => testCode.has(f.path));
  const testScore =
    scoredTests.length > 0
      ? scoreRepository(
          scoredTests,
          findings.filter((f) => testCode.has(f.file)),
        )
      : undefined;
  return { score, testScore, sourceFindings };
}

function repoHeader(input: FinishInput): ScanReport['repo'] {
  return {
    root: input.root,
    isGit: input.git !== undefined,
    commit: input.git?.commit,
    branch: input.git?.branch,
    dirty: input.git?.dirty ?? false,
  };
}

async function finishChosen(all: RepositoryResult, input: FinishInput): Promise<ScanReport> {
  const { config, changed } = input;
  const kept = changed ? keepChanged(all, changed) : all;
  const { findings, clones } = kept;
  const files = kept.files.map(({ path: file, hash, lang, ...rest }) => ({
    path: file,
    hash,
    lang,
    kind: input.kindOf(file),
    ...rest,
  }));
  const { score, testScore, sourceFindings } = scoreByKind(files, findings, changed);
  // The gate judges the product: test code is scored and reported, not gated. With a baseline it
  // judges the new findings, and the score the code has without the baseline's.
  const gated = input.baseline
    ? scoreByKind(
        files,
        findings.filter((f) => f.baselineState === 'new'),
        changed,
      )
    : { score, sourceFindings };
  const gate = evaluateGate(
    changed ? config.newCodeGate : config.gate,
    gated.score,
    gated.sourceFindings,
    input.baseline ? 'new finding(s)' : undefined,
  );
  // A shallow clone's history would give every file one change: say so rather than guess.
  const hotspotsUnavailable = input.git?.shallow ? SHALLOW_CLONE : undefined;
  const hotspots = hotspotsUnavailable ? [] : await findHotspots(input, files);

  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    repo: repoHeader(input),
    startedAt: new Date(input.started).toISOString(),
    durationMs: Date.now() - input.started,
    since: input.since,
    files,
    skipped: input.skipped,
    findings,
    clones,
    hotspots,
    ...(hotspotsUnavailable ? { hotspotsUnavailable } : {}),
    score: { ...score, grade: gradeOf(score.score) },
    ...(testScore ? { testScore } : {}),
    summary: summarise(input, files, findings),
    rules: input.profiles.metas(),
    gate,
    warnings: input.warnings,
    ...(input.baseline
      ? { baseline: summariseBaseline(input.baseline.file, findings, input.baselineFixed) }
      : {}),
  };
}
