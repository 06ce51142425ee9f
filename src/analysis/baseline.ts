import { lstat, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  InputError,
  readTextInside,
  resolveInside,
  writeFileAtomic,
  type BaselineSummary,
  type Finding,
} from '../core/index.js';
import { fingerprintFindings } from './fingerprint.js';
import { compareText } from './formats/shared.js';

/** Where a repository keeps its baseline, relative to its root; meant to be committed. */
export const BASELINE_PATH = '.beast/baseline.json';
/** The format this version reads and writes; it names the fingerprint recipe too. */
export const BASELINE_VERSION = 1;
/** A committed file is hostile input: one this large is refused before it is read. */
const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

/** One finding of the baseline: its fingerprint, and where it was when written (informational). */
export interface BaselineEntry {
  file: string;
  line: number;
  ruleId: string;
  fingerprint: string;
}

/** The findings a repository accepted as they are: scans report and gate on the others only. */
export interface Baseline {
  version: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

/** A baseline and the name of the file it was read from, as the user would write it. */
export interface LoadedBaseline {
  file: string;
  baseline: Baseline;
}

const entrySchema = z.object({
  file: z.string(),
  line: z.number().int().min(0),
  ruleId: z.string().min(1),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex'),
});

const baselineSchema = z.object({
  version: z.literal(BASELINE_VERSION),
  findings: z.array(entrySchema),
});

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

/** Pure: the baseline of these findings, one entry each, sorted by file, line and rule. */
export function createBaseline(findings: readonly Finding[]): Baseline {
  const prints = fingerprintFindings(findings);
  const entries = findings.map((f, i) => ({
    file: f.file,
    line: f.location.line,
    ruleId: f.ruleId,
    fingerprint: prints[i]!,
  }));
  return { version: BASELINE_VERSION, findings: entries.sort(compareEntries) };
}

/**
 * Pure: `beast baseline --update`. Keeps the entries some finding still matches, with the line
 * where it is now, and drops the others (fixed). Findings the baseline does not hold are not
 * added: the baseline only shrinks, as ESLint's bulk suppressions and SonarQube's new-code
 * period do, so that accepting new debt is always the deliberate act of re-creating it.
 */
export function updateBaseline(
  baseline: Baseline,
  findings: readonly Finding[],
): { baseline: Baseline; pruned: BaselineEntry[]; notAdded: number } {
  const current = createBaseline(findings);
  const byPrint = new Map(current.findings.map((e) => [e.fingerprint, e]));
  const kept: BaselineEntry[] = [];
  const pruned: BaselineEntry[] = [];
  const held = new Set<string>();
  for (const entry of baseline.findings) {
    const now = byPrint.get(entry.fingerprint);
    if (now === undefined) pruned.push(entry);
    else if (!held.has(entry.fingerprint)) {
      held.add(entry.fingerprint);
      kept.push(now);
    }
  }
  const notAdded = current.findings.filter((e) => !held.has(e.fingerprint)).length;
  return {
    baseline: { version: BASELINE_VERSION, findings: kept.sort(compareEntries) },
    pruned,
    notAdded,
  };
}

/**
 * Pure: the findings with their `baselineState`, and the baseline entries none of them matches.
 * Give it every finding of the repository (before new-code mode or a partial scan leaves some
 * out): a finding's fingerprint counts the findings above it with the same rule and message.
 */
export function compareWithBaseline(
  findings: readonly Finding[],
  baseline: Baseline,
): { findings: Finding[]; fixed: BaselineEntry[] } {
  const accepted = new Set(baseline.findings.map((e) => e.fingerprint));
  const prints = fingerprintFindings(findings);
  const found = new Set(prints);
  return {
    findings: findings.map((f, i) => ({
      ...f,
      baselineState: accepted.has(prints[i]!) ? 'unchanged' : 'new',
    })),
    fixed: baseline.findings.filter((e) => !found.has(e.fingerprint)),
  };
}

/** Pure: what a report says of its baseline, counting the findings it reports. */
export function summariseBaseline(
  file: string,
  reported: readonly Finding[],
  fixed: number,
): BaselineSummary {
  const unchanged = reported.filter((f) => f.baselineState === 'unchanged').length;
  return { file, new: reported.length - unchanged, unchanged, fixed };
}

/**
 * The file's text: sorted, one entry a line, so that a change to the baseline reads as a diff of
 * the findings it adds or removes, and the same findings always give the same bytes.
 */
export function formatBaseline(baseline: Baseline): string {
  const lines = baseline.findings.map((e) =>
    JSON.stringify({ file: e.file, line: e.line, ruleId: e.ruleId, fingerprint: e.fingerprint }),
  );
  const body = lines.length === 0 ? '[]' : `[\n    ${lines.join(',\n    ')}\n  ]`;
  return `{\n  "version": ${baseline.version},\n  "findings": ${body}\n}\n`;
}

/** Pure: the baseline in `text`, or an InputError naming `file` that says in one line what is wrong. */
export function parseBaseline(text: string, file: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const version = (data as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== BASELINE_VERSION) {
    throw new InputError(
      `${file}: baseline version ${version} is not one this beast reads (${BASELINE_VERSION}); re-create it with \`beast baseline\``,
    );
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new InputError(`${file}: not a baseline file: ${at}${issue.message}`);
  }
  return parsed.data;
}

function tooLarge(file: string, size: number): InputError {
  return new InputError(
    `${file}: ${size} bytes, more than a baseline may have (${MAX_BASELINE_BYTES}); not read`,
  );
}

/**
 * The repository's own baseline (`BASELINE_PATH`), or undefined when it has none. Read as
 * hostile input: never through a symlink (a symlinked `.beast` is refused), only a regular file,
 * and not when larger than a baseline can reasonably be.
 */
export async function loadRepositoryBaseline(root: string): Promise<LoadedBaseline | undefined> {
  // A root that is missing, a file or unreadable has no baseline: the scan says what it is.
  const absolute = await resolveInside(root, BASELINE_PATH).catch((error: unknown) => {
    if (error instanceof InputError) throw error;
    return undefined;
  });
  if (absolute === undefined) return undefined;
  const info = await lstat(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new InputError(`cannot read ${BASELINE_PATH}: ${error.code ?? error.message}`, {
      cause: error,
    });
  });
  if (info === undefined) return undefined;
  if (!info.isFile()) throw new InputError(`${BASELINE_PATH} is not a regular file; not read`);
  if (info.size > MAX_BASELINE_BYTES) throw tooLarge(BASELINE_PATH, info.size);
  const text = await readTextInside(root, BASELINE_PATH);
  return { file: BASELINE_PATH, baseline: parseBaseline(text, BASELINE_PATH) };
}

