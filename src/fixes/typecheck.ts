import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';

/** The `typescript` module, whichever copy of it is loaded. */
export type TypeScriptModule = typeof TS;

let bundled: TypeScriptModule | undefined;

/**
 * The TypeScript bundled with us, loaded on first use: it takes about half a second to load, and
 * most commands (a warm `beast scan`) never need it.
 */
export function bundledTypeScript(): TypeScriptModule {
  bundled ??= createRequire(import.meta.url)('typescript') as TypeScriptModule;
  return bundled;
}

/** A TypeScript module and where it came from. */
export interface LoadedTypeScript {
  ts: TypeScriptModule;
  /** `repository` when the repository's own `typescript` was found, else our bundled one. */
  source: 'repository' | 'bundled';
  version: string;
  /** Why the repository's own `typescript` was found but not loaded. */
  refused?: string;
}

/**
 * True when git tracks `file` in the repository that holds it: a package committed to the
 * repository rather than installed by the user. Without git (or outside a repository) it is not.
 */
function isCommitted(file: string): boolean {
  try {
    execFileSync('git', ['ls-files', '--error-unmatch', '--', path.basename(file)], {
      cwd: path.dirname(file),
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '' },
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads the repository's own `typescript` (resolved from `root` as its code would resolve it), so
 * checks match what the repository's `tsc` reports; falls back to the TypeScript bundled with us.
 * The type-check runs in our own process, so a `typescript` committed to the repository (hostile
 * input: it would run with our keys in reach) is refused for the bundled one; one installed by the
 * user's package manager is trusted as the user's own `tsc` is.
 */
export function loadTypeScript(root: string): LoadedTypeScript {
  const require = createRequire(path.join(root, 'package.json'));
  let refused: string | undefined;
  try {
    const entry = require.resolve('typescript');
    if (isCommitted(entry)) {
      refused = `the repository's typescript (${entry}) is committed to it, not installed`;
    } else {
      const ts = require(entry) as TypeScriptModule;
      if (typeof ts.createProgram === 'function' && typeof ts.version === 'string') {
        return { ts, source: 'repository', version: ts.version };
      }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
  }
  const ts = bundledTypeScript();
  return { ts, source: 'bundled', version: ts.version, ...(refused ? { refused } : {}) };
}

/** Compiler options for a folder without tsconfig.json: accept modern JS and TS as bundlers do. */
export const DEFAULT_COMPILER_OPTIONS: Readonly<Record<string, unknown>> = {
  allowJs: true,
  target: 'esnext',
  module: 'esnext',
  moduleResolution: 'bundler',
  jsx: 'preserve',
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

/** Folders left out of a project that has no tsconfig.json. */
const DEFAULT_EXCLUDE = ['**/node_modules', '**/dist', '**/build', '**/coverage'];

/** A parsed project: compiler options and root files, ready for a program. */
export interface ProjectConfig {
  /** Absolute path of the config file; undefined for the defaults of a folder without one. */
  configFile: string | undefined;
  options: TS.CompilerOptions;
  fileNames: string[];
  projectReferences: readonly TS.ProjectReference[] | undefined;
  /** Problems in the config file (an unknown option, a missing `extends`). */
  errors: TS.Diagnostic[];
}

/** Options for analysis only: nothing is ever emitted, so emit-only settings must not clash. */
function forAnalysis(options: TS.CompilerOptions): TS.CompilerOptions {
  const result: TS.CompilerOptions = { ...options, noEmit: true };
  delete result.emitDeclarationOnly;
  return result;
}

/** TypeScript's own glob expansion of include/exclude, internal but present since TypeScript 2. */
type MatchFiles = (
  dir: string,
  extensions: readonly string[] | undefined,
  excludes: readonly string[] | undefined,
  includes: readonly string[] | undefined,
  useCaseSensitiveFileNames: boolean,
  currentDirectory: string,
  depth: number | undefined,
  getFileSystemEntries: (dir: string) => { files: string[]; directories: string[] },
  realpath: (file: string) => string,
) => string[];

/** A folder's files and folders as TypeScript lists them, but leaving symlinks out. */
function entriesWithoutLinks(dir: string): { files: string[]; directories: string[] } {
  try {
    const entries = readdirSync(dir || '.', { withFileTypes: true });
    const names = (keep: (e: (typeof entries)[number]) => boolean) =>
      entries
        .filter(keep)
        .map((e) => e.name)
        .sort();
    return { files: names((e) => e.isFile()), directories: names((e) => e.isDirectory()) };
  } catch {
    return { files: [], directories: [] };
  }
}

/**
 * `ts.sys` whose include/exclude expansion never goes through a symlink, so a project's files
 * never lead out of the repository (a committed `loop -> /` made the type-check enumerate the
 * whole machine and overflow the stack). Module resolution is unaffected: it does not list
 * folders. Without TypeScript's `matchFiles`, `ts.sys` as it is.
 */
function confinedSys(ts: TypeScriptModule): TS.System {
  const matchFiles = (ts as unknown as { matchFiles?: MatchFiles }).matchFiles;
  if (typeof matchFiles !== 'function') return ts.sys;
  return {
    ...ts.sys,
    readDirectory: (dir, extensions, excludes, includes, depth) =>
      matchFiles(
        dir,
        extensions,
        excludes,
        includes,
        ts.sys.useCaseSensitiveFileNames,
        ts.sys.getCurrentDirectory(),
        depth,
        entriesWithoutLinks,
        (file) => ts.sys.realpath?.(file) ?? file,
      ),
  };
}

/** Reads and parses a tsconfig (following `extends`, expanding include/exclude/files). */
export function readProjectConfig(ts: TypeScriptModule, configFile: string): ProjectConfig {
  const fatal: TS.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configFile,
    {},
    { ...confinedSys(ts), onUnRecoverableConfigFileDiagnostic: (d) => fatal.push(d) },
  );
  return {
    configFile,
    options: forAnalysis(parsed?.options ?? {}),
    fileNames: parsed?.fileNames ?? [],
    projectReferences: parsed?.projectReferences,
    errors: [...fatal, ...(parsed?.errors ?? [])],
  };
}

/** The default project of a folder without tsconfig.json: its JS and TS files, default options. */
export function defaultProjectConfig(ts: TypeScriptModule, root: string): ProjectConfig {
  const parsed = ts.parseJsonConfigFileContent(
    { compilerOptions: DEFAULT_COMPILER_OPTIONS, exclude: DEFAULT_EXCLUDE },
    confinedSys(ts),
    root,
  );
  return {
    configFile: undefined,
    options: forAnalysis(parsed.options),
    fileNames: parsed.fileNames,
    projectReferences: undefined,
    errors: parsed.errors,
  };
}

/** A type diagnostic in a form that can be compared across edits. */
export interface TypeDiagnostic {
  /** Repository-relative path with forward slashes; '' for global and option diagnostics. */
  file: string;
  code: number;
  /** The message chain flattened into one text. */
  message: string;
  /** 1-based line of the start; 0 for global diagnostics. */
  line: number;
}

/** A warm type-checker of one repository: each `check` re-reads and re-checks only what changed. */
export interface TypeChecker {
  /** The TypeScript that checks, and where it came from (`option` when passed in the options). */
  readonly typescript: {
    source: LoadedTypeScript['source'] | 'option';
    version: string;
    /** Why the repository's own TypeScript was not used (see `loadTypeScript`). */
    refused?: string;
  };
  /** Repository-relative config files checked; empty for a folder checked with default options. */
  readonly projects: readonly string[];
  /** Diagnostics for the files as they are on disk now, sorted by file and line. */
  check(): Promise<TypeDiagnostic[]>;
  /** Drops the programs and caches. */
  dispose(): void;
}

export interface TypeCheckerOptions {
  /** TypeScript to use instead of the repository's own (resolved with `loadTypeScript`). */
  typescript?: TypeScriptModule;
  /** Config file, relative to the root; `tsconfig.json` by default. */
  tsconfig?: string;
}

/** A checker, or why the repository cannot be type-checked. */
export type TypeCheckerResult = { checker: TypeChecker } | { reason: string };

const TS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

function hasTypeScriptFiles(ts: TypeScriptModule, root: string): boolean {
  return (
    confinedSys(ts).readDirectory(root, TS_EXTENSIONS, DEFAULT_EXCLUDE, undefined, 8).length > 0
  );
}

/** Text of a file with its content hash. */
export interface FileText {
  text: string;
  hash: string;
}

interface CachedText {
  generation: number;
  mtimeMs: number;
  size: number;
  /** Modified shortly before it was read: a same-size rewrite could keep its mtime, so re-read. */
  racy: boolean;
  content: FileText;
}

/**
 * Reads files from disk at most once per generation (one check, one proposal), and again only
 * when their size or mtime changed, or when they were read too soon after a change to trust the
 * mtime (as git does for "racily clean" files).
 */
export interface FileTexts {
  /** Starts a generation: files are looked at again. */
  nextGeneration(): void;
  /** Text and hash of an absolute path; undefined when it is not a file. */
  read(file: string): FileText | undefined;
}

/** A change within this many milliseconds of a read may not show in the mtime. */
const RACY_MS = 2000;

function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Creates an empty FileTexts cache. */
export function createFileTexts(): FileTexts {
  let generation = 0;
  const entries = new Map<string, CachedText>();
  const load = (file: string, stat: { mtimeMs: number; size: number }): FileText => {
    const previous = entries.get(file)?.content;
    const text = readFileSync(file, 'utf8');
    const content = previous?.text === text ? previous : { text, hash: hashText(text) };
    const racy = Date.now() - stat.mtimeMs < RACY_MS;
    entries.set(file, { generation, mtimeMs: stat.mtimeMs, size: stat.size, racy, content });
    return content;
  };
  return {
    nextGeneration: () => void generation++,
    read(file) {
      const entry = entries.get(file);
      if (entry?.generation === generation) return entry.content;
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile()) {
        entries.delete(file);
        return undefined;
      }
      if (entry && !entry.racy && entry.mtimeMs === stat.mtimeMs && entry.size === stat.size) {
        entry.generation = generation;
        return entry.content;
      }
      return load(file, stat);
    },
  };
}

/** What a SourceFile depends on besides its text (NodeNext gives .js files a module format). */
function sourceFileKey(options: TS.ScriptTarget | TS.CreateSourceFileOptions): string {
  if (typeof options !== 'object') return String(options);
  return `${options.languageVersion}/${options.impliedNodeFormat}/${options.jsDocParsingMode}`;
}

interface CachedSourceFile {
  hash: string;
  key: string;
  sourceFile: TS.SourceFile;
}

/**
 * A CompilerHost that hands back the same SourceFile while a file's content is unchanged, so the
 * next program reuses its structure and the builder knows which files to re-check.
 */
function createCachingHost(
  ts: TypeScriptModule,
  options: TS.CompilerOptions,
  texts: FileTexts,
  sourceFiles: Map<string, CachedSourceFile>,
): TS.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  host.createHash = hashText;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    let content: FileText | undefined;
    try {
      content = texts.read(fileName);
    } catch (error) {
      onError?.((error as Error).message);
      return undefined;
    }
    if (!content) return undefined;
    const key = sourceFileKey(languageVersion);
    const cached = sourceFiles.get(fileName);
    if (cached && !shouldCreate && cached.hash === content.hash && cached.key === key) {
      return cached.sourceFile;
    }
    const sourceFile = ts.createSourceFile(fileName, content.text, languageVersion);
    // Builder programs compare versions to find the files to re-check.
    (sourceFile as { version?: string }).version = content.hash;
    sourceFiles.set(fileName, { hash: content.hash, key, sourceFile });
    return sourceFile;
  };
  return host;
}

function toRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** Flattens a TypeScript diagnostic into a TypeDiagnostic. */
function toTypeDiagnostic(ts: TypeScriptModule, root: string, d: TS.Diagnostic): TypeDiagnostic {
  const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file) return { file: '', code: d.code, message, line: 0 };
  const line = d.start === undefined ? 0 : d.file.getLineAndCharacterOfPosition(d.start).line + 1;
  return { file: toRelative(root, d.file.fileName), code: d.code, message, line };
}

