import { describe, expect, it } from 'vitest';
import type { TestStyle } from '../../fixes/index.js';
import type { TestTask } from '../types.js';
import {
  buildTestPrompt,
  exportsOf,
  fenced,
  lineRanges,
  numberedSource,
  parseTestAnswer,
  testApiImports,
} from './test-prompt.js';

const SOURCE = [
  '/** Clamps a number into [low, high]. */',
  'export function clamp(x: number, low: number, high: number): number {',
  '  if (x < low) return low;',
  '  if (x > high) return high;',
  '  return x;',
  '}',
  'export interface Range { low: number; high: number }',
  "export const NAME = 'clamp';",
  '',
].join('\n');

const STYLE: TestStyle = {
  runner: 'vitest',
  packageDir: '',
  placement: { kind: 'folder', dir: 'test', mirror: false },
  infix: '.test',
  extension: '.ts',
  module: 'esm',
  importExtension: '.js',
  globals: false,
  assertions: 'expect',
  example: 'test/old.test.ts',
};

const TASK: TestTask = {
  kind: 'test',
  file: 'src/clamp.ts',
  uncoveredLines: [3, 4],
  style: STYLE,
  testFile: 'test/clamp.test.ts',
  example: {
    file: 'test/old.test.ts',
    content: "import { it, expect } from 'vitest';\nit('old', () => expect(1).toBe(1));\n",
  },
};

const GOOD_FILE = [
  "import { describe, it, expect } from 'vitest';",
  "import { clamp } from '../src/clamp.js';",
  '',
  "describe('clamp', () => {",
  "  it('raises a low value', () => expect(clamp(-1, 0, 5)).toBe(0));",
  '});',
].join('\n');

describe('buildTestPrompt', () => {
  const request = buildTestPrompt({
    task: TASK,
    source: SOURCE,
    specifier: '../src/clamp.js',
    repoMap: 'src/util.ts\n  3: export function util()',
    conventions: 'Two-space indent.',
  });

  it('marks the uncovered lines in the numbered source and names them', () => {
    expect(request.prompt).toContain('! 3 |   if (x < low) return low;');
    expect(request.prompt).toContain('! 4 |   if (x > high) return high;');
    expect(request.prompt).toContain('  5 |   return x;');
    expect(request.prompt).toContain('lines 3-4 of src/clamp.ts uncovered');
  });

  it('gives the signatures, the style, the import, the example, the repo map and the file to write', () => {
    for (const part of [
      '2: export function clamp(x: number, low: number, high: number): number',
      'runner: vitest; assertions: expect; ES modules (import); the file is TypeScript',
      "start with: import { describe, it, expect } from 'vitest';",
      "import { clamp, NAME } from '../src/clamp.js';",
      "it('old', () => expect(1).toBe(1));",
      'export function util()',
      'Two-space indent.',
      'The file: test/clamp.test.ts.',
    ]) {
      expect(request.prompt).toContain(part);
    }
    expect(request.system).toContain('exactly one fenced code block');
    expect(request.prompt).not.toContain('rejected');
  });

  it('asks for a relative import when the specifier is unknown', () => {
    const { prompt } = buildTestPrompt({ task: TASK, source: SOURCE, specifier: undefined });
    expect(prompt).toContain('import src/clamp.ts by its path relative to test/clamp.test.ts');
    expect(prompt).not.toContain("from '../src/clamp.js'");
  });

  it('says when coverage is unknown instead of marking nothing silently', () => {
    const { prompt } = buildTestPrompt({
      task: { ...TASK, uncoveredLines: [] },
      source: SOURCE,
      specifier: '../src/clamp.js',
    });
    expect(prompt).toContain('could not be measured: test every export');
    expect(prompt).not.toMatch(/^! /m);
  });

  it('shows the rejected file and the gate errors in a repair', () => {
    const { prompt } = buildTestPrompt({
      task: {
        ...TASK,
        repair: {
          attempt: 1,
          previous: GOOD_FILE,
          errors: 'passed: clamp > raises a low value: expected 0 to be 1\nstill uncovered: 4',
        },
      },
      source: SOURCE,
      specifier: '../src/clamp.js',
    });
    expect(prompt).toContain('previous test file (attempt 1) was rejected by the test gate');
    expect(prompt).toContain('expected 0 to be 1');
    expect(prompt).toContain('still uncovered: 4');
    expect(prompt).toContain("  it('raises a low value', () => expect(clamp(-1, 0, 5)).toBe(0));");
    expect(prompt).toContain('corrected complete file');
  });

  it('uses the brief of the task when it brings one', () => {
    const { system, prompt } = buildTestPrompt({
      task: { ...TASK, brief: { role: 'ROLE-X', ask: 'ASK-Y' } },
      source: SOURCE,
      specifier: '../src/clamp.js',
    });
    expect(system.startsWith('ROLE-X')).toBe(true);
    expect(prompt).toContain('ASK-Y');
  });
});

