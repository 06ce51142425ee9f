import { type TextEdit } from '../../core/index.js';
import type { Comment } from 'oxc-parser';
import type { z } from 'zod';
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
 * A rule's options, declared once: a strict zod object in which every option has its type, its
 * default and a description. Config is validated against it, `create` receives its output, and the
 * editor JSON schema and `beast rules --docs` are generated from it.
 */
export type RuleOptionsSchema = z.ZodObject<z.ZodRawShape, z.core.$strict>;

/** The options a rule's schema yields: validated, with every default filled in. */
export type RuleOptions<S extends RuleOptionsSchema = RuleOptionsSchema> = Readonly<z.output<S>>;

/** One finding's fix: the edits, and the commit subject that says what they do. */
export interface RuleFixResult {
  /** One line, e.g. "Use const for 'total'"; becomes the change's title. */
  title: string;
  edits: TextEdit[] | TextEdit;
}

/**
 * Computes the fix of one finding, or undefined when no fix is certainly safe. Edits are offsets
 * into `RuleContext.source`. Only called when fixes are collected, never in normal scans. Only a
 * rule whose `meta.fixability` is `safe-fix` may report one.
 */
export type RuleFix = () => RuleFixResult | undefined;

/** What a file rule sees. */
export interface RuleContext<Options extends RuleOptions = RuleOptions> {
  /** Repository-relative path. */
  file: string;
  source: string;
  lang: Lang;
  /** The whole file's AST, for rules that need more than the node at hand. */
  program: AstNode;
  lines: LineIndex;
  comments: readonly Comment[];
  /** Options from config, validated by the rule's `options` schema, defaults filled in. */
  options: Options;
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
export interface FileRule<S extends RuleOptionsSchema = RuleOptionsSchema> {
  kind: 'file';
  meta: RuleMeta;
  /** Its options; a rule without this field takes none. */
  options?: S;
  create(context: RuleContext<RuleOptions<S>>): RuleVisitor;
}

/** What a repository rule sees: every analysed file at once. */
export interface RepositoryContext {
  files: readonly { path: string; metrics: Readonly<FileMetrics> }[];
  clones: readonly Clone[];
  /** Groups of files that import each other in a cycle (value imports only). */
  importCycles: readonly (readonly string[])[];
  options: RuleOptions;
  report(finding: { file: string; location: Location; message: string }): void;
}

/** A rule that needs the whole repository (duplication, import cycles). */
export interface RepositoryRule {
  kind: 'repository';
  meta: RuleMeta;
  /** Its options; a rule without this field takes none. */
  options?: RuleOptionsSchema;
  check(context: RepositoryContext): void;
}

export type Rule = FileRule | RepositoryRule;

/** A rule with its configuration applied, ready to run. */
export interface ActiveRule<R extends Rule = Rule> {
  rule: R;
  severity: Severity;
  /** Validated by the rule's schema, defaults filled in. */
  options: RuleOptions;
}
