import { describe, expect, it } from 'vitest';
import { CATEGORIES, InputError, SEVERITIES } from '../../core/index.js';
import type {
  Category,
  FileReport,
  Finding,
  Grade,
  Lang,
  RuleMeta,
  ScanReport,
  Severity,
} from '../../core/index.js';
import {
  FINGERPRINT_KEY,
  FORMATS,
  createSarifLog,
  formatJson,
  formatMarkdown,
  formatReport,
  formatSarif,
  formatTable,
  sarifRegion,
  type SarifLog,
} from './index.js';
import { createSarifValidator, sarifSchema } from '../../../test/helpers/sarif.js';

// ---------------------------------------------------------------------------------------------
// A hand-built report: four files, findings of every severity, a clone, hotspots, skipped files,
// a warning and a failed gate.

const RULES: RuleMeta[] = [
  rule('no-eval', 'correctness', 'blocker', 30, 'none', 'Flags calls to eval().'),
  rule(
    'cognitive-complexity',
    'complexity',
    'critical',
    45,
    'none',
    'Flags functions that are hard to follow.',
  ),
  rule('no-explicit-any', 'type-safety', 'major', 10, 'suggestion', 'Flags explicit any types.'),
  rule(
    'empty-catch',
    'error-handling',
    'major',
    15,
    'suggestion',
    'Flags catch blocks that swallow errors.',
  ),
  rule('max-file-lines', 'size', 'minor', 60, 'none', 'Flags files longer than the limit.'),
  rule('duplicated-code', 'duplication', 'minor', 20, 'none', 'Flags copied blocks of code.'),
  rule('todo-comment', 'maintainability', 'info', 5, 'none', 'Flags TODO and FIXME comments.'),
  rule('unused-rule', 'unused', 'minor', 5, 'safe-fix', 'A rule that found nothing in this scan.'),
];

const FINDINGS: Finding[] = [
  finding(
    'no-eval',
    'src/core/engine.ts',
    [88, 12, 88, 30],
    'Avoid eval(): it runs arbitrary code.',
  ),
  finding(
    'cognitive-complexity',
    'src/core/engine.ts',
    [20, 1, 140, 2],
    'Function `run` has a cognitive complexity of 61 (limit 15); split it into smaller functions.',
  ),
  finding(
    'no-explicit-any',
    'src/core/engine.ts',
    [14, 22, 14, 25],
    'Unexpected `any`; use `unknown` or a type.',
  ),
  finding(
    'no-explicit-any',
    'src/core/engine.ts',
    [31, 9, 31, 12],
    'Unexpected `any`; use `unknown` or a type.',
  ),
  finding(
    'empty-catch',
    'src/utils/strings.ts',
    [42, 5, 44, 6],
    'Empty catch block swallows the error.',
  ),
  finding('max-file-lines', 'src/core/engine.ts', [1, 1, 1, 1], 'File has 412 lines (limit 300).'),
  finding(
    'duplicated-code',
    'src/utils/strings.ts',
    [10, 1, 28, 2],
    'Lines 10-28 duplicate src/core/engine.ts:40-58 (120 tokens).',
  ),
  finding(
    'todo-comment',
    'src/legacy/old.js',
    [3, 4, 3, 30],
    'TODO: remove once v1 clients are gone | tracked',
  ),
  finding(
    'todo-comment',
    'src/legacy/old.js',
    [9, 4, 9, 22],
    'TODO: remove once v1 clients are gone | tracked',
  ),
];

const FILES: FileReport[] = [
  fileReport({ path: 'src/core/engine.ts', lang: 'ts', lines: 412, score: 31.4, grade: 'E' }),
  fileReport({ path: 'src/utils/strings.ts', lang: 'ts', lines: 96, score: 61.2, grade: 'C' }),
  fileReport({ path: 'src/legacy/old.js', lang: 'js', lines: 40, score: 88.5, grade: 'A' }),
  fileReport({ path: 'src/index.ts', lang: 'ts', lines: 12, score: 100, grade: 'A' }),
];

