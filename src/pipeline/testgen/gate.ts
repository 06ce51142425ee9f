import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../../core/index.js';
import {
  compareTestRuns,
  createTypeChecker,
  describeFailures,
  isSyntheticTest,
  measureCoverage,
  runTests,
  testEnvironment,
  type CoverageRun,
  type FileCoverage,
  type MeasureCoverageOptions,
  type RunTestsOptions,
  type TestRun,
} from '../../fixes/index.js';
import { checkAssertions } from './assertions.js';
import { chooseMutants, findMutants, withMutant } from './mutants.js';
import {
  caseKey,
  casesOfIds,
  findTestCases,
  removeOrphanImports,
  removeTestCases,
  type TestCase,
} from './prune.js';
import {
  FUNNEL_STAGES,
  type CandidateTest,
  type Funnel,
  type FunnelStage,
  type TestGateContext,
  type TestGateResult,
  type TestVerdict,
} from './types.js';

/** Runs in isolation a case must pass: the run that shows it passes alone, and four more. */
const ISOLATED_RUNS = 5;
/** Other time zones and locales a case must pass under. */
const FOREIGN_ENVIRONMENTS: { label: string; env: Record<string, string> }[] = [
  {
    label: 'TZ=Pacific/Chatham LANG=de_DE.UTF-8',
    env: { TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
  },
  { label: 'TZ=America/St_Johns', env: { TZ: 'America/St_Johns' } },
];
/** Prunings confirmed by a re-run before giving up on a file. */
const MAX_CONFIRMS = 3;
/** The temporary project that type-checks one new file with the repository's options. */
const GATE_TSCONFIG = 'tsconfig.beast-test-gate.json';

function emptyFunnel(): Funnel {
  return Object.fromEntries(FUNNEL_STAGES.map((s) => [s, 0])) as Funnel;
}

function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The message the run gave for a failing test id (from its output), or its last words. */
function failureMessage(run: TestRun, id: string): string {
  const at = run.output.indexOf(`✗ ${id}\n`);
  if (at === -1) return run.lastWords;
  const lines = run.output.slice(at + id.length + 3).split('\n');
  const message = lines.filter((l) => l.startsWith('    ')).slice(0, 2);
  return oneLine(message.join(' ')) || run.lastWords;
}

function checkPath(file: string, what: string): string {
  const normal = path.posix.normalize(file.split('\\').join('/'));
  if (path.isAbsolute(file) || normal.startsWith('../') || normal === '..' || normal === '.') {
    throw new InputError(`gateTests: the ${what} ${file} is not a path inside the repository`);
  }
  return normal;
}

/** What the gate keeps of one candidate while it goes through the stages. */
interface Candidate {
  file: string;
  target: string;
  text: string;
  /** The cases still in the text. */
  alive: TestCase[];
  /** Ids the runner gave the file's cases (AVA's carry no file path). */
  ids: Set<string>;
  funnel: Funnel;
  /** Why the last cases stopped. */
  reason: string | undefined;
}

interface GateRun {
  context: TestGateContext;
  skipped: Set<string>;
  progress: (line: string) => void;
  /** The last coverage measured with a candidate, and its text then. */
  lastCoverage: { file: string; text: string; run: CoverageRun } | undefined;
}

function runOptions(gate: GateRun, extra: Partial<RunTestsOptions> = {}): RunTestsOptions {
  const { context } = gate;
  // --scope related: the tests related to the targets stand for the whole suite (a candidate
  // imports its target, so it is among them); runs of chosen files or mutants say their own.
  const related =
    context.related !== undefined && extra.testFiles === undefined && extra.related === undefined
      ? { related: [...context.related] }
      : {};
  return {
    cwd: context.root,
    timeoutMs: context.timeoutMs,
    ...(context.node === undefined ? {} : { node: context.node }),
    ...related,
    ...extra,
  };
}

async function runAlone(
  gate: GateRun,
  c: Candidate,
  env?: Record<string, string>,
): Promise<TestRun> {
  gate.context.signal?.throwIfAborted();
  const run = await runTests(
    gate.context.info,
    runOptions(gate, {
      testFiles: [c.file],
      ...(env === undefined ? {} : { env: { ...testEnvironment(), ...env } }),
    }),
  );
  // Ids without a file (AVA's) are the file's own in a run of it alone; ids of other files are
  // not, even when the runner ran them too (mocha adds its config's spec to the files given).
  for (const id of Object.keys(run.tests)) {
    const filed = run.files.some((f) => id.startsWith(`${f} > `));
    if (!filed && !isSyntheticTest(id)) c.ids.add(id);
  }
  return run;
}

/** Whether an id belongs to the candidate's file. */
function ownsId(c: Candidate, id: string): boolean {
  return id.startsWith(`${c.file} > `) || c.ids.has(id);
}

/** Why the file did not load in a run of it alone, or undefined when it did. */
function loadProblem(c: Candidate, run: TestRun): string | undefined {
  if (run.status !== 'ran') return `${run.status}: ${run.lastWords}`;
  const unloaded = Object.entries(run.tests).find(
    ([id, outcome]) => outcome === 'fail' && isSyntheticTest(id),
  );
  if (unloaded) return failureMessage(run, unloaded[0]);
  if (run.executed === 0) return `no test ran: ${run.lastWords}`;
  return undefined;
}

/** The alive cases that failed (or did not run) in a run of the file, with the first message. */
function failingCases(c: Candidate, run: TestRun): { cases: TestCase[]; message: string } {
  const own = Object.entries(run.tests).filter(([id]) => ownsId(c, id) && !isSyntheticTest(id));
  const failedIds = own.filter(([, o]) => o === 'fail').map(([id]) => id);
  const failed = casesOfIds(failedIds, c.alive, c.file);
  const ranIds = own.filter(([, o]) => o === 'pass').map(([id]) => id);
  const passed = new Set(casesOfIds(ranIds, c.alive, c.file).map(caseKey));
  // A case that neither passed nor failed (skipped, or lost) did not pass.
  const missing = c.alive.filter((t) => !passed.has(caseKey(t)) && !failed.includes(t));
  const first = failedIds[0];
  const message =
    first !== undefined
      ? `${first.split(' > ').at(-1) ?? first}: ${failureMessage(run, first)}`
      : missing.length > 0
        ? `${missing[0]?.title ?? ''} did not run`
        : '';
  return { cases: [...failed, ...missing], message };
}

async function writeCandidate(gate: GateRun, c: Candidate): Promise<void> {
  const full = path.join(gate.context.root, c.file);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, c.text);
}

