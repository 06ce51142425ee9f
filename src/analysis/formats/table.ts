import { createColors } from 'picocolors';
import { SEVERITIES } from '../../core/index.js';
import type { Finding, Grade, ScanReport, Severity } from '../../core/index.js';
import {
  categoryCounts,
  describeBaseline,
  describeRevision,
  formatDuration,
  formatInteger,
  formatMinutes,
  formatScore,
  kindsOf,
  locationOf,
  plural,
  skipReasons,
  sourceFirst,
  testKinds,
  topHotspots,
  worstFiles,
} from './shared.js';

export interface TableOptions {
  /** Emit ANSI colors. Deciding (TTY, `NO_COLOR`, `--output`) is the caller's job. */
  color: boolean;
  /** How many findings to list; 20 by default. */
  top?: number;
}

type Colors = ReturnType<typeof createColors>;
type Paint = (text: string) => string;

const WIDTH = 100;
const LABEL = 11;
const DEFAULT_TOP = 20;
const WORST_FILES = 5;
const HOTSPOTS = 5;
/** A finding's message wraps onto at most this many lines. */
const MESSAGE_LINES = 3;
const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

/**
 * A terminal summary of a scan that fits in 100 columns: score, file counts, findings by severity
 * and category, the top findings, the worst files, hotspots, clones, the gate and warnings.
 */
export function formatTable(report: ScanReport, options: TableOptions): string {
  const c = createColors(options.color);
  const top = Math.max(0, Math.floor(options.top ?? DEFAULT_TOP));
  const sections = [
    headerSection(report, c),
    inventorySection(report, c),
    findingsSection(report, c),
    topFindingsSection(report, c, top),
    worstFilesSection(report, c),
    hotspotsSection(report, c),
    gateSection(report, c),
    warningsSection(report, c),
  ];
  return sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n');
}

function headerSection(report: ScanReport, c: Colors): string[] {
  const { score, grade, components } = report.score;
  const revision = describeRevision(report);
  const tool = `${report.tool.name} ${report.tool.version}`;
  const rev = revision === undefined ? '' : ` (${truncateEnd(revision, 40)})`;
  const took = `in ${formatDuration(report.durationMs)}`;
  const room = WIDTH - tool.length - rev.length - took.length - 4;
  const title = [
    `${c.bold(report.tool.name)} ${report.tool.version}`,
    truncateStart(report.repo.root, Math.max(1, room)) + rev,
    c.dim(took),
  ].join('  ');
  const paint = gradePaint(grade, c);
  const tests = report.testScore;
  const lines = [
    title,
    '',
    `${label('Score')}${paint(c.bold(formatScore(score)))} / 100 · grade ${paint(c.bold(grade))}${
      tests ? c.dim(' (source code)') : ''
    }`,
  ];
  const parts = Object.entries(components).map(([name, value]) => `${name} ${formatScore(value)}`);
  if (parts.length > 0) lines.push(...wrap(parts, LABEL, c.dim));
  if (tests) {
    const testPaint = gradePaint(tests.grade, c);
    lines.push(
      `${label('Test code')}${testPaint(formatScore(tests.score))} / 100 · grade ${testPaint(tests.grade)}${c.dim(
        ' (scored apart: not in the score or the gate)',
      )}`,
    );
  }
  if (report.selection !== undefined) {
    lines.push(
      `${label('Scope')}${plural(report.files.length, 'file')} chosen${c.dim(
        ": the score and the gate are theirs, not the repository's",
      )}`,
    );
  }
  if (report.since !== undefined) {
    const note = ' (new-code mode: findings on changed lines only)';
    lines.push(
      `${label('Since')}${truncateEnd(report.since, WIDTH - LABEL - note.length)}${c.dim(note)}`,
    );
  }
  return lines;
}

function inventorySection(report: ScanReport, c: Colors): string[] {
  const s = report.summary;
  const reasons = skipReasons(report);
  const skipped = `${formatInteger(s.skipped)} skipped${
    reasons.length > 0 ? ` (${reasons.map(([r, n]) => `${r} ${formatInteger(n)}`).join(', ')})` : ''
  }`;
  return [
    ...wrap(
      [
        `${formatInteger(s.files)} scanned`,
        `${formatInteger(s.parsed)} parsed`,
        `${formatInteger(s.fromCache)} from cache`,
        s.skipped > 0 ? c.yellow(skipped) : skipped,
      ],
      LABEL,
      undefined,
      label('Files'),
    ),
    `${label('Lines')}${formatInteger(s.codeLines)} code · ${formatInteger(s.physicalLines)} physical`,
    `${label('Clones')}${describeClones(report)}`,
  ];
}

