import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as TS from 'typescript';
import { bundledTypeScript } from '../../fixes/index.js';
import { parseSource } from './prune.js';

/**
 * Mutants of a target file: small changes to its syntax tree on the lines the existing suite runs
 * (`===` ↔ `!==`, `<` ↔ `<=`, `>` ↔ `>=`, `+` ↔ `-`, `&&` ↔ `||`, `true` ↔ `false`, a dropped
 * `!`, a returned value replaced by `undefined`, a number n by n + 1). A generated test that
 * fails on a mutant the suite passes on pins behaviour the suite does not.
 */

/** One mutant: a replacement of one span of the target's text. */
export interface Mutant {
  /** 1-based line of the mutated code. */
  line: number;
  start: number;
  end: number;
  replacement: string;
  /** For a person: `line 12: === → !==`. */
  description: string;
}

/** At most this many mutants per target. */
export const MAX_MUTANTS = 12;

const SWAPS: Partial<Record<TS.SyntaxKind, TS.SyntaxKind>> = {};

function swaps(ts: typeof TS): Partial<Record<TS.SyntaxKind, TS.SyntaxKind>> {
  if (Object.keys(SWAPS).length > 0) return SWAPS;
  const pairs: [TS.SyntaxKind, TS.SyntaxKind][] = [
    [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken],
    [ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken],
    [ts.SyntaxKind.LessThanToken, ts.SyntaxKind.LessThanEqualsToken],
    [ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.GreaterThanEqualsToken],
    [ts.SyntaxKind.PlusToken, ts.SyntaxKind.MinusToken],
    [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken],
  ];
  for (const [a, b] of pairs) {
    SWAPS[a] = b;
    SWAPS[b] = a;
  }
  return SWAPS;
}

/** Whether a node sits in a type, an import or an export list, where a mutation means nothing. */
function inTypeOrModuleSyntax(ts: typeof TS, node: TS.Node): boolean {
  for (let current: TS.Node | undefined = node; current; current = current.parent) {
    if (
      ts.isTypeNode(current) ||
      ts.isImportDeclaration(current) ||
      ts.isExportDeclaration(current)
    ) {
      return true;
    }
    if (
      ts.isEnumMember(current) ||
      (ts.isPropertyName(current) &&
        current.parent &&
        ts.isPropertyAssignment(current.parent) &&
        current.parent.name === current)
    ) {
      return true;
    }
  }
  return false;
}

/** Every mutant of a file's text, in order of position. */
export function findMutants(text: string, fileName: string): Mutant[] {
  const ts = bundledTypeScript();
  const source = parseSource(text, fileName);
  const table = swaps(ts);
  const found: Mutant[] = [];
  const line = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const add = (start: number, end: number, replacement: string) => {
    const original = text.slice(start, end);
    const short = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}…` : s).replace(/\s+/g, ' ');
    found.push({
      line: line(start),
      start,
      end,
      replacement,
      description: `line ${line(start)}: ${short(original)} → ${short(replacement)}`,
    });
  };
  const visit = (node: TS.Node): void => {
    if (inTypeOrModuleSyntax(ts, node)) return;
    if (ts.isBinaryExpression(node)) {
      const swapped = table[node.operatorToken.kind];
      if (swapped !== undefined) {
        add(
          node.operatorToken.getStart(source),
          node.operatorToken.getEnd(),
          ts.tokenToString(swapped) ?? '',
        );
      }
    } else if (
      node.kind === ts.SyntaxKind.TrueKeyword ||
      node.kind === ts.SyntaxKind.FalseKeyword
    ) {
      add(
        node.getStart(source),
        node.getEnd(),
        node.kind === ts.SyntaxKind.TrueKeyword ? 'false' : 'true',
      );
    } else if (
      ts.isPrefixUnaryExpression(node) &&
      node.operator === ts.SyntaxKind.ExclamationToken
    ) {
      add(node.getStart(source), node.getEnd(), node.operand.getText(source));
    } else if (ts.isReturnStatement(node) && node.expression) {
      const expression = node.expression;
      if (!(ts.isIdentifier(expression) && expression.text === 'undefined')) {
        add(expression.getStart(source), expression.getEnd(), 'undefined');
      }
    } else if (ts.isNumericLiteral(node)) {
      const value = Number(node.text);
      if (Number.isSafeInteger(value)) add(node.getStart(source), node.getEnd(), String(value + 1));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Up to `max` mutants on the given lines (all lines when undefined), spread evenly over the file
 * so that the choice is the same on every run.
 */
export function chooseMutants(
  mutants: readonly Mutant[],
  lines: ReadonlySet<number> | undefined,
  max = MAX_MUTANTS,
): Mutant[] {
  const eligible = lines === undefined ? [...mutants] : mutants.filter((m) => lines.has(m.line));
  if (eligible.length <= max) return eligible;
  return Array.from({ length: max }, (_, i) => eligible[Math.floor((i * eligible.length) / max)]!);
}

/** The text with the mutant applied. */
export function applyMutant(text: string, mutant: Mutant): string {
  return text.slice(0, mutant.start) + mutant.replacement + text.slice(mutant.end);
}

/**
 * Writes the mutated target, runs `fn`, and always writes the original bytes back, also when `fn`
 * throws or the run is aborted.
 */
export async function withMutant<T>(
  root: string,
  target: string,
  mutant: Mutant,
  fn: () => Promise<T>,
): Promise<T> {
  const file = path.join(root, target);
  const original = await readFile(file);
  try {
    await writeFile(file, applyMutant(original.toString('utf8'), mutant));
    return await fn();
  } finally {
    await writeFile(file, original);
  }
}