function compareDiagnostics(a: TypeDiagnostic, b: TypeDiagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.code - b.code || (a.message < b.message ? -1 : 1);
}

/** One project checked incrementally with a semantic-diagnostics builder program. */
interface ProjectChecker {
  check(texts: FileTexts): TS.Diagnostic[];
}

function createProjectChecker(ts: TypeScriptModule, load: () => ProjectConfig): ProjectChecker {
  const sourceFiles = new Map<string, CachedSourceFile>();
  let builder: TS.SemanticDiagnosticsBuilderProgram | undefined;
  return {
    check(texts) {
      // Re-read the config every time: a batch may add files or edit tsconfig itself.
      const config = load();
      const host = createCachingHost(ts, config.options, texts, sourceFiles);
      builder = ts.createSemanticDiagnosticsBuilderProgram(
        config.fileNames,
        config.options,
        host,
        builder,
        config.errors,
        config.projectReferences,
      );
      return [
        ...builder.getConfigFileParsingDiagnostics(),
        ...builder.getOptionsDiagnostics(),
        ...builder.getGlobalDiagnostics(),
        ...builder.getSyntacticDiagnostics(),
        ...builder.getSemanticDiagnostics(),
      ];
    },
  };
}

/**
 * The configs to check. A solution-style tsconfig.json (no files of its own, only `references`,
 * as Vite's templates write) checks nothing by itself, so its referenced configs are checked
 * instead. A tsconfig.json with files and `references` is checked as `tsc -p` would: imports of
 * referenced projects resolve to their built declarations, not their sources.
 */