function createReport(): ScanReport {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byCategory: Partial<Record<Category, number>> = {};
  for (const f of FINDINGS) {
    bySeverity[f.severity] += 1;
    byCategory[f.category] = (byCategory[f.category] ?? 0) + 1;
  }
  return {
    tool: { name: 'beast-mode', version: '0.1.0' },
    repo: {
      root: '/work/demo',
      isGit: true,
      commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
      branch: 'main',
      dirty: true,
    },
    startedAt: '2025-01-15T10:20:30.000Z',
    durationMs: 1234,
    since: undefined,
    files: structuredClone(FILES),
    skipped: [
      { path: 'dist/bundle.js', reason: 'generated', detail: 'has a "generated" banner' },
      { path: 'src/api/generated.ts', reason: 'generated', detail: 'has a "generated" banner' },
      { path: 'vendor/jquery.min.js', reason: 'vendored', detail: 'under vendor/' },
    ],
    findings: structuredClone(FINDINGS),
    clones: [
      {
        a: { file: 'src/core/engine.ts', line: 40, endLine: 58 },
        b: { file: 'src/utils/strings.ts', line: 10, endLine: 28 },
        tokens: 120,
      },
    ],
    hotspots: [
      { file: 'src/utils/strings.ts', changes: 12, complexity: 9, risk: 108 },
      { file: 'src/core/engine.ts', changes: 42, complexity: 61, risk: 2562 },
    ],
    score: {
      score: 58.3,
      grade: 'C',
      components: {
        maintainability: 71.2,
        reliability: 40.5,
        complexity: 55,
        duplication: 88.9,
        typeSafety: 62.1,
      },
    },
    summary: {
      files: 7,
      parsed: 4,
      fromCache: 2,
      read: 4,
      skipped: 3,
      physicalLines: 560,
      codeLines: 431,
      findings: FINDINGS.length,
      bySeverity,
      byCategory,
      debtMinutes: FINDINGS.reduce((sum, f) => sum + f.effortMinutes, 0),
    },
    rules: structuredClone(RULES),
    gate: {
      passed: false,
      failOn: 'critical',
      minScore: 70,
      reasons: [
        '2 findings at or above critical (1 blocker, 1 critical)',
        'score 58.3 is below the minimum 70.0',
      ],
    },
    warnings: ['permission denied: src/secrets (EACCES)'],
  };
}

function createCleanReport(): ScanReport {
  const report = createReport();
  report.findings = [];
  report.clones = [];
  report.hotspots = [];
  report.skipped = [];
  report.warnings = [];
  report.summary = {
    ...report.summary,
    files: 4,
    skipped: 0,
    findings: 0,
    bySeverity: { blocker: 0, critical: 0, major: 0, minor: 0, info: 0 },
    byCategory: {},
    debtMinutes: 0,
  };
  report.files = report.files.map((f) => ({
    ...f,
    score: { ...f.score, score: 100, grade: 'A' as Grade },
  }));
  report.score = { ...report.score, score: 96.4, grade: 'A' };
  report.gate = { passed: true, failOn: 'critical', minScore: 70, reasons: [] };
  return report;
}

function rule(
  id: string,
  category: Category,
  severity: Severity,
  effortMinutes: number,
  fixability: RuleMeta['fixability'],
  description: string,
): RuleMeta {
  return {
    id,
    category,
    severity,
    effortMinutes,
    fixability,
    description,
    docs: `${description} See the rule docs.`,
  };
}

function finding(
  ruleId: string,
  file: string,
  [line, column, endLine, endColumn]: number[],
  message: string,
): Finding {
  const meta = RULES.find((r) => r.id === ruleId)!;
  return {
    ruleId,
    category: meta.category,
    severity: meta.severity,
    message,
    file,
    location: { line: line!, column: column!, endLine: endLine!, endColumn: endColumn! },
    effortMinutes: meta.effortMinutes,
    fixability: meta.fixability,
  };
}

function fileReport({
  path,
  lang,
  lines,
  score,
  grade,
}: {
  path: string;
  lang: Lang;
  lines: number;
  score: number;
  grade: Grade;
}): FileReport {
  return {
    path,
    hash: `sha256-${path}`,
    imports: [],
    lang,
    metrics: {
      physicalLines: lines,
      codeLines: Math.round(lines * 0.77),
      commentLines: Math.round(lines * 0.1),
      logicalLines: Math.round(lines * 0.6),
      functions: 3,
      cyclomatic: 12,
      cognitive: 20,
      maxCognitive: 15,
      maxCyclomatic: 8,
      maxNesting: 3,
      halsteadVolume: 1500,
      halsteadEffort: 30000,
      maintainability: 60,
      duplicatedLines: 0,
      fanIn: 1,
      fanOut: 2,
    },
    functions: [],
    score: { score, grade, components: { maintainability: score } },
  };
}

