import type * as TS from 'typescript';
import type { TypeScriptModule } from '../../fixes/index.js';

/**
 * A safety check on a TypeScript change before it is proposed:
 * - `pure-deletion`: only deletes, and the deleted code has no side effects (no call, `new`,
 *   `await`, assignment...), since TypeScript deletes `const x = f()` whole; nor a parameter of
 *   an exported function, since TypeScript only checks calls in the same file;
 * - `keeps-hoisted`: deletes no function, class, type, import or `var` declaration, which other
 *   code may still reach although it sits after a `return`;
 * - `not-exported`: the function is not part of the module's exports, whose callers outside the
 *   project TypeScript cannot update.
 */
export type TsFixGuard = 'pure-deletion' | 'keeps-hoisted' | 'not-exported';

/** A range of offsets, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** What a guard looks at: a node inside a deleted range is `found`, `skip`ped or searched. */
type Verdict = 'found' | 'skip' | 'descend';

/** Whether a node entirely inside `[start, end)` of the file gets the verdict `found`. */
function findInRange(
  sourceFile: TS.SourceFile,
  range: Span,
  judge: (node: TS.Node) => Verdict,
  ts: TypeScriptModule,
): boolean {
  const visit = (node: TS.Node): boolean => {
    if (node.end <= range.start || node.pos >= range.end) return false;
    if (node.getStart(sourceFile) >= range.start && node.end <= range.end) {
      const verdict = judge(node);
      if (verdict !== 'descend') return verdict === 'found';
    }
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(sourceFile);
}

type KindName = keyof typeof TS.SyntaxKind;

const EFFECT_KINDS: readonly KindName[] = [
  'CallExpression',
  'NewExpression',
  'AwaitExpression',
  'YieldExpression',
  'TaggedTemplateExpression',
  'DeleteExpression',
  'Decorator',
];

const HOISTED_KINDS: readonly KindName[] = [
  'FunctionDeclaration',
  'ClassDeclaration',
  'InterfaceDeclaration',
  'TypeAliasDeclaration',
  'EnumDeclaration',
  'ModuleDeclaration',
  'ImportDeclaration',
  'ImportEqualsDeclaration',
  'ExportDeclaration',
  'ExportAssignment',
];

/** Kind numbers differ between TypeScript versions: resolve the names for each module. */
const kindSets = new WeakMap<TypeScriptModule, { effects: Set<number>; hoisted: Set<number> }>();

function kindsOf(ts: TypeScriptModule): { effects: Set<number>; hoisted: Set<number> } {
  let kinds = kindSets.get(ts);
  if (!kinds) {
    const resolve = (names: readonly KindName[]) => new Set(names.map((n) => ts.SyntaxKind[n]));
    kinds = { effects: resolve(EFFECT_KINDS), hoisted: resolve(HOISTED_KINDS) };
    kindSets.set(ts, kinds);
  }
  return kinds;
}

/** Side effects when the code runs; function bodies only run when called. Getters are trusted. */
function judgeEffect(ts: TypeScriptModule, node: TS.Node): Verdict {
  if (kindsOf(ts).effects.has(node.kind)) return 'found';
  if (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) {
    const update = node.operator === ts.SyntaxKind.PlusPlusToken;
    return update || node.operator === ts.SyntaxKind.MinusMinusToken ? 'found' : 'descend';
  }
  if (ts.isBinaryExpression(node)) {
    const kind = node.operatorToken.kind;
    const assigns = kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
    return assigns ? 'found' : 'descend';
  }
  return ts.isFunctionLike(node) ? 'skip' : 'descend';
}

/** Declarations that other code may reach although they come after a jump. */
function judgeHoisted(ts: TypeScriptModule, node: TS.Node): Verdict {
  if (kindsOf(ts).hoisted.has(node.kind)) return 'found';
  if (ts.isVariableDeclarationList(node)) {
    return node.flags & ts.NodeFlags.BlockScoped ? 'skip' : 'found';
  }
  return ts.isFunctionLike(node) ? 'skip' : 'descend';
}

/** Whether every change only removes code, and the removed code passes `judge`. */
function deletesOnly(
  ts: TypeScriptModule,
  program: TS.Program,
  changes: readonly TS.FileTextChanges[],
  judge: (ts: TypeScriptModule, node: TS.Node) => Verdict,
): boolean {
  return changes.every((change) => {
    const sourceFile = program.getSourceFile(change.fileName);
    if (!sourceFile) return false;
    return change.textChanges.every((edit) => {
      if (/[\p{L}\p{N}_$]/u.test(edit.newText)) return false;
      const range = { start: edit.span.start, end: edit.span.start + edit.span.length };
      return !findInRange(sourceFile, range, (node) => judge(ts, node), ts);
    });
  });
}

/** The innermost function whose head (or whole) covers the span, as the scanner reports it. */
function functionAt(
  ts: TypeScriptModule,
  sourceFile: TS.SourceFile,
  span: Span,
): TS.SignatureDeclaration | undefined {
  let found: TS.SignatureDeclaration | undefined;
  const visit = (node: TS.Node): void => {
    if (node.getStart(sourceFile) > span.start || node.end < span.end) return;
    if (ts.isFunctionLike(node)) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** The declaration whose name other modules would import to reach the function. */
function apiDeclaration(ts: TypeScriptModule, fn: TS.Node): TS.Node | undefined {
  for (let node: TS.Node | undefined = fn; node; node = node.parent) {
    if (ts.isExportAssignment(node)) return node;
    if (ts.isFunctionDeclaration(node) || ts.isClassLike(node) || ts.isVariableDeclaration(node)) {
      return node.name ? node : undefined;
    }
  }
  return undefined;
}

/** Whether a function is reachable from outside its file: exported, or global in a script. */
function isExportedFunction(ts: TypeScriptModule, program: TS.Program, fn: TS.Node): boolean {
  const declaration = apiDeclaration(ts, fn);
  if (!declaration || ts.isExportAssignment(declaration)) return true;
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(fn.getSourceFile());
  const name = (declaration as TS.NamedDeclaration).name;
  const symbol = name && checker.getSymbolAtLocation(name);
  if (!moduleSymbol || !symbol) return true;
  const own = checker.getExportSymbolOfSymbol(symbol);
  return checker.getExportsOfModule(moduleSymbol).some((exported) => {
    const target =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    return checker.getExportSymbolOfSymbol(target) === own || exported === own;
  });
}

function isExportedAt(
  ts: TypeScriptModule,
  program: TS.Program,
  fileName: string,
  span: Span,
): boolean {
  const sourceFile = program.getSourceFile(fileName);
  const fn = sourceFile && functionAt(ts, sourceFile, span);
  return !fn || isExportedFunction(ts, program, fn);
}

/**
 * Whether a change deletes a parameter of an exported function. TypeScript deletes a parameter
 * when no call passes it, but only looks for calls in the function's own file.
 */
function deletesExportedParameter(
  ts: TypeScriptModule,
  program: TS.Program,
  changes: readonly TS.FileTextChanges[],
): boolean {
  const judge = (node: TS.Node): Verdict => {
    if (!ts.isParameter(node)) return 'descend';
    return isExportedFunction(ts, program, node.parent) ? 'found' : 'skip';
  };
  return changes.some((change) => {
    const sourceFile = program.getSourceFile(change.fileName);
    return change.textChanges.some((edit) => {
      const range = { start: edit.span.start, end: edit.span.start + edit.span.length };
      return sourceFile !== undefined && findInRange(sourceFile, range, judge, ts);
    });
  });
}

/** What a guard judges: TypeScript's changes, and the finding's file and span. */
export interface GuardTarget {
  program: TS.Program;
  fileName: string;
  span: Span;
  changes: readonly TS.FileTextChanges[];
}

/** Whether a change passes the guard; no guard passes everything. */
export function passesGuard(
  ts: TypeScriptModule,
  guard: TsFixGuard | undefined,
  target: GuardTarget,
): boolean {
  const { program, changes } = target;
  if (guard === 'pure-deletion') {
    return (
      deletesOnly(ts, program, changes, judgeEffect) &&
      !deletesExportedParameter(ts, program, changes)
    );
  }
  if (guard === 'keeps-hoisted') return deletesOnly(ts, program, changes, judgeHoisted);
  if (guard === 'not-exported') return !isExportedAt(ts, program, target.fileName, target.span);
  return true;
}
