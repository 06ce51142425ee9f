import { applyEdits } from '../../core/index.js';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { makeFolder } from '../../../test/helpers/repo.js';
import type { Finding, Location } from '../../core/index.js';
import type { ModelContext, Proposal, Task } from '../types.js';
import { createTsFixesModel, TS_FIX_RULES } from './ts-fixes.js';

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: 'es2022', module: 'nodenext', types: [] },
  include: ['src'],
});

const model = createTsFixesModel();
afterAll(() => model.dispose?.());

/** The 1-based location of the `occurrence`-th `needle` in `text`. */
function locate(text: string, needle: string, occurrence = 1): Location {
  let start = -1;
  for (let i = 0; i < occurrence; i++) start = text.indexOf(needle, start + 1);
  if (start < 0) throw new Error(`${needle} not found`);
  const at = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before.at(-1)!.length + 1 };
  };
  const from = at(start);
  const to = at(start + needle.length);
  return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
}

function task(ruleId: string, file: string, location: Location): Task {
  const finding: Finding = {
    ruleId,
    category: 'unused',
    severity: 'minor',
    message: '',
    file,
    location,
    effortMinutes: 1,
    fixability: 'safe-fix',
  };
  return { kind: 'fix', finding };
}

function diskContext(root: string): ModelContext {
  return { root, readFile: (file) => readFile(path.join(root, file), 'utf8') };
}

async function apply(context: ModelContext, proposal: Proposal): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const change of proposal.changes) {
    result.set(change.file, applyEdits(await context.readFile(change.file), change.edits));
  }
  return result;
}

function syntaxErrors(file: string, text: string): string[] {
  const output = ts.transpileModule(text, { fileName: file, reportDiagnostics: true });
  return (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ''));
}

const UTIL = 'export const a = 1;\nexport const b = 2;\nexport default function c() {}\n';

interface Case {
  name: string;
  rule: string;
  source: string;
  needle: string;
  expected: string;
  file?: string;
}

const FIXED: Case[] = [
  {
    name: 'an unused import specifier',
    rule: 'unused-import',
    source: "import { a, b } from './util.js';\nexport const x = b;\n",
    needle: 'a',
    expected: "import { b } from './util.js';\nexport const x = b;\n",
  },
  {
    name: 'an unused import declaration',
    rule: 'unused-import',
    source: "import c from './util.js';\nimport { b } from './util.js';\nexport const x = b;\n",
    needle: 'c',
    expected: "import { b } from './util.js';\nexport const x = b;\n",
  },
  {
    name: 'an unused variable',
    rule: 'unused-variable',
    source: 'export function f(n: number): number {\n  const unused = n * 2;\n  return n;\n}\n',
    needle: 'unused',
    expected: 'export function f(n: number): number {\n  return n;\n}\n',
  },
  {
    name: 'an unused variable in a JavaScript file without checkJs',
    rule: 'unused-variable',
    file: 'src/plain.js',
    source: 'export function f(n) {\n  const { a, b } = n;\n  return b;\n}\n',
    needle: 'a',
    expected: 'export function f(n) {\n  const { b } = n;\n  return b;\n}\n',
  },
  {
    name: 'an unused private member',
    rule: 'unused-private-class-member',
    source:
      'export class K {\n  #count = 0;\n  private label = "k";\n  get() {\n    return this.label;\n  }\n}\n',
    needle: '#count',
    expected:
      'export class K {\n  private label = "k";\n  get() {\n    return this.label;\n  }\n}\n',
  },
  {
    name: 'a concatenation',
    rule: 'prefer-template',
    source: "export const greet = (name: string) => 'Hello ' + name + '!';\n",
    needle: "'Hello ' + name + '!'",
    expected: 'export const greet = (name: string) => `Hello ${name}!`;\n',
  },
  {
    name: 'a concatenation that starts with a parenthesis',
    rule: 'prefer-template',
    source: "export const pct = (r: number) => (r * 100).toFixed(1) + '%';\n",
    needle: "(r * 100).toFixed(1) + '%'",
    expected: 'export const pct = (r: number) => `${(r * 100).toFixed(1)}%`;\n',
  },
  {
    name: 'a guarded property access',
    rule: 'prefer-optional-chain',
    source:
      'type T = { a?: { b?: number } };\nexport const get = (o: T | undefined) => o && o.a && o.a.b;\n',
    needle: 'o && o.a && o.a.b',
    expected:
      'type T = { a?: { b?: number } };\nexport const get = (o: T | undefined) => o?.a?.b;\n',
  },
  {
    name: 'statements after a return',
    rule: 'unreachable-code',
    source: 'export function f(): number {\n  return 1;\n  console.log("dead");\n}\n',
    needle: 'console.log("dead");',
    expected: 'export function f(): number {\n  return 1;\n}\n',
  },
  {
    name: 'statements after a return around a hoisted function, in one change',
    rule: 'unreachable-code',
    source:
      'export function f(): number {\n  return g();\n  g();\n  function g() {\n    return 1;\n  }\n  g();\n}\n',
    needle: 'g();\n  function g() {\n    return 1;\n  }\n  g();',
    expected:
      'export function f(): number {\n  return g();\n  function g() {\n    return 1;\n  }\n}\n',
  },
  {
    name: 'a comparison with NaN',
    rule: 'use-isnan',
    source: 'export const bad = (x: number) => x === NaN;\n',
    needle: 'x === NaN',
    expected: 'export const bad = (x: number) => Number.isNaN(x);\n',
  },
  {
    name: 'a local function with many parameters',
    rule: 'max-params',
    source:
      'function area(x: number, y: number, w: number, h: number, s: number) {\n  return (x + y + w * h) * s;\n}\nexport const total = area(1, 2, 3, 4, 5);\n',
    needle: 'function area(x: number, y: number, w: number, h: number, s: number) ',
    expected:
      'function area({ x, y, w, h, s }: { x: number; y: number; w: number; h: number; s: number; }) {\n  return (x + y + w * h) * s;\n}\nexport const total = area({ x: 1, y: 2, w: 3, h: 4, s: 5 });\n',
  },
];