const ESC = '\u001b[';

function visibleWidth(line: string): number {
  return [...line].length;
}

// ---------------------------------------------------------------------------------------------

describe('the fixture', () => {
  it('has findings of every severity, so every branch of every format is exercised', () => {
    const report = createReport();
    expect(new Set(report.findings.map((f) => f.severity))).toEqual(new Set(SEVERITIES));
    expect(
      report.findings.every((f) => (CATEGORIES as readonly string[]).includes(f.category)),
    ).toBe(true);
  });
});

describe('formatJson', () => {
  it('round-trips the report', () => {
    const report = createReport();
    expect(JSON.parse(formatJson(report))).toEqual(report);
  });

  it('is pretty-printed with two spaces and deterministic', () => {
    const text = formatJson(createReport());
    expect(text.split('\n')[1]).toBe('  "tool": {');
    expect(formatJson(createReport())).toBe(text);
  });
});

describe('formatSarif', () => {
  const schema = sarifSchema;
  const createValidator = createSarifValidator;

  it('is the vendored SARIF 2.1.0 schema', () => {
    expect(schema['id']).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(schema['title']).toContain('2.1.0');
  });

  it('produces a log that is valid against the SARIF 2.1.0 schema', () => {
    const validate = createValidator();
    const log: unknown = JSON.parse(formatSarif(createReport()));
    validate(log);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('also validates a log without results, rules or warnings', () => {
    const validate = createValidator();
    const report = createCleanReport();
    report.rules = [];
    validate(JSON.parse(formatSarif(report)));
    expect(validate.errors ?? []).toEqual([]);
  });

  it('is checked by a validator that does reject invalid logs', () => {
    const validate = createValidator();
    const log = createSarifLog(createReport());
    log.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(validate(JSON.parse(JSON.stringify(log)))).toBe(false);
  });

  it('has the SARIF header and one run by beast-mode', () => {
    const log = JSON.parse(formatSarif(createReport())) as SarifLog;
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({
      name: 'beast-mode',
      version: '0.1.0',
      semanticVersion: '0.1.0',
    });
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/demo/' } });
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        startTimeUtc: '2025-01-15T10:20:30.000Z',
        endTimeUtc: '2025-01-15T10:20:31.234Z',
        toolExecutionNotifications: [
          { level: 'warning', message: { text: 'permission denied: src/secrets (EACCES)' } },
        ],
      },
    ]);
    expect(run.properties).toMatchObject({ score: 58.3, grade: 'C', gate: { passed: false } });
  });

  it('describes every rule, with its level, docs and properties', () => {
    const { rules } = createSarifLog(createReport()).runs[0]!.tool.driver;
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(rules[0]).toMatchObject({
      id: 'no-eval',
      name: 'NoEval',
      shortDescription: { text: 'Flags calls to eval().' },
      fullDescription: { text: 'Flags calls to eval(). See the rule docs.' },
      defaultConfiguration: { level: 'error' },
      properties: {
        category: 'correctness',
        severity: 'blocker',
        effortMinutes: 30,
        fixability: 'none',
      },
    });
    const levels = Object.fromEntries(
      rules.map((r) => [r.properties.severity, r.defaultConfiguration.level]),
    );
    expect(levels).toEqual({
      blocker: 'error',
      critical: 'error',
      major: 'warning',
      minor: 'note',
      info: 'note',
    });
  });

  it('has one result per finding whose ruleIndex points at its rule', () => {
    const report = createReport();
    const run = createSarifLog(report).runs[0]!;
    expect(run.results).toHaveLength(report.findings.length);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
    }
    expect(run.results.map((r) => r.ruleId).sort()).toEqual(
      report.findings.map((f) => f.ruleId).sort(),
    );
  });

  it('locates results relative to %SRCROOT% with 1-based regions', () => {
    const run = createSarifLog(createReport()).runs[0]!;
    const noEval = run.results.find((r) => r.ruleId === 'no-eval')!;
    expect(noEval.level).toBe('error');
    expect(noEval.message.text).toBe('Avoid eval(): it runs arbitrary code.');
    expect(noEval.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'src/core/engine.ts', uriBaseId: '%SRCROOT%' },
          region: { startLine: 88, startColumn: 12, endLine: 88, endColumn: 30 },
        },
      },
    ]);
  });

  it('percent-encodes paths into relative URIs', () => {
    const report = createReport();
    report.findings[0]!.file = 'src/my dir/ü#1.ts';
    const run = createSarifLog(report).runs[0]!;
    const uris = run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain('src/my%20dir/%C3%BC%231.ts');
  });

  it('clamps regions to what GitHub code scanning accepts', () => {
    expect(sarifRegion({ line: 0, column: 0, endLine: 0, endColumn: 0 })).toEqual({
      startLine: 1,
      startColumn: 1,
      endLine: 1,
      endColumn: 1,
    });
    expect(sarifRegion({ line: 5, column: 9, endLine: 3, endColumn: 2 })).toEqual({
      startLine: 5,
      startColumn: 9,
      endLine: 5,
      endColumn: 9,
    });
    expect(sarifRegion({ line: 5, column: 9, endLine: 7, endColumn: 2 })).toEqual({
      startLine: 5,
      startColumn: 9,
      endLine: 7,
      endColumn: 2,
    });
  });

  it('gives every result a distinct fingerprint that survives lines moving', () => {
    const report = createReport();
    const fingerprints = (r: ScanReport) =>
      createSarifLog(r)
        .runs[0]!.results.map((x) => `${x.ruleId} ${x.partialFingerprints[FINGERPRINT_KEY]}`)
        .sort();
    const before = fingerprints(report);
    expect(new Set(before).size).toBe(report.findings.length);
    for (const f of report.findings) {
      f.location.line += 7;
      f.location.endLine += 7;
    }
    report.findings.reverse();
    expect(fingerprints(report)).toEqual(before);
  });

  it('adds a descriptor for a rule a finding names but the report does not list', () => {
    const report = createReport();
    report.rules = report.rules.filter((r) => r.id !== 'todo-comment');
    const run = createSarifLog(report).runs[0]!;
    const todo = run.results.filter((r) => r.ruleId === 'todo-comment');
    expect(todo).toHaveLength(2);
    for (const result of todo)
      expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe('todo-comment');
  });

  it('matches the snapshot', () => {
    expect(formatSarif(createReport())).toMatchSnapshot();
  });
});

