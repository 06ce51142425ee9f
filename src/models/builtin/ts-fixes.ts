import { editsOverlap, type FileChange, type TextEdit } from '../../core/index.js';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type * as TS from 'typescript';
import type { Finding, Location } from '../../core/index.js';
import {
  createFileTexts,
  defaultProjectConfig,
  bundledTypeScript,
  readProjectConfig,
  type FileText,
  type FileTexts,
  type ProjectConfig,
  type TypeScriptModule,
} from '../../fixes/index.js';
import {
  isFindingTask,
  type Model,
  type ModelContext,
  type Proposal,
  type Task,
} from '../types.js';
import { followStyle } from './style.js';
import { passesGuard, type Span, type TsFixGuard } from './ts-fixes-guards.js';

/** Id of the model that proposes TypeScript's own code fixes and refactorings. */
export const TS_FIXES_MODEL_ID = 'builtin:ts-fixes';

export type { TsFixGuard } from './ts-fixes-guards.js';

/** How a TypeScript code fix (by fix name) or refactoring (by name and action) fixes a rule. */
export type TsFixMapping =
  | {
      kind: 'codefix';
      fixName: string;
      /** `contains`: the diagnostic covers the finding; `overlaps`: it touches it. */
      match: 'contains' | 'overlaps';
      /** One proposal from the fixes of all matching diagnostics (one finding, many of them). */
      combine?: boolean;
    }
  | { kind: 'refactor'; refactor: string; action: string; guard?: TsFixGuard };

/** Guards of code fixes, wherever they are proposed. */
const CODE_FIX_GUARDS: Readonly<Record<string, TsFixGuard>> = {
  unusedIdentifier: 'pure-deletion',
  fixUnreachableCode: 'keeps-hoisted',
};

/** Code fixes that silence a diagnostic (`// @ts-ignore`) instead of fixing it. */
const SILENCING_FIXES = new Set(['disableJsDiagnostics']);

const UNUSED: TsFixMapping = { kind: 'codefix', fixName: 'unusedIdentifier', match: 'contains' };

function refactor(name: string, guard?: TsFixGuard): TsFixMapping {
  return { kind: 'refactor', refactor: name, action: name, ...(guard ? { guard } : {}) };
}

/**
 * Rules and the TypeScript fixes that address them, checked on real files by the tests. Rules
 * without an entry have no TypeScript fix: `no-var`, `prefer-const`, `object-shorthand`, `eqeqeq`
 * and the others; `duplicate-import` is only covered by "Organize imports", which also sorts and
 * removes every import in the file, too much for one finding.
 */
export const TS_FIX_MAPPINGS: Readonly<Record<string, readonly TsFixMapping[]>> = {
  'unused-import': [UNUSED],
  'unused-variable': [UNUSED],
  'unused-private-class-member': [UNUSED],
  'unreachable-code': [
    { kind: 'codefix', fixName: 'fixUnreachableCode', match: 'overlaps', combine: true },
  ],
  'use-isnan': [{ kind: 'codefix', fixName: 'fixNaNEquality', match: 'contains' }],
  'prefer-template': [refactor('Convert to template string')],
  'prefer-optional-chain': [refactor('Convert to optional chain expression')],
  'max-params': [refactor('Convert parameters to destructured object', 'not-exported')],
};

/** The rule ids `builtin:ts-fixes` supports. */
export const TS_FIX_RULES: readonly string[] = Object.keys(TS_FIX_MAPPINGS);

export interface TsFixesModelOptions {
  /** TypeScript to use; our bundled one by default. */
  typescript?: TypeScriptModule;
}

/** A change found with TypeScript, before it becomes a Proposal. */
interface Candidate {
  title: string;
  rationale: string;
  changes: readonly TS.FileTextChanges[];
}

/** Offset of a 1-based line and column, lines ending at `\n` as the scanner counts them. */
function offsetAt(text: string, line: number, column: number): number {
  let start = 0;
  for (let current = 1; current < line; current++) {
    const newline = text.indexOf('\n', start);
    if (newline < 0) return text.length;
    start = newline + 1;
  }
  return Math.min(start + column - 1, text.length);
}

function spanOf(text: string, location: Location): Span {
  const start = offsetAt(text, location.line, location.column);
  return { start, end: Math.max(start, offsetAt(text, location.endLine, location.endColumn)) };
}