/** Removes cases from the file, records why, and writes the file again. */
async function prune(
  gate: GateRun,
  c: Candidate,
  cases: readonly TestCase[],
  reason: string,
): Promise<void> {
  const keys = new Set(cases.map(caseKey));
  if (keys.size === 0) return;
  c.text = removeOrphanImports(c.text, removeTestCases(c.text, c.file, cases), c.file);
  const { cases: left } = findTestCases(c.text, c.file);
  c.alive = left.filter((t) => c.alive.some((a) => caseKey(a) === caseKey(t)));
  c.reason = reason;
  gate.progress(`${c.file}: pruned ${keys.size} case(s): ${reason}`);
  await writeCandidate(gate, c);
}

/** Drops every case: the file as a whole failed a check. */
function dropAll(gate: GateRun, c: Candidate, reason: string): void {
  c.alive = [];
  c.reason = reason;
  gate.progress(`${c.file}: rejected: ${reason}`);
}

/**
 * Runs the file alone and prunes what fails, until a run passes with every case left (a pruned
 * case's sibling that depended on it fails too), or nothing is left.
 */
async function confirmAlone(
  gate: GateRun,
  c: Candidate,
  check: string,
): Promise<TestRun | undefined> {
  for (let i = 0; i < MAX_CONFIRMS && c.alive.length > 0; i += 1) {
    const run = await runAlone(gate, c);
    const problem = loadProblem(c, run);
    if (problem !== undefined) {
      dropAll(gate, c, `${check}: the file no longer loads after pruning: ${problem}`);
      return undefined;
    }
    const failing = failingCases(c, run);
    if (failing.cases.length === 0) return run;
    await prune(gate, c, failing.cases, `${check}: fails alone after pruning: ${failing.message}`);
  }
  if (c.alive.length > 0)
    dropAll(gate, c, `${check}: still failing after ${MAX_CONFIRMS} prunings`);
  return undefined;
}