describe('builtin:ts-fixes', () => {
  it('supports exactly the mapped rules', () => {
    expect(TS_FIX_RULES).toEqual(expect.arrayContaining(['unused-import', 'prefer-template']));
    const at = { line: 1, column: 1, endLine: 1, endColumn: 2 };
    expect(model.supports(task('unused-import', 'a.ts', at))).toBe(true);
    expect(model.supports(task('no-console', 'a.ts', at))).toBe(false);
    expect(model.supports(task('constructor', 'a.ts', at))).toBe(false);
    expect(model).toMatchObject({ id: 'builtin:ts-fixes', builtin: true });
  });

  it.each(FIXED)(
    'fixes $name',
    async ({ rule, source, needle, expected, file = 'src/main.ts' }) => {
      const root = await makeFolder({
        'tsconfig.json': TSCONFIG,
        'src/util.ts': UTIL,
        [file]: source,
      });
      const context = diskContext(root);
      const proposals = await model.propose(task(rule, file, locate(source, needle)), context);
      expect(proposals.length).toBeGreaterThan(0);
      const [best] = proposals;
      expect(best).toMatchObject({ model: 'builtin:ts-fixes', changes: [{ file }] });
      expect(best!.rationale).toMatch(/^TypeScript's (code fix|refactoring) '/);
      const fixed = (await apply(context, best!)).get(file)!;
      expect(fixed).toBe(expected);
      expect(syntaxErrors(file, fixed)).toEqual([]);
    },
  );

  it.each([
    {
      name: 'a variable whose initializer has side effects',
      rule: 'unused-variable',
      source:
        'declare function load(): number;\nexport function f() {\n  const loaded = load();\n}\n',
      needle: 'loaded',
    },
    {
      name: 'unreachable code that includes a hoisted var',
      rule: 'unreachable-code',
      source: 'export function f() {\n  return v;\n  var v = 1;\n  v++;\n}\n',
      needle: 'v++;',
    },
    {
      name: 'an exported function, whose outside callers TypeScript cannot update',
      rule: 'max-params',
      source: 'export function f(a: 1, b: 1, c: 1, d: 1, e: 1) {\n  return [a, b, c, d, e];\n}\n',
      needle: 'function f(a: 1, b: 1, c: 1, d: 1, e: 1) ',
    },
    {
      name: 'an unrelated rule',
      rule: 'no-console',
      source: 'export function f() {\n  console.log("x");\n}\n',
      needle: 'console.log("x")',
    },
  ])('proposes nothing for $name', async ({ rule, source, needle }) => {
    const root = await makeFolder({ 'tsconfig.json': TSCONFIG, 'src/main.ts': source });
    const proposals = await model.propose(
      task(rule, 'src/main.ts', locate(source, needle)),
      diskContext(root),
    );
    expect(proposals).toEqual([]);
  });

  it('offers the code fix of a diagnostic exactly at the finding of an unmapped rule', async () => {
    const source =
      'export async function f() {\n  return 1;\n}\nexport function g() {\n  await f();\n}\n';
    const root = await makeFolder({ 'tsconfig.json': TSCONFIG, 'src/main.ts': source });
    const proposals = await model.propose(
      task('await-in-sync', 'src/main.ts', locate(source, 'await')),
      diskContext(root),
    );
    expect(proposals.map((p) => p.title)).toContain('Add async modifier to containing function');
  });

  it('sees the new content of a file on every call', async () => {
    const first = "import { a, b } from './util.js';\nexport const x = b;\n";
    const root = await makeFolder({
      'tsconfig.json': TSCONFIG,
      'src/util.ts': UTIL,
      'src/main.ts': first,
    });
    const context = diskContext(root);
    const fix = (text: string, needle: string) =>
      model.propose(task('unused-import', 'src/main.ts', locate(text, needle)), context);
    expect(await fix(first, 'a')).toHaveLength(1);

    // `a` is used now: nothing to fix.
    const used = `${first}export const y = a;\n`;
    await writeFile(path.join(root, 'src/main.ts'), used);
    expect(await fix(used, 'a')).toEqual([]);

    // Lines above shift the offsets; the edits follow.
    const shifted = `// Top.\n\n${first}`;
    await writeFile(path.join(root, 'src/main.ts'), shifted);
    const [proposal] = await fix(shifted, 'a');
    expect((await apply(context, proposal!)).get('src/main.ts')).toBe(
      "// Top.\n\nimport { b } from './util.js';\nexport const x = b;\n",
    );
  });

  it("reads through the caller's readFile, not the disk", async () => {
    const root = await makeFolder({
      'tsconfig.json': TSCONFIG,
      'src/util.ts': UTIL,
      'src/main.ts': '',
    });
    const text = "import { a, b } from './util.js';\nexport const x = a;\n";
    const context: ModelContext = {
      root,
      readFile: async (file) =>
        file === 'src/main.ts' ? text : readFile(path.join(root, file), 'utf8'),
    };
    const [proposal] = await model.propose(
      task('unused-import', 'src/main.ts', locate(text, 'b')),
      context,
    );
    expect((await apply(context, proposal!)).get('src/main.ts')).toBe(
      "import { a } from './util.js';\nexport const x = a;\n",
    );
  });

  it('reads every file a change touches through the caller', async () => {
    const main = "import { K } from './k.js';\nnew K().count = 1;\n";
    const k = 'export class K {\n  size = 0;\n}\n';
    const root = await makeFolder({
      'tsconfig.json': TSCONFIG,
      'src/k.ts': k,
      'src/main.ts': main,
    });
    // The caller's copy of k.ts has a line more than the disk's.
    const context: ModelContext = {
      root,
      readFile: async (file) =>
        file === 'src/k.ts' ? `// Edited.\n${k}` : readFile(path.join(root, file), 'utf8'),
    };
    const proposals = await model.propose(
      task('made-up-rule', 'src/main.ts', locate(main, 'count')),
      context,
    );
    const declare = proposals.find((p) => p.title === "Declare property 'count'");
    expect((await apply(context, declare!)).get('src/k.ts')).toBe(
      '// Edited.\nexport class K {\n  size = 0;\n  count: number;\n}\n',
    );
  });

  it('keeps the parameters of exported functions, whose calls in other files TypeScript misses', async () => {
    const util = 'export function f(a: number, unused: number) {\n  return a;\n}\n';
    const main = "import { f } from './util.js';\nexport const x = f(1, 2);\n";
    const root = await makeFolder({
      'tsconfig.json': TSCONFIG,
      'src/util.ts': util,
      'src/main.ts': main,
    });
    const context = diskContext(root);
    const find = (text: string) =>
      model.propose(task('unused-variable', 'src/util.ts', locate(text, 'unused')), context);
    expect(await find(util)).toEqual([]);
    // Not exported: TypeScript sees every call.
    const local = `${util.replace('export ', '')}export const y = f(1, 2);\n`;
    await writeFile(path.join(root, 'src/util.ts'), local);
    expect(await find(local)).toEqual([]);
    const optional =
      'function f(a: number, unused?: number) {\n  return a;\n}\nexport const y = f(1);\n';
    await writeFile(path.join(root, 'src/util.ts'), optional);
    const [proposal] = await find(optional);
    expect((await apply(context, proposal!)).get('src/util.ts')).toBe(
      'function f(a: number) {\n  return a;\n}\nexport const y = f(1);\n',
    );
  });
});
