import { extractFile } from '../../analysis/index.js';
import type { TestStyle } from '../../fixes/index.js';
import type { TaskBrief, TestTask } from '../types.js';
import type { LlmRequest } from './types.js';

/*
 * The prompt of a `test` task and the parser of its answer. As TestPilot and CoverUp do, the model
 * sees the target's source with line numbers and its uncovered lines marked, the signatures of its
 * exports, an existing test of the repository and how its tests are written; a repair shows the
 * rejected file and what the test gate said. The answer is one complete test file.
 */

/** The answer format a test task asks for. */
export const TEST_FORMAT = `Answer with the complete test file in exactly one fenced code block:

\`\`\`ts
<the whole test file, from its first import to its last test>
\`\`\`

Put no other code block in the answer. A short explanation may follow the block.`;

/** The wording of a test task, when the task brings none. */
export const TEST_BRIEF: TaskBrief = {
  role: `You write unit tests for one source file of a TypeScript or JavaScript repository.
The tests pin the code's current behaviour (characterisation tests): assert what the code does now,
even where it looks wrong, and never change the code under test. Every test must be deterministic:
no network, no dependence on the clock, randomness, time zone, locale or the order tests run in.
Assert specific values (return values, thrown errors and their messages), not merely that a value
is defined; no snapshots. Aim at the lines the existing tests leave uncovered.`,
  ask: 'Write the tests. Reply with the complete test file in one fenced code block, as above.',
};

/** Files longer than this are shown as excerpts around their uncovered lines and exports. */
const MAX_FULL_SOURCE_LINES = 600;
/** Lines shown on each side of an uncovered line or an export in an excerpt. */
const EXCERPT_CONTEXT = 8;
const MAX_EXAMPLE_CHARS = 6000;
const MAX_REPAIR_CHARS = 6000;

export interface TestPromptInput {
  task: TestTask;
  /** Current text of `task.file`. */
  source: string;
  /**
   * What the test writes to import `task.file` (`../src/a.js`); undefined when it could not be
   * worked out, and the prompt then asks for a path relative to the test file.
   */
  specifier: string | undefined;
  /** The repo map around the file; '' when there is none. */
  repoMap?: string;
  /** The repository's conventions (style guide, formatter settings), if any. */
  conventions?: string;
}