function diagnosticSpan(d: TS.Diagnostic): Span | undefined {
  return d.start === undefined ? undefined : { start: d.start, end: d.start + (d.length ?? 0) };
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function overlaps(a: Span, b: Span): boolean {
  if (a.start === a.end || b.start === b.end) return contains(a, b) || contains(b, a);
  return a.start < b.end && b.start < a.end;
}

function formatSettings(ts: TypeScriptModule, text: string): TS.FormatCodeSettings {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  const tabs = indent.startsWith('\t');
  const size = tabs ? 4 : Math.min(Math.max(indent.length, 2), 4);
  return {
    ...ts.getDefaultFormatCodeSettings(text.includes('\r\n') ? '\r\n' : '\n'),
    indentSize: size,
    tabSize: size,
    convertTabsToSpaces: !tabs,
  };
}

const PREFERENCES: TS.UserPreferences = {
  quotePreference: 'auto',
  allowTextChangesInNewFiles: false,
  provideRefactorNotApplicableReason: true,
};

/** Repository-relative path of a project file; undefined outside the root or in node_modules. */
function projectPath(root: string, fileName: string): string | undefined {
  const file = path.posix.relative(root, fileName);
  if (file.startsWith('../') || path.posix.isAbsolute(file)) return undefined;
  return file.split('/').includes('node_modules') ? undefined : file;
}

/** `FileChange`s with repository-relative paths; undefined when a change leaves the project. */
function toFileChanges(
  root: string,
  changes: readonly TS.FileTextChanges[],
): FileChange[] | undefined {
  const result: FileChange[] = [];
  for (const change of changes) {
    const file = projectPath(root, change.fileName);
    if (change.isNewFile || file === undefined) return undefined;
    const edits: TextEdit[] = change.textChanges.map((t) => ({
      start: t.span.start,
      end: t.span.start + t.span.length,
      text: t.newText,
    }));
    const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    if (sorted.some((edit, i) => i > 0 && editsOverlap(sorted[i - 1] ?? edit, edit))) {
      return undefined;
    }
    const existing = result.find((c) => c.file === file);
    if (existing) existing.edits.push(...sorted);
    else result.push({ file, edits: sorted });
  }
  return result.length > 0 ? result : undefined;
}

/** Changes of several fixes in one list, the same edit once. */
function mergeChanges(lists: readonly (readonly TS.FileTextChanges[])[]): TS.FileTextChanges[] {
  const byFile = new Map<string, Map<string, TS.TextChange>>();
  for (const change of lists.flat()) {
    const edits = byFile.get(change.fileName) ?? new Map<string, TS.TextChange>();
    for (const edit of change.textChanges) {
      edits.set(`${edit.span.start}:${edit.span.length}:${edit.newText}`, edit);
    }
    byFile.set(change.fileName, edits);
  }
  return [...byFile].map(([fileName, edits]) => ({ fileName, textChanges: [...edits.values()] }));
}

function titleOf(description: string): string {
  return description.replace(/\.$/, '');
}

function codeFixRationale(ts: TypeScriptModule, fix: TS.CodeFixAction, d: TS.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  return `TypeScript's code fix '${fix.fixName}' for TS${d.code}: ${message}`;
}

/** Everything one proposal needs to ask the language service. */
interface Query {
  ts: TypeScriptModule;
  service: TS.LanguageService;
  fileName: string;
  span: Span;
  format: TS.FormatCodeSettings;
  /** Diagnostics touching the span, with the code fixes TypeScript offers for each. */
  diagnostics: SpanDiagnostic[];
}

interface SpanDiagnostic {
  diagnostic: TS.Diagnostic;
  span: Span;
  /** Asked for when needed: some fixes (missing imports) search the whole program. */
  fixes(): readonly TS.CodeFixAction[];
}

/** Code fixes of a diagnostic, without those that run commands (installs) or create files. */
function fixesFor(
  query: Omit<Query, 'diagnostics'>,
  d: TS.Diagnostic,
  span: Span,
): readonly TS.CodeFixAction[] {
  const { service, fileName, format } = query;
  return service
    .getCodeFixesAtPosition(fileName, span.start, span.end, [d.code], format, PREFERENCES)
    .filter((fix) => !fix.commands?.length && !fix.changes.some((c) => c.isNewFile));
}

function diagnosticsAt(query: Omit<Query, 'diagnostics'>): Query['diagnostics'] {
  const { service, fileName } = query;
  const all = [
    ...service.getSyntacticDiagnostics(fileName),
    ...service.getSemanticDiagnostics(fileName),
    ...service.getSuggestionDiagnostics(fileName),
  ];
  const result: Query['diagnostics'] = [];
  for (const diagnostic of all) {
    const span = diagnosticSpan(diagnostic);
    if (!span || !overlaps(span, query.span)) continue;
    let fixes: readonly TS.CodeFixAction[] | undefined;
    result.push({ diagnostic, span, fixes: () => (fixes ??= fixesFor(query, diagnostic, span)) });
  }
  return result;
}

function guardPasses(
  query: Query,
  guard: TsFixGuard | undefined,
  changes: readonly TS.FileTextChanges[],
): boolean {
  if (!guard) return true;
  const program = query.service.getProgram();
  if (!program) return false;
  return passesGuard(query.ts, guard, {
    program,
    fileName: query.fileName,
    span: query.span,
    changes,
  });
}

/** The fixes of TypeScript with this name, and the first of them that passes its guard. */
function acceptedFix(
  query: Query,
  fixes: readonly TS.CodeFixAction[],
  fixName: string,
): { named: TS.CodeFixAction[]; fix: TS.CodeFixAction | undefined } {
  const guard = CODE_FIX_GUARDS[fixName];
  const named = fixes.filter((fix) => fix.fixName === fixName);
  return { named, fix: named.find((fix) => guardPasses(query, guard, fix.changes)) };
}

/** One candidate from several: the changes of all, the title of the first. */
function combined(found: Candidate[]): Candidate[] {
  const [first, ...rest] = found;
  if (!first || rest.length === 0) return found;
  return [{ ...first, changes: mergeChanges(found.map((c) => c.changes)) }];
}

function codeFixCandidates(
  query: Query,
  mapping: Extract<TsFixMapping, { kind: 'codefix' }>,
): Candidate[] {
  const found: Candidate[] = [];
  const matching = query.diagnostics.filter(
    ({ span }) => mapping.match === 'overlaps' || contains(span, query.span),
  );
  for (const { diagnostic, fixes } of matching) {
    const { named, fix } = acceptedFix(query, fixes(), mapping.fixName);
    // A combined fix that would leave part of the finding is no fix.
    if (mapping.combine && named.length > 0 && !fix) return [];
    if (!fix) continue;
    const rationale = codeFixRationale(query.ts, fix, diagnostic);
    found.push({ title: titleOf(fix.description), rationale, changes: fix.changes });
  }
  return mapping.combine ? combined(found) : found;
}

/**
 * Where else to ask for a refactoring when the finding's span gives nothing: for a binary
 * expression, its operator. "Convert to template string" looks at the first token only, and
 * gives up on `(a * b).toFixed(1) + '%'`, whose first token is a parenthesis.
 */
function fallbackRanges(query: Query): TS.TextRange[] {
  const ranges: TS.TextRange[] = [];
  const sourceFile = query.service.getProgram()?.getSourceFile(query.fileName);
  let operator: number | undefined;
  const visit = (node: TS.Node): void => {
    if (node.end < query.span.end || node.pos > query.span.start) return;
    const exact = node.getStart(sourceFile) === query.span.start && node.end === query.span.end;
    if (exact && query.ts.isBinaryExpression(node))
      operator = node.operatorToken.getStart(sourceFile);
    query.ts.forEachChild(node, visit);
  };
  if (sourceFile) visit(sourceFile);
  if (operator !== undefined) ranges.push({ pos: operator, end: operator });
  return ranges;
}

function editsWithin(query: Query, changes: readonly TS.FileTextChanges[]): boolean {
  return changes.every((change) =>
    change.textChanges.every(
      (t) =>
        change.fileName === query.fileName &&
        contains(query.span, { start: t.span.start, end: t.span.start + t.span.length }),
    ),
  );
}

function refactorAt(
  query: Query,
  mapping: Extract<TsFixMapping, { kind: 'refactor' }>,
  range: TS.TextRange,
): Candidate | undefined {
  const { service, fileName } = query;
  const applicable = service.getApplicableRefactors(fileName, range, PREFERENCES, 'invoked');
  const action = applicable
    .find((r) => r.name === mapping.refactor)
    ?.actions.find((a) => a.name === mapping.action && !a.notApplicableReason);
  if (!action) return undefined;
  const edits = service.getEditsForRefactor(
    fileName,
    query.format,
    range,
    mapping.refactor,
    mapping.action,
    PREFERENCES,
  );
  if (!edits || edits.commands?.length || edits.edits.some((c) => c.isNewFile)) return undefined;
  const rationale = `TypeScript's refactoring '${mapping.refactor}'.`;
  return { title: titleOf(action.description), rationale, changes: edits.edits };
}

function refactorCandidates(
  query: Query,
  mapping: Extract<TsFixMapping, { kind: 'refactor' }>,
): Candidate[] {
  if (!guardPasses(query, mapping.guard, [])) return [];
  const candidate = refactorAt(query, mapping, { pos: query.span.start, end: query.span.end });
  if (candidate) return [candidate];
  // Away from the span, accept only a change that stays inside the finding.
  for (const range of fallbackRanges(query)) {
    const fallback = refactorAt(query, mapping, range);
    if (fallback && editsWithin(query, fallback.changes)) return [fallback];
  }
  return [];
}

/** Fixes of a diagnostic exactly at the finding, for rules without a mapping. */
function exactCandidates(query: Query): Candidate[] {
  const found: Candidate[] = [];
  for (const { diagnostic, span, fixes } of query.diagnostics) {
    if (span.start !== query.span.start || span.end !== query.span.end) continue;
    for (const fix of fixes()) {
      if (SILENCING_FIXES.has(fix.fixName)) continue;
      if (!guardPasses(query, CODE_FIX_GUARDS[fix.fixName], fix.changes)) continue;
      const rationale = codeFixRationale(query.ts, fix, diagnostic);
      found.push({ title: titleOf(fix.description), rationale, changes: fix.changes });
    }
  }
  return found;
}

function candidatesFor(query: Query, ruleId: string): Candidate[] {
  const mappings = Object.hasOwn(TS_FIX_MAPPINGS, ruleId) ? TS_FIX_MAPPINGS[ruleId] : undefined;
  const mapped = (mappings ?? []).flatMap((mapping) =>
    mapping.kind === 'codefix'
      ? codeFixCandidates(query, mapping)
      : refactorCandidates(query, mapping),
  );
  return [...mapped, ...exactCandidates(query)];
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/** One language service over one repository root, reading through the caller's `readFile`. */
interface RootService {
  propose(finding: Finding, context: ModelContext): Promise<Proposal[]>;
  dispose(): void;
}

function loadConfig(ts: TypeScriptModule, root: string): ProjectConfig {
  const configFile = path.join(root, 'tsconfig.json');
  const config = ts.sys.fileExists(configFile)
    ? readProjectConfig(ts, configFile)
    : defaultProjectConfig(ts, root);
  // A finding may be in any JS file, and plain JS files only get unused-code suggestions when
  // checkJs is unset (false turns them off).
  const options = { ...config.options, allowJs: true };
  if (options.checkJs === false) delete options.checkJs;
  return { ...config, options };
}

/** Files read through the caller for the current proposal, shadowing the disk. */
type Overlay = Map<string, FileText>;

/** What the language service host reads: the caller's files first, then the disk. */
interface HostState {
  root: string;
  config: ProjectConfig;
  overlay: Overlay;
  texts: FileTexts;
  rootNames: () => string[];
}

function createHost(ts: TypeScriptModule, state: HostState): TS.LanguageServiceHost {
  const { root, config, overlay, texts, rootNames } = state;
  const read = (file: string): FileText | undefined => overlay.get(file) ?? texts.read(file);
  return {
    getScriptFileNames: rootNames,
    getScriptVersion: (file) => read(file)?.hash ?? '',
    getScriptSnapshot: (file) => {
      const content = read(file);
      return content && ts.ScriptSnapshot.fromString(content.text);
    },
    getCurrentDirectory: () => root,
    getCompilationSettings: () => config.options,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (file) => overlay.has(file) || ts.sys.fileExists(file),
    readFile: (file) => overlay.get(file)?.text ?? ts.sys.readFile(file),
    readDirectory: (...args) => ts.sys.readDirectory(...args),
    directoryExists: (dir) => ts.sys.directoryExists(dir),
    getDirectories: (dir) => ts.sys.getDirectories(dir),
    realpath: (file) => ts.sys.realpath?.(file) ?? file,
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
  };
}

function createRootService(
  ts: TypeScriptModule,
  root: string,
  registry: TS.DocumentRegistry,
): RootService {
  const config = loadConfig(ts, root);
  const overlay: Overlay = new Map();
  const texts = createFileTexts();
  let names = [...config.fileNames];
  const host = createHost(ts, { root, config, overlay, texts, rootNames: () => names });
  const service = ts.createLanguageService(host, registry);
  const absolute = (file: string): string => toPosix(path.resolve(root, file));

  /** Reads a file through the caller; `changed` when it differs from what the service saw. */
  const readThrough = async (fileName: string, context: ModelContext) => {
    const text = await context.readFile(path.posix.relative(root, fileName));
    const seen = overlay.get(fileName) ?? texts.read(fileName);
    // The same hash as FileTexts: unchanged content keeps its version and its SourceFile.
    overlay.set(fileName, { text, hash: createHash('sha1').update(text).digest('hex') });
    return { text, changed: seen?.text !== text };
  };

  const compute = (finding: Finding, fileName: string, text: string): Candidate[] => {
    if (!names.includes(fileName)) names = [...names, fileName];
    const base = { ts, service, fileName, span: spanOf(text, finding.location) };
    const partial = { ...base, format: formatSettings(ts, text) };
    return candidatesFor({ ...partial, diagnostics: diagnosticsAt(partial) }, finding.ruleId);
  };

  const run = async (finding: Finding, context: ModelContext): Promise<Proposal[]> => {
    context.signal?.throwIfAborted();
    overlay.clear();
    texts.nextGeneration();
    const fileName = absolute(finding.file);
    const { text } = await readThrough(fileName, context);
    let candidates = compute(finding, fileName, text);
    const others = new Set(
      candidates
        .flatMap((c) => c.changes.map((change) => change.fileName))
        .filter((other) => other !== fileName && projectPath(root, other) !== undefined),
    );
    // Offsets must refer to the text the caller will edit: if it differs from the disk, redo.
    let changed = false;
    for (const other of others) changed = (await readThrough(other, context)).changed || changed;
    if (changed) candidates = compute(finding, fileName, text);
    return toProposals(root, candidates, (file) => (overlay.get(file) ?? texts.read(file))?.text);
  };

  let queue: Promise<unknown> = Promise.resolve();
  return {
    propose(finding, context) {
      // One proposal at a time: the overlay belongs to the proposal being computed.
      const next = queue.then(() => run(finding, context));
      // A failure reaches its caller through `next`; the queue only waits for it.
      queue = next.catch(() => undefined);
      return next;
    },
    dispose: () => service.dispose(),
  };
}

/** Proposals of the candidates, their edits following each file's style (see `followStyle`). */
function toProposals(
  root: string,
  candidates: readonly Candidate[],
  textOf: (fileName: string) => string | undefined,
): Proposal[] {
  const seen = new Set<string>();
  const proposals: Proposal[] = [];
  for (const candidate of candidates) {
    const changes = toFileChanges(root, candidate.changes)?.map((change) => {
      const text = textOf(path.posix.join(root, change.file));
      return text === undefined
        ? change
        : { ...change, edits: followStyle(change.file, text, change.edits) };
    });
    const key = JSON.stringify(changes);
    if (!changes || seen.has(key)) continue;
    seen.add(key);
    proposals.push({
      model: TS_FIXES_MODEL_ID,
      title: candidate.title,
      changes,
      rationale: candidate.rationale,
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    });
  }
  return proposals;
}

/**
 * Creates `builtin:ts-fixes`: proposes TypeScript's own code fixes and refactorings for the rules
 * in `TS_FIX_MAPPINGS` (and, for any rule, a code fix of a diagnostic exactly at the finding),
 * best first. Keeps one language service per repository root until `dispose`.
 */
export function createTsFixesModel(options: TsFixesModelOptions = {}): Model {
  const services = new Map<string, RootService>();
  // Loaded on first use; the registry is shared by the roots, so lib and node_modules
  // declarations are parsed once.
  let shared: { ts: TypeScriptModule; registry: TS.DocumentRegistry } | undefined;
  const serviceFor = (root: string): RootService => {
    const key = toPosix(path.resolve(root));
    let service = services.get(key);
    if (!service) {
      if (!shared) {
        const ts = options.typescript ?? bundledTypeScript();
        shared = { ts, registry: ts.createDocumentRegistry() };
      }
      service = createRootService(shared.ts, key, shared.registry);
      services.set(key, service);
    }
    return service;
  };
  return {
    id: TS_FIXES_MODEL_ID,
    builtin: true,
    supports: (task: Task) =>
      isFindingTask(task) && Object.hasOwn(TS_FIX_MAPPINGS, task.finding.ruleId),
    propose: (task: Task, context: ModelContext) =>
      isFindingTask(task)
        ? serviceFor(context.root).propose(task.finding, context)
        : Promise.resolve([]),
    dispose() {
      for (const service of services.values()) service.dispose();
      services.clear();
    },
  };
}
