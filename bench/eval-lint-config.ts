// npm run eval:lint-config [-- --only name[,name]] [--root DIR] [--no-build] [--write] [path ...]
// Scans each real repository of bench/repos.json with the built CLI twice, with --no-lint-config and
// with the defaults, and prints per repository: the lint config files read and not read (why), the
// rules they adjusted, findings without -> with, findings suppressed inline, and the findings the
// default scan still reports for a (rule, file) the lint config turned off, which must be none
// (the script exits 1 otherwise, listing them). --write records the table in docs/benchmarks.md.
// The scans use --no-store --no-cache, so nothing is written into the repositories; each one's
// `git status --porcelain` is compared before and after.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding, ScanReport } from '../src/core/types.js';
import { recordSection } from './record.js';
import { loadRepos } from './repos.js';

interface Scan {
  report: ScanReport;
  ms: number;
}

interface Row {
  name: string;
  without: Scan;
  withConfig: Scan;
  /** Findings of the default scan for a rule the lint config turned off in their file. */
  leaks: Finding[];
  treeUnchanged: boolean;
}

const beastRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function scan(dir: string, extra: string[]): Scan {
  const started = performance.now();
  const argv = [path.join(beastRoot, 'bin', 'beast.js'), 'scan', dir, '--format', 'json'];
  const flags = ['--no-store', '--no-cache', '--quiet', '--fail-on', 'none', ...extra];
  const out = execFileSync(process.execPath, [...argv, ...flags], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  return { report: JSON.parse(out) as ScanReport, ms: performance.now() - started };
}

function gitStatus(dir: string): string {
  return execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
}

/** Findings left for a (rule, file) that an `off` adjustment names. */
function leaksOf(report: ScanReport): Finding[] {
  const off = (report.lintConfig?.adjusted ?? []).filter((a) => a.change === 'off');
  return report.findings.filter((f) =>
    off.some((a) => a.rule === f.ruleId && (a.files.includes('**') || a.files.includes(f.file))),
  );
}

function evaluate(name: string, dir: string): Row {
  const before = gitStatus(dir);
  const without = scan(dir, ['--no-lint-config']);
  const withConfig = scan(dir, []);
  const treeUnchanged = gitStatus(dir) === before;
  return { name, without, withConfig, leaks: leaksOf(withConfig.report), treeUnchanged };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function tableRow(r: Row): string {
  const lint = r.withConfig.report.lintConfig;
  const read = lint?.sources.join(', ') || 'none';
  const notRead = lint?.notRead.map((n) => `${n.file} (${n.reason})`).join('; ') || '-';
  const findings = `${r.without.report.findings.length} -> ${r.withConfig.report.findings.length}`;
  const [a, b] = [r.without.ms / 1000, r.withConfig.ms / 1000];
  const time = `${a.toFixed(1)} / ${b.toFixed(1)} (x${(b / a).toFixed(2)})`;
  return `| ${r.name} | ${cell(read)} | ${cell(notRead)} | ${lint?.adjusted.length ?? 0} | ${findings} | ${r.withConfig.report.summary.suppressed ?? 0} | ${r.leaks.length} | ${time} | ${r.treeUnchanged ? 'yes' : '**no**'} |`;
}

function section(rows: Row[]): string {
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version} with the built CLI (\`beast scan --format json --no-store --no-cache\`), each repository scanned with \`--no-lint-config\` and then with the defaults; times are one run each.`,
    '',
    '| repository | lint config read | not read (why) | rules adjusted | findings without -> with | suppressed inline | left where turned off | scan s without / with (ratio) | tree unchanged |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(tableRow),
  ].join('\n');
}

if (!args.includes('--no-build')) execFileSync('npm', ['run', 'build'], { cwd: beastRoot });
const { selected } = await loadRepos(args, new Set());
const rows = selected.map(({ entry, dir }) => {
  console.log(`scanning ${entry.name} (${dir})`);
  return evaluate(entry.name, dir);
});
const body = section(rows);
console.log(`\n${body}\n`);
for (const r of rows)
  for (const f of r.leaks)
    console.error(`${r.name}: ${f.ruleId} still reported in ${f.file}:${f.location.line}`);
if (args.includes('--write')) await recordSection('eval:lint-config', body);
if (rows.some((r) => r.leaks.length > 0 || !r.treeUnchanged)) process.exitCode = 1;
