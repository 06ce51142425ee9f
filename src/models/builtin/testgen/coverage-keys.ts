import ts from 'typescript';
import type { KeyProbe } from './child-protocol.js';

/**
 * Coverage keys of a module: one per line holding statements (`s:<line>`) and one per branch arm
 * (`b:<line>:<n>`, the n-th arm starting on that line: `then`/`else`, `?:` arms, the right side of
 * `&&`/`||`/`??`, `case` clauses), each probed at an offset of the text V8 executes. Lines are the
 * original file's: for TypeScript the executed text is the transpiled one, mapped back through the
 * transpiler's source map.
 */
export interface KeyTable {
  /** The text the child runs (the file's own for JavaScript). */
  text: string;
  probes: KeyProbe[];
  /** Original line (1-based) of each key. */
  lines: Map<string, number>;
}

const TS_FILE = /\.(ts|tsx|mts|cts)$/;

export function isTypeScriptFile(file: string): boolean {
  return TS_FILE.test(file) && !file.endsWith('.d.ts');
}

/**
 * The text the child executes for a file: itself for JavaScript; for TypeScript, `transpileModule`
 * to an ES module, with `require`/`__dirname`/`__filename` defined on the first line when the code
 * uses them (so the lines stay), and a map from executed to original lines.
 */
export function executedText(
  file: string,
  source: string,
): { text: string; originalLine: (line: number, column: number) => number } {
  if (!isTypeScriptFile(file)) return { text: source, originalLine: (line) => line };
  const { outputText, sourceMapText } = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      esModuleInterop: true,
      sourceMap: true,
    },
  });
  let text = outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const shims: string[] = [];
  if (/\brequire\s*\(/.test(text) && !/\b(const|let|var|function)\s+require\b/.test(text))
    shims.push(
      "import { createRequire as __beastRequire } from 'node:module'; const require = __beastRequire(import.meta.url);",
    );
  if (
    /\b__(dirname|filename)\b/.test(text) &&
    !/\b(const|let|var)\s+__(dirname|filename)\b/.test(text)
  )
    shims.push(
      "import { fileURLToPath as __beastPath } from 'node:url'; const __filename = __beastPath(import.meta.url); const __dirname = __filename.replace(/[\\\\/][^\\\\/]*$/, '');",
    );
  const prefix = shims.join(' ');
  // A prefix on the first line moves columns there only; the map below is by line.
  text = prefix === '' ? text : `${prefix} ${text}`;
  const map = decodeMappings(
    sourceMapText === undefined ? '' : (JSON.parse(sourceMapText) as { mappings: string }).mappings,
  );
  return { text, originalLine: (line, column) => mapLine(map, line, column) };
}

/** Segments of a source map per generated line: [generated column, original line (0-based)]. */
function decodeMappings(mappings: string): [number, number][][] {
  const lines: [number, number][][] = [];
  let sourceLine = 0;
  let sourceColumn = 0;
  let sourceIndex = 0;
  for (const lineText of mappings.split(';')) {
    const segments: [number, number][] = [];
    let column = 0;
    for (const segment of lineText.split(',')) {
      if (segment === '') continue;
      const values = decodeVlq(segment);
      column += values[0] ?? 0;
      if (values.length >= 4) {
        sourceIndex += values[1]!;
        sourceLine += values[2]!;
        sourceColumn += values[3]!;
        segments.push([column, sourceLine]);
      }
    }
    lines.push(segments);
  }
  void sourceIndex;
  void sourceColumn;
  return lines;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** Original 1-based line of a generated position (1-based line, 0-based column). */
function mapLine(map: [number, number][][], line: number, column: number): number {
  for (let l = line - 1; l >= 0; l--) {
    const segments = map[l];
    if (!segments || segments.length === 0) continue;
    if (l < line - 1) return segments[segments.length - 1]![1] + 1;
    let found = segments[0]!;
    for (const segment of segments) if (segment[0] <= column) found = segment;
    return found[1] + 1;
  }
  return line;
}

const STATEMENTS = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.ExpressionStatement,
  ts.SyntaxKind.VariableStatement,
  ts.SyntaxKind.ReturnStatement,
  ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ForStatement,
  ts.SyntaxKind.ForInStatement,
  ts.SyntaxKind.ForOfStatement,
  ts.SyntaxKind.WhileStatement,
  ts.SyntaxKind.DoStatement,
  ts.SyntaxKind.SwitchStatement,
  ts.SyntaxKind.ThrowStatement,
  ts.SyntaxKind.TryStatement,
  ts.SyntaxKind.BreakStatement,
  ts.SyntaxKind.ContinueStatement,
  ts.SyntaxKind.DebuggerStatement,
]);

/** The keys of an executed JavaScript text. */
export function computeKeys(
  file: string,
  text: string,
  originalLine: (line: number, column: number) => number = (line) => line,
): KeyTable {
  const source = ts.createSourceFile(
    file.replace(TS_FILE, '.js'),
    text,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.JS,
  );
  const probes: KeyProbe[] = [];
  const lines = new Map<string, number>();
  const arms = new Map<number, number>();
  const lineAt = (offset: number): number => {
    const { line, character } = source.getLineAndCharacterOfPosition(offset);
    return originalLine(line + 1, character);
  };
  const statement = (node: ts.Node): void => {
    const at = node.getStart(source);
    const line = lineAt(at);
    const key = `s:${line}`;
    if (lines.has(key)) return;
    lines.set(key, line);
    probes.push({ key, at });
  };
  const arm = (owner: ts.Node, at: number, minus?: number): void => {
    const line = lineAt(owner.getStart(source));
    const n = arms.get(line) ?? 0;
    arms.set(line, n + 1);
    const key = `b:${line}:${n}`;
    lines.set(key, line);
    probes.push(minus === undefined ? { key, at } : { key, at, minus });
  };
  const visit = (node: ts.Node): void => {
    if (STATEMENTS.has(node.kind)) statement(node);
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) statement(node.body);
    if (ts.isIfStatement(node)) {
      const then = node.thenStatement.getStart(source);
      arm(node, then);
      if (node.elseStatement) arm(node, node.elseStatement.getStart(source));
      else arm(node, node.getStart(source), then);
    } else if (ts.isConditionalExpression(node)) {
      arm(node, node.whenTrue.getStart(source));
      arm(node, node.whenFalse.getStart(source));
    } else if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
        node.operatorToken.kind === ts.SyntaxKind.BarBarToken ||
        node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
    ) {
      arm(node, node.right.getStart(source));
    } else if (ts.isCaseClause(node) || ts.isDefaultClause(node)) {
      const first = node.statements[0];
      arm(node, first ? first.getStart(source) : node.getStart(source));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { text, probes, lines };
}
