import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  InputError,
  SEVERITIES,
  TOOL_NAME,
  TOOL_VERSION,
  resolveConfig,
  type Config,
  type FileReport,
  type Finding,
  type Gate,
  type GateResult,
  type Hotspot,
  type ScanReport,
  type ScanSummary,
  type Severity,
  type SkippedFile,
} from '../core/index.js';
import { ANALYZER_VERSION, type FileAnalysis, type RuleSettings } from './analyze-file.js';
import { duplicatedLines, findClones } from './duplication.js';
import { checkFolder, discoverFiles, skipByContent, type Discovery } from './files.js';
import { changeCounts, changedLinesSince, readGitInfo } from './git.js';
import { buildImportGraph, findCycles } from './imports.js';
import { createPool, defaultWorkerCount } from './pool.js';
import { resolveRules, type RuleSelection } from './rule-config.js';
import { PARSE_ERROR_META } from './rules/parse-error.js';
import { gradeOf, scoreFile, scoreRepository } from './score.js';

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
}

const BATCH = 16;
/** A file changed less than this before its stat was recorded may have changed again in the same tick. */
const RACY_MS = 2000;

interface Source {
  path: string;
  /** Undefined when the file was trusted unchanged and not read. */
  source: string | undefined;
  hash: string;
  key: string;
}

interface StatRecord {
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
  /** When the stat was recorded. */
  at: number;
}