function describeClones(report: ScanReport): string {
  const largest = [...report.clones].sort((a, b) => b.tokens - a.tokens)[0];
  if (largest === undefined) return '0';
  const span = (x: { file: string; line: number; endLine: number }) =>
    `${x.file}:${x.line}-${x.endLine}`;
  const detail = `largest: ${formatInteger(largest.tokens)} tokens in ${span(largest.a)} and ${span(largest.b)}`;
  return truncateEnd(`${formatInteger(report.clones.length)} (${detail})`, WIDTH - LABEL);
}

function findingsSection(report: ScanReport, c: Colors): string[] {
  const s = report.summary;
  const bySeverity = SEVERITIES.map((sev) => {
    const n = s.bySeverity[sev] ?? 0;
    return n > 0 ? severityPaint(sev, c)(`${formatInteger(n)} ${sev}`) : c.dim(`0 ${sev}`);
  });
  const lines = wrap(
    [
      c.bold(`${formatInteger(s.findings)} total`),
      ...bySeverity,
      `debt ${formatMinutes(s.debtMinutes)}`,
    ],
    LABEL,
    undefined,
    label('Findings'),
  );
  const categories = categoryCounts(report).map(([cat, n]) => `${cat} ${formatInteger(n)}`);
  if (categories.length > 0) lines.push(...wrap(categories, LABEL, undefined, label('Categories')));
  const baseline = describeBaseline(report);
  if (baseline.length > 0) lines.push(...wrap(baseline, LABEL, undefined, label('Baseline')));
  const others = testKinds(report);
  if (others.length > 0) {
    const source = s.byKind?.source ?? { files: 0, findings: 0 };
    const kinds = [['source', source] as const, ...others].map(
      ([kind, k]) => `${kind} ${plural(k.files, 'file')}, ${plural(k.findings, 'finding')}`,
    );
    lines.push(...wrap(kinds, LABEL, undefined, label('By kind')));
  }
  return lines;
}

function topFindingsSection(report: ScanReport, c: Colors, top: number): string[] {
  if (report.findings.length === 0) return [c.green('No findings.')];
  const listed = sourceFirst(report);
  if (listed.length === 0) return [c.green('No new findings.')];
  if (top === 0) return [];
  const shown = listed.slice(0, top);
  const kinds = kindsOf(report);
  const sevWidth = Math.max(...shown.map((f) => f.severity.length));
  const ruleWidth = Math.max(...shown.map((f) => f.ruleId.length));
  const indent = 4;
  const heading = `Top ${report.baseline ? 'new ' : ''}findings (${formatInteger(shown.length)} of ${formatInteger(listed.length)})`;
  // The location gets its own line so that neither it nor the message is cut to fit a column.
  return [
    c.bold(heading),
    ...shown.flatMap((f: Finding) => {
      const room = WIDTH - 2 - sevWidth - 2 - ruleWidth - 2;
      const head = [
        '',
        severityPaint(f.severity, c)(f.severity.padEnd(sevWidth)),
        c.dim(f.ruleId.padEnd(ruleWidth)),
        truncateStart(tagged(locationOf(f), kinds.get(f.file)), room),
      ].join('  ');
      const message = wrapWords(oneLine(f.message), WIDTH - indent, MESSAGE_LINES);
      return [head, ...message.map((line) => ' '.repeat(indent) + line)];
    }),
  ];
}

function worstFilesSection(report: ScanReport, c: Colors): string[] {
  const worst = worstFiles(report, WORST_FILES);
  if (worst.length === 0) return [];
  // "  E  100.0  <path>  12 findings"
  const pathWidth = Math.min(
    WIDTH - 30,
    Math.max(...worst.map(({ file }) => tagged(file.path, file.kind).length)),
  );
  return [
    c.bold('Worst files'),
    ...worst.map(({ file, findings }) => {
      const grade = gradePaint(file.score.grade, c)(file.score.grade);
      const score = formatScore(file.score.score).padStart(5);
      const path = truncateStart(tagged(file.path, file.kind), pathWidth).padEnd(pathWidth);
      return `  ${grade}  ${score}  ${path}  ${c.dim(plural(findings, 'finding'))}`;
    }),
  ];
}

