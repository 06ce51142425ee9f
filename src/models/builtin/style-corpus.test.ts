import { applyEdits } from '../../core/index.js';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../test/helpers/repo.js';
import { collectFixes } from '../../analysis/index.js';
import type { ModelContext } from '../types.js';
import { CODEMOD_RULES, createCodemodsModel } from './codemods.js';
import { detectStyle, type FileStyle } from './style.js';

/**
 * The codemods engine over real third-party TypeScript, read from node_modules at test time
 * (never committed): packages written in different styles (ajv without semicolons and with
 * brace-less ifs, the AI SDK and zod with Prettier's, piscina with its own). Every fix must leave
 * the file with no more style departures than it had, of each kind, and be the same program as
 * the rule's own fix.
 */
const PACKAGES = ['ai/src', 'zod/src/v4/core', 'ajv/lib', 'piscina/src', '@bcoe/v8-coverage/src'];
const FILES_PER_PACKAGE = 15;
const FIXES_PER_RULE = 3;

function sources(folder: string): string[] {
  const root = path.join(PROJECT_ROOT, 'node_modules', folder);
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !/test|__/.test(entry.name)) visit(full);
      else if (/(?<!\.d)\.ts$/.test(entry.name) && !/\.test\.|\.spec\./.test(entry.name)) {
        out.push(full);
      }
    }
  };
  visit(root);
  return out.slice(0, FILES_PER_PACKAGE);
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

function program(file: string, text: string): Node {
  const parsed = parseSync(file, text);
  const error = parsed.errors.find((e) => e.severity === 'Error');
  if (error) throw new Error(`${file} does not parse after the fix: ${error.message}`);
  return parsed.program as unknown as Node;
}

function visit(node: Node, f: (node: Node, parent: Node | undefined) => void, parent?: Node): void {
  f(node, parent);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (isNode(child)) visit(child, f, node);
    }
  }
}

/** The tree without positions and spellings, a one-statement block as its statement. */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (!isNode(node)) return node;
  const body = node.body;
  if (node.type === 'BlockStatement' && Array.isArray(body) && body.length === 1) {
    return shape(body[0]);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (!['start', 'end', 'raw', 'range', 'loc'].includes(key)) out[key] = shape(value);
  }
  return out;
}

type Departures = Record<'braces' | 'quotes' | 'semicolons' | 'blankLines', number>;

const SEMICOLON_STATEMENTS =
  /^(ExpressionStatement|VariableDeclaration|ReturnStatement|ThrowStatement|BreakStatement|ContinueStatement|ImportDeclaration)$/;

