// The material of npm run eval:search, independent of the system it measures: a repository's HEAD
// tree read from git, the function-like declarations of its TypeScript/JavaScript files found with
// the TypeScript compiler (the ground truth: those with a doc comment whose first sentence has at
// least three words), and a copy of the tree with every `/** ... */` comment blanked out (replaced
// by its newlines, so line numbers hold), committed into a fresh repository that every system
// searches.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

export const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
/** Vendored, built or bundled paths: left out of the copy, so no system sees them. */
const VENDORED =
  /(?:^|\/)(?:node_modules|dist|build|vendor|vendored|third_party|coverage|\.yarn)\/|\.min\.js$/;
/** Test, fixture and benchmark files: in the copy, but their functions are not queried. */
const TEST =
  /(?:^|\/)(?:__tests__|__mocks__|tests?|specs?|e2e|fixtures?|__fixtures__|benchmarks?|bench)\/|(?:^|[./])(?:test|spec|bench|test-d)\.[cm]?[jt]sx?$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const GENERATED = /\b(?:generated|do not edit|don't change it)\b/i;
/** Files larger than this are bundles or data; left out of the copy. */
const MAX_BYTES = 1 << 20;

export interface TreeFile {
  path: string;
  content: Buffer;
}

/** The regular files of `dir`'s HEAD tree, vendored paths excluded; blobs absent from a partial clone are counted. */
export function readTree(dir: string): { commit: string; files: TreeFile[]; missing: number } {
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  const listing = execFileSync('git', ['ls-tree', '-r', '-z', '--full-tree', commit], {
    cwd: dir,
    maxBuffer: 1 << 28,
  }).toString('utf8');
  const entries = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta = '', file = ''] = line.split('\t');
      const [mode = '', type = '', sha = ''] = meta.split(' ');
      return { mode, type, sha, file };
    })
    .filter((e) => e.type === 'blob' && e.mode !== '120000' && !VENDORED.test(e.file));
  const batch = spawnSync('git', ['cat-file', '--batch'], {
    cwd: dir,
    input: entries.map((e) => e.sha).join('\n') + '\n',
    maxBuffer: 2 ** 31,
  });
  if (batch.status !== 0) throw new Error(`git cat-file failed in ${dir}: ${batch.stderr}`);
  const out = batch.stdout;
  const files: TreeFile[] = [];
  let missing = 0;
  let at = 0;
  for (const entry of entries) {
    const eol = out.indexOf(10, at);
    const header = out.toString('utf8', at, eol);
    at = eol + 1;
    if (header.endsWith(' missing')) {
      missing++;
      continue;
    }
    const size = Number(header.split(' ')[2]);
    if (size <= MAX_BYTES) files.push({ path: entry.file, content: out.subarray(at, at + size) });
    at += size + 1;
  }
  return { commit, files, missing };
}

/** A function declaration, method, or const-bound arrow/function expression. */
export interface FunctionUnit {
  file: string;
  name: string;
  /** 1-based line of the declaration's name. */
  line: number;
  /** 1-based, inclusive; overloads of one function share one range. */
  startLine: number;
  endLine: number;
  /** The doc comment's first sentence, when it qualifies as a query; else undefined. */
  query?: string;
}

function lineOf(source: ts.SourceFile, pos: number): number {
  return source.getLineAndCharacterOfPosition(pos).line + 1;
}

/** The `/** ... *\/` comments of a file, as [start, end) offsets, found token by token. */
export function docCommentRanges(source: ts.SourceFile): [number, number][] {
  const text = source.text;
  const seen = new Map<number, number>();
  const collect = (pos: number) => {
    // Comments on the line where the trivia starts are "trailing", the rest "leading".
    const ranges = [
      ...(ts.getTrailingCommentRanges(text, pos) ?? []),
      ...(ts.getLeadingCommentRanges(text, pos) ?? []),
    ];
    for (const c of ranges)
      if (text.startsWith('/**', c.pos) && c.end - c.pos >= 4) seen.set(c.pos, c.end);
  };
  const visit = (node: ts.Node) => {
    const children = node.getChildren(source);
    if (children.length === 0) collect(node.pos);
    for (const child of children) visit(child);
  };
  visit(source);
  collect(source.endOfFileToken.pos);
  return [...seen.entries()].sort((a, b) => a[0] - b[0]);
}

