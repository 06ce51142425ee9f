import { isFunction, type AstNode } from '../ast.js';
import { z } from 'zod';
import { field, list, nodes } from './ast-utils.js';
import { removeDeclaration, titled } from './fix-utils.js';
import { regExpOption } from './options.js';
import { analyzeScopes, type DefinitionKind, type ScopeAnalysis, type Variable } from './scope.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

const REPORTED: ReadonlySet<DefinitionKind> = new Set([
  'var',
  'let',
  'const',
  'function',
  'class',
  'type',
  'enum',
  'catch',
  'param',
]);

function isWholeParameter(name: AstNode, param: AstNode | null | undefined): boolean {
  if (!param) return false;
  if (param === name) return true;
  if (param.type === 'AssignmentPattern') return param.left === name;
  if (param.type === 'RestElement') return param.argument === name;
  return false;
}

function describe(variable: Variable): string {
  const kind = variable.definitions[0]!.kind;
  if (kind === 'function' || kind === 'class' || kind === 'type' || kind === 'enum') {
    return `'${variable.name}' is defined but never used.`;
  }
  if (variable.writes > 0) return `'${variable.name}' is assigned a value but never used.`;
  return `'${variable.name}' is declared but never used.`;
}

const PURE_WRAPPERS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
]);
const SAFE_GLOBALS = new Set(['undefined', 'NaN', 'Infinity']);

function isPureUnary(node: AstNode, analysis: ScopeAnalysis): boolean {
  const argument = field(node, 'argument');
  if (!argument) return false;
  switch (node.operator) {
    case 'typeof':
      return argument.type === 'Identifier' || isPure(argument, analysis);
    case '!':
    case 'void':
      return isPure(argument, analysis);
    default:
      // `-x` calls `x.valueOf()`; only a number literal is certainly inert.
      return argument.type === 'Literal' && typeof argument.value === 'number';
  }
}

function isPureObject(node: AstNode, analysis: ScopeAnalysis): boolean {
  return nodes(node, 'properties').every((property) => {
    if (property.type !== 'Property') return false;
    const key = field(property, 'key');
    if (property.computed && key?.type !== 'Literal') return false;
    return isPure(field(property, 'value'), analysis);
  });
}

/**
 * Whether evaluating an initialiser can have no effect: literals, names declared in the file,
 * functions, and objects and arrays of those. Reading an undeclared global can throw.
 */
function isPure(node: AstNode | undefined, analysis: ScopeAnalysis): boolean {
  if (!node) return true;
  if (PURE_WRAPPERS.has(node.type)) return isPure(field(node, 'expression'), analysis);
  switch (node.type) {
    case 'Literal':
      return true;
    case 'Identifier':
      return SAFE_GLOBALS.has(node.name as string) || !analysis.unresolved.has(node.name as string);
    case 'TemplateLiteral':
      return list(node, 'expressions').length === 0;
    case 'UnaryExpression':
      return isPureUnary(node, analysis);
    case 'ObjectExpression':
      return isPureObject(node, analysis);
    case 'ArrayExpression':
      return list(node, 'elements').every(
        (e) => e === null || (e.type !== 'SpreadElement' && isPure(e, analysis)),
      );
    default:
      return isFunction(node);
  }
}

/** A class whose definition runs no code: no heritage, static initialisers or computed keys. */
function isInertClass(node: AstNode): boolean {
  if (field(node, 'superClass')) return false;
  return nodes(field(node, 'body'), 'body').every((member) => {
    if (member.type === 'StaticBlock' || member.computed === true) return false;
    if (list(member, 'decorators').length > 0) return false;
    return !(
      member.static === true &&
      field(member, 'value') &&
      !isFunction(field(member, 'value')!)
    );
  });
}

/** `const a = 1, b = 2;` without `a`: the declarator and its comma, or the whole statement. */
function removeDeclarator(
  context: RuleContext,
  statement: AstNode,
  declarator: AstNode,
): TextEdit | undefined {
  const declarators = nodes(statement, 'declarations');
  if (declarators.length === 1) return removeDeclaration(context, statement);
  const at = declarators.indexOf(declarator);
  const next = declarators[at + 1];
  return next
    ? { start: declarator.start, end: next.start, text: '' }
    : { start: declarators[at - 1]!.end, end: declarator.end, text: '' };
}