describe('formatTable', () => {
  it('matches the snapshot without color', () => {
    expect(formatTable(createReport(), { color: false })).toMatchSnapshot();
  });

  it('contains no ANSI codes without color and some with color', () => {
    expect(formatTable(createReport(), { color: false })).not.toContain(ESC);
    expect(formatTable(createReport(), { color: true })).toContain(ESC);
  });

  it('fits in 100 columns', () => {
    const report = createReport();
    report.repo.root = `/home/someone/${'projects/'.repeat(12)}demo`;
    report.repo.branch = `feature/${'really-long-branch-name-'.repeat(4)}`;
    report.since = `origin/${'x'.repeat(120)}`;
    report.files[0]!.path = `src/${'deep/'.repeat(30)}engine.ts`;
    report.hotspots[0]!.file = report.files[0]!.path;
    report.clones[0]!.a.file = report.files[0]!.path;
    report.gate.reasons.push('r'.repeat(200));
    report.findings[0]!.file = `src/${'very-long-directory-name/'.repeat(6)}engine.ts`;
    report.findings[0]!.message = 'A very long message. '.repeat(10);
    report.warnings.push('x'.repeat(300));
    for (const line of formatTable(report, { color: false }).split('\n')) {
      expect(visibleWidth(line), line).toBeLessThanOrEqual(100);
    }
  });

  it('lists the top findings by value (severity x hotspot), then file and line', () => {
    const lines = formatTable(createReport(), { color: false, top: 3 }).split('\n');
    const start = lines.indexOf('Top findings (3 of 9)');
    const end = lines.indexOf('', start);
    const rows = lines.slice(start + 1, end).filter((l) => /^ {2}\S/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 3))).toEqual([
      ['blocker', 'no-eval', 'src/core/engine.ts:88:12'],
      ['critical', 'cognitive-complexity', 'src/core/engine.ts:20:1'],
      ['major', 'no-explicit-any', 'src/core/engine.ts:14:22'],
    ]);
  });

  it('puts the message under its location, wrapped, and cuts it after three lines', () => {
    const report = createReport();
    report.findings = [report.findings[0]!];
    report.findings[0]!.message = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const lines = formatTable(report, { color: false }).split('\n');
    const start = lines.indexOf('Top findings (1 of 1)');
    const rows = lines.slice(start + 1, lines.indexOf('', start));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/src\/\S+:\d+:\d+$/);
    expect(rows[1]).toMatch(/^ {4}word0 word1 /);
    expect(rows[2]).toMatch(/^ {4}word\d+ /);
    expect(rows[3]!.endsWith('…')).toBe(true);
    expect(rows.every((l) => l.length <= 100)).toBe(true);
  });

  it('reports the gate, skip reasons and warnings', () => {
    const text = formatTable(createReport(), { color: false });
    expect(text).toContain('3 skipped (generated 2, vendored 1)');
    expect(text).toMatch(/^Gate {7}FAILED/m);
    expect(text).toContain('- score 58.3 is below the minimum 70.0');
    expect(text).toContain('! permission denied: src/secrets (EACCES)');
  });

  it('says so when there is nothing to report', () => {
    const text = formatTable(createCleanReport(), { color: false });
    expect(text).toContain('No findings.');
    expect(text).toMatch(/^Gate {7}PASSED/m);
    expect(text).not.toContain('Worst files');
    expect(text).not.toContain('Hotspots');
    expect(text).not.toContain('Warnings');
  });
});