/** The text with each doc comment replaced by its line breaks. */
export function stripDocComments(text: string, ranges: [number, number][]): string {
  let out = '';
  let at = 0;
  for (const [from, to] of ranges) {
    out += text.slice(at, from) + text.slice(from, to).replace(/[^\n]/g, '');
    at = to;
  }
  return out + text.slice(at);
}

/** A doc comment's description: the text before its tags, or its `@summary`/`@description`. */
function description(comment: string): string {
  const lines = comment
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\*? ?/, ''));
  const before: string[] = [];
  const tagged = new Map<string, string[]>();
  let tag: string | undefined;
  for (const line of lines) {
    const m = /^@(\w+)\s*(.*)$/.exec(line.trim());
    if (m) {
      tag = m[1];
      if (!tagged.has(tag!)) tagged.set(tag!, [m[2]!]);
      else tag = '-';
    } else if (tag === undefined) before.push(line);
    else tagged.get(tag)?.push(line);
  }
  const main = before.join('\n').trim();
  if (main) return main;
  return (tagged.get('summary') ?? tagged.get('description') ?? []).join('\n').trim();
}

/** The first sentence of a doc comment, links and markup reduced to their text; undefined when under three words. */
export function firstSentence(comment: string): string | undefined {
  const text = description(comment)
    .replace(/\{@\w+\s+([^}|\s]+)(?:[\s|]+([^}]*))?\}/g, (_m, target: string, label?: string) =>
      label?.trim() ? label.trim() : target,
    )
    .replace(/<[^>]+>/g, ' ');
  const paragraph = text.split(/\n\s*\n/)[0] ?? '';
  const flat = paragraph.replace(/\s+/g, ' ').trim();
  const end = /(?<!\b(?:i\.e|e\.g|etc|vs|cf|approx))[.!?](?=\s|$)/i.exec(flat);
  const sentence = (end ? flat.slice(0, end.index + 1) : flat).trim();
  const words = sentence.split(' ').filter((w) => /[a-z]/i.test(w));
  return words.length >= 3 ? sentence : undefined;
}

function nameOf(node: ts.Node, source: ts.SourceFile): { name: string; pos: number } | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) {
    if (!node.name) return undefined;
    return { name: node.name.getText(source), pos: node.name.getStart(source) };
  }
  return undefined;
}

/** The doc comment directly before a node (the last one of its leading comments), if any. */
function docOf(node: ts.Node, text: string): string | undefined {
  const comments = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = comments[comments.length - 1];
  if (!last || !text.startsWith('/**', last.pos)) return undefined;
  return text.slice(last.pos, last.end);
}

