import {
  formatRanking,
  isShallowRepository,
  rankLiveRisk,
  RISK_MODEL_NAME,
  SHALLOW_CLONE,
  type RiskModel,
} from '../../analysis/index.js';
import { type ScanReport } from '../../core/index.js';
import {
  createTypeChecker,
  findRepositoryNode,
  isStackOverflow,
  loadFormatter,
  type Formatter,
  type RepositoryNode,
  type TypeChecker,
  type TypeDiagnostic,
} from '../../fixes/index.js';
import { latestRiskModel, type Store } from '../../store/index.js';
import { type LintGate } from './gate.js';
import type { CheckAvailability, ImproveOptions } from './types.js';
import { prepareLint, prepareTests, type PreparedTests } from './validators.js';

const DEFAULT_TEST_TIMEOUT_MS = 5 * 60_000;

export interface Baseline {
  report: ScanReport;
  formatter: Formatter | undefined;
  formatterDetail: string;
  checker: TypeChecker | undefined;
  /** The type errors on HEAD, when the repository is type-checked. */
  diagnostics: TypeDiagnostic[] | undefined;
  checks: CheckAvailability[];
  lint: LintGate | undefined;
  tests: PreparedTests | undefined;
  /** The Node the repository's tests and linters run with; undefined when none matches. */
  node: RepositoryNode | undefined;
  /** What to tell the user about that choice (a version manager's pin no Node here has). */
  nodeNotes: string[];
}

export async function takeBaseline(
  root: string,
  scanWorktree: () => Promise<ScanReport>,
  options: ImproveOptions,
): Promise<Baseline> {
  const report = await scanWorktree();
  const checks: CheckAvailability[] = [
    { name: 'parse', ran: true, detail: 'every touched file parses (oxc-parser)' },
    {
      name: 'rescan',
      ran: true,
      detail: 'targeted finding gone, no new finding, no measure worse, no debt added',
    },
    {
      name: 'idempotence',
      ran: true,
      detail: 'the same built-in engine changes nothing on the result',
    },
  ];
  const { checker, diagnostics, availability } = await prepareTypecheck(root);
  checks.push(availability);
  const node = await findRepositoryNode(root, {
    ...(options.node !== undefined ? { flagPath: options.node } : {}),
  });
  const notes = 'node' in node ? node.notes : [];
  if (!('node' in node)) {
    // Tests and linters started with a Node the repository does not support fail for that
    // reason, not for the change: they are not run, and say which Node is missing.
    const detail = `not run: ${node.reason}`;
    checks.push({ name: 'lint', ran: false, detail }, { name: 'tests', ran: false, detail });
  }
  const runWith = 'node' in node ? { node: node.node.path } : undefined;
  const lint = runWith ? await prepareLint(root, report, runWith) : undefined;
  if (lint) checks.push(lint.availability);
  const tests = runWith
    ? await prepareTests(
        root,
        options.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
        report.files.map((f) => f.path),
        runWith,
      )
    : undefined;
  if (tests) checks.push(tests.availability);
  const format = await loadFormatter(root);
  return {
    report,
    checker,
    diagnostics,
    checks,
    lint: lint?.gate,
    tests: tests?.prepared,
    node: 'node' in node ? node.node : undefined,
    nodeNotes: notes,
    formatter: 'formatter' in format ? format.formatter : undefined,
    formatterDetail:
      'formatter' in format
        ? `${format.formatter.name}: changed code is formatted as the repository formats it`
        : `not formatted: ${format.reason}`,
  };
}

/** The type-checker and the baseline's type errors, or why the repository is not type-checked. */
async function prepareTypecheck(root: string): Promise<{
  checker: TypeChecker | undefined;
  diagnostics: TypeDiagnostic[] | undefined;
  availability: CheckAvailability;
}> {
  const typecheck = createTypeChecker(root);
  if (!('checker' in typecheck)) {
    const availability: CheckAvailability = {
      name: 'typecheck',
      ran: false,
      detail: typecheck.reason,
    };
    return { checker: undefined, diagnostics: undefined, availability };
  }
  const { checker } = typecheck;
  try {
    const diagnostics = await checker.check();
    const { source, version, refused } = checker.typescript;
    const projects = checker.projects.length > 0 ? checker.projects.join(', ') : 'default options';
    const detail = `TypeScript ${version} (${source}), ${projects}${refused ? `; ${refused}` : ''}`;
    return { checker, diagnostics, availability: { name: 'typecheck', ran: true, detail } };
  } catch (error) {
    checker.dispose();
    if (!isStackOverflow(error)) throw error;
    // What `tsc` itself cannot check is not checked, rather than the whole run failing.
    const detail = `TypeScript ${checker.typescript.version} overflowed its stack: code nested too deeply for it`;
    return {
      checker: undefined,
      diagnostics: undefined,
      availability: { name: 'typecheck', ran: false, detail },
    };
  }
}

/** How `beast improve` orders its work, and the per-file defect risk (0-1) when a model is used. */
export interface RiskOrder {
  ordering: string;
  risk: Map<string, number> | undefined;
}

const HOTSPOTS = 'severity x hotspot risk (change frequency x complexity)';

/** Which ranking the stored model uses and why, with the AUCs it was chosen on. */
function describeModel(model: RiskModel, version: number): string {
  const scaled = model.kind === 'gbt' ? '' : ', scaled to 0-1';
  return `severity x predicted defect risk (${RISK_MODEL_NAME} v${version}, ${formatRanking(model.ranking)}${scaled})`;
}

async function scoreWithModel(store: Store, userRoot: string): Promise<RiskOrder | string> {
  const stored = await latestRiskModel(store, userRoot, RISK_MODEL_NAME);
  if (!stored) return `no ${RISK_MODEL_NAME} model stored for this repository (run beast train)`;
  const model = stored.model as RiskModel;
  const live = await rankLiveRisk(model, userRoot);
  if (!live) return 'not a git repository';
  // The heuristic's churn x complexity is unbounded: scale it to 0-1 like a probability.
  const top = model.kind === 'gbt' ? 1 : Math.max(...live.files.map((f) => f.risk), 0);
  const risk = new Map<string, number>();
  for (const f of live.files) {
    if (!f.file.startsWith(live.prefix)) continue;
    risk.set(f.file.slice(live.prefix.length), top > 0 ? f.risk / top : 0);
  }
  return { ordering: describeModel(model, stored.version), risk };
}

/**
 * The order of the work: by the ranking the repository's stored defect-risk model chose (the same
 * as `beast risk`) when there is one, else by hotspots as the scan reports them; by severity alone
 * on a shallow clone, whose history tells neither.
 */
export async function loadRiskOrder(
  store: Store | undefined,
  userRoot: string,
): Promise<RiskOrder> {
  // Neither defect risk nor hotspots can be known from a truncated history: say so, not guess.
  if (await isShallowRepository(userRoot))
    return {
      ordering: `severity (defect risk and hotspots need history, and this is a ${SHALLOW_CLONE})`,
      risk: undefined,
    };
  if (!store)
    return { ordering: `${HOTSPOTS} (no store, so no defect-risk model)`, risk: undefined };
  try {
    const result = await scoreWithModel(store, userRoot);
    if (typeof result !== 'string') return result;
    return { ordering: `${HOTSPOTS} (${result})`, risk: undefined };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ordering: `${HOTSPOTS} (the defect-risk model could not score the files: ${reason})`,
      risk: undefined,
    };
  }
}
