import type { Finding, ScanReport } from '../../core/index.js';
import { testCodeFiles } from '../../analysis/index.js';
import { compareFindings } from './plan.js';

/** What the rescan says of a change: what it made worse, and the scores around it. */
export interface RescanJudgement {
  /** Why the change is rejected; empty when it is not. */
  problems: string[];
  /** Files the problems are in. */
  files: string[];
  /**
   * Repository (source), test code and touched files' scores, before -> after: reported, never a
   * reason to reject.
   */
  scores: string;
}

/** Rule, file and subject: what a measured finding is about, whatever line it moved to. */
function measureKey(f: Finding): string {
  return `${f.ruleId}\0${f.file}\0${f.measure!.subject}`;
}

function byMeasureKey(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!f.measure) continue;
    const key = measureKey(f);
    const group = groups.get(key) ?? [];
    group.push(f);
    groups.set(key, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.location.line - b.location.line);
  return groups;
}

/**
 * Measured findings (function length, complexity, depth, parameters, file length) that got worse:
 * findings are paired by rule, file and function name (in order of position when a name repeats),
 * not by line, since a change moves lines.
 */
export function worsenedMeasures(
  before: readonly Finding[],
  after: readonly Finding[],
): { file: string; reason: string }[] {
  const was = byMeasureKey(before);
  const worse: { file: string; reason: string }[] = [];
  for (const [key, group] of byMeasureKey(after)) {
    const previous = was.get(key) ?? [];
    group.forEach((f, i) => {
      const old = previous[i]?.measure;
      const now = f.measure!;
      if (!old || now.value <= old.value) return;
      const subject = now.subject || f.file;
      const unit = now.unit ? ` ${now.unit}` : '';
      worse.push({
        file: f.file,
        reason: `${f.ruleId}: ${subject} grew from ${old.value} to ${now.value}${unit}`,
      });
    });
  }
  return worse;
}

/** Total remediation minutes of the findings in `files`. */
function debtOf(findings: readonly Finding[], files: ReadonlySet<string>): number {
  let minutes = 0;
  for (const f of findings) if (files.has(f.file)) minutes += f.effortMinutes;
  return minutes;
}

function scoresLine(before: ScanReport, after: ScanReport, touched: readonly string[]): string {
  const was = new Map(before.files.map((f) => [f.path, f.score.score]));
  const is = new Map(after.files.map((f) => [f.path, f.score.score]));
  const files = touched
    .filter((f) => was.has(f) && is.has(f))
    .map((f) => `${f} ${was.get(f)} -> ${is.get(f)}`);
  const tests =
    before.testScore && after.testScore
      ? [`test code ${before.testScore.score} -> ${after.testScore.score}`]
      : [];
  return [`repository ${before.score.score} -> ${after.score.score}`, ...tests, ...files].join(
    ', ',
  );
}

/**
 * The findings a change is judged on: those in source files and in the files it touches. Findings
 * elsewhere in test code do not decide (their score is reported), as the default gate is the
 * product's; a change that edits a test file (`--include-tests`) is judged there too.
 */
function judged(report: ScanReport, touched: ReadonlySet<string>): Finding[] {
  const tests = testCodeFiles(report);
  return report.findings.filter((f) => !tests.has(f.file) || touched.has(f.file));
}

/**
 * Judges a change by what it does to the findings: it must remove the findings it targets, add
 * none, make no measured finding worse and add no remediation debt to the files it touches. Scores
 * are reported but do not decide: removing redundant code can lower a ratio while fixing a finding.
 */
export function judgeRescan(
  before: ScanReport,
  after: ScanReport,
  targeted: readonly Finding[],
  touched: readonly string[],
): RescanJudgement {
  const files = new Set(touched);
  const inScope = new Set([...touched, ...targeted.map((f) => f.file)]);
  const was = judged(before, inScope);
  const is = judged(after, inScope);
  const delta = compareFindings(was, is, targeted);
  const worse = worsenedMeasures(was, is);
  const debtBefore = debtOf(before.findings, files);
  const debtAfter = debtOf(after.findings, files);
  const problems = [
    ...delta.notFixed.map((p) => `finding not fixed: ${p}`),
    ...delta.added.map((p) => `new finding: ${p}`),
    ...worse.map((w) => w.reason),
    ...(debtAfter > debtBefore
      ? [`remediation debt of the touched files went up (${debtBefore} -> ${debtAfter} min)`]
      : []),
  ];
  const located = [...delta.notFixed, ...delta.added].map((p) => p.slice(p.indexOf(' ') + 1));
  const worseFiles = worse.map((w) => w.file);
  const debtFiles = debtAfter > debtBefore ? touched : [];
  return {
    problems,
    files: [...new Set([...located, ...worseFiles, ...debtFiles])],
    scores: scoresLine(before, after, touched),
  };
}
