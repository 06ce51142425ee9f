import type { Finding, ScanReport } from '../../core/index.js';
import type { FindingTask, RepairRequest, TaskKind } from '../../models/index.js';
import type { CheckName, ImproveOptions } from '../improve/types.js';

/** What the run gives a task kind to find its work items in. */
export interface WorkInput {
  /** The accepted state's scan. */
  report: ScanReport;
  /**
   * The findings a run may work on, most valuable first (severity, hotspots or defect risk), with
   * the options' rule, file and test-code filters applied.
   */
  findings: readonly Finding[];
  options: ImproveOptions;
}

/**
 * One kind of task, as data: how its work items are found, what a model is given, which checks of
 * the gate apply and in which order, and how the result is delivered. The run loop
 * (`runImprove`) is the same for every kind; a new kind is a file in this folder and one line in
 * the registry (`index.ts`).
 */
export interface TaskKindSpec {
  readonly kind: TaskKind;
  /** One line, for `--help`, the docs and the report. */
  readonly summary: string;
  /** The work items of one round, in the order to try them. */
  findWork(input: WorkInput): Finding[];
  /** What a model is given for one work item (a repair carries the gate's errors). */
  task(finding: Finding, repair?: RepairRequest): FindingTask;
  /**
   * The gate's checks, in order: `quick` runs per change before any test run, `full` on each
   * batch. Names come from `CHECKS`.
   */
  readonly checks: { readonly quick: readonly CheckName[]; readonly full: readonly CheckName[] };
  /** How accepted changes are delivered and described. */
  readonly delivery: {
    /** Default branch name prefix: `beast/<prefix>-<date>-<id>`. */
    readonly branchPrefix: string;
    /** Subject of a commit holding several changes of one rule: `<rule>: <verb> 3 findings …`. */
    readonly groupVerb: string;
    /** Who validated it, in the commit message: `Validated by <this>: …`. */
    readonly validatedBy: string;
  };
}