/** A fence longer than any run of backticks in `text`, so the text cannot close it. */
export function fenced(text: string, language = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** `[3, 4, 5, 9]` as `3-5, 9`. */
export function lineRanges(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const ranges: string[] = [];
  let index = 0;
  while (index < sorted.length) {
    const first = sorted[index] as number;
    let last = first;
    while (sorted[index + 1] === last + 1) last = sorted[++index] as number;
    ranges.push(first === last ? `${first}` : `${first}-${last}`);
    index++;
  }
  return ranges.join(', ');
}

/** Line numbers to show of a long file: windows around the lines that matter. */
function shownLines(count: number, focus: readonly number[]): Set<number> | undefined {
  if (count <= MAX_FULL_SOURCE_LINES) return undefined;
  const shown = new Set<number>();
  for (const line of focus) {
    const last = Math.min(count, line + EXCERPT_CONTEXT);
    for (let n = Math.max(1, line - EXCERPT_CONTEXT); n <= last; n++) shown.add(n);
  }
  return shown;
}

/**
 * The source with line numbers, uncovered lines marked `!`; a long file shows only the windows
 * around `focus` lines, with `...` where lines are left out.
 */
export function numberedSource(
  source: string,
  uncovered: readonly number[],
  focus: readonly number[] = uncovered,
): string {
  const lines = source.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const marked = new Set(uncovered);
  const shown = shownLines(lines.length, [...uncovered, ...focus]);
  const width = String(lines.length).length;
  const out: string[] = [];
  let skipping = false;
  for (const [index, text] of lines.entries()) {
    const line = index + 1;
    if (shown && !shown.has(line)) {
      if (!skipping) out.push('...');
      skipping = true;
      continue;
    }
    skipping = false;
    out.push(`${marked.has(line) ? '!' : ' '} ${String(line).padStart(width)} | ${text}`);
  }
  return out.join('\n');
}

interface ExportsOfFile {
  /** `line: signature` of each exported declaration aimed at, members included. */
  signatures: string[];
  /** Names a test can import, `default` excluded. */
  names: string[];
  hasDefault: boolean;
  /** Lines where the exported declarations start. */
  lines: number[];
  /** Why no signatures could be read, if so. */
  error?: string;
}

const TYPE_KINDS = new Set(['interface', 'type']);

/** The exported declarations of the file, narrowed to the task's exports when it names some. */
export function exportsOf(file: string, source: string, only?: readonly string[]): ExportsOfFile {
  const extracted = extractFile(file, source);
  if ('error' in extracted) {
    return { signatures: [], names: [], hasDefault: false, lines: [], error: extracted.error };
  }
  const aimed = (name: string): boolean => !only || only.includes(name);
  const symbols = extracted.symbols.filter(
    (s) => s.exported && aimed(s.qualifiedName.split('.')[0] ?? s.name),
  );
  // Types cannot be imported as values; re-exports (`export { a } from`) can.
  const types = new Set(
    extracted.symbols.filter((s) => s.exported && TYPE_KINDS.has(s.kind)).map((s) => s.name),
  );
  return {
    signatures: symbols.map((s) => `${s.startLine}: ${s.signature}`),
    names: extracted.exports.filter((n) => n !== 'default' && aimed(n) && !types.has(n)),
    hasDefault: extracted.exports.includes('default') && aimed('default'),
    lines: symbols.map((s) => s.startLine),
  };
}

/** The statements a test of this runner starts with to get its test functions and assertions. */
export function testApiImports(style: TestStyle): string[] {
  const esm = style.module === 'esm';
  const from = (names: string, module: string): string =>
    esm ? `import ${names} from '${module}';` : `const ${names} = require('${module}');`;
  const assertions: Record<TestStyle['assertions'], string | undefined> = {
    expect: undefined,
    'node:assert': from('assert', 'node:assert/strict'),
    chai: from('{ expect }', 'chai'),
    ava: undefined,
  };
  const api: Record<TestStyle['runner'], string | undefined> = {
    vitest: style.globals ? undefined : from('{ describe, it, expect }', 'vitest'),
    jest: style.globals ? undefined : from('{ describe, it, expect }', '@jest/globals'),
    mocha: undefined,
    'node:test': from('{ describe, it }', 'node:test'),
    ava: from('test', 'ava'),
  };
  const expectFromApi = style.runner === 'vitest' || style.runner === 'jest';
  const lines = [api[style.runner]];
  if (!(expectFromApi && style.assertions === 'expect')) lines.push(assertions[style.assertions]);
  return lines.filter((line): line is string => line !== undefined);
}

function styleSection(task: TestTask, specifier: string | undefined, names: string[]): string {
  const { style } = task;
  const language = /\.m?ts$/.test(style.extension) ? 'TypeScript' : 'JavaScript';
  const esm = style.module === 'esm';
  const lines = [
    `How this repository writes its tests (follow it exactly):`,
    `- runner: ${style.runner}; assertions: ${style.assertions}; ${esm ? 'ES modules (import)' : 'CommonJS (require)'}; the file is ${language}`,
    style.globals
      ? `- the runner's globals are on: use describe, it and expect without importing them`
      : `- the runner's globals are off: import the test functions`,
  ];
  const api = testApiImports(style);
  if (api.length) lines.push(`- start with: ${api.join(' ')}`);
  const bound = names.length ? `{ ${names.join(', ')} }` : '{ ... }';
  if (specifier === undefined) {
    lines.push(
      `- import ${task.file} by its path relative to ${task.testFile}, written as the example test writes its imports`,
    );
  } else {
    lines.push(
      `- import the code under test as: ${esm ? `import ${bound} from '${specifier}';` : `const ${bound} = require('${specifier}');`}`,
    );
  }
  return lines.join('\n');
}

function repairSection(task: TestTask): string | undefined {
  const { repair } = task;
  if (!repair) return undefined;
  return [
    `Your previous test file (attempt ${repair.attempt}) was rejected by the test gate. What the gate said:`,
    repair.errors.slice(0, MAX_REPAIR_CHARS),
    `The rejected file:\n${fenced(repair.previous.slice(0, MAX_REPAIR_CHARS), 'ts')}`,
    [
      'A failing case usually expects a value the code does not return: pin what it returns now.',
      'Keep the cases that passed, drop or correct the failing ones, and reach the lines still',
      'uncovered. Reply with the corrected complete file, not a diff.',
    ].join(' '),
  ].join('\n');
}

/** The request for tests of one file: its source, exports, uncovered lines and the repository's test style. */
export function buildTestPrompt(input: TestPromptInput): LlmRequest {
  const { task } = input;
  const exported = exportsOf(task.file, input.source, task.exports);
  const uncovered = task.uncoveredLines;
  const parts = [
    `Write tests for ${task.file}${task.exports?.length ? `, aiming at its exports ${task.exports.join(', ')}` : ''}. The test file goes at ${task.testFile}.`,
  ];
  if (exported.signatures.length) {
    parts.push(
      `Exported declarations of ${task.file} (line: signature):\n${fenced(exported.signatures.join('\n'))}`,
    );
  } else if (exported.error) {
    parts.push(`The exports of ${task.file} could not be read (${exported.error}).`);
  }
  if (exported.hasDefault) parts.push(`${task.file} also has a default export.`);
  parts.push(
    uncovered.length
      ? `The repository's tests leave ${uncovered.length === 1 ? 'line' : 'lines'} ${lineRanges(uncovered)} of ${task.file} uncovered; they are marked \`!\` below. Reach them.`
      : `The coverage of ${task.file} could not be measured: test every export.`,
  );
  parts.push(
    `Source of ${task.file} (marker, line number, text):\n${fenced(numberedSource(input.source, uncovered, exported.lines))}`,
  );
  parts.push(styleSection(task, input.specifier, exported.names));
  if (task.example) {
    parts.push(
      `An existing test of this repository (${task.example.file}), for its style:\n${fenced(task.example.content.slice(0, MAX_EXAMPLE_CHARS))}`,
    );
  }
  if (input.repoMap?.trim()) {
    parts.push(
      `Repository map (the most central declarations around this file, chosen by the reference graph; each path, then line: signature):\n${fenced(input.repoMap.trimEnd())}`,
    );
  }
  const repair = repairSection(task);
  if (repair) parts.push(repair);
  if (input.conventions?.trim()) {
    parts.push(`Conventions of this repository:\n${input.conventions.trim()}`);
  }
  const brief = task.brief ?? TEST_BRIEF;
  parts.push(`${brief.ask}\nThe file: ${task.testFile}.`);
  return { system: `${brief.role}\n\n${TEST_FORMAT}`, prompt: parts.join('\n\n') };
}

export type ParsedTestAnswer =
  { ok: true; content: string; rationale: string } | { ok: false; reason: string };

/** An opening fence and its info string (`ts`, `typescript title=x`), which holds no backtick. */
const OPENING = /^(`{3,}|~{3,})[^`]*$/;
/** A call that declares a test in any of the runners we write for (`it.each(...)` too). */
const TEST_CALL = /(?<![\w$.])(?:test|it|describe|suite)(?:\s*\.\s*\w+)*\s*\(/;

interface Block {
  lines: string[];
}

/** The fenced blocks of an answer and the prose around them, or why the fences do not close. */
function splitBlocks(answer: string): { blocks: Block[]; prose: string[] } | string {
  const blocks: Block[] = [];
  const prose: string[] = [];
  let open: { fence: string; block: Block } | undefined;
  for (const line of answer.replace(/\r\n/g, '\n').split('\n')) {
    if (!open) {
      const match = OPENING.exec(line.trim());
      if (match?.[1]) {
        open = { fence: match[1], block: { lines: [] } };
        blocks.push(open.block);
      } else prose.push(line);
      continue;
    }
    const trimmed = line.trim();
    const closes =
      trimmed.length >= open.fence.length &&
      trimmed === (open.fence[0] as string).repeat(trimmed.length);
    if (closes) open = undefined;
    else open.block.lines.push(line);
  }
  if (open) return 'the answer ends inside a code block';
  return { blocks, prose };
}

/**
 * Parses a test answer strictly: exactly one fenced code block (any language tag), not empty,
 * that declares at least one test. Anything else is a reason, never a throw.
 */
export function parseTestAnswer(answer: string): ParsedTestAnswer {
  const split = splitBlocks(answer);
  if (typeof split === 'string') return { ok: false, reason: split };
  const { blocks, prose } = split;
  if (blocks.length === 0) return { ok: false, reason: 'the answer has no code block' };
  if (blocks.length > 1) {
    return {
      ok: false,
      reason: `the answer has ${blocks.length} code blocks, expected exactly one test file`,
    };
  }
  const content = (blocks[0] as Block).lines.join('\n').trim();
  if (content === '') return { ok: false, reason: 'the code block is empty' };
  if (!TEST_CALL.test(content)) {
    return { ok: false, reason: 'the code block declares no test (no test, it or describe call)' };
  }
  return { ok: true, content: `${content}\n`, rationale: prose.join('\n').trim().slice(0, 2000) };
}