async function typeCheck(gate: GateRun, c: Candidate): Promise<void> {
  const { context } = gate;
  if (!context.typecheck) {
    gate.skipped.add('type-check: the repository has no tsconfig.json or no TypeScript');
    return;
  }
  const hasConfig = existsSync(path.join(context.root, 'tsconfig.json'));
  const configPath = path.join(context.root, GATE_TSCONFIG);
  if (hasConfig) {
    // Only the new file (and what it imports) with the repository's options: its include may
    // not reach the test folder.
    const config = { extends: './tsconfig.json', include: [c.file], files: [] };
    await writeFile(configPath, `${JSON.stringify(config)}\n`);
  }
  try {
    const created = createTypeChecker(context.root, hasConfig ? { tsconfig: GATE_TSCONFIG } : {});
    if ('reason' in created) {
      gate.skipped.add(`type-check: ${created.reason}`);
      return;
    }
    let found;
    try {
      found = (await created.checker.check()).filter((d) => d.file === c.file);
    } finally {
      created.checker.dispose();
    }
    if (found.length === 0) return;
    const describe = (d: (typeof found)[number]) =>
      `${d.file}:${d.line} TS${d.code} ${oneLine(d.message, 200)}`;
    const outside = found.find(
      (d) => !c.alive.some((t) => d.line >= t.startLine && d.line <= t.endLine),
    );
    if (outside !== undefined) {
      dropAll(gate, c, `type-check: ${describe(outside)}`);
      return;
    }
    const failing = c.alive.filter((t) =>
      found.some((d) => d.line >= t.startLine && d.line <= t.endLine),
    );
    const first = found[0];
    await prune(gate, c, failing, `type-check: ${first ? describe(first) : ''}`);
  } finally {
    if (hasConfig) await rm(configPath, { force: true });
  }
}

/** built: type-checks (when the repository does) and loads. Returns the first run alone. */
async function checkBuilt(gate: GateRun, c: Candidate): Promise<TestRun | undefined> {
  await typeCheck(gate, c);
  if (c.alive.length === 0) return undefined;
  const run = await runAlone(gate, c);
  const problem = loadProblem(c, run);
  if (problem !== undefined) {
    dropAll(gate, c, `load: the file does not load: ${problem}`);
    return undefined;
  }
  return run;
}

/** passed: passes alone (pruned and confirmed). */
async function checkPassed(gate: GateRun, c: Candidate, first: TestRun): Promise<void> {
  const failing = failingCases(c, first);
  if (failing.cases.length === 0) return;
  await prune(gate, c, failing.cases, `passes alone: fails: ${failing.message}`);
  await confirmAlone(gate, c, 'passes alone');
}

function pinnedTimeZone(gate: GateRun): string | undefined {
  for (const part of gate.context.info.parts) {
    if (part.kind === 'runner' && part.env.TZ !== undefined) return part.env.TZ;
  }
  return undefined;
}

/** The suite's new failures with the candidate in it, other than the candidate's own cases. */
function brokenOthers(gate: GateRun, c: Candidate, run: TestRun): string | undefined {
  const baseline = gate.context.baselineRun;
  if (run.status !== 'ran')
    return `the whole suite ${run.status === 'timeout' ? 'timed out' : 'crashed'} with it: ${run.lastWords}`;
  const comparison = compareTestRuns([baseline, baseline], run);
  const others = comparison.newFailures.filter((id) => !ownsId(c, id));
  if (others.length === 0 && !comparison.empty) return undefined;
  return describeFailures(
    {
      ...comparison,
      newFailures: others,
      missing: comparison.missing.filter((id) => others.includes(id)),
    },
    'the whole suite with it',
  );
}

