// npm run eval:hostile [-- --write]
// Runs the hostile-input suite (test/hostile/) with vitest's JSON reporter and counts its cases per
// file: tried, held (passed), broke (failed) and not run (skipped or todo, each a defect to explain).
// --write records the table in docs/benchmarks.md. Exits 1 when a case broke or none ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recordSection } from './record.js';

interface AssertionResult {
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';
}
interface FileResult {
  name: string;
  assertionResults: AssertionResult[];
}

const write = process.argv.includes('--write');
const out = path.join(mkdtempSync(path.join(tmpdir(), 'beast-hostile-')), 'vitest.json');
const run = spawnSync(
  'npx',
  ['vitest', 'run', 'test/hostile', '--reporter=json', `--outputFile=${out}`],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
let files: FileResult[];
try {
  files = (JSON.parse(readFileSync(out, 'utf8')) as { testResults: FileResult[] }).testResults;
} catch (error) {
  console.error(`eval:hostile: vitest wrote no report (exit ${run.status}): ${String(error)}`);
  process.exit(1);
}

const rows = files
  .map((file) => {
    const count = (...statuses: AssertionResult['status'][]) =>
      file.assertionResults.filter((a) => statuses.includes(a.status)).length;
    return {
      file: path.relative(process.cwd(), file.name),
      tried: file.assertionResults.length,
      held: count('passed'),
      broke: count('failed'),
      notRun: count('skipped', 'pending', 'todo', 'disabled'),
    };
  })
  .sort((a, b) => a.file.localeCompare(b.file));
const total = rows.reduce(
  (sum, r) => ({
    tried: sum.tried + r.tried,
    held: sum.held + r.held,
    broke: sum.broke + r.broke,
    notRun: sum.notRun + r.notRun,
  }),
  { tried: 0, held: 0, broke: 0, notRun: 0 },
);

const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on Node ${process.version}, ${process.platform}.`,
  '',
  '| suite file | cases tried | held | broke | not run |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| \`${r.file}\` | ${r.tried} | ${r.held} | ${r.broke} | ${r.notRun} |`),
  `| **all** | **${total.tried}** | **${total.held}** | **${total.broke}** | **${total.notRun}** |`,
];
console.log(lines.join('\n'));
if (write) await recordSection('eval:hostile', lines.join('\n'));
if (total.tried === 0 || total.broke > 0 || run.status !== 0) process.exit(1);
