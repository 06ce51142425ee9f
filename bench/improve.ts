// npm run bench:improve [-- --modules N] [-- --write]
// Runs `beast improve` twice on the same generated fixture (about 40 fixable findings, of which a
// deliberately wrong model sabotages about 10%): once validating in batches with bisection, once
// one change at a time. Prints full validations and wall time of both; --write records them in
// docs/benchmarks.md.
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { detectTestRunner, runTests } from '../src/fixes/index.js';
import { createCodemodsModel, type Model } from '../src/models/index.js';
import { runImprove, type ImproveReport } from '../src/pipeline/index.js';
import { createSaboteurModel, makeImproveFixture } from '../test/helpers/improve-fixture.js';
import { recordSection } from './record.js';

const args = process.argv.slice(2);
const write = args.includes('--write');
const modulesArg = args.indexOf('--modules');
const modules = modulesArg >= 0 ? Number(args[modulesArg + 1]) : 10;

/** Both template fixes of every fifth module change behaviour: 10% of the first proposals. */
function saboteur() {
  return createSaboteurModel(createCodemodsModel(), (task) => {
    const n = Number(/mod(\d+)/.exec(task.finding.file)?.[1] ?? -1);
    const bad = task.finding.ruleId === 'prefer-template' && n % 5 === 2;
    return bad ? 'behaviour' : undefined;
  });
}

async function measure(
  batchSize: number,
): Promise<{ report: ImproveReport; ms: number; sabotaged: number }> {
  const repo = await makeImproveFixture(modules);
  const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-bench-state-'));
  const model = saboteur();
  const started = performance.now();
  const report = await runImprove(repo, { models: [model], stateDir }, { batchSize });
  return { report, ms: performance.now() - started, sabotaged: model.sabotaged };
}

/** Every proposal with a type error added: nothing survives the quick checks. */
function typeBreaker(inner: Model): Model {
  return {
    ...inner,
    async propose(task, context) {
      const proposals = await inner.propose(task, context);
      const broken = "export const broken = /** @type {number} */ ('x');\n";
      return proposals.map((p) => ({
        ...p,
        changes: p.changes.map((c) => ({
          ...c,
          edits: [...c.edits, { start: 0, end: 0, text: broken }],
        })),
      }));
    },
  };
}

/** One run of the fixture's whole test suite, outside beast improve, as the unit of cost. */
async function oneSuiteRun(): Promise<number> {
  const repo = await makeImproveFixture(modules);
  const detected = await detectTestRunner(repo);
  if (!('runner' in detected)) throw new Error(detected.reason);
  const run = await runTests(detected.runner, { cwd: repo, timeoutMs: 5 * 60_000 });
  if (run.executed === 0) throw new Error(`the fixture's suite ran no test: ${run.lastWords}`);
  return run.durationMs;
}

const suiteMs = await oneSuiteRun();
const nothingSurvives = await (async () => {
  const repo = await makeImproveFixture(modules);
  const stateDir = await mkdtemp(path.join(tmpdir(), 'beast-bench-state-'));
  return runImprove(repo, { models: [typeBreaker(createCodemodsModel())], stateDir });
})();
const batched = await measure(64);
const small = await measure(16);
const single = await measure(1);

function row(name: string, r: { report: ImproveReport; ms: number; sabotaged: number }): string {
  const accepted = r.report.changes.filter((c) => c.status === 'accepted').length;
  const rejected = r.report.changes.filter((c) => c.status === 'rejected').length;
  return `| ${name} | ${r.report.changes.length} | ${r.sabotaged} | ${accepted} | ${rejected} | ${r.report.validations.full} | ${r.report.validations.quick} | ${(r.report.timings.testBaselineMs / 1000).toFixed(1)} | ${(r.ms / 1000).toFixed(1)} | ${r.report.before.score} -> ${r.report.after.score} |`;
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const initialFindings = batched.report.before.findings;
const section = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  `Fixture: ${modules} modules with node:test tests and checkJs types, ${initialFindings} findings; the model is`,
  'builtin:codemods behind a saboteur that makes a proposal change behaviour (caught only by the tests).',
  '',
  '| mode | proposals | sabotaged | accepted | rejected | full validations | quick pre-checks | test baseline (s) | wall time (s) | score |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  row('batches of 64 (the default), bisect on failure', batched),
  row('batches of 16, bisect on failure', small),
  row('one by one', single),
  '',
  `- full validations, one by one / batched: **${(single.report.validations.full / batched.report.validations.full).toFixed(1)}x** fewer (target ≥ 4x)`,
  `- wall time, one by one / batched: **${(single.ms / batched.ms).toFixed(1)}x**`,
  `- test baseline / one run of the suite (${(suiteMs / 1000).toFixed(1)} s, measured alone in this run): **${(batched.report.timings.testBaselineMs / suiteMs).toFixed(2)}x** batched, ${(single.report.timings.testBaselineMs / suiteMs).toFixed(2)}x one by one (target ≤ 1.2x; the baseline ran the suite twice before, 2x at least)`,
  `- a run where no proposal passes the quick checks (${nothingSurvives.changes.length} proposals, all rejected by ${[...new Set(nothingSurvives.changes.map((c) => c.gate))].join(', ')}): test baseline **${nothingSurvives.timings.testBaselineMs} ms** (target 0)`,
].join('\n');
console.log(`\n${section}\n`);

const same = JSON.stringify(batched.report.after) === JSON.stringify(single.report.after);
if (!same)
  console.log(
    'note: the two modes ended with different results',
    batched.report.after,
    single.report.after,
  );

if (write) await recordSection('bench:improve', section);
