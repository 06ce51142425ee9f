import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateDepth, MAX_SYNTAX_DEPTH, tooDeep } from './depth.js';
import { parseSource } from './parse.js';
import { scan } from './scan.js';

/**
 * Each kind of deep syntax wraps an inner expression `inner` in `n` levels, with the inner
 * expression at the deepest point, so that kinds nest into one another and their depths add up.
 * `bytes`: parser stack per level, measured as the 4 MiB of a worker thread over the level at
 * which oxc-parser crashed there (Node 20, oxc-parser 0.159).
 */
const KINDS = {
  elseIf: {
    bytes: 1271,
    wrap: (n: number, inner: string) =>
      `(() => {\n  if (a === 0) { r = 0; }\n${Array.from({ length: n }, (_, i) => `  else if (a === ${i + 1}) { r = ${i}; }\n`).join('')}  else { return ${inner}; }\n})()`,
  },
  plus: { bytes: 131, wrap: (n: number, inner: string) => `(${inner})${' +\n  a'.repeat(n)}` },
  and: { bytes: 131, wrap: (n: number, inner: string) => `(${inner})${' &&\n  b'.repeat(n)}` },
  concat: { bytes: 131, wrap: (n: number, inner: string) => `(${inner})${" +\n  'a'".repeat(n)}` },
  not: { bytes: 293, wrap: (n: number, inner: string) => `${'!'.repeat(n)}(${inner})` },
  negate: { bytes: 293, wrap: (n: number, inner: string) => `${'- '.repeat(n)}(${inner})` },
  typeof: { bytes: 293, wrap: (n: number, inner: string) => `${'typeof '.repeat(n)}(${inner})` },
  ternary: { bytes: 1010, wrap: (n: number, inner: string) => `${'a ? b :\n'.repeat(n)}${inner}` },
  arrow: { bytes: 1089, wrap: (n: number, inner: string) => `${'(x) =>\n'.repeat(n)}${inner}` },
  assign: { bytes: 1010, wrap: (n: number, inner: string) => `${'v =\n'.repeat(n)}${inner}` },
  paren: {
    bytes: 1446,
    wrap: (n: number, inner: string) => `${'('.repeat(n)}${inner}${')'.repeat(n)}`,
  },
  member: { bytes: 49, wrap: (n: number, inner: string) => `(${inner})${'\n  .b'.repeat(n)}` },
  template: {
    bytes: 2097,
    wrap: (n: number, inner: string) => `${'`${'.repeat(n)}${inner}${'}`'.repeat(n)}`,
  },
} as const;

type Kind = keyof typeof KINDS;
const KIND_NAMES = Object.keys(KINDS) as Kind[];
const WORKER_STACK = 4 * 1024 * 1024;

/** A module nesting `parts` inside one another, each taking its share of `stackBytes`. */
function program(parts: { kind: Kind; share: number }[], stackBytes: number): string {
  const total = parts.reduce((sum, p) => sum + p.share, 0);
  let expression = 'x';
  for (const { kind, share } of parts) {
    const levels = Math.ceil((stackBytes * share) / total / KINDS[kind].bytes);
    expression = KINDS[kind].wrap(levels, expression);
  }
  return `let a = 1, b = 2, r = 0, v = 0, x = 0;\nexport const y = ${expression};\n`;
}

const mixtures = fc.array(
  fc.record({ kind: fc.constantFrom(...KIND_NAMES), share: fc.integer({ min: 1, max: 10 }) }),
  { minLength: 1, maxLength: 4 },
);

describe('estimateDepth', () => {
  it.each(KIND_NAMES)('flags %s deep enough to crash a worker thread', (kind) => {
    const code = program([{ kind, share: 1 }], WORKER_STACK);
    expect(estimateDepth(code).depth).toBeGreaterThan(MAX_SYNTAX_DEPTH);
    expect(tooDeep(code)).toMatch(/^syntax nested too deeply near line \d+ .*too deep to parse/);
  });

  it.each(KIND_NAMES)('leaves %s at a tenth of that alone, and it parses', (kind) => {
    const code = program([{ kind, share: 1 }], WORKER_STACK / 10);
    expect(tooDeep(code)).toBeUndefined();
    expect(parseSource('a.ts', code).error).toBeUndefined();
  });

  it('flags every mixture of chains whose parser stack would overflow a worker thread', () => {
    fc.assert(
      fc.property(mixtures, (parts) => {
        expect(estimateDepth(program(parts, WORKER_STACK)).depth).toBeGreaterThan(MAX_SYNTAX_DEPTH);
      }),
      { numRuns: 60 },
    );
  });

  it('leaves mixtures at a tenth of the worker stack alone', () => {
    fc.assert(
      fc.property(mixtures, (parts) => {
        expect(tooDeep(program(parts, WORKER_STACK / 10))).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('does not count what strings, comments, templates and regular expressions hold', () => {
    const hidden = [
      `const s = '${'('.repeat(5000)}';`,
      `const d = "${'! '.repeat(5000)}";`,
      `// ${'else if '.repeat(5000)}`,
      `/* ${'x => '.repeat(5000)} */`,
      `const t = \`${'a ? b : '.repeat(3000)}\`;`,
      `const r = /${'\\('.repeat(5000)}/;`,
    ].join('\n');
    expect(estimateDepth(hidden).depth).toBeLessThan(100);
  });

  it('takes long flat code for what it is: statements, lists, JSX siblings, switch cases', () => {
    const flat = [
      Array.from({ length: 5000 }, (_, i) => `export const v${i} = a + b * c`).join('\n'),
      `export const list = [${Array.from({ length: 5000 }, (_, i) => `a${i} + 1`).join(',\n')}];`,
      `export const page = <ul>${'\n  <li className="x">item</li>'.repeat(2000)}\n</ul>;`,
      `switch (x) {\n${Array.from({ length: 3000 }, (_, i) => `  case ${i}:`).join('\n')}\n}`,
      `if (a) {\n  b();\n}\n`.repeat(3000),
    ];
    for (const code of flat) expect(estimateDepth(code).depth).toBeLessThan(MAX_SYNTAX_DEPTH / 4);
  });

  it('refuses too-deep code in parseSource rather than letting the parser overflow', () => {
    const parsed = parseSource('a.ts', program([{ kind: 'elseIf', share: 1 }], 8 * WORKER_STACK));
    expect(parsed.error).toMatch(/too deep to parse safely/);
    expect(parsed.program.body).toEqual([]);
  });
});

describe('scanning deep code', () => {
  it('skips any mixture too deep to parse as too-deep and analyses the rest', async () => {
    await fc.assert(
      fc.asyncProperty(mixtures, async (parts) => {
        const dir = await mkdtemp(path.join(tmpdir(), 'beast-deep-'));
        // Twice what crashes the main thread: were the guard to miss it, this process would die.
        await writeFile(path.join(dir, 'deep.ts'), program(parts, 4 * WORKER_STACK));
        await writeFile(path.join(dir, 'ok.ts'), 'export const ok = 1;\n');
        await writeFile(path.join(dir, 'beast.config.json'), '{ "maxFileSizeKb": 8192 }');
        const report = await scan(dir, { workers: 0 });
        expect(report.skipped).toEqual([
          { path: 'deep.ts', reason: 'too-deep', detail: expect.stringMatching(/too deep/) },
        ]);
        expect(report.files.map((f) => f.path)).toEqual(['ok.ts']);
      }),
      { numRuns: 8 },
    );
  });
});
