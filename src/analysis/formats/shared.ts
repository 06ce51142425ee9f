import { FILE_KINDS } from '../../core/index.js';
import type {
  FileKind,
  FileReport,
  Finding,
  Hotspot,
  ScanReport,
  SkipReason,
} from '../../core/index.js';
import { sourceFirstByValue } from '../value.js';

/** Code-point order, not locale order, so every machine sorts the same way. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** By file, line, column, rule and message. */
export function compareByLocation(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.message, b.message)
  );
}

/** Each scanned file's kind; a file without one (an older report) is source. */
export function kindsOf(report: Pick<ScanReport, 'files'>): Map<string, FileKind> {
  return new Map(report.files.map((f) => [f.path, f.kind ?? 'source']));
}

/** The findings a report lists: all of them, or with a baseline the new ones only. */
export function shownFindings(report: Pick<ScanReport, 'findings'>): Finding[] {
  return report.findings.filter((f) => f.baselineState !== 'unchanged');
}

/**
 * `12 findings in the baseline (not shown), 2 new` and, when some are, `1 baseline entry fixed
 * (run …)`; empty when the scan was not compared with a baseline.
 */
export function describeBaseline(report: Pick<ScanReport, 'baseline'>): string[] {
  const b = report.baseline;
  if (b === undefined) return [];
  const parts = [
    `${plural(b.unchanged, 'finding')} in the baseline (not shown), ${formatInteger(b.new)} new`,
  ];
  if (b.fixed > 0)
    parts.push(
      `${plural(b.fixed, 'baseline entry', 'baseline entries')} fixed (run \`beast baseline --update\`)`,
    );
  return parts;
}

/** The shown findings by value (see `orderByValue`), source files' first, then test code's. */
export function sourceFirst(report: ScanReport): Finding[] {
  return sourceFirstByValue({ ...report, findings: shownFindings(report) });
}

/** The kinds of file a report holds other than source, with their summaries, in `FILE_KINDS` order. */
export function testKinds(
  report: ScanReport,
): [FileKind, { files: number; codeLines: number; findings: number; debtMinutes: number }][] {
  const byKind = report.summary.byKind ?? {};
  return FILE_KINDS.filter((k) => k !== 'source' && byKind[k] !== undefined).map((k) => [
    k,
    byKind[k]!,
  ]);
}

export interface RankedFile {
  file: FileReport;
  findings: number;
}

/**
 * Source files with the lowest scores first, then test code the same way; files without findings
 * and a perfect score are left out.
 */
export function worstFiles(report: ScanReport, limit: number): RankedFile[] {
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.file, (counts.get(f.file) ?? 0) + 1);
  const isTest = (f: FileReport): number => ((f.kind ?? 'source') === 'source' ? 0 : 1);
  return report.files
    .map((file) => ({ file, findings: counts.get(file.path) ?? 0 }))
    .filter(({ file, findings }) => findings > 0 || file.score.score < 100)
    .sort(
      (a, b) =>
        isTest(a.file) - isTest(b.file) ||
        a.file.score.score - b.file.score.score ||
        b.findings - a.findings ||
        compareText(a.file.path, b.file.path),
    )
    .slice(0, limit);
}

/** Highest risk first. */
export function topHotspots(report: ScanReport, limit: number): Hotspot[] {
  return [...report.hotspots]
    .sort((a, b) => b.risk - a.risk || compareText(a.file, b.file))
    .slice(0, limit);
}

/** Skip reasons with their counts, most frequent first. */
export function skipReasons(report: ScanReport): [SkipReason, number][] {
  const counts = new Map<SkipReason, number>();
  for (const s of report.skipped) counts.set(s.reason, (counts.get(s.reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
}

/** Categories with at least one finding, most frequent first. */
export function categoryCounts(report: ScanReport): [string, number][] {
  return Object.entries(report.summary.byCategory)
    .filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0)
    .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
}

export function formatInteger(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** One decimal place, always shown, so columns of scores line up. */
export function formatScore(n: number): string {
  return n.toFixed(1);
}

/** `2d 3h`, `1h 5m`, `45m`: debt counted in eight-hour days, as SonarQube does. */
export function formatMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  const days = Math.floor(total / 480);
  const hours = Math.floor((total % 480) / 60);
  const mins = total % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return mins > 0 ? `${hours}h ${mins}m` : `${hours}h`;
  return `${mins}m`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  return `${(ms / 1000).toFixed(1)}s`;
}

export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatInteger(n)} ${n === 1 ? singular : pluralForm}`;
}

export function locationOf(finding: Finding): string {
  return `${finding.file}:${finding.location.line}:${finding.location.column}`;
}

/** `main @ 1a2b3c4, dirty`, or undefined outside git. */
export function describeRevision(report: ScanReport): string | undefined {
  const { isGit, branch, commit, dirty } = report.repo;
  if (!isGit) return undefined;
  const parts = [branch, commit === undefined ? undefined : commit.slice(0, 7)].filter(
    (p): p is string => p !== undefined && p !== '',
  );
  const text = parts.length > 0 ? parts.join(' @ ') : 'git';
  return dirty ? `${text}, dirty` : text;
}
