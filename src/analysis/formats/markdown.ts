import { SEVERITIES } from '../../core/index.js';
import type { ScanReport } from '../../core/index.js';
import {
  categoryCounts,
  describeBaseline,
  describeRevision,
  formatDuration,
  formatInteger,
  formatMinutes,
  formatScore,
  kindsOf,
  plural,
  skipReasons,
  sourceFirst,
  testKinds,
  topHotspots,
  worstFiles,
} from './shared.js';

export interface MarkdownOptions {
  /** How many findings to list; 20 by default. */
  top?: number;
}

const DEFAULT_TOP = 20;
const WORST_FILES = 10;
const HOTSPOTS = 10;

/**
 * A GitHub-flavoured markdown report for a pull-request comment: grade and score, a summary
 * table, findings by severity, the top findings, the worst files, hotspots and the gate.
 */
export function formatMarkdown(report: ScanReport, options: MarkdownOptions = {}): string {
  const top = Math.max(0, Math.floor(options.top ?? DEFAULT_TOP));
  const sections = [
    heading(report),
    gate(report),
    summary(report),
    severities(report),
    topFindings(report, top),
    files(report),
    hotspots(report),
    warnings(report),
    footer(report),
  ];
  return sections.filter((s) => s !== '').join('\n\n');
}

function heading(report: ScanReport): string {
  const { score, grade } = report.score;
  const scope = report.selection ? ` of ${plural(report.files.length, 'chosen file')}` : '';
  return `## ${report.tool.name}: grade ${grade} (${formatScore(score)} / 100)${scope}`;
}

function gate(report: ScanReport): string {
  const { passed, failOn, minScore, reasons } = report.gate;
  const verdict = passed ? '✅ **Quality gate passed**' : '❌ **Quality gate failed**';
  const policy = `(fail on \`${failOn}\`, minimum score ${formatScore(minScore)})`;
  return [
    `${verdict} ${policy}`,
    ...(reasons.length > 0 ? [''] : []),
    ...reasons.map((r) => `- ${inline(r)}`),
  ].join('\n');
}

function summary(report: ScanReport): string {
  const s = report.summary;
  const reasons = skipReasons(report);
  const skipped =
    formatInteger(s.skipped) +
    (reasons.length > 0
      ? ` (${reasons.map(([r, n]) => `${r} ${formatInteger(n)}`).join(', ')})`
      : '');
  const tests = report.testScore;
  const others = testKinds(report);
  const rows: [string, string][] = [
    [
      tests ? 'Score (source code)' : 'Score',
      `**${formatScore(report.score.score)}** (grade **${report.score.grade}**)`,
    ],
    ...Object.entries(report.score.components).map(([name, value]): [string, string] => [
      `&nbsp;&nbsp;${name}`,
      formatScore(value),
    ]),
    ...(tests
      ? [
          [
            'Test code score (not in the score or the gate)',
            `${formatScore(tests.score)} (grade ${tests.grade})`,
          ] as [string, string],
        ]
      : []),
    ['Files scanned', formatInteger(s.files)],
    ...(others.length > 0
      ? [['source', s.byKind?.source ?? { files: 0, findings: 0 }] as const, ...others].map(
          ([kind, k]): [string, string] => [
            `&nbsp;&nbsp;${kind}`,
            `${formatInteger(k.files)} files, ${formatInteger(k.findings)} findings`,
          ],
        )
      : []),
    ['Parsed', formatInteger(s.parsed)],
    ['From cache', formatInteger(s.fromCache)],
    ['Skipped', skipped],
    ['Lines of code', `${formatInteger(s.codeLines)} (${formatInteger(s.physicalLines)} physical)`],
    ['Findings', formatInteger(s.findings)],
    ...(report.baseline
      ? [['Baseline', inline(describeBaseline(report).join('; '))] as [string, string]]
      : []),
    ['Technical debt', formatMinutes(s.debtMinutes)],
    ['Clones', formatInteger(report.clones.length)],
  ];
  const revision = describeRevision(report);
  if (revision !== undefined) rows.push(['Revision', code(revision)]);
  if (report.since !== undefined) rows.push(['New code since', code(report.since)]);
  return ['### Summary', '', table(['Metric', 'Value'], rows, ['left', 'right'])].join('\n');
}

