import type { EcmaScriptModule } from 'oxc-parser';
import type { Finding, FunctionMetrics, Lang } from '../core/index.js';
import { LineIndex, type AstNode } from './ast.js';
import { NO_FINGERPRINTS, createTokenizer, fingerprint, type Fingerprints } from './duplication.js';
import { computeMetrics, type LocalFileMetrics } from './metrics/index.js';
import { langOf, parseSource } from './parse.js';
import { resolveRuleOptions } from './rule-config.js';
import { runFileRules } from './rules/engine.js';
import { fileRules } from './rules/index.js';
import { PARSE_ERROR_META } from './rules/parse-error.js';
import { parseSuppressions, type FileSuppressions } from './suppressions.js';
import type { ActiveRule, FileRule } from './rules/types.js';

/**
 * Bump when analysis output changes shape or meaning, so cached results are not reused. That
 * includes scores and repository rules: a rescan of an unchanged repository reuses those too.
 */
export const ANALYZER_VERSION = 9;

/** Serializable rule settings passed to workers: active file rules by id. */
export interface RuleSettings {
  rules: { id: string; severity: FileRule['meta']['severity']; options: Record<string, unknown> }[];
  minTokens: number;
}

/** Everything learned from one file on its own; cached by content hash. */
export interface FileAnalysis {
  path: string;
  hash: string;
  lang: Lang;
  metrics: LocalFileMetrics;
  functions: FunctionMetrics[];
  findings: Finding[];
  /** Module specifiers it imports (static, dynamic with a literal, require) and whether type-only. */
  imports: { specifier: string; typeOnly: boolean }[];
  fingerprints: Fingerprints;
  parseError?: string;
  /** Its suppression comments, applied once every rule has reported; absent when it has none. */
  suppressions?: FileSuppressions;
}

const ruleById = new Map(fileRules.map((r) => [r.meta.id, r]));

export function activateRules(settings: RuleSettings): ActiveRule<FileRule>[] {
  const active: ActiveRule<FileRule>[] = [];
  for (const setting of settings.rules) {
    const rule = ruleById.get(setting.id);
    if (!rule) continue;
    active.push({
      rule,
      severity: setting.severity,
      options: resolveRuleOptions(rule, setting.options),
    });
  }
  return active;
}

/** Adds `require('x')` and `import('x')` with literal specifiers; static imports come from the parser. */
function collectDynamicImport(
  node: AstNode,
  out: { specifier: string; typeOnly: boolean }[],
): void {
  if (node.type === 'CallExpression') {
    const callee = node.callee as AstNode;
    const args = node.arguments as AstNode[];
    const first = args[0];
    if (
      callee.type === 'Identifier' &&
      callee.name === 'require' &&
      args.length === 1 &&
      first?.type === 'Literal' &&
      typeof first.value === 'string'
    ) {
      out.push({ specifier: first.value, typeOnly: false });
    }
  } else if (node.type === 'ImportExpression') {
    const source = node.source as AstNode;
    if (source.type === 'Literal' && typeof source.value === 'string') {
      out.push({ specifier: source.value, typeOnly: false });
    }
  }
}

/** Module specifiers of static imports and re-exports, as the parser lists them. */
function staticImports(module: EcmaScriptModule): { specifier: string; typeOnly: boolean }[] {
  const imports: { specifier: string; typeOnly: boolean }[] = [];
  for (const imp of module.staticImports) {
    imports.push({
      specifier: imp.moduleRequest.value,
      typeOnly: imp.entries.length > 0 && imp.entries.every((e) => e.isType),
    });
  }
  for (const exp of module.staticExports) {
    for (const entry of exp.entries) {
      if (entry.moduleRequest)
        imports.push({ specifier: entry.moduleRequest.value, typeOnly: entry.isType });
    }
  }
  return imports;
}

/** Parses and analyses one file: metrics, file-rule findings, imports and clone fingerprints. */
export function analyzeFile(
  file: string,
  source: string,
  hash: string,
  settings: RuleSettings,
  rules: readonly ActiveRule<FileRule>[] = activateRules(settings),
): FileAnalysis {
  const lang = langOf(file);
  const parsed = parseSource(file, source, lang);
  const lines = new LineIndex(source);
  if (parsed.error !== undefined) {
    const at = parsed.errorOffset ?? 0;
    // The recovered program is empty, so this counts lines from the text and zeroes the rest; a
    // file that does not parse is not maintainable as it stands.
    const { file: partial } = computeMetrics({
      program: parsed.program,
      source,
      lines,
      comments: parsed.comments,
    });
    return {
      path: file,
      hash,
      lang,
      parseError: parsed.error,
      metrics: { ...partial, maintainability: 0 },
      functions: [],
      findings: [
        {
          ruleId: PARSE_ERROR_META.id,
          category: PARSE_ERROR_META.category,
          severity: PARSE_ERROR_META.severity,
          message: `Cannot parse: ${parsed.error}`,
          file,
          location: lines.location(at, at),
          effortMinutes: PARSE_ERROR_META.effortMinutes,
          fixability: PARSE_ERROR_META.fixability,
        },
      ],
      imports: [],
      fingerprints: NO_FINGERPRINTS,
    };
  }
  const { file: metrics, functions } = computeMetrics({
    program: parsed.program,
    source,
    lines,
    comments: parsed.comments,
  });
  const imports = staticImports(parsed.module);
  // Clone tokens and dynamic imports are collected on the rules' walk.
  const tokenizer = createTokenizer(lines, (node) => collectDynamicImport(node, imports));
  const findings = runFileRules(rules, {
    file,
    source,
    lang,
    program: parsed.program,
    lines,
    comments: parsed.comments,
    fileMetrics: { ...metrics, duplicatedLines: 0, fanIn: 0, fanOut: 0 },
    functions,
    onNode: tokenizer.enter,
  });
  const program = parsed.program as AstNode & { body: AstNode[] };
  const suppressions = parseSuppressions(
    parsed.comments,
    lines,
    program.body[0]?.start ?? source.length,
  );
  return {
    path: file,
    hash,
    lang,
    metrics,
    functions,
    findings,
    imports,
    fingerprints: fingerprint(tokenizer.tokens(), settings.minTokens),
    ...(suppressions ? { suppressions } : {}),
  };
}