describe('formatMarkdown', () => {
  it('matches the snapshot', () => {
    expect(formatMarkdown(createReport())).toMatchSnapshot();
  });

  it('escapes pipes in table cells and markdown outside code spans', () => {
    const report = createReport();
    report.findings[0]!.message = 'Rename `snake_case` and <b>__init__</b> * `a|b`';
    const text = formatMarkdown(report);
    expect(text).toContain('TODO: remove once v1 clients are gone \\| tracked');
    expect(text).toContain('Function `run` has a cognitive complexity');
    expect(text).toContain('Rename `snake_case` and \\<b\\>\\_\\_init\\_\\_\\</b\\> \\* `a\\|b`');
  });

  it('reports a passed gate and no findings', () => {
    const text = formatMarkdown(createCleanReport());
    expect(text).toContain('## beast-mode: grade A (96.4 / 100)');
    expect(text).toContain('✅ **Quality gate passed**');
    expect(text).toContain('No findings.');
  });

  it('limits the findings table to `top`', () => {
    const text = formatMarkdown(createReport(), { top: 2 });
    expect(text).toContain('### Top findings (2 of 9)');
    expect(text).toContain('_…and 7 more._');
  });
});

describe('formatReport', () => {
  it('dispatches to each format', () => {
    const report = createReport();
    expect(FORMATS).toEqual(['table', 'json', 'sarif', 'markdown']);
    expect(formatReport(report, 'json')).toBe(formatJson(report));
    expect(formatReport(report, 'sarif')).toBe(formatSarif(report));
    expect(formatReport(report, 'markdown')).toBe(formatMarkdown(report));
    expect(formatReport(report, 'table')).toBe(formatTable(report, { color: false }));
    expect(formatReport(report, 'table', { color: true, top: 2 })).toBe(
      formatTable(report, { color: true, top: 2 }),
    );
  });

  it('rejects an unknown format with the list of valid ones', () => {
    const call = () => formatReport(createReport(), 'xml' as never);
    expect(call).toThrow(InputError);
    expect(call).toThrow('expected one of: table, json, sarif, markdown');
  });
});