/** stable: five runs alone, other time zones and locales, the whole suite. */
async function checkStable(gate: GateRun, c: Candidate): Promise<void> {
  for (let i = 1; i < ISOLATED_RUNS && c.alive.length > 0; i += 1) {
    const run = await runAlone(gate, c);
    const failing = failingCases(c, run);
    const problem = loadProblem(c, run);
    if (problem !== undefined) {
      dropAll(
        gate,
        c,
        `stable: run ${i + 1} of ${ISOLATED_RUNS} alone did not load the file: ${problem}`,
      );
      return;
    }
    if (failing.cases.length > 0) {
      await prune(
        gate,
        c,
        failing.cases,
        `stable: failed in run ${i + 1} of ${ISOLATED_RUNS} alone: ${failing.message}`,
      );
    }
  }
  if (c.alive.length === 0) return;
  const pinned = pinnedTimeZone(gate);
  if (pinned !== undefined) {
    gate.skipped.add(
      `other time zones: the test script pins TZ=${pinned}, so the tests always run in it`,
    );
  }
  for (const { label, env } of FOREIGN_ENVIRONMENTS) {
    if (c.alive.length === 0) return;
    const run = await runAlone(gate, c, env);
    const problem = loadProblem(c, run);
    if (problem !== undefined) {
      dropAll(gate, c, `stable: does not load under ${label}: ${problem}`);
      return;
    }
    const failing = failingCases(c, run);
    if (failing.cases.length > 0) {
      await prune(gate, c, failing.cases, `stable: fails under ${label}: ${failing.message}`);
    }
  }
  if (c.alive.length === 0) return;
  gate.context.signal?.throwIfAborted();
  const whole = await runTests(gate.context.info, runOptions(gate, { shuffle: true }));
  if (whole.order !== 'shuffled') {
    const why = (whole.orderNote ?? 'the runner did not shuffle').replace(/^not shuffled: /, '');
    gate.skipped.add(`shuffled order: ${why}, so the whole suite ran in its usual order`);
  }
  const broken = brokenOthers(gate, c, whole);
  if (broken !== undefined) {
    // A flaky test of the suite must not be blamed on the new file: the suite again without it.
    await rm(path.join(gate.context.root, c.file), { force: true });
    gate.context.signal?.throwIfAborted();
    const without = await runTests(gate.context.info, runOptions(gate, { shuffle: true })).finally(
      () => writeCandidate(gate, c),
    );
    if (brokenOthers(gate, c, without) === undefined) {
      dropAll(gate, c, `stable: breaks other tests of the suite: ${broken}`);
      return;
    }
    gate.progress(`${c.file}: the suite fails without it too (${broken}): not blamed on it`);
  }
  if (whole.status === 'ran') {
    const failing = failingCases(c, whole);
    if (failing.cases.length > 0) {
      await prune(gate, c, failing.cases, `stable: fails in the whole suite: ${failing.message}`);
      await confirmAlone(gate, c, 'stable');
    }
  }
}

/**
 * The suite with coverage, reporting the files of the baseline's coverage (and the target), so
 * that files and totals compare with the baseline's.
 */
function coverageOptions(gate: GateRun, targets: readonly string[]): MeasureCoverageOptions {
  const files = Object.keys(gate.context.baselineCoverage.files);
  const include = [...new Set([...files, ...targets])].sort();
  return { ...runOptions(gate), include };
}

/**
 * Whether the file covers a line or a branch arm the suite leaves uncovered. Compared as sets, not
 * counts: V8's block coverage reports a different number of branches from one run to the next.
 */
export function raisesCoverage(before: FileCoverage | undefined, after: FileCoverage): boolean {
  if (before === undefined) return after.lines.covered > 0 || after.branches.covered > 0;
  const stillUncovered = new Set(after.uncoveredLines);
  if (before.uncoveredLines.some((line) => !stillUncovered.has(line))) return true;
  const arm = (b: FileCoverage['uncoveredBranches'][number]) => `${b.line}:${b.type}:${b.arm}`;
  const stillArms = new Set(after.uncoveredBranches.map(arm));
  return before.uncoveredBranches.some((b) => !stillArms.has(arm(b)));
}

function coverageLine(coverage: FileCoverage): string {
  return `${coverage.lines.covered}/${coverage.lines.total} lines, ${coverage.branches.covered}/${coverage.branches.total} branches`;
}

/** Lines of the target that the suite runs: those with no uncovered statement, or all when unknown. */
function coveredLines(
  baseline: CoverageRun,
  target: string,
  text: string,
): Set<number> | undefined {
  const before = baseline.status === 'measured' ? baseline.files[target] : undefined;
  if (before === undefined) return undefined;
  const uncovered = new Set(before.uncoveredLines);
  const count = text.split('\n').length;
  return new Set(Array.from({ length: count }, (_, i) => i + 1).filter((l) => !uncovered.has(l)));
}