/** A baseline file the user named (`--baseline FILE`), relative to `cwd`; it must exist. */
export async function loadBaselineFile(cwd: string, file: string): Promise<LoadedBaseline> {
  const absolute = path.resolve(cwd, file);
  const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'no such file' : (error.code ?? error.message);
    throw new InputError(`cannot read baseline ${file}: ${reason}`, { cause: error });
  });
  if (!info.isFile()) throw new InputError(`baseline ${file} is not a regular file`);
  if (info.size > MAX_BASELINE_BYTES) throw tooLarge(file, info.size);
  return { file, baseline: parseBaseline(await readFile(absolute, 'utf8'), file) };
}

/**
 * Throws an InputError unless `BASELINE_PATH` can be written in `root` without leaving it: no
 * symlink on the way, `.beast` a folder (or missing), the baseline a regular file (or missing).
 * Returns its absolute path.
 */
export async function checkBaselinePath(root: string): Promise<string> {
  const folder = path.dirname(BASELINE_PATH);
  const info = await lstat(path.join(root, folder)).catch(() => undefined);
  if (info !== undefined && !info.isDirectory() && !info.isSymbolicLink())
    throw new InputError(`${folder} is not a folder; ${BASELINE_PATH} not written`);
  const absolute = await resolveInside(root, BASELINE_PATH);
  const existing = await lstat(absolute).catch(() => undefined);
  if (existing !== undefined && !existing.isFile())
    throw new InputError(`${BASELINE_PATH} is not a regular file; not written`);
  return absolute;
}

/**
 * Writes the repository's baseline at `BASELINE_PATH`, atomically (a temporary file, then a
 * rename), after `checkBaselinePath`: a repository's content never redirects a write out of it.
 */
export async function writeRepositoryBaseline(root: string, baseline: Baseline): Promise<void> {
  await checkBaselinePath(root);
  await mkdir(path.join(root, path.dirname(BASELINE_PATH))).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  // Checked again after mkdir: a symlink planted in between is refused, not written through.
  const absolute = await checkBaselinePath(root);
  await writeFileAtomic(absolute, formatBaseline(baseline));
}

/** Writes a baseline to a file the user named, relative to `cwd`, atomically. */
export async function writeBaselineFile(
  cwd: string,
  file: string,
  baseline: Baseline,
): Promise<void> {
  await writeFileAtomic(path.resolve(cwd, file), formatBaseline(baseline));
}