/** The function-like declarations of one file, with the query of those documented. */
export function functionUnits(file: string, source: ts.SourceFile): FunctionUnit[] {
  const text = source.text;
  const units: FunctionUnit[] = [];
  /** Overloads: key `scope/name` of the previous declaration, to merge ranges. */
  let previous: { key: string; unit: FunctionUnit } | undefined;
  const add = (key: string, name: string, namePos: number, start: ts.Node, doc?: string) => {
    const startLine = lineOf(source, start.getStart(source));
    const endLine = lineOf(source, start.getEnd());
    const query = doc === undefined ? undefined : firstSentence(doc);
    if (previous?.key === key && previous.unit.endLine < startLine) {
      previous.unit.endLine = endLine;
      if (previous.unit.query === undefined && query !== undefined) {
        // The documented overload (often the implementation) is the one to find.
        previous.unit.query = query;
        previous.unit.line = lineOf(source, namePos);
      }
      return;
    }
    const unit: FunctionUnit = {
      file,
      name,
      line: lineOf(source, namePos),
      startLine,
      endLine,
      ...(query === undefined ? {} : { query }),
    };
    units.push(unit);
    previous = { key, unit };
  };
  const visit = (node: ts.Node, scope: string) => {
    const named = nameOf(node, source);
    if (named) add(`${scope}/${named.name}`, named.name, named.pos, node, docOf(node, text));
    else if (ts.isVariableStatement(node) && node.declarationList.flags & ts.NodeFlags.Const) {
      const decls = node.declarationList.declarations;
      for (const decl of decls) {
        const init = decl.initializer;
        if (!init || !ts.isIdentifier(decl.name)) continue;
        if (!ts.isArrowFunction(init) && !ts.isFunctionExpression(init)) continue;
        const doc = docOf(decls.length === 1 ? node : decl, text);
        add(`${scope}/${decl.name.text}`, decl.name.text, decl.name.getStart(source), node, doc);
      }
    }
    const inner =
      ts.isClassLike(node) || ts.isModuleDeclaration(node) ? `${scope}/${node.pos}` : scope;
    ts.forEachChild(node, (child) => visit(child, inner));
  };
  visit(source, '');
  return units;
}

/** Whether a file's documented functions are queried: source, not test, declaration or generated. */
export function isQueried(file: string, text: string): boolean {
  return (
    SOURCE.test(file) &&
    !TEST.test(file) &&
    !DECLARATION.test(file) &&
    !GENERATED.test(text.slice(0, 400))
  );
}

export function parse(file: string, text: string): ts.SourceFile {
  const kind = /x$/.test(file)
    ? ts.ScriptKind.TSX
    : /\.[cm]?js$/.test(file)
      ? ts.ScriptKind.JS
      : ts.ScriptKind.TS;
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
}

export interface Corpus {
  name: string;
  commit: string;
  /** The stripped copy: a git repository with one commit. */
  dir: string;
  /** Source files of the copy, stripped text. */
  sources: Map<string, string>;
  /** Every function-like declaration of the source files (tests included). */
  units: FunctionUnit[];
  /** The documented ones of queried files: the ground truth. */
  truth: FunctionUnit[];
  files: number;
  missing: number;
  docComments: number;
}

function git(dir: string, args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
}

/** Commits everything in `dir` under a fixed identity, hooks and signing off. */
export function commitAll(dir: string, message: string): void {
  git(dir, ['add', '-A']);
  const identity = ['-c', 'user.name=eval', '-c', 'user.email=eval@localhost'];
  git(dir, [
    ...identity,
    '-c',
    'commit.gpgsign=false',
    'commit',
    '-q',
    '--no-verify',
    '-m',
    message,
  ]);
}

/** Builds the stripped copy of `repo`'s HEAD in `into` (created), with its units and ground truth. */
export async function buildCorpus(name: string, repo: string, into: string): Promise<Corpus> {
  const { commit, files, missing } = readTree(repo);
  const sources = new Map<string, string>();
  const units: FunctionUnit[] = [];
  const truth: FunctionUnit[] = [];
  let docComments = 0;
  await mkdir(into, { recursive: true });
  for (const f of files) {
    let content: Buffer | string = f.content;
    if (SOURCE.test(f.path) && !f.content.includes(0)) {
      const text = f.content.toString('utf8');
      const source = parse(f.path, text);
      const ranges = docCommentRanges(source);
      docComments += ranges.length;
      const stripped = stripDocComments(text, ranges);
      content = stripped;
      sources.set(f.path, stripped);
      const found = functionUnits(f.path, source);
      units.push(...found);
      if (isQueried(f.path, text)) truth.push(...found.filter((u) => u.query !== undefined));
    }
    const target = path.join(into, f.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  git(into, ['init', '-q', '-b', 'main']);
  commitAll(into, `${name} at ${commit}, doc comments blanked`);
  return {
    name,
    commit,
    dir: into,
    sources,
    units,
    truth,
    files: files.length,
    missing,
    docComments,
  };
}
