import type { AstNode } from '../ast.js';
import { list } from './ast-utils.js';
import type { Definition, DefinitionKind, Scope, ScopeAnalysis, Variable } from './scope.js';

/**
 * What an identifier met later in the walk is: a binding, a write, a read and write, or no
 * reference at all (`skip`). No role means a plain read.
 */
export type Role =
  | { t: 'skip' }
  | { t: 'write' }
  | { t: 'readwrite' }
  | {
      t: 'bind';
      scope: Scope;
      kind: DefinitionKind;
      declaration: AstNode;
      statement: AstNode | undefined;
      exported: boolean;
      restSibling: boolean;
      decorated: boolean;
      paramIndex: number;
    };

export type Binding = Extract<Role, { t: 'bind' }>;

export const SKIP: Role = { t: 'skip' };
export const WRITE: Role = { t: 'write' };
export const READWRITE: Role = { t: 'readwrite' };

/** How a reference uses its name, as bits. */
const READ = 1;
const WRITE_BIT = 2;

/** A binding role with the defaults of a plain, unexported, undecorated declaration. */
export function bind(
  scope: Scope,
  kind: DefinitionKind,
  declaration: AstNode,
  extra: Partial<Binding> = {},
): Binding {
  return {
    t: 'bind',
    scope,
    kind,
    declaration,
    statement: undefined,
    exported: false,
    restSibling: false,
    decorated: false,
    paramIndex: -1,
    ...extra,
  };
}

/**
 * The state of one scope walk: the open scope, the roles handed down from declarations and
 * assignments to the identifiers below them, and the references met so far. The walk's visitors
 * (scope-visitors.ts) act on it; `finish` resolves the references once the walk is done.
 */
export class ScopeBuilder {
  readonly module: Scope;
  /** The innermost open scope. */
  current: Scope;
  readonly roles = new Map<AstNode, Role>();
  dynamic = false;
  hasJsx = false;
  private readonly variables: Variable[] = [];
  private readonly exportedDeclarations = new Set<AstNode>();
  private readonly ambientNodes = new Set<AstNode>();
  private ambientDepth = 0;
  // References as parallel arrays: one object per identifier would dominate the allocation.
  private readonly referenceNames: string[] = [];
  private readonly referenceScopes: Scope[] = [];
  private readonly referenceUses: number[] = [];

  constructor(readonly program: AstNode) {
    this.module = { kind: 'module', node: program, parent: undefined, variables: new Map() };
    this.current = this.module;
  }

  /** Opens a scope inside the current one; it closes when the walk leaves `node`. */
  push(kind: Scope['kind'], node: AstNode): Scope {
    this.current = { kind, node, parent: this.current, variables: new Map() };
    return this.current;
  }

  /** Where `var` declarations of the current scope go. */
  functionScope(): Scope {
    let s: Scope | undefined = this.current;
    while (s && s.kind !== 'function' && s.kind !== 'module') s = s.parent;
    return s ?? this.module;
  }

  /** Gives `node`, when there is one, a role for when the walk reaches it. */
  assign(node: AstNode | undefined, role: Role): void {
    if (node) this.roles.set(node, role);
  }

  /** Marks `node`, when there is one, as neither a binding nor a reference. */
  skip(node: AstNode | undefined): void {
    if (node) this.roles.set(node, SKIP);
  }

  markExported(declaration: AstNode | undefined): void {
    if (declaration) this.exportedDeclarations.add(declaration);
  }

  isExported(declaration: AstNode): boolean {
    return this.exportedDeclarations.has(declaration);
  }

  /** A `declare` node opens an ambient region until the walk leaves it. */
  markAmbient(node: AstNode): void {
    this.ambientNodes.add(node);
    this.ambientDepth++;
  }

  /** Binds each parameter of `fn` in `scope`; without a scope (signatures) they bind nothing. */
  setParams(fn: AstNode, scope: Scope | undefined): void {
    list(fn, 'params').forEach((param, index) => {
      if (!param) return;
      if (param.type === 'Identifier' && param.name === 'this') this.roles.set(param, SKIP);
      else if (!scope) this.roles.set(param, SKIP);
      else if (param.type === 'TSParameterProperty') {
        this.roles.set(param, bind(scope, 'param-property', fn, { paramIndex: index }));
      } else this.roles.set(param, bind(scope, 'param', fn, { paramIndex: index }));
    });
  }

  /** An identifier binds, writes, reads or does nothing, as its role says. */
  identifier(node: AstNode): void {
    const role = this.roles.get(node);
    if (role === undefined) this.reference(node.name as string, READ);
    else if (role.t === 'bind') this.declare(node, role);
    else if (role.t === 'write') this.reference(node.name as string, WRITE_BIT);
    else if (role.t === 'readwrite') this.reference(node.name as string, READ | WRITE_BIT);
  }

  /** A read of `name` from the current scope that is not an `Identifier` (JSX tag names). */
  read(name: string): void {
    this.reference(name, READ);
  }

  /** Closes what `node` opened: its scope and its ambient region. */
  leave(node: AstNode): void {
    if (this.current.node === node && this.current.parent) this.current = this.current.parent;
    // A marked node is open while the depth is positive: no lookup needed otherwise.
    if (this.ambientDepth > 0 && this.ambientNodes.has(node)) this.ambientDepth--;
  }

  /** Resolves every reference to its variable, counting reads and writes, once the walk is done. */
  finish(file: string): ScopeAnalysis {
    const unresolved = this.resolveReferences();
    const commonJs =
      unresolved.has('require') || unresolved.has('module') || unresolved.has('exports');
    return {
      module: this.module,
      variables: this.variables,
      topLevelIsLocal:
        this.program.sourceType === 'module' || /\.[cm][jt]sx?$/.test(file) || commonJs,
      dynamic: this.dynamic,
      hasJsx: this.hasJsx,
      unresolved,
    };
  }

  private declare(name: AstNode, role: Binding): void {
    const key = name.name as string;
    let variable = role.scope.variables.get(key);
    if (!variable) {
      variable = { name: key, scope: role.scope, definitions: [], reads: 0, writes: 0 };
      role.scope.variables.set(key, variable);
      this.variables.push(variable);
    }
    const definition: Definition = {
      kind: role.kind,
      name,
      declaration: role.declaration,
      statement: role.statement,
      exported: role.exported,
      ambient: this.ambientDepth > 0,
      restSibling: role.restSibling,
      decorated: role.decorated,
      paramIndex: role.paramIndex,
    };
    variable.definitions.push(definition);
  }

  private reference(name: string, uses: number): void {
    this.referenceNames.push(name);
    this.referenceScopes.push(this.current);
    this.referenceUses.push(uses);
  }

  /** Counts each reference on the variable it resolves to; returns the names that resolve to none. */
  private resolveReferences(): Set<string> {
    const unresolved = new Set<string>();
    const scopes = this.referenceScopes;
    const uses = this.referenceUses;
    this.referenceNames.forEach((name, i) => {
      const variable = lookup(name, scopes[i]);
      if (!variable) {
        unresolved.add(name);
        return;
      }
      // The three arrays grow together: `uses[i]` is always there.
      const use = uses[i] ?? 0;
      if ((use & READ) !== 0) variable.reads++;
      if ((use & WRITE_BIT) !== 0) variable.writes++;
    });
    return unresolved;
  }
}

/** The variable `name` means in `scope`: its own, or the nearest enclosing scope's. */
function lookup(name: string, scope: Scope | undefined): Variable | undefined {
  for (let s = scope; s; s = s.parent) {
    const variable = s.variables.get(name);
    if (variable) return variable;
  }
  return undefined;
}