function severities(report: ScanReport): string {
  const bySeverity = SEVERITIES.map((sev): [string, string] => [
    sev,
    formatInteger(report.summary.bySeverity[sev]),
  ]);
  const byCategory = categoryCounts(report).map(([cat, n]): [string, string] => [
    cat,
    formatInteger(n),
  ]);
  const parts = [
    '### Findings by severity',
    '',
    table(['Severity', 'Count'], bySeverity, ['left', 'right']),
  ];
  if (byCategory.length > 0) {
    parts.push(
      '',
      '### Findings by category',
      '',
      table(['Category', 'Count'], byCategory, ['left', 'right']),
    );
  }
  return parts.join('\n');
}

function topFindings(report: ScanReport, top: number): string {
  if (report.findings.length === 0) return '### Top findings\n\nNo findings. 🎉';
  const listed = sourceFirst(report);
  if (listed.length === 0) return '### Top findings\n\nNo new findings.';
  if (top === 0) return '';
  const shown = listed.slice(0, top);
  const kinds = kindsOf(report);
  const rows = shown.map((f): string[] => {
    const kind = kinds.get(f.file) ?? 'source';
    return [
      f.severity,
      code(f.ruleId),
      code(`${f.file}:${f.location.line}:${f.location.column}`) +
        (kind === 'source' ? '' : ` (${kind})`),
      inline(f.message),
    ];
  });
  const parts = [
    `### Top ${report.baseline ? 'new ' : ''}findings (${formatInteger(shown.length)} of ${formatInteger(listed.length)})`,
    '',
    table(['Severity', 'Rule', 'Location', 'Message'], rows),
  ];
  const rest = listed.length - shown.length;
  if (rest > 0) parts.push('', `_…and ${formatInteger(rest)} more._`);
  return parts.join('\n');
}

function files(report: ScanReport): string {
  const worst = worstFiles(report, WORST_FILES);
  if (worst.length === 0) return '';
  const rows = worst.map(({ file, findings }): string[] => [
    code(file.path) + ((file.kind ?? 'source') === 'source' ? '' : ` (${file.kind})`),
    file.score.grade,
    formatScore(file.score.score),
    formatInteger(findings),
  ]);
  return [
    '### Worst files',
    '',
    table(['File', 'Grade', 'Score', 'Findings'], rows, ['left', 'center', 'right', 'right']),
  ].join('\n');
}

function hotspots(report: ScanReport): string {
  if (report.hotspotsUnavailable)
    return `### Hotspots\n\nNot computed: ${inline(report.hotspotsUnavailable)}.`;
  const top = topHotspots(report, HOTSPOTS);
  if (top.length === 0) return '';
  const rows = top.map((h): string[] => [
    code(h.file),
    formatInteger(h.changes),
    formatInteger(h.complexity),
    formatInteger(h.risk),
  ]);
  return [
    '### Hotspots',
    '',
    'Files that change often and are complex: risk = changes × complexity.',
    '',
    table(['File', 'Changes', 'Complexity', 'Risk'], rows, ['left', 'right', 'right', 'right']),
  ].join('\n');
}

function warnings(report: ScanReport): string {
  if (report.warnings.length === 0) return '';
  return ['### Warnings', '', ...report.warnings.map((w) => `- ${inline(w)}`)].join('\n');
}

function footer(report: ScanReport): string {
  return `<sub>${report.tool.name} ${report.tool.version} · scanned in ${formatDuration(report.durationMs)}</sub>`;
}

type Align = 'left' | 'center' | 'right';

function table(headers: string[], rows: string[][], align: Align[] = []): string {
  const rule = headers.map((_, i) => {
    switch (align[i] ?? 'left') {
      case 'left':
        return '---';
      case 'center':
        return ':---:';
      case 'right':
        return '---:';
    }
  });
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), line(rule), ...rows.map(line)].join('\n');
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/**
 * Text from findings and warnings on one line. Code spans (`like this`) are kept, as rules use
 * them for identifiers; elsewhere markdown and HTML are escaped so they show as written.
 */
function inline(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  let out = '';
  let last = 0;
  for (const match of flat.matchAll(/(`+)(?!`).*?[^`]\1(?!`)/g)) {
    out += escapeMarkdown(flat.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeMarkdown(flat.slice(last));
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (ch) => `\\${ch}`);
}

/** A code span that survives backticks in its content. */
function code(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  const runs = oneLine.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}