/** How often `text` departs from `style`, counted independently of the style pass. */
function departures(style: FileStyle, file: string, text: string): Departures {
  const counts: Departures = { braces: 0, quotes: 0, semicolons: 0, blankLines: 0 };
  visit(program(file, text), (node, parent) => {
    if (node.type === 'IfStatement' && style.braces) {
      for (const body of [node.consequent, node.alternate]) {
        if (isNode(body) && !/^(BlockStatement|IfStatement|EmptyStatement)$/.test(body.type)) {
          counts.braces++;
        }
      }
    }
    if (node.type === 'Literal' && typeof node.value === 'string' && style.quote) {
      const raw = node.raw as string;
      if (!raw.startsWith(style.quote) && !/['"]/.test(raw.slice(1, -1))) counts.quotes++;
    }
    const inList = parent && /^(Program|BlockStatement|SwitchCase)$/.test(parent.type);
    if (SEMICOLON_STATEMENTS.test(node.type) && inList && style.semicolons !== undefined) {
      const ends = text[node.end - 1] === ';';
      const nextLine = /^[ \t]*(\/\/.*)?\r?\n\s*(.)/.exec(text.slice(node.end))?.[2];
      if (style.semicolons && !ends) counts.semicolons++;
      if (!style.semicolons && ends && nextLine && !/[([`+\-/]/.test(nextLine)) counts.semicolons++;
    }
  });
  const lines = text.split('\n');
  let run = 0;
  for (const [i, line] of lines.entries()) {
    run = line.trim() === '' && i < lines.length - 1 ? run + 1 : 0;
    if (run > style.maxBlankLines) counts.blankLines++;
    const edge =
      i === 0 || /[{([]\s*$/.test(lines[i - 1]!) || /^\s*[})\]]/.test(lines[i + 1] ?? '');
    if (run > 0 && edge && !style.blankInsideBlocks) counts.blankLines++;
  }
  return counts;
}

function contextFor(file: string, source: string): ModelContext {
  return {
    root: '/repo',
    readFile: (name) =>
      name === file ? Promise.resolve(source) : Promise.reject(new Error(`no such file: ${name}`)),
  };
}

describe('builtin:codemods on real code', () => {
  it("keeps each file's own style, fix after fix", { timeout: 600_000 }, async () => {
    const model = createCodemodsModel();
    const tally = { fixes: 0, restyled: 0 } as Record<string, number>;
    for (const absolute of PACKAGES.flatMap(sources)) {
      const file = path.relative(path.join(PROJECT_ROOT, 'node_modules'), absolute);
      const source = readFileSync(absolute, 'utf8');
      const style = detectStyle(file, source);
      if (!style) continue;
      const before = departures(style, file, source);
      for (const ruleId of CODEMOD_RULES) {
        const fixes = collectFixes({ file, source, ruleId }).filter((f) => f.edits.length > 0);
        for (const fix of fixes.slice(0, FIXES_PER_RULE)) {
          const task = { kind: 'fix' as const, finding: fix.finding };
          const [proposal] = await model.propose(task, contextFor(file, source));
          if (!proposal) continue;
          const out = applyEdits(source, proposal.changes[0]!.edits);
          const raw = applyEdits(source, fix.edits);
          const where = `${ruleId} at ${file}:${fix.finding.location.line}`;
          expect(shape(program(file, out)), where).toEqual(shape(program(file, raw)));
          const after = departures(style, file, out);
          const unstyled = departures(style, file, raw);
          for (const kind of Object.keys(before) as (keyof Departures)[]) {
            expect(after[kind], `${where}: ${kind}`).toBeLessThanOrEqual(before[kind]);
            if (unstyled[kind] > after[kind]) tally[kind] = (tally[kind] ?? 0) + 1;
          }
          tally.fixes!++;
          if (out !== raw) tally.restyled!++;
        }
      }
    }
    // The corpus holds fixes the rules alone would write out of style, of each kind it can.
    expect(tally).toMatchObject({
      fixes: expect.toSatisfy((n: number) => n >= 40),
      braces: expect.toSatisfy((n: number) => n >= 1),
    });
  });

  it('removes a declaration planted in real code and gives the file back, blank lines and all', async () => {
    const model = createCodemodsModel();
    let planted = 0;
    for (const absolute of PACKAGES.flatMap(sources)) {
      const file = path.relative(path.join(PROJECT_ROOT, 'node_modules'), absolute);
      const source = readFileSync(absolute, 'utf8');
      for (const at of plantingSpots(file, source)) {
        const indent = /^[ \t]*/.exec(source.slice(at))![0];
        const text = `${source.slice(0, at)}${indent}const beastPlanted = 0;\n\n${source.slice(at)}`;
        const finding = collectFixes({ file, source: text, ruleId: 'unused-variable' }).find((f) =>
          f.finding.message.includes("'beastPlanted'"),
        )?.finding;
        expect(finding, `${file}: the planted declaration is found`).toBeDefined();
        const [proposal] = await model.propose(
          { kind: 'fix', finding: finding! },
          contextFor(file, text),
        );
        expect(applyEdits(text, proposal!.changes[0]!.edits), `${file} at ${at}`).toBe(source);
        planted++;
      }
    }
    expect(planted).toBeGreaterThanOrEqual(20);
  });
});

/**
 * Where a statement can be planted in a function body: before its first statement (after the
 * brace) and before the statement that follows a blank line; one of each per file.
 */
function plantingSpots(file: string, source: string): number[] {
  const spots: { first?: number; separated?: number } = {};
  const lineStart = (offset: number): number => source.lastIndexOf('\n', offset - 1) + 1;
  visit(program(file, source), (node, parent) => {
    if (node.type !== 'BlockStatement' || !parent || !/Function/.test(parent.type)) return;
    const body = node.body as Node[];
    const [first] = body;
    if (!first || source.slice(node.start, lineStart(first.start)).trim() !== '{') return;
    spots.first ??= lineStart(first.start);
    for (const [i, statement] of body.entries()) {
      const gap = i > 0 ? source.slice(body[i - 1]!.end, lineStart(statement.start)) : '';
      if (/^[ \t]*\n[ \t]*\n$/.test(gap)) spots.separated ??= lineStart(statement.start);
    }
  });
  return [spots.first, spots.separated].filter((s) => s !== undefined);
}
