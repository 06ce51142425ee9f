// npm run bench:scan [-- --files N] [-- --write]
// Measures, in one run on one corpus of real third-party files from node_modules: reading, parsing
// only, `beast scan` cold and warm, and ESLint with the closest equivalent rules. --write records the
// table in docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { readFile, mkdtemp } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { parseSync } from 'oxc-parser';
import { Piscina } from 'piscina';
import { buildCorpus } from './corpus.js';
import { recordSection } from './record.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const count = Number(args[args.indexOf('--files') + 1] ?? 0) || 2400;
const write = args.includes('--write');

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}
async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const work = await mkdtemp(path.join(tmpdir(), 'beast-bench-'));
const corpus = path.join(work, 'corpus');
const files = await buildCorpus(root, corpus, count);
const absolute = files.map((f) => path.join(corpus, f));
console.log(`corpus: ${files.length} files from node_modules in ${corpus}`);

const build = spawnSync(
  process.execPath,
  ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) throw new Error('build failed');

// (a) reading
const read = await timeAsync(() => Promise.all(absolute.map((f) => readFile(f, 'utf8'))));
const sources = read.value;
const bytes = sources.reduce((n, s) => n + Buffer.byteLength(s), 0);

// (b) parse only: one thread over sources in memory, and all cores reading and parsing
const parseOne = time(() => {
  let parsed = 0;
  sources.forEach((s, i) => {
    // The AST is built lazily on first access to `program`: touch it, or nothing is measured.
    parsed += parseSync(files[i]!, s).program.body.length >= 0 ? 1 : 0;
  });
  return parsed;
});
const threads = availableParallelism();
const pool = new Piscina({
  filename: fileURLToPath(new URL('./parse-worker.mjs', import.meta.url)),
  minThreads: threads,
  maxThreads: threads,
});
const parseAll = await timeAsync(async () => {
  const batches: string[][] = [];
  for (let i = 0; i < absolute.length; i += 16) batches.push(absolute.slice(i, i + 16));
  await Promise.all(batches.map((b) => pool.run(b)));
});
await pool.destroy();

// (c) and (d) beast scan, cold then warm, as a user runs it
const db = path.join(work, 'bench.db');
function beastScan(format: 'table' | 'json'): { ms: number; out: string } {
  const out = path.join(work, `report.${format}`);
  const start = performance.now();
  const result = spawnSync(
    process.execPath,
    ['bin/beast.js', 'scan', corpus, '--db', db, '--format', format, '--output', out, '--quiet'],
    { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
  );
  const ms = performance.now() - start;
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`beast scan failed: ${result.stderr}`);
  return { ms, out };
}
// Timed runs print the default table, as a user sees it; an untimed JSON run supplies the counts.
const cold = beastScan('table');
const warm = beastScan('table');
const counts = JSON.parse(await readFile(beastScan('json').out, 'utf8')) as {
  summary: { files: number; parsed: number; fromCache: number; findings: number };
};

// (e) ESLint with the closest equivalent rules
const sonar = (await import('eslint-plugin-sonarjs')).default;
const tsParser = (await import('@typescript-eslint/parser')).default;
const eslint = new ESLint({
  cwd: corpus,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.{js,mjs,cjs,jsx,ts,mts,cts,tsx}'],
      languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
      plugins: { sonarjs: sonar },
      rules: { complexity: ['warn', 10], 'sonarjs/cognitive-complexity': ['warn', 15] },
    },
  ],
});
const lint = await timeAsync(() => eslint.lintFiles(files));
const lintErrors = lint.value.filter((r) => r.messages.some((m) => m.fatal)).length;

const fps = (ms: number) => Math.round((files.length / ms) * 1000);
const rows: [string, number][] = [
  ['(a) read all files', read.ms],
  ['(b) parse only, oxc-parser, 1 thread (sources in memory)', parseOne.ms],
  [`(b) parse only, oxc-parser, ${threads} threads (read + parse)`, parseAll.ms],
  ['(c) beast scan, cold (whole CLI process)', cold.ms],
  ['(d) beast scan, warm (whole CLI process)', warm.ms],
  ['(e) ESLint: typescript-eslint parser, complexity, sonarjs cognitive-complexity', lint.ms],
];
const table = [
  '| step | time (ms) | files/s |',
  '| --- | ---: | ---: |',
  ...rows.map(([name, ms]) => `| ${name} | ${ms.toFixed(0)} | ${fps(ms)} |`),
].join('\n');
const ratios = [
  `- cold scan / parse only (${threads} threads): **${(cold.ms / parseAll.ms).toFixed(2)}x** (target ≤ 2x)`,
  `- cold scan / parse only (1 thread): ${(cold.ms / parseOne.ms).toFixed(2)}x`,
  `- ESLint / cold scan: **${(lint.ms / cold.ms).toFixed(1)}x** faster (target ≥ 10x)`,
  `- warm / cold: **${(warm.ms / cold.ms).toFixed(3)}** (target < 0.1); a rescan parsed ${counts.summary.parsed} files and took ${counts.summary.fromCache} from the cache`,
].join('\n');
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const section = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  `Corpus: ${files.length} files (${(bytes / 2 ** 20).toFixed(1)} MiB) of real third-party code from node_modules;`,
  `beast found ${counts.summary.findings} findings in ${counts.summary.files} files; ESLint could not parse ${lintErrors}.`,
  '',
  table,
  '',
  ratios,
].join('\n');
console.log(`\n${section}\n`);

if (write) await recordSection('bench:scan', section);
