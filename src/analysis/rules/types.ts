import { type TextEdit } from '../../core/index.js';
import type { Comment } from 'oxc-parser';
import type {
  Clone,
  FileMetrics,
  Location,
  FunctionMetrics,
  Measure,
  Lang,
  RuleMeta,
  Severity,
} from '../../core/index.js';

export type { Lang, RuleMeta };
import type { AstNode, LineIndex } from '../ast.js';

export type { TextEdit };

/**
 * Computes the edits that fix one finding, or undefined when no fix is certainly safe. Edits are
 * offsets into `RuleContext.source`. Only called when fixes are collected, never in normal scans.
 */
export type RuleFix = () => TextEdit[] | TextEdit | undefined;

/** What a file rule sees. */
export interface RuleContext {
  /** Repository-relative path. */
  file: string;
  source: string;
  lang: Lang;
  /** The whole file's AST, for rules that need more than the node at hand. */
  program: AstNode;
  lines: LineIndex;
  comments: readonly Comment[];
  /** Options from config merged over the rule's `defaultOptions`. */
  options: Readonly<Record<string, unknown>>;
  fileMetrics: Readonly<FileMetrics>;
  functions: readonly FunctionMetrics[];
  /** Metrics of a function node, matched by its offsets. */
  metricsFor(node: AstNode): FunctionMetrics | undefined;
  /**
   * Report a finding at a node or an explicit range; the message defaults to the rule's description.
   * `fix` describes how to fix it, as data; scans never call it, `collectFixes` does.
   */
  report(report: {
    node?: AstNode;
    start?: number;
    end?: number;
    message?: string;
    fix?: RuleFix;
    /** What a measuring rule measured: the gate judges a change by it. */
    measure?: Measure;
  }): void;
}

/** Handlers keyed by node type (`'IfStatement'`) or its exit (`'IfStatement:exit'`). */
export type RuleVisitor = Partial<
  Record<string, (node: AstNode, parent: AstNode | undefined) => void>
>;

/** A rule that inspects one file at a time through a visitor. */
export interface FileRule {
  kind: 'file';
  meta: RuleMeta;
  defaultOptions?: Readonly<Record<string, unknown>>;
  create(context: RuleContext): RuleVisitor;
}

/** What a repository rule sees: every analysed file at once. */
export interface RepositoryContext {
  files: readonly { path: string; metrics: Readonly<FileMetrics> }[];
  clones: readonly Clone[];
  /** Groups of files that import each other in a cycle (value imports only). */
  importCycles: readonly (readonly string[])[];
  options: Readonly<Record<string, unknown>>;
  report(finding: { file: string; location: Location; message: string }): void;
}

/** A rule that needs the whole repository (duplication, import cycles). */
export interface RepositoryRule {
  kind: 'repository';
  meta: RuleMeta;
  defaultOptions?: Readonly<Record<string, unknown>>;
  check(context: RepositoryContext): void;
}

export type Rule = FileRule | RepositoryRule;

/** A rule with its configuration applied, ready to run. */
export interface ActiveRule<R extends Rule = Rule> {
  rule: R;
  severity: Severity;
  options: Readonly<Record<string, unknown>>;
}