interface MutationResult {
  tried: number;
  killedOnlyByNew: number;
  /** Keys of the cases that killed a mutant the suite let live. */
  killers: Set<string>;
  /** Why no mutant was tried. */
  problem: string | undefined;
}

async function runMutants(gate: GateRun, c: Candidate): Promise<MutationResult> {
  const { context } = gate;
  const result: MutationResult = {
    tried: 0,
    killedOnlyByNew: 0,
    killers: new Set(),
    problem: undefined,
  };
  const original = await readFile(path.join(context.root, c.target), 'utf8');
  const lines = coveredLines(context.baselineCoverage, c.target, original);
  if (lines === undefined) {
    gate.skipped.add(
      'mutants: no baseline coverage of the target, so mutants were chosen from all its lines',
    );
  }
  const mutants = chooseMutants(findMutants(original, c.target), lines);
  if (mutants.length === 0) {
    result.problem = `no mutant on the covered lines of ${c.target}`;
    return result;
  }
  // The suite's tests of the target and the new file, in one run.
  const options = runOptions(gate, { related: [c.target, c.file] });
  const reference = await runTests(context.info, options);
  if (reference.status !== 'ran') {
    result.problem = `the suite did not run without mutants: ${reference.lastWords}`;
    return result;
  }
  const suitePassing = Object.entries(reference.tests)
    .filter(([id, o]) => o === 'pass' && !ownsId(c, id))
    .map(([id]) => id);
  const together = Object.keys(reference.tests).some((id) => ownsId(c, id));
  const newPassing = together ? reference : await runAlone(gate, c);
  const passingCases = c.alive.filter(
    (t) =>
      casesOfIds(
        Object.entries(newPassing.tests)
          .filter(([id, o]) => o === 'pass' && ownsId(c, id))
          .map(([id]) => id),
        [t],
        c.file,
      ).length > 0,
  );
  // A mutant that loops forever must not hold the gate for the whole time limit.
  const timeoutMs = Math.min(context.timeoutMs, Math.max(30_000, reference.durationMs * 10));
  for (const mutant of mutants) {
    context.signal?.throwIfAborted();
    result.tried += 1;
    const killed = await withMutant(context.root, c.target, mutant, async () => {
      const run = await runTests(context.info, { ...options, timeoutMs });
      if (run.status !== 'ran' || suitePassing.some((id) => run.tests[id] !== 'pass'))
        return undefined;
      const mine = together ? run : await runAlone(gate, c);
      return passingCases.filter((t) => {
        const ids = Object.entries(mine.tests)
          .filter(([id, o]) => o === 'pass' && ownsId(c, id))
          .map(([id]) => id);
        return casesOfIds(ids, [t], c.file).length === 0;
      });
    });
    const verdict =
      killed === undefined
        ? 'killed by the suite'
        : killed.length > 0
          ? `killed only by the new file (${killed.map((t) => t.title).join(', ')})`
          : 'lives';
    gate.progress(`${c.file}: mutant ${mutant.description}: ${verdict}`);
    if (killed !== undefined && killed.length > 0) {
      result.killedOnlyByNew += 1;
      for (const t of killed) result.killers.add(caseKey(t));
    }
  }
  return result;
}