async function readSource(
  root: string,
  file: string,
  settingsKey: string,
  skipped: SkippedFile[],
): Promise<Source | undefined> {
  let content: Buffer;
  try {
    content = await readFile(path.join(root, file));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    skipped.push({ path: file, reason: 'unreadable', detail: code });
    return undefined;
  }
  const skip = skipByContent(content);
  if (skip) {
    skipped.push({ path: file, ...skip });
    return undefined;
  }
  const hash = sha256(content);
  return { path: file, source: content.toString('utf8'), hash, key: `${hash}:${settingsKey}` };
}
/** Below this many files to parse, starting threads costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 48;

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** Pure: whether a report passes a gate. A severity threshold fails on any finding at least as severe. */
export function evaluateGate(
  gate: Gate,
  score: { score: number; grade: string },
  findings: readonly Pick<Finding, 'severity'>[],
): GateResult {
  const reasons: string[] = [];
  const { failOn, minScore } = gate;
  if ((SEVERITIES as readonly string[]).includes(failOn)) {
    const limit = severityRank(failOn as Severity);
    const failing = findings.filter((f) => severityRank(f.severity) <= limit).length;
    if (failing > 0) reasons.push(`${failing} finding(s) of severity ${failOn} or worse`);
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
  const config = options.config ?? (await resolveConfig(root, {})).config;
  const active = resolveRules(config.rules, options.rules, PARSE_ERROR_META);
  const settings: RuleSettings = {
    rules: active.file.map((a) => ({
      id: a.rule.meta.id,
      severity: a.severity,
      options: { ...a.options },
    })),
    minTokens: config.duplicationMinTokens,
  };
  const settingsKey = sha256(JSON.stringify({ v: ANALYZER_VERSION, tool: TOOL_VERSION, settings }));

  const git = await readGitInfo(root);
  const changed =
    options.since !== undefined ? await requireGit(git, options.since, root) : undefined;
  const discovery = await discoverFiles(root, {
    include: config.include,
    exclude: config.exclude,
    maxFileSizeKb: config.maxFileSizeKb,
    isGit: git !== undefined,
  });
  const skipped: SkippedFile[] = [...discovery.skipped];
  const warnings = [...discovery.warnings];

  const { sources, cached, freshStats } = await loadSources(
    root,
    discovery,
    settingsKey,
    options.cache,
    skipped,
  );
  const analyses = new Map<string, FileAnalysis>();
  const toParse: (Source & { source: string })[] = [];
  for (const s of sources) {
    const hit = cached.get(s.key) as FileAnalysis | undefined;
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

  let done = sources.length - toParse.length;
  options.onProgress?.({ done, total: sources.length });
  const threads =
    toParse.length < MIN_FILES_FOR_WORKERS
      ? 0
      : Math.min(
          options.workers ?? config.workers ?? defaultWorkerCount(),
          Math.ceil(toParse.length / BATCH),
        );
  const pool = createPool(threads);
  const fresh: { key: string; value: unknown }[] = [];
  try {
    const batches: (typeof toParse)[] = [];
    for (let i = 0; i < toParse.length; i += BATCH) batches.push(toParse.slice(i, i + BATCH));
    await Promise.all(
      batches.map(async (batch) => {
        const results = await pool.run({
          files: batch.map(({ path: p, source, hash }) => ({ path: p, source, hash })),
          settings,
        });
        results.forEach((result, i) => {
          analyses.set(result.path, result);
          fresh.push({ key: batch[i]!.key, value: result });
        });
        done += batch.length;
        options.onProgress?.({ done, total: sources.length });
      }),
    );
  } finally {
    await pool.close();
  }
  if (options.cache && fresh.length + freshStats.length > 0)
    await options.cache.set([...fresh, ...freshStats]);

  const ordered = sources.map((s) => analyses.get(s.path)!);
  return assembleReport({
    root,
    started,
    git,
    ordered,
    skipped,
    warnings,
    config,
    active,
    changed,
    since: options.since,
    parsed: toParse.length,
    read: sources.filter((s) => s.source !== undefined).length,
    hotspotCount: options.hotspots ?? 10,
  });
}

/**
 * Reads what must be read and looks up cached analyses. The cache is keyed by content hash. A file
 * whose size, mtime and inode match what an earlier scan recorded (long enough after its last
 * change to rule out a same-tick edit) keeps its recorded hash unread; every other file is read
 * and hashed, and its stat is returned for recording.
 */
async function loadSources(
  root: string,
  discovery: Discovery,
  settingsKey: string,
  cache: AnalysisCache | undefined,
  skipped: SkippedFile[],
): Promise<{
  sources: Source[];
  cached: Map<string, unknown>;
  freshStats: { key: string; value: StatRecord }[];
}> {
  const statKeys = discovery.files.map((f) => `stat:${root}/${f}`);
  const recorded = cache ? await cache.get(statKeys) : new Map<string, unknown>();
  const unread: Source[] = [];
  const toRead: string[] = [];
  discovery.files.forEach((file, i) => {
    const now = discovery.stats.get(file);
    const then = recorded.get(statKeys[i]!) as StatRecord | undefined;
    if (
      now &&
      then &&
      then.size === now.size &&
      then.mtimeMs === now.mtimeMs &&
      then.ino === now.ino &&
      then.at - now.mtimeMs > RACY_MS
    ) {
      unread.push({
        path: file,
        source: undefined,
        hash: then.hash,
        key: `${then.hash}:${settingsKey}`,
      });
    } else {
      toRead.push(file);
    }
  });
  const readNow = async (files: readonly string[]) => {
    const out: Source[] = [];
    await forEachLimit(files, 32, async (file) => {
      const source = await readSource(root, file, settingsKey, skipped);
      if (source) out.push(source);
    });
    return out;
  };
  const sources = await readNow(toRead);
  const cached = cache
    ? await cache.get([...sources, ...unread].map((s) => s.key))
    : new Map<string, unknown>();
  // An unread file whose analysis is not cached (other settings, a pruned cache) is read after all.
  sources.push(...unread.filter((s) => cached.has(s.key)));
  sources.push(...(await readNow(unread.filter((s) => !cached.has(s.key)).map((s) => s.path))));
  sources.sort((a, b) => a.path.localeCompare(b.path));
  skipped.sort((a, b) => a.path.localeCompare(b.path));

  const at = Date.now();
  const freshStats = sources.flatMap((s) => {
    const st = discovery.stats.get(s.path);
    return s.source !== undefined && st
      ? [{ key: `stat:${root}/${s.path}`, value: { ...st, hash: s.hash, at } }]
      : [];
  });
  return { sources, cached, freshStats };
}

async function requireGit(
  git: Awaited<ReturnType<typeof readGitInfo>>,
  since: string,
  root: string,
): Promise<Map<string, Set<number> | 'all'>> {
  if (!git) throw new InputError(`--since needs a git repository, and ${root} is not in one`);
  return changedLinesSince(root, since);
}

async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(runners);
}

interface AssembleInput {
  root: string;
  started: number;
  git: Awaited<ReturnType<typeof readGitInfo>>;
  ordered: FileAnalysis[];
  skipped: SkippedFile[];
  warnings: string[];
  config: Config;
  active: ReturnType<typeof resolveRules>;
  changed: Map<string, Set<number> | 'all'> | undefined;
  since: string | undefined;
  parsed: number;
  read: number;
  hotspotCount: number;
}

async function assembleReport(input: AssembleInput): Promise<ScanReport> {
  const { ordered, config, active, changed } = input;
  const graph = buildImportGraph(ordered);
  const clones = findClones(
    ordered.map((a) => ({ path: a.path, fingerprints: a.fingerprints })),
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

  let findings: Finding[] = ordered.flatMap((a) => a.findings);
  for (const { rule, severity, options } of active.repository) {
    rule.check({
      files,
      clones,
      importCycles: cycles,
      options,
      report: ({ file, location, message }) =>
        findings.push({
          ruleId: rule.meta.id,
          category: rule.meta.category,
          severity,
          message,
          file,
          location,
          effortMinutes: rule.meta.effortMinutes,
          fixability: rule.meta.fixability,
        }),
    });
  }
  if (changed) {
    findings = findings.filter((f) => {
      const lines = changed.get(f.file);
      return lines === 'all' || (lines !== undefined && lines.has(f.location.line));
    });
  }
  findings.sort(compareFindings);

  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
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
  // In new-code mode the repository score covers the changed files only.
  const scored = changed ? files.filter((f) => changed.has(f.path)) : files;
  const score = scoreRepository(scored, findings);
  const gate = evaluateGate(changed ? config.newCodeGate : config.gate, score, findings);

  const hotspots: Hotspot[] = [];
  if (input.git) {
    const counts = await changeCounts(input.root);
    for (const f of files) {
      const changes = counts.get(f.path) ?? 0;
      const risk = changes * f.metrics.cognitive;
      if (risk > 0) hotspots.push({ file: f.path, changes, complexity: f.metrics.cognitive, risk });
    }
    hotspots.sort((a, b) => b.risk - a.risk || a.file.localeCompare(b.file));
    hotspots.splice(input.hotspotCount);
  }

  const summary: ScanSummary = {
    files: fileReports.length,
    parsed: input.parsed,
    fromCache: fileReports.length - input.parsed,
    read: input.read,
    skipped: input.skipped.length,
    physicalLines: 0,
    codeLines: 0,
    findings: findings.length,
    bySeverity: { blocker: 0, critical: 0, major: 0, minor: 0, info: 0 },
    byCategory: {},
    debtMinutes: 0,
  };
  for (const f of fileReports) {
    summary.physicalLines += f.metrics.physicalLines;
    summary.codeLines += f.metrics.codeLines;
  }
  for (const f of findings) {
    summary.bySeverity[f.severity]++;
    summary.byCategory[f.category] = (summary.byCategory[f.category] ?? 0) + 1;
    summary.debtMinutes += f.effortMinutes;
  }

  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    repo: {
      root: input.root,
      isGit: input.git !== undefined,
      commit: input.git?.commit,
      branch: input.git?.branch,
      dirty: input.git?.dirty ?? false,
    },
    startedAt: new Date(input.started).toISOString(),
    durationMs: Date.now() - input.started,
    since: input.since,
    files: fileReports,
    skipped: input.skipped,
    findings,
    clones,
    hotspots,
    score: { ...score, grade: gradeOf(score.score) },
    summary,
    rules: active.metas,
    gate,
    warnings: input.warnings,
  };
}
