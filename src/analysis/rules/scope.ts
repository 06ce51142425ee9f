import { walk, type AstNode } from '../ast.js';
import { ScopeBuilder } from './scope-builder.js';
import { SCOPE_VISITORS } from './scope-visitors.js';

/**
 * A small scope analysis shared by the rules about bindings (unused-import, unused-variable,
 * prefer-const). One extra walk per file, memoised on the program node.
 *
 * Model: lexical scopes for modules, functions, blocks, loops, catch clauses, classes and TS type
 * parameter lists; `var` hoists to the function; types and values share one namespace (a reference
 * to either marks both, which can hide a finding but never invent one). Reads and writes are told
 * apart: `x = 1` writes, `x += 1` and `x++` read and write, everything else reads.
 */

export type DefinitionKind =
  | 'var'
  | 'let'
  | 'const'
  | 'using'
  | 'function'
  | 'function-name'
  | 'class'
  | 'class-name'
  | 'import'
  | 'param'
  | 'param-property'
  | 'catch'
  | 'type'
  | 'enum'
  | 'namespace'
  | 'type-param';

export interface Definition {
  kind: DefinitionKind;
  /** The binding identifier. */
  name: AstNode;
  /** The declarator, specifier, function, class or type declaration. */
  declaration: AstNode;
  /** The statement holding it (`VariableDeclaration`, `ImportDeclaration`), if any. */
  statement: AstNode | undefined;
  exported: boolean;
  /** Inside `declare`, `declare module`, `declare global`: a description of something elsewhere. */
  ambient: boolean;
  /** An object-pattern binding next to a `...rest` element: it exists to leave the rest. */
  restSibling: boolean;
  decorated: boolean;
  /** For parameters: the function and the parameter's position. */
  paramIndex: number;
}

export interface Scope {
  kind: 'module' | 'function' | 'block' | 'class' | 'catch' | 'type';
  node: AstNode;
  parent: Scope | undefined;
  variables: Map<string, Variable>;
}

export interface Variable {
  name: string;
  scope: Scope;
  definitions: Definition[];
  reads: number;
  writes: number;
}

export interface ScopeAnalysis {
  module: Scope;
  variables: Variable[];
  /** Top-level declarations are file-local: ES module, CommonJS, or `.mjs`/`.cjs`/`.mts`/`.cts`. */
  topLevelIsLocal: boolean;
  /** Direct `eval` or `with` defeat static analysis; binding rules stay silent then. */
  dynamic: boolean;
  hasJsx: boolean;
  /** Names referenced but declared nowhere in the file (globals). */
  unresolved: Set<string>;
}

const cache = new WeakMap<AstNode, ScopeAnalysis>();

/** Analyses the bindings of a program once; later calls with the same program are free. */
export function analyzeScopes(program: AstNode, file: string): ScopeAnalysis {
  const cached = cache.get(program);
  if (cached) return cached;
  const result = analyze(program, file);
  cache.set(program, result);
  return result;
}

/** One walk: identifiers bind or refer as their roles say; other nodes go to their visitor. */
function analyze(program: AstNode, file: string): ScopeAnalysis {
  const builder = new ScopeBuilder(program);
  walk(program, {
    enter(node, parent) {
      if (node.type === 'Identifier') builder.identifier(node);
      else SCOPE_VISITORS.get(node.type)?.(builder, node, parent);
    },
    leave(node) {
      builder.leave(node);
    },
  });
  return builder.finish(file);
}

/** Every name declared anywhere in the file, at any depth. */
export function declaredNames(program: AstNode, file: string): Set<string> {
  return new Set(analyzeScopes(program, file).variables.map((v) => v.name));
}
