/**
 * Agreement of our metrics with the reference implementations, on real third-party code:
 * cognitive complexity with eslint-plugin-sonarjs's `cognitive-complexity` (S3776) and cyclomatic
 * complexity with ESLint's core `complexity`, both at threshold 0 so they report every function.
 *
 * Each rule runs unchanged inside ESLint's `Linter` (flat config, espree for JavaScript,
 * @typescript-eslint/parser for TypeScript); we only intercept `context.report` to learn which
 * function node a report is about (its range equals our `start:end`) and read the number from the
 * report's data (`complexityAmount` for sonarjs, `complexity` for ESLint).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import tsParser from '@typescript-eslint/parser';
import { Linter, type Rule } from 'eslint';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import sonarjs from 'eslint-plugin-sonarjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LineIndex } from '../src/analysis/ast.js';
import { computeMetrics } from '../src/analysis/metrics/index.js';
import { parseSource } from '../src/analysis/parse.js';

const MODULES = join(import.meta.dirname, '..', 'node_modules');

/** Folders of well-known packages and how many of their files (sorted by path) to take. */
const CORPUS: readonly { dir: string; take: number }[] = [
  { dir: 'eslint/lib/rules', take: 30 },
  { dir: '@typescript-eslint/eslint-plugin/dist/rules', take: 20 },
  { dir: 'zod/v4/core', take: 15 },
  { dir: 'zod/src/v4/core', take: 10 },
  { dir: 'kysely/dist/esm/parser', take: 15 },
  { dir: 'commander/lib', take: 10 },
  { dir: 'ajv/dist/compile', take: 15 },
  { dir: 'ajv/lib/compile', take: 10 },
  { dir: 'piscina/src', take: 8 },
  { dir: 'semver/classes', take: 5 },
  { dir: 'chai/lib/chai/utils', take: 15 },
  { dir: 'yaml/dist/compose', take: 10 },
];

const MAX_BYTES = 60_000;
/** A line this long means minified or generated code. */
const MAX_LINE = 400;

/** Shapes the corpus may not exercise: JSX, React components, rule quirks. */
const SNIPPETS: Record<string, string> = {
  'jsx.jsx': `
    export function List({ items, empty, loading }) {
      if (loading) return <Spinner />;
      return (
        <ul>
          {items.length > 0 && items.map((item) => item.visible && <li key={item.id}>{item.name}</li>)}
          {empty || loading || <p>none</p>}
          {(empty && loading) || <p>mixed</p>}
          {items.length === 0 ? <Empty /> : null}
        </ul>
      );
    }
    export const Panel = ({ open }) => {
      const toggle = () => { if (open) { close(); } else { show(); } };
      return <div onClick={toggle}>{open && <Body />}</div>;
    };
    export function Row(props) {
      for (const cell of props.cells) { if (cell.hidden) continue; }
      const render = (x) => { if (x) { return x ? 1 : 2; } };
      return <tr>{render(props.x)}</tr>;
    }
  `,
  'quirks.js': `
    function ternaryOfFunctions(a, b) {
      const pick = a ? function () { if (b) { return 1; } } : () => { while (b) { b--; } };
      if (a) { if (b) { return pick; } }
      return (a && b || a && !b || c) ?? d;
    }
    function labels(rows) {
      outer: for (const row of rows) {
        inner: for (const cell of row) {
          if (!cell) continue outer;
          if (cell < 0) break inner;
          switch (cell) { case 1: break; case 2: continue; default: break outer; }
        }
      }
      try { rows.sort(); } catch { if (rows) { throw new Error(); } } finally { rows.length = 0; }
    }
    function deep(a) {
      return function level2() {
        return function level3() {
          if (a) { return () => (a ? a : a?.b?.()); }
          return a ||= a &&= a ??= 1;
        };
      };
    }
    class Widget {
      handler = (e = {}) => { if (e.x) { return e.y ?? e.z; } };
      static { if (globalThis.x) { globalThis.y = 1; } }
      field = this.a ? 1 : 2;
      method({ a = 1, b = 2 } = {}) { return a > b ? a : b; }
      get value() { return this.x || this.y; }
    }
    function factory(opts) {
      return class extends Base {
        mode = opts.fast ? 'fast' : opts.slow ?? 'slow';
        static { if (opts.debug) { log(opts?.level); } }
      };
    }
    if (typeof module !== 'undefined' && module.exports) { module.exports = { Widget, deep }; }
  `,
};