describe('numberedSource', () => {
  it('shows a long file as windows around its uncovered lines', () => {
    const source = Array.from({ length: 1000 }, (_, i) => `line${i + 1}`).join('\n');
    const text = numberedSource(source, [500]);
    expect(text).toContain('!  500 | line500');
    expect(text).toContain('   492 | line492');
    expect(text).not.toContain('line491\n');
    expect(text).not.toContain('| line1\n');
    expect(text.split('\n').filter((l) => l === '...')).toHaveLength(2);
  });
});

describe('helpers', () => {
  it.each([
    [[], ''],
    [[7], '7'],
    [[1, 2, 3, 5, 9, 10], '1-3, 5, 9-10'],
    [[4, 3, 3], '3-4'],
  ])('lineRanges(%j) is %j', (lines, text) => {
    expect(lineRanges(lines)).toBe(text);
  });

  it('fences text with a fence longer than the backticks it holds', () => {
    expect(fenced('a ``` b', 'ts')).toBe('````ts\na ``` b\n````');
    expect(fenced('plain\n')).toBe('```\nplain\n```');
  });

  it('narrows exports to the task and leaves types out of the import', () => {
    expect(exportsOf('src/clamp.ts', SOURCE, ['clamp'])).toMatchObject({
      names: ['clamp'],
      signatures: ['2: export function clamp(x: number, low: number, high: number): number'],
    });
    expect(exportsOf('src/clamp.ts', SOURCE).names).toEqual(['clamp', 'NAME']);
    expect(exportsOf('src/broken.ts', 'export function (').error).toMatch(/syntax error/);
  });

  it.each<[Partial<TestStyle>, string[]]>([
    [{}, ["import { describe, it, expect } from 'vitest';"]],
    [{ globals: true }, []],
    [{ runner: 'jest', globals: false }, ["import { describe, it, expect } from '@jest/globals';"]],
    [
      { runner: 'mocha', assertions: 'node:assert', module: 'cjs' },
      ["const assert = require('node:assert/strict');"],
    ],
    [{ runner: 'mocha', assertions: 'chai' }, ["import { expect } from 'chai';"]],
    [
      { runner: 'node:test', assertions: 'node:assert' },
      ["import { describe, it } from 'node:test';", "import assert from 'node:assert/strict';"],
    ],
    [{ runner: 'ava', assertions: 'ava' }, ["import test from 'ava';"]],
  ])('testApiImports(%j)', (style, lines) => {
    expect(testApiImports({ ...STYLE, ...style })).toEqual(lines);
  });
});

describe('parseTestAnswer', () => {
  it.each([
    ['a typescript block', `Here it is.\n\`\`\`typescript\n${GOOD_FILE}\n\`\`\`\nIt pins clamp.`],
    ['a block without a language tag', `\`\`\`\n${GOOD_FILE}\n\`\`\``],
    ['a tilde fence', `~~~ts\n${GOOD_FILE}\n~~~`],
    ['an indented fence', `  \`\`\`ts\n${GOOD_FILE}\n  \`\`\``],
    ['a longer fence around backticks', `\`\`\`\`ts\n// \`\`\`\n${GOOD_FILE}\n\`\`\`\``],
  ])('accepts %s', (_name, answer) => {
    const parsed = parseTestAnswer(answer);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.content).toContain(GOOD_FILE);
    expect(parsed.content.endsWith('});\n')).toBe(true);
  });

  it('keeps the prose as the rationale', () => {
    const parsed = parseTestAnswer(`Here it is.\n\`\`\`ts\n${GOOD_FILE}\n\`\`\`\nIt pins clamp.`);
    expect(parsed).toMatchObject({ ok: true, rationale: 'Here it is.\nIt pins clamp.' });
  });

  it.each([
    ['prose only', 'You should test clamp with negative numbers.', /no code block/],
    [
      'two blocks',
      `\`\`\`ts\n${GOOD_FILE}\n\`\`\`\nand\n\`\`\`ts\n${GOOD_FILE}\n\`\`\``,
      /2 code blocks/,
    ],
    ['an empty block', '```ts\n\n```', /empty/],
    [
      'a block with no test call',
      "```ts\nimport { clamp } from '../src/clamp.js';\n```",
      /no test/,
    ],
    [
      'a block whose only call named test is a method',
      '```ts\nconst ok = /a/.test(s);\n```',
      /no test/,
    ],
    ['an unclosed block', `\`\`\`ts\n${GOOD_FILE}`, /ends inside a code block/],
  ])('rejects %s', (_name, answer, reason) => {
    const parsed = parseTestAnswer(answer);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.reason).toMatch(reason);
  });
});