function hotspotsSection(report: ScanReport, c: Colors): string[] {
  if (report.hotspotsUnavailable)
    return [c.bold('Hotspots') + c.dim(`: not computed: ${report.hotspotsUnavailable}`)];
  const hotspots = topHotspots(report, HOTSPOTS);
  if (hotspots.length === 0) return [];
  const riskWidth = Math.max(...hotspots.map((h) => formatInteger(h.risk).length));
  const pathWidth = Math.min(
    WIDTH - riskWidth - 46,
    Math.max(...hotspots.map((h) => h.file.length)),
  );
  return [
    c.bold('Hotspots') + c.dim(' (risk = changes × complexity)'),
    ...hotspots.map((h) => {
      const detail = c.dim(
        `${plural(h.changes, 'change')} × ${formatInteger(h.complexity)} complexity`,
      );
      const path = truncateStart(h.file, pathWidth).padEnd(pathWidth);
      return `  ${formatInteger(h.risk).padStart(riskWidth)}  ${path}  ${detail}`;
    }),
  ];
}

function gateSection(report: ScanReport, c: Colors): string[] {
  const { passed, failOn, minScore, reasons } = report.gate;
  const verdict = passed ? c.green(c.bold('PASSED')) : c.red(c.bold('FAILED'));
  const policy = c.dim(`(fail on: ${failOn}, min score: ${formatScore(minScore)})`);
  return [
    `${label('Gate')}${verdict}  ${policy}`,
    ...reasons.map(
      (r) => `${' '.repeat(LABEL)}${c.red('-')} ${truncateEnd(oneLine(r), WIDTH - LABEL - 2)}`,
    ),
  ];
}

function warningsSection(report: ScanReport, c: Colors): string[] {
  if (report.warnings.length === 0) return [];
  return [
    c.bold(c.yellow(`Warnings (${formatInteger(report.warnings.length)})`)),
    ...report.warnings.map((w) => `  ${c.yellow('!')} ${truncateEnd(oneLine(w), WIDTH - 4)}`),
  ];
}

/** A place in test code says so, at the end that survives truncation: `test/a.test.ts:3:1 [test]`. */
function tagged(location: string, kind: string | undefined): string {
  return kind === undefined || kind === 'source' ? location : `${location} [${kind}]`;
}

function label(text: string): string {
  return text.padEnd(LABEL);
}

/**
 * Joins items with ` · `, starting a new line (indented by `indent`) before one would pass the
 * width. Items may hold ANSI codes: only visible characters count.
 */
function wrap(
  items: string[],
  indent: number,
  paint?: Paint,
  first = ' '.repeat(indent),
): string[] {
  const sep = ' · ';
  const lines: string[] = [];
  let line = first;
  let used = visibleLength(first);
  let empty = true;
  for (const item of items) {
    const size = visibleLength(item);
    if (!empty && used + sep.length + size > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent);
      used = indent;
      empty = true;
    }
    line +=
      (empty ? '' : paint === undefined ? sep : paint(sep)) +
      (paint === undefined ? item : paint(item));
    used += (empty ? 0 : sep.length) + size;
    empty = false;
  }
  lines.push(line);
  return lines;
}

function visibleLength(text: string): number {
  return text.replace(ANSI, '').length;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Splits text at spaces into at most `maxLines` lines of `width`; an overflow ends in `…`. */
function wrapWords(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = truncateEnd(`${kept[maxLines - 1]!} ${lines[maxLines]!}`, width);
  return kept;
}

function truncateEnd(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Keeps the end of a path, which names the file, and drops the start. */
function truncateStart(text: string, width: number): string {
  return text.length <= width ? text : `…${text.slice(text.length - Math.max(0, width - 1))}`;
}

function gradePaint(grade: Grade, c: Colors): Paint {
  switch (grade) {
    case 'A':
    case 'B':
      return c.green;
    case 'C':
      return c.yellow;
    case 'D':
      return c.magenta;
    case 'E':
      return c.red;
  }
}

function severityPaint(severity: Severity, c: Colors): Paint {
  switch (severity) {
    case 'blocker':
      return (t) => c.bold(c.red(t));
    case 'critical':
      return c.red;
    case 'major':
      return c.yellow;
    case 'minor':
      return c.cyan;
    case 'info':
      return c.dim;
  }
}