interface Source {
  name: string;
  text: string;
  kind: 'js' | 'jsx' | 'ts';
}

function listFiles(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) listFiles(path, out);
    else if (/\.(c|m)?(js|ts)$/.test(entry) && !/\.d\.[cm]?ts$/.test(entry)) out.push(path);
  }
}

function isReadable(text: string): boolean {
  if (text.length > MAX_BYTES || text.includes('\u0000')) return false;
  return text.split('\n').every((line) => line.length <= MAX_LINE);
}

function loadCorpus(): { sources: Source[]; roots: number } {
  const sources: Source[] = [];
  let roots = 0;
  for (const { dir, take } of CORPUS) {
    const root = join(MODULES, dir);
    const files: string[] = [];
    try {
      listFiles(root, files);
    } catch {
      continue; // a transitive dependency that moved: the counts below still guard the test.
    }
    roots++;
    let taken = 0;
    for (const file of files) {
      if (taken >= take) break;
      if (file.endsWith('.min.js')) continue;
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      if (!isReadable(text)) continue;
      sources.push({ name: relative(MODULES, file), text, kind: /ts$/.test(file) ? 'ts' : 'js' });
      taken++;
    }
  }
  for (const [name, text] of Object.entries(SNIPPETS)) {
    sources.push({ name, text, kind: name.endsWith('.jsx') ? 'jsx' : 'js' });
  }
  return { sources, roots };
}

/** Per function (`start:end`), the number the rule reported. */
type Reports = Map<string, number>;

/**
 * Wraps a rule so that its reports are recorded instead of emitted. sonarjs reports from its
 * `:function:exit` handler without a node, so the node is taken from that handler's argument.
 */
function recording(
  rule: Rule.RuleModule,
  take: (descriptor: Rule.ReportDescriptor, node: Rule.Node) => void,
  settings?: () => Record<string, unknown>,
): Rule.RuleModule {
  return {
    meta: rule.meta,
    create(context) {
      let current: Rule.Node | undefined;
      const proxy = new Proxy({} as Rule.RuleContext, {
        get(_target, key) {
          if (key === 'report') {
            return (descriptor: Rule.ReportDescriptor) => {
              const node = 'node' in descriptor ? (descriptor.node as Rule.Node) : current;
              if (!node) throw new Error(`a report without a node: ${JSON.stringify(descriptor)}`);
              take(descriptor, node);
            };
          }
          if (key === 'settings' && settings) return settings();
          const value: unknown = Reflect.get(context, key);
          return typeof value === 'function' ? value.bind(context) : value;
        },
      });
      const visitor = rule.create(proxy);
      const onExit = visitor[':function:exit'] as ((node: Rule.Node) => void) | undefined;
      if (onExit) {
        visitor[':function:exit'] = (node: Rule.Node) => {
          current = node;
          onExit(node);
        };
      }
      return visitor;
    },
  };
}

function rangeKey(node: Rule.Node): string {
  const [start, end] = node.range ?? [-1, -1];
  return `${start}:${end}`;
}

interface Compared {
  functions: number;
  nonZeroCognitive: number;
  cognitiveMismatches: string[];
  cyclomaticMismatches: string[];
  fileMismatches: string[];
  failures: string[];
}