describe('hotspots that were not computed', () => {
  const reason = 'shallow clone (git fetch --unshallow to get history)';
  const report = { ...createReport(), hotspots: [], hotspotsUnavailable: reason };

  it('say why in the table and in markdown, instead of an empty section', () => {
    expect(formatTable(report, { color: false })).toContain(`Hotspots: not computed: ${reason}`);
    expect(formatMarkdown(report)).toContain('### Hotspots\n\nNot computed: shallow clone');
    expect(formatMarkdown(report)).toContain('git fetch --unshallow');
  });

  it('carry the reason in JSON and leave it out when hotspots were computed', () => {
    expect(JSON.parse(formatJson(report))).toMatchObject({ hotspotsUnavailable: reason });
    expect(formatJson(createReport())).not.toContain('hotspotsUnavailable');
  });
});

describe('test code', () => {
  /** The fixture with a test file whose blocker would top the list if kinds were ignored. */
  function withTestCode(): ScanReport {
    const report = createReport();
    report.files = report.files.map((f) => ({ ...f, kind: 'source' as const }));
    report.files.push({
      ...fileReport({ path: 'test/engine.test.ts', lang: 'ts', lines: 300, score: 12, grade: 'E' }),
      kind: 'test',
    });
    report.findings.push(
      finding(
        'no-eval',
        'test/engine.test.ts',
        [5, 1, 5, 9],
        'Avoid eval(): it runs arbitrary code.',
      ),
    );
    report.testScore = { score: 12, grade: 'E', components: { maintainability: 12 } };
    report.summary.byKind = {
      source: { files: 4, codeLines: 431, findings: FINDINGS.length, debtMinutes: 200 },
      test: { files: 1, codeLines: 300, findings: 1, debtMinutes: 30 },
    };
    return report;
  }

  it('the table shows the test score and counts per kind, and lists source findings first', () => {
    const text = formatTable(withTestCode(), { color: false, top: 3 });
    expect(text).toMatch(/^Score {6}58\.3 \/ 100 · grade C \(source code\)$/m);
    expect(text).toMatch(/^Test code {2}12\.0 \/ 100 · grade E \(scored apart/m);
    expect(text).toMatch(/^By kind {4}source 4 files, 9 findings · test 1 file, 1 finding$/m);
    const top = text.slice(text.indexOf('Top findings'));
    expect(top.indexOf('src/core/engine.ts:88:12')).toBeGreaterThan(0);
    expect(top).not.toMatch(/test\/engine\.test\.ts:5:1/);
    // Worst files: source first, test code after, tagged.
    const worst = text.slice(text.indexOf('Worst files'));
    expect(worst.indexOf('src/core/engine.ts')).toBeLessThan(worst.indexOf('test/engine.test.ts'));
    expect(worst).toMatch(/test\/engine\.test\.ts \[test\]/);
  });

  it('markdown shows both scores and the kinds; findings in test code say so', () => {
    const text = formatMarkdown(withTestCode(), { top: 20 });
    expect(text).toMatch(/^\| Score \(source code\) \| \*\*58\.3\*\* \(grade \*\*C\*\*\) \|$/m);
    expect(text).toMatch(
      /^\| Test code score \(not in the score or the gate\) \| 12\.0 \(grade E\) \|$/m,
    );
    expect(text).toMatch(/^\| &nbsp;&nbsp;test \| 1 files, 1 findings \|$/m);
    expect(text).toMatch(/`test\/engine\.test\.ts:5:1` \(test\)/);
  });

  it('SARIF gives every result its file kind and the run the test score', () => {
    const run = createSarifLog(withTestCode()).runs[0]!;
    const kinds = run.results.map((r) => [
      r.locations[0]!.physicalLocation.artifactLocation.uri,
      r.properties.fileKind,
    ]);
    expect(kinds).toContainEqual(['test/engine.test.ts', 'test']);
    expect(kinds.filter(([, kind]) => kind === 'source')).toHaveLength(FINDINGS.length);
    expect(run.properties.testScore).toEqual({
      score: 12,
      grade: 'E',
      components: { maintainability: 12 },
    });
  });

  it('JSON keeps the kinds and the test score', () => {
    const parsed = JSON.parse(formatJson(withTestCode())) as ScanReport;
    expect(parsed.files.at(-1)?.kind).toBe('test');
    expect(parsed.testScore?.score).toBe(12);
  });
});