function resolveProjects(
  ts: TypeScriptModule,
  configFile: string,
  seen = new Set<string>(),
): string[] {
  seen.add(configFile);
  const config = readProjectConfig(ts, configFile);
  if (config.fileNames.length > 0 || !config.projectReferences?.length) return [configFile];
  const result: string[] = [];
  for (const reference of config.projectReferences) {
    const referenced = ts.resolveProjectReferencePath(reference);
    if (seen.has(referenced) || !existsSync(referenced)) continue;
    result.push(...resolveProjects(ts, referenced, seen));
  }
  return result.length > 0 ? result : [configFile];
}

/**
 * Creates a warm type-checker for the repository at `root`, using its own TypeScript and its
 * tsconfig.json (or default options for its .ts/.js files when it has none). Returns a reason
 * instead when there is nothing to type-check: no tsconfig.json and no TypeScript files.
 */
export function createTypeChecker(
  root: string,
  options: TypeCheckerOptions = {},
): TypeCheckerResult {
  const absoluteRoot = path.resolve(root);
  const loaded = options.typescript
    ? { ts: options.typescript, source: 'option' as const, version: options.typescript.version }
    : loadTypeScript(absoluteRoot);
  const { ts } = loaded;
  const configFile = path.join(absoluteRoot, options.tsconfig ?? 'tsconfig.json');
  let loaders: (() => ProjectConfig)[];
  let projects: string[] = [];
  if (existsSync(configFile)) {
    const files = resolveProjects(ts, configFile);
    projects = files.map((file) => toRelative(absoluteRoot, file));
    loaders = files.map((file) => () => readProjectConfig(ts, file));
  } else if (hasTypeScriptFiles(ts, absoluteRoot)) {
    loaders = [() => defaultProjectConfig(ts, absoluteRoot)];
  } else {
    return {
      reason: `no ${path.basename(configFile)} and no TypeScript files in ${absoluteRoot}`,
    };
  }
  let checkers: ProjectChecker[] | undefined = loaders.map((load) =>
    createProjectChecker(ts, load),
  );
  const texts = createFileTexts();
  const checker: TypeChecker = {
    typescript: {
      source: loaded.source,
      version: loaded.version,
      ...('refused' in loaded && loaded.refused ? { refused: loaded.refused } : {}),
    },
    projects,
    check() {
      if (!checkers) return Promise.reject(new Error('the type-checker was disposed'));
      texts.nextGeneration();
      let found: TS.Diagnostic[];
      try {
        found = checkers.flatMap((project) => project.check(texts));
      } catch (error) {
        // A stack overflow on deep code among others: a rejection, as callers of a promise expect.
        return Promise.reject(error as Error);
      }
      const diagnostics = ts
        .sortAndDeduplicateDiagnostics(found)
        .map((d) => toTypeDiagnostic(ts, absoluteRoot, d));
      return Promise.resolve(diagnostics.sort(compareDiagnostics));
    },
    dispose() {
      checkers = undefined;
    },
  };
  return { checker };
}

/**
 * Whether an error is V8's stack overflow. TypeScript's parser and binder recurse once per level
 * of syntax and overflow on generated code far shallower than what crashes oxc-parser (a chain of
 * about 850 `&&` already does); unlike a native overflow, this one can be caught.
 */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack size/i.test(error.message);
}

function diagnosticKey(d: TypeDiagnostic): string {
  return `${d.file}\u0000${d.code}\u0000${d.message}`;
}

/**
 * The diagnostics of `after` that `before` did not have. Compared as multisets by file, code and
 * message, not line, since an edit shifts the lines below it: a second identical error in a file
 * is new, the same error moved down is not.
 */
export function diffDiagnostics(
  before: readonly TypeDiagnostic[],
  after: readonly TypeDiagnostic[],
): TypeDiagnostic[] {
  const remaining = new Map<string, number>();
  for (const d of before)
    remaining.set(diagnosticKey(d), (remaining.get(diagnosticKey(d)) ?? 0) + 1);
  const added: TypeDiagnostic[] = [];
  for (const d of after) {
    const key = diagnosticKey(d);
    const count = remaining.get(key) ?? 0;
    if (count > 0) remaining.set(key, count - 1);
    else added.push(d);
  }
  return added;
}