function compareAll(sources: readonly Source[]): Compared {
  let cognitive: Reports = new Map();
  let cyclomatic: Reports = new Map();
  let sink: { cognitiveComplexity?: number } = {};
  const sonarRule = sonarjs.rules?.['cognitive-complexity'] as Rule.RuleModule;
  const complexityRule = builtinRules.get('complexity')!;
  const plugin = {
    rules: {
      cognitive: recording(
        sonarRule,
        (d, node) => cognitive.set(rangeKey(node), Number(d.data?.complexityAmount)),
        () => ({ sonarInternal: { metricsSink: sink } }),
      ),
      complexity: recording(complexityRule, (d, node) => {
        // Class field initializers and static blocks are code paths too; they are not functions.
        if (/^Class (field initializer|static block)/.test(String(d.data?.name))) return;
        cyclomatic.set(rangeKey(node), Number(d.data?.complexity));
      }),
    },
  };
  const linter = new Linter({ configType: 'flat' });
  const result: Compared = {
    functions: 0,
    nonZeroCognitive: 0,
    cognitiveMismatches: [],
    cyclomaticMismatches: [],
    fileMismatches: [],
    failures: [],
  };

  for (const source of sources) {
    const filename = `file.${source.kind}`;
    let fatal: string | undefined;
    for (const sourceType of ['module', 'commonjs'] as const) {
      cognitive = new Map();
      cyclomatic = new Map();
      sink = {};
      const messages = linter.verify(
        source.text,
        [
          {
            files: [`**/*.${source.kind}`],
            languageOptions: {
              ecmaVersion: 'latest',
              sourceType,
              ...(source.kind === 'ts' ? { parser: tsParser } : {}),
              parserOptions: { ecmaFeatures: { jsx: source.kind === 'jsx' } },
            },
            linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
            plugins: { probe: plugin },
            rules: { 'probe/cognitive': ['error', 0], 'probe/complexity': ['error', 0] },
          },
        ],
        { filename },
      );
      fatal = messages.find((m) => m.fatal)?.message;
      if (!fatal) break;
    }
    const parsed = parseSource(filename, source.text);
    if (fatal || parsed.error) {
      result.failures.push(
        `${source.name}: eslint: ${fatal ?? 'ok'}, oxc: ${parsed.error ?? 'ok'}`,
      );
      continue;
    }
    const lines = new LineIndex(source.text);
    const ours = computeMetrics({ ...parsed, source: source.text, lines });
    const seen = new Set<string>();
    for (const fn of ours.functions) {
      const key = `${fn.start}:${fn.end}`;
      const where = `${source.name}:${fn.line} (${fn.name})`;
      seen.add(key);
      result.functions++;
      // sonarjs reports only functions above the threshold, so a silent one scored 0.
      const sonar = cognitive.get(key) ?? 0;
      if (sonar > 0) result.nonZeroCognitive++;
      if (sonar !== fn.cognitive) {
        result.cognitiveMismatches.push(`${where}: sonarjs ${sonar}, ours ${fn.cognitive}`);
      }
      const eslint = cyclomatic.get(key);
      if (eslint !== fn.cyclomatic) {
        result.cyclomaticMismatches.push(`${where}: eslint ${eslint}, ours ${fn.cyclomatic}`);
      }
    }
    for (const [key, value] of cognitive) {
      if (!seen.has(key))
        result.cognitiveMismatches.push(`${source.name} @${key}: only sonarjs, ${value}`);
    }
    for (const [key, value] of cyclomatic) {
      if (!seen.has(key))
        result.cyclomaticMismatches.push(`${source.name} @${key}: only eslint, ${value}`);
    }
    if (sink.cognitiveComplexity !== ours.file.cognitive) {
      result.fileMismatches.push(
        `${source.name}: sonarjs ${sink.cognitiveComplexity}, ours ${ours.file.cognitive}`,
      );
    }
  }
  return result;
}

function summary(mismatches: readonly string[], total: number): string {
  return `${mismatches.length} of ${total} disagree:\n${mismatches.slice(0, 50).join('\n')}`;
}

describe('agreement with the reference implementations', () => {
  let corpus: { sources: Source[]; roots: number };
  let compared: Compared;

  beforeAll(() => {
    corpus = loadCorpus();
    compared = compareAll(corpus.sources);
  });

  it('compares a large enough sample of real functions', () => {
    expect(corpus.roots).toBeGreaterThanOrEqual(8);
    expect(compared.failures).toEqual([]);
    expect(compared.functions).toBeGreaterThanOrEqual(200);
    // Enough of them have branches for the comparison to mean something.
    expect(compared.nonZeroCognitive).toBeGreaterThanOrEqual(100);
  });

  it('matches sonarjs cognitive complexity on every function', () => {
    expect(
      compared.cognitiveMismatches,
      summary(compared.cognitiveMismatches, compared.functions),
    ).toEqual([]);
  });

  it("matches ESLint's cyclomatic complexity on every function", () => {
    expect(
      compared.cyclomaticMismatches,
      summary(compared.cyclomaticMismatches, compared.functions),
    ).toEqual([]);
  });

  it("matches sonarjs's file-level cognitive complexity on every file", () => {
    expect(
      compared.fileMismatches,
      summary(compared.fileMismatches, corpus.sources.length),
    ).toEqual([]);
  });
});