/** useful: non-trivial assertions, and more coverage or a mutant killed. */
async function checkUseful(
  gate: GateRun,
  c: Candidate,
  verdict: Pick<TestVerdict, 'before' | 'after' | 'mutants'>,
): Promise<void> {
  const { context } = gate;
  const assertions = checkAssertions(c.text, c.file, c.target);
  const weak = assertions.filter((a) => !a.ok);
  if (weak.length > 0) {
    const weakCases = c.alive.filter((t) => weak.some((w) => w.key === caseKey(t)));
    await prune(gate, c, weakCases, `asserts: ${weak[0]?.title ?? ''} ${weak[0]?.reason ?? ''}`);
    if (c.alive.length === 0) return;
    await confirmAlone(gate, c, 'useful');
    if (c.alive.length === 0) return;
  }
  let coverageSays: string;
  const before = verdict.before;
  if (context.baselineCoverage.status !== 'measured') {
    coverageSays = `coverage not measured (${context.baselineCoverage.how})`;
    gate.skipped.add(`coverage: the baseline was not measured: ${context.baselineCoverage.how}`);
  } else {
    try {
      context.signal?.throwIfAborted();
      const measured = await measureCoverage(context.info, coverageOptions(gate, [c.target]));
      const after = measured.status === 'measured' ? measured.files[c.target] : undefined;
      if (measured.status === 'measured')
        gate.lastCoverage = { file: c.file, text: c.text, run: measured };
      if (after === undefined) {
        coverageSays = `coverage not measured with the file (${measured.how})`;
        gate.skipped.add(`coverage: ${measured.how}`);
      } else {
        verdict.after = after;
        const raised = raisesCoverage(before, after);
        const said = before === undefined ? 'not loaded by the suite' : coverageLine(before);
        if (raised) {
          gate.progress(`${c.file}: ${c.target} coverage ${said} → ${coverageLine(after)}`);
          return;
        }
        coverageSays = `adds no line or branch coverage to ${c.target} (${said})`;
      }
    } catch (error) {
      context.signal?.throwIfAborted();
      const said = oneLine(error instanceof Error ? error.message : String(error));
      coverageSays = `coverage could not be measured (${said})`;
      gate.skipped.add(`coverage: ${said}`);
    }
  }
  const mutation = await runMutants(gate, c);
  verdict.mutants = { tried: mutation.tried, killedOnlyByNew: mutation.killedOnlyByNew };
  const useless = c.alive.filter((t) => !mutation.killers.has(caseKey(t)));
  const mutantsSay =
    mutation.problem ??
    `kills none of the ${mutation.tried} mutant(s) of ${c.target} the suite lets live`;
  if (useless.length === c.alive.length) {
    await prune(gate, c, useless, `useful: ${coverageSays} and ${mutantsSay}`);
    return;
  }
  if (useless.length > 0) {
    await prune(
      gate,
      c,
      useless,
      `useful: ${coverageSays} and kills no mutant the suite lets live`,
    );
    await confirmAlone(gate, c, 'useful');
  }
}

function reachedStage(funnel: Funnel): FunnelStage {
  return [...FUNNEL_STAGES].reverse().find((s) => funnel[s] > 0) ?? 'generated';
}

async function gateCandidate(
  gate: GateRun,
  candidate: CandidateTest,
  file: string,
  target: string,
): Promise<TestVerdict> {
  const { context } = gate;
  const { cases } = findTestCases(candidate.content, file);
  const c: Candidate = {
    file,
    target,
    text: candidate.content,
    alive: cases,
    ids: new Set(),
    funnel: { ...emptyFunnel(), generated: cases.length },
    reason: undefined,
  };
  const verdict: TestVerdict = {
    file,
    target,
    model: candidate.model,
    attempt: candidate.attempt,
    kept: false,
    stage: 'generated',
    reason: undefined,
    content: undefined,
    funnel: c.funnel,
    before:
      context.baselineCoverage.status === 'measured'
        ? context.baselineCoverage.files[target]
        : undefined,
    after: undefined,
    mutants: { tried: 0, killedOnlyByNew: 0 },
  };
  if (cases.length === 0) {
    return {
      ...verdict,
      reason: 'generated: no test case found (it(...) or test(...) with a plain string title)',
    };
  }
  gate.progress(`${file}: ${cases.length} case(s) for ${target} by ${candidate.model}`);
  let kept = false;
  await writeCandidate(gate, c);
  try {
    const steps: [FunnelStage, () => Promise<unknown>][] = [];
    let first: TestRun | undefined;
    steps.push(['built', async () => (first = await checkBuilt(gate, c))]);
    steps.push(['passed', () => (first ? checkPassed(gate, c, first) : Promise.resolve())]);
    steps.push(['stable', () => checkStable(gate, c)]);
    steps.push(['useful', () => checkUseful(gate, c, verdict)]);
    for (const [stage, step] of steps) {
      await step();
      c.funnel[stage] = c.alive.length;
      gate.progress(`${file}: ${stage} ${c.alive.length}/${cases.length}`);
      if (c.alive.length === 0) break;
    }
    c.funnel.kept = c.alive.length;
    kept = c.alive.length > 0;
  } finally {
    if (!kept) await rm(path.join(context.root, file), { force: true });
  }
  return {
    ...verdict,
    kept,
    stage: reachedStage(c.funnel),
    reason: kept ? undefined : c.reason,
    content: kept ? c.text : undefined,
  };
}

