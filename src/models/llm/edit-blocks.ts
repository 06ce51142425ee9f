import { type FileChange, type TextEdit, editsOverlap } from '../../core/index.js';

/**
 * The answer format the model is asked for. Each block names a repository-relative file on the
 * line just before `<<<<<<< SEARCH`; the SEARCH text must occur exactly once in that file and is
 * replaced by the REPLACE text. Markers are exactly seven characters, alone on their line. An
 * optional `TITLE: ...` line gives the commit subject; other text outside blocks is the rationale.
 */
export const EDIT_FORMAT = `Answer with search/replace edit blocks, exactly in this format:

TITLE: <one line commit subject>
<repository-relative path of the file>
<<<<<<< SEARCH
<lines copied exactly from the file, including indentation>
=======
<the lines that replace them>
>>>>>>> REPLACE

Rules: the SEARCH text must match exactly one place in the file; keep each block small; use
several blocks for several places; put any explanation outside the blocks.`;

/** One parsed block. */
export interface EditBlock {
  file: string;
  search: string;
  replace: string;
}

export type ParsedAnswer =
  | { ok: true; title: string | undefined; blocks: EditBlock[]; rationale: string }
  | { ok: false; reason: string };

const SEARCH = /^<{7} SEARCH\s*$/;
const DIVIDER = /^={7}\s*$/;
const REPLACE = /^>{7} REPLACE\s*$/;
const PATH = /^[\w@.+-][\w@.+/-]*$/;
const TITLE = /^TITLE:\s*(\S.*)$/;
const FENCE = /^```/;

/** A repository-relative path that stays inside the repository, or undefined. */
function pathOf(line: string | undefined): string | undefined {
  const candidate = line?.trim().replace(/^`(.*)`$/, '$1');
  if (!candidate || !PATH.test(candidate)) return undefined;
  return candidate.split('/').some((part) => part === '..' || part === '') ? undefined : candidate;
}

interface ParseState {
  mode: 'prose' | 'search' | 'replace';
  file: string;
  search: string[];
  replace: string[];
  prose: string[];
  blocks: EditBlock[];
}

type Marker = 'search' | 'divider' | 'replace';

function markerOf(line: string): Marker | undefined {
  if (SEARCH.test(line)) return 'search';
  if (DIVIDER.test(line)) return 'divider';
  return REPLACE.test(line) ? 'replace' : undefined;
}

/** Outside a block: prose, or the start of a block whose file is named on the line before. */
function stepProse(
  state: ParseState,
  line: string,
  marker: Marker | undefined,
): string | undefined {
  if (marker === undefined) {
    state.prose.push(line);
    return undefined;
  }
  if (marker !== 'search') return `${marker} marker outside a block`;
  const file = pathOf(state.prose.pop());
  if (!file) return 'a block must follow a line naming a repository-relative file';
  Object.assign(state, { mode: 'search', file, search: [], replace: [] });
  return undefined;
}

/** Inside a block: text of the current half, or the marker that ends it. */
function stepBlock(
  state: ParseState,
  line: string,
  marker: Marker | undefined,
): string | undefined {
  if (state.mode === 'prose') return undefined;
  if (marker === undefined) {
    state[state.mode].push(line);
    return undefined;
  }
  const expected: Marker = state.mode === 'search' ? 'divider' : 'replace';
  if (marker !== expected) return `unexpected ${marker} marker`;
  if (state.mode === 'search') state.mode = 'replace';
  else finishBlock(state);
  return undefined;
}

/** Advances the parser by one line; a string is the reason the answer is malformed. */
function step(state: ParseState, line: string, index: number): string | undefined {
  const marker = markerOf(line);
  const problem =
    state.mode === 'prose' ? stepProse(state, line, marker) : stepBlock(state, line, marker);
  return problem && `line ${index + 1}: ${problem}`;
}

function finishBlock(state: ParseState): void {
  state.blocks.push({
    file: state.file,
    search: state.search.join('\n'),
    replace: state.replace.join('\n'),
  });
  state.mode = 'prose';
}

function rationaleOf(prose: readonly string[]): string {
  const kept = prose.filter((line) => !TITLE.test(line) && !FENCE.test(line.trim()));
  return kept.join('\n').trim().slice(0, 2000);
}

/** Parses an answer strictly; anything off the documented format is a reason, never a throw. */
export function parseEditBlocks(answer: string): ParsedAnswer {
  const state: ParseState = {
    mode: 'prose',
    file: '',
    search: [],
    replace: [],
    prose: [],
    blocks: [],
  };
  const lines = answer.replace(/\r\n/g, '\n').split('\n');
  for (const [index, line] of lines.entries()) {
    const problem = step(state, line, index);
    if (problem) return { ok: false, reason: problem };
  }
  if (state.mode !== 'prose') return { ok: false, reason: 'the answer ends inside an edit block' };
  if (state.blocks.length === 0) return { ok: false, reason: 'the answer has no edit blocks' };
  const title = state.prose.map((line) => TITLE.exec(line)?.[1]).find((t) => t !== undefined);
  return {
    ok: true,
    title: title?.trim().slice(0, 120),
    blocks: state.blocks,
    rationale: rationaleOf(state.prose),
  };
}

function occurrences(source: string, text: string): number[] {
  const found: number[] = [];
  for (let at = source.indexOf(text); at !== -1; at = source.indexOf(text, at + 1)) found.push(at);
  return found;
}

/** The edit of one block against the original file text, or the reason it does not apply. */
function editOf(block: EditBlock, source: string): TextEdit | string {
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const search = block.search.replace(/\n/g, eol);
  if (search.trim() === '') return `${block.file}: empty SEARCH text`;
  const at = occurrences(source, search);
  if (at.length !== 1 || at[0] === undefined) {
    return `${block.file}: SEARCH text matches ${at.length} times, expected exactly once`;
  }
  return { start: at[0], end: at[0] + search.length, text: block.replace.replace(/\n/g, eol) };
}

function addEdit(changes: FileChange[], file: string, edit: TextEdit): string | undefined {
  let change = changes.find((c) => c.file === file);
  if (!change) changes.push((change = { file, edits: [] }));
  if (change.edits.some((e) => editsOverlap(e, edit))) return `${file}: two blocks overlap`;
  change.edits.push(edit);
  return undefined;
}

/** Turns blocks into edits of the files as they are now, or the reason they do not apply. */
export async function blocksToChanges(
  blocks: readonly EditBlock[],
  readFile: (file: string) => Promise<string>,
): Promise<{ ok: true; changes: FileChange[] } | { ok: false; reason: string }> {
  const changes: FileChange[] = [];
  for (const block of blocks) {
    const source = await readFile(block.file).catch(() => undefined);
    if (source === undefined) return { ok: false, reason: `${block.file}: no such file` };
    const edit = editOf(block, source);
    const problem = typeof edit === 'string' ? edit : addEdit(changes, block.file, edit);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, changes };
}
