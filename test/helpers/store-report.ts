import type {
  FileMetrics,
  FileReport,
  Finding,
  Hotspot,
  ScanReport,
  Severity,
} from '../../src/core/index.js';

/** Options for a hand-built ScanReport; sizes let tests and benchmarks scale it. */
export interface ScanReportOptions {
  root?: string;
  startedAt?: string;
  commit?: string | undefined;
  score?: number;
  files?: number;
  findingsPerFile?: number;
  hotspots?: number;
}

const SEVERITY_CYCLE: Severity[] = ['major', 'minor', 'info', 'critical'];

function metrics(seed: number): FileMetrics {
  return {
    physicalLines: 100 + seed,
    codeLines: 80 + seed,
    commentLines: 10,
    logicalLines: 60,
    functions: 4,
    cyclomatic: 12,
    cognitive: 9 + (seed % 7),
    maxCognitive: 6,
    maxCyclomatic: 5,
    maxNesting: 3,
    halsteadVolume: 1234.5,
    halsteadEffort: 45678.25,
    maintainability: 71.3,
    duplicatedLines: seed % 3,
    fanIn: 2,
    fanOut: 5,
  };
}

function fileReport(index: number): FileReport {
  const report: FileReport = {
    path: `src/module-${String(index).padStart(4, '0')}.ts`,
    hash: `sha256-${index.toString(16).padStart(8, '0')}`,
    imports: [],
    lang: index % 2 === 0 ? 'ts' : 'tsx',
    kind: 'source',
    metrics: metrics(index),
    functions: [],
    score: { score: 90 - (index % 10), grade: 'A', components: {} },
  };
  if (index % 5 === 4) report.parseError = `Unexpected token at ${index}:1`;
  return report;
}

function finding(file: string, index: number): Finding {
  return {
    ruleId: index % 2 === 0 ? 'cognitive-complexity' : 'no-explicit-any',
    category: index % 2 === 0 ? 'complexity' : 'type-safety',
    severity: SEVERITY_CYCLE[index % SEVERITY_CYCLE.length] ?? 'info',
    message: `Finding ${index} in ${file}: it's "quoted" and has ünïcode`,
    file,
    location: { line: index + 1, column: 3, endLine: index + 4, endColumn: 17 },
    effortMinutes: 5 + (index % 3) * 2.5,
    fixability: index % 3 === 0 ? 'safe-fix' : index % 3 === 1 ? 'suggestion' : 'none',
  };
}

/** A small but complete ScanReport, every field set so a round trip can be compared exactly. */
export function createScanReport(options: ScanReportOptions = {}): ScanReport {
  const fileCount = options.files ?? 3;
  const perFile = options.findingsPerFile ?? 2;
  const files = Array.from({ length: fileCount }, (_, i) => fileReport(i));
  const findings = files.flatMap((file) =>
    Array.from({ length: perFile }, (_, i) => finding(file.path, i)),
  );
  const hotspots: Hotspot[] = files.slice(0, options.hotspots ?? 2).map((file, i) => ({
    file: file.path,
    changes: 10 - i,
    complexity: file.metrics.cognitive,
    risk: (10 - i) * file.metrics.cognitive,
  }));
  const score = options.score ?? 82.5;
  const debtMinutes = findings.reduce((sum, f) => sum + f.effortMinutes, 0);
  return {
    tool: { name: 'beast-mode', version: '0.1.0' },
    repo: {
      root: options.root ?? '/work/repos/demo',
      isGit: true,
      commit: 'commit' in options ? options.commit : 'a1b2c3d4e5f6',
      branch: 'main',
      dirty: true,
    },
    startedAt: options.startedAt ?? '2025-01-02T03:04:05.678Z',
    durationMs: 1234,
    since: undefined,
    files,
    skipped: [],
    findings,
    clones: [],
    hotspots,
    score: { score, grade: score >= 80 ? 'B' : 'C', components: { complexity: 75.5, size: 90 } },
    summary: {
      files: files.length,
      parsed: files.length,
      fromCache: 0,
      read: 0,
      skipped: 0,
      physicalLines: 0,
      codeLines: 0,
      findings: findings.length,
      bySeverity: { blocker: 0, critical: 0, major: 0, minor: 0, info: 0 },
      byCategory: {},
      debtMinutes,
    },
    rules: [],
    gate: { passed: false, failOn: 'major', minScore: 85, reasons: ['score below 85'] },
    warnings: [],
  };
}