async function detectStryker(root: string): Promise<boolean> {
  try {
    const json = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    return ['dependencies', 'devDependencies'].some((key) => {
      const deps = json[key];
      return typeof deps === 'object' && deps !== null && '@stryker-mutator/core' in deps;
    });
  } catch {
    return false;
  }
}

/**
 * The test gate: keeps a generated test only if it builds, passes five times alone and once in
 * the whole shuffled suite without breaking another test, gives the same result under another time
 * zone and locale, asserts something non-trivial, and raises the target's coverage or kills a
 * mutant the suite lets live. Failing cases are pruned from a file; the rest go on. Kept files stay
 * written in the worktree (as kept), the others are removed; the target is always left as it was.
 */
export async function gateTests(
  context: TestGateContext,
  candidates: readonly CandidateTest[],
): Promise<TestGateResult> {
  const checked = candidates.map((candidate) => {
    const file = checkPath(candidate.file, 'test file');
    const target = checkPath(candidate.target, 'target');
    if (!existsSync(path.join(context.root, target))) {
      throw new InputError(`gateTests: the target ${target} does not exist in ${context.root}`);
    }
    return { candidate, file, target, existed: existsSync(path.join(context.root, file)) };
  });
  const gate: GateRun = {
    context,
    skipped: new Set(),
    progress: (line) => context.onProgress?.(line),
    lastCoverage: undefined,
  };
  if (await detectStryker(context.root)) {
    gate.skipped.add(
      'StrykerJS: the repository has it, but the gate makes its own mutants (Stryker is not run)',
    );
  }
  const verdicts: TestVerdict[] = [];
  for (const { candidate, file, target, existed } of checked) {
    context.signal?.throwIfAborted();
    if (existed || verdicts.some((v) => v.kept && v.file === file)) {
      const cases = findTestCases(candidate.content, file).cases.length;
      verdicts.push({
        file,
        target,
        model: candidate.model,
        attempt: candidate.attempt,
        kept: false,
        stage: 'generated',
        reason: `generated: ${file} already exists: a generated test never replaces one`,
        content: undefined,
        funnel: { ...emptyFunnel(), generated: cases },
        before: undefined,
        after: undefined,
        mutants: { tried: 0, killedOnlyByNew: 0 },
      });
      continue;
    }
    verdicts.push(await gateCandidate(gate, candidate, file, target));
  }
  const funnel = emptyFunnel();
  for (const v of verdicts) for (const s of FUNNEL_STAGES) funnel[s] += v.funnel[s];
  const coverageAfter = await measureAfter(gate, verdicts);
  return { verdicts, funnel, coverageAfter, skipped: [...gate.skipped] };
}

/** The suite's coverage with every kept file; each kept verdict's `after` is taken from it. */
async function measureAfter(
  gate: GateRun,
  verdicts: TestVerdict[],
): Promise<CoverageRun | undefined> {
  const kept = verdicts.filter((v) => v.kept);
  if (kept.length === 0 || gate.context.baselineCoverage.status !== 'measured') return undefined;
  // The run of the useful check serves when it was made with the last file as kept: every other
  // kept file was on disk then, and every rejected one was removed before.
  const last = verdicts.at(-1);
  const reused =
    last?.kept === true &&
    gate.lastCoverage?.file === last.file &&
    gate.lastCoverage.text === last.content
      ? gate.lastCoverage.run
      : undefined;
  try {
    gate.context.signal?.throwIfAborted();
    const run =
      reused ??
      (await measureCoverage(
        gate.context.info,
        coverageOptions(
          gate,
          kept.map((v) => v.target),
        ),
      ));
    if (run.status === 'measured') {
      for (const v of kept) v.after = run.files[v.target] ?? v.after;
    }
    return run;
  } catch (error) {
    gate.context.signal?.throwIfAborted();
    gate.skipped.add(
      `coverage after: ${oneLine(error instanceof Error ? error.message : String(error))}`,
    );
    return undefined;
  }
}
