import { isFunction, type AstNode } from '../ast.js';
import { field, nodes } from './ast-utils.js';
import {
  isStatementList,
  parentOf,
  patternIdentifiers,
  referencesTo,
  type Reference,
} from './fix-utils.js';
import { analyzeScopes, type ScopeAnalysis, type Variable } from './scope.js';
import type { FileRule, RuleContext, TextEdit } from './types.js';

const LOOPS = new Set([
  'ForStatement',
  'ForInStatement',
  'ForOfStatement',
  'WhileStatement',
  'DoWhileStatement',
]);

/** Whether `node` is the head of a `for` loop: `for (var i = 0; ...)`, `for (var k in o)`. */
function isLoopHead(node: AstNode, holder: AstNode): boolean {
  return (
    (holder.type === 'ForStatement' && field(holder, 'init') === node) ||
    ((holder.type === 'ForInStatement' || holder.type === 'ForOfStatement') &&
      field(holder, 'left') === node)
  );
}

/** Whether a loop runs the declaration more than once within one call of its function. */
function inLoop(program: AstNode, node: AstNode): boolean {
  for (let at = parentOf(program, node); at && !isFunction(at); at = parentOf(program, at)) {
    if (LOOPS.has(at.type)) return true;
  }
  return false;
}

function contains(outer: AstNode, inner: AstNode): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * Whether a block-scoped binding would see every use the `var` sees: each use comes after the
 * declarator, inside the block, and not from a closure that could run earlier (a hoisted function)
 * or keep an older iteration's binding (a loop).
 */
function usesStayInBlock(
  uses: readonly Reference[],
  declarator: AstNode,
  region: AstNode,
  looped: boolean,
): boolean {
  return uses.every(({ node, ancestors }) => {
    if (node.start < declarator.end || !contains(region, node)) return false;
    const inside = ancestors.filter((a) => contains(region, a) && a !== region);
    if (inside.some((a) => a.type.startsWith('Export'))) return false;
    const closures = inside.filter(isFunction);
    if (closures.length === 0) return true;
    return !looped && !closures.some((f) => f.type === 'FunctionDeclaration');
  });
}

/** Another variable of the same name around the declaration in its function: a catch parameter. */
function shadowsAround(analysis: ScopeAnalysis, variable: Variable, node: AstNode): boolean {
  return analysis.variables.some(
    (other) =>
      other !== variable &&
      other.name === variable.name &&
      contains(other.scope.node, node) &&
      contains(variable.scope.node, other.scope.node),
  );
}

/** Whether every variable the declaration makes would keep its uses as a block-scoped one. */
function variablesStay(
  analysis: ScopeAnalysis,
  variables: readonly Variable[],
  node: AstNode,
  region: { holder: AstNode; looped: boolean },
): boolean {
  return variables.every((variable) => {
    const [definition, ...others] = variable.definitions;
    if (!definition || others.length > 0 || shadowsAround(analysis, variable, node)) return false;
    const declarator = definition.declaration;
    const bindings = patternIdentifiers(field(declarator, 'id'));
    const uses = referencesTo(variable.scope.node, variable.name).filter(
      (r) => !bindings.includes(r.node),
    );
    return usesStayInBlock(uses, declarator, region.holder, region.looped);
  });
}

/**
 * `var` -> `const` (never reassigned, always initialised) or `let`, when block scoping cannot
 * change what any use sees. Top-level `var`s of scripts are globals and stay.
 */
function replaceVar(context: RuleContext, node: AstNode): TextEdit | undefined {
  const { program, source } = context;
  const analysis = analyzeScopes(program, context.file);
  const holder = parentOf(program, node);
  if (analysis.dynamic || !holder || !source.startsWith('var', node.start)) return undefined;
  const head = isLoopHead(node, holder);
  if (!head && !isStatementList(holder)) return undefined;
  if (holder.type === 'Program' && !analysis.topLevelIsLocal) return undefined;
  const looped = inLoop(program, node);
  const declarators = nodes(node, 'declarations');
  const initialised = declarators.every((d) => field(d, 'init'));
  // A `var` without a value keeps the last iteration's; a `let` starts again from undefined.
  if (looped && !head && !initialised) return undefined;
  const variables = analysis.variables.filter((v) =>
    v.definitions.some((d) => d.statement === node),
  );
  if (!variablesStay(analysis, variables, node, { holder, looped })) return undefined;
  // As prefer-const would have it, or `let` would be reported next.
  const assigned = initialised || (head && holder.type !== 'ForStatement');
  const constant = assigned && variables.every((v) => v.writes === 0);
  return { start: node.start, end: node.start + 3, text: constant ? 'const' : 'let' };
}

function isAmbientModule(node: AstNode): boolean {
  return node.declare === true || node.global === true || field(node, 'id')?.type === 'Literal';
}

export const noVar: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-var',
    category: 'maintainability',
    severity: 'minor',
    effortMinutes: 2,
    fixability: 'safe-fix',
    eslint: 'no-var',
    description: '`var` should not be used; use `let` or `const`.',
    docs: '`var` is function-scoped and hoisted, so a variable is visible (as undefined) before its declaration and leaks out of blocks and loops, a classic source of closure bugs. Use `const`, or `let` when the variable is reassigned. Converting can change behaviour when the variable is used before its declaration or outside its block, so review each change. `declare global { var x: T }` is allowed.',
  },
  create(context) {
    let ambient = 0;
    return {
      TSModuleDeclaration(node) {
        if (isAmbientModule(node)) ambient++;
      },
      'TSModuleDeclaration:exit'(node) {
        if (isAmbientModule(node)) ambient--;
      },
      VariableDeclaration(node) {
        if (node.kind !== 'var' || node.declare === true || ambient > 0) return;
        context.report({
          start: node.start,
          end: node.start + 3,
          message: "Unexpected 'var'; use 'let' or 'const'.",
          fix: () => {
            const edit = replaceVar(context, node);
            return edit && { title: `Use ${edit.text} instead of var`, edits: edit };
          },
        });
      },
    };
  },
};