/** Removes an unused declaration when that certainly changes nothing else. */
function removeUnused(
  context: RuleContext,
  analysis: ScopeAnalysis,
  variable: Variable,
): TextEdit | undefined {
  const [definition, ...others] = variable.definitions;
  if (!definition || others.length > 0 || variable.writes > 0) return undefined;
  const { kind, declaration, statement } = definition;
  switch (kind) {
    case 'var':
    case 'let':
    case 'const': {
      // A name in a pattern leaves the others; an initialiser may have effects.
      const whole = statement && field(declaration, 'id') === definition.name;
      return whole && isPure(field(declaration, 'init'), analysis)
        ? removeDeclarator(context, statement, declaration)
        : undefined;
    }
    case 'class':
      return isInertClass(declaration) ? removeDeclaration(context, declaration) : undefined;
    case 'function':
    case 'type':
      return declaration.type === 'TSDeclareFunction'
        ? undefined
        : removeDeclaration(context, declaration);
    default:
      return undefined;
  }
}

const options = z.strictObject({
  params: z
    .enum(['none', 'after-used'])
    .default('none')
    .describe('`after-used` also reports unused parameters after the last one that is used.'),
  ignorePattern: regExpOption(
    '^_',
    'Names matching this regular expression are never reported; empty for none.',
  ),
  caughtErrors: z
    .boolean()
    .default(true)
    .describe('Whether an unused `catch (error)` binding is reported.'),
});

/** For "after-used": the last parameter position each function reads. */
function lastUsedParams(analysis: ScopeAnalysis, params: string): Map<AstNode, number> {
  const lastUsed = new Map<AstNode, number>();
  if (params !== 'after-used') return lastUsed;
  for (const variable of analysis.variables) {
    const def = variable.definitions[0]!;
    if (def.kind !== 'param' || variable.reads === 0) continue;
    const last = lastUsed.get(def.declaration) ?? -1;
    lastUsed.set(def.declaration, Math.max(last, def.paramIndex));
  }
  return lastUsed;
}

/** Exported, ambient, decorated, rest siblings and kinds the rule does not judge are never reported. */
function excused(variable: Variable): boolean {
  return variable.definitions.some(
    (d) => !REPORTED.has(d.kind) || d.exported || d.ambient || d.decorated || d.restSibling,
  );
}

interface UnusedCheck {
  params: string;
  caughtErrors: boolean;
  ignore: RegExp | undefined;
  lastUsed: ReadonlyMap<AstNode, number>;
}

/** Whether an unread variable is reported, as the options say. */
function isReported(variable: Variable, analysis: ScopeAnalysis, check: UnusedCheck): boolean {
  if (variable.reads > 0 || excused(variable)) return false;
  if (check.ignore?.test(variable.name)) return false;
  if (variable.scope === analysis.module && !analysis.topLevelIsLocal) return false;
  const first = variable.definitions[0]!;
  if (first.kind === 'catch') return check.caughtErrors;
  if (first.kind !== 'param') return true;
  if (check.params !== 'after-used') return false;
  // A name destructured from a parameter can always be dropped; a whole parameter only when no
  // later parameter is used.
  const after = first.paramIndex > (check.lastUsed.get(first.declaration) ?? -1);
  return (
    after || !isWholeParameter(first.name, list(first.declaration, 'params')[first.paramIndex])
  );
}

export const unusedVariable: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'unused-variable',
    category: 'unused',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'safe-fix',
    eslint: 'no-unused-vars',
    description: 'Local variables, functions, classes and types should be used.',
    docs: 'A declaration that nothing reads is dead code: it misleads readers and often hides a bug (a typo, a forgotten call). Remove it; keep the initializer as a statement if it has side effects. Exported, `declare`d and decorated declarations, `_`-prefixed names, and object-destructuring siblings of a `...rest` are ignored; so are top-level declarations of scripts, which other scripts may use. Parameters are only checked with `params: "after-used"`.',
  },
  options,
  create(context) {
    if (/\.d\.[cm]?ts$/.test(context.file)) return {};
    const { params, caughtErrors, ignorePattern: pattern } = context.options;
    const ignore = pattern === '' ? undefined : new RegExp(pattern);
    return {
      Program(program) {
        const analysis = analyzeScopes(program, context.file);
        if (analysis.dynamic) return;
        const check = { params, caughtErrors, ignore, lastUsed: lastUsedParams(analysis, params) };
        for (const variable of analysis.variables) {
          if (!isReported(variable, analysis, check)) continue;
          const first = variable.definitions[0]!;
          context.report({
            node: first.name,
            message: describe(variable),
            fix: () =>
              titled(
                `Remove the unused '${variable.name}'`,
                removeUnused(context, analysis, variable),
              ),
          });
        }
      },
    };
  },
};
