import { createHash } from 'node:crypto';
import type { Clone, FileReport, Finding, Score, SuppressedFinding } from '../core/index.js';

/**
 * What a scan learns from the whole set of files, before new-code filtering, hotspots and the gate:
 * a pure function of the files' paths and contents and of the settings, so a rescan of an unchanged
 * repository takes it from the cache instead of loading every file's analysis and finding clones.
 */
export interface RepositoryResult {
  /** Scored over every finding of the file. */
  files: FileReport[];
  /** Every finding, sorted. */
  findings: Finding[];
  clones: Clone[];
  /** Findings that comments in their files suppressed, sorted. */
  suppressed: SuppressedFinding[];
}

/** A root's latest repository result, with the key it was computed for. */
export interface RepositoryEntry {
  key: string;
  result: EncodedRepository;
}

/** Bump when `EncodedRepository` changes, so entries written in another form are not read. */
const ENCODING = 4;

/** Cache key of a repository result: the settings and every file's path and content hash. */
export function repositoryKey(
  settingsKey: string,
  repositorySettings: unknown,
  files: readonly { path: string; hash: string }[],
): string {
  const hash = createHash('sha256')
    .update(`${ENCODING}\0${settingsKey}`)
    .update(JSON.stringify(repositorySettings));
  for (const f of files) hash.update(`\0${f.path}\0${f.hash}`);
  return hash.digest('hex');
}

type Meta = [
  Finding['ruleId'],
  Finding['category'],
  Finding['severity'],
  number,
  Finding['fixability'],
];
type EncodedFile = [
  hash: string,
  lang: FileReport['lang'],
  metrics: FileReport['metrics'],
  /** Flat values in `functionShape` when there is one, else the objects themselves. */
  functions: unknown[],
  imports: number[],
  score: Score,
  parseError: string | null,
];

/**
 * The compact form of a repository result: paths, rule metadata and messages are stored once and
 * findings and clones as flat number arrays, so it is a fraction of the size to write and parse.
 */
export interface EncodedRepository {
  paths: string[];
  /** The keys every function's metrics share, nested objects as [key, shape]; null if they differ. */
  functionShape: Shape | null;
  files: EncodedFile[];
  metas: Meta[];
  messages: string[];
  /** Per finding: meta, file, line, column, end line, end column, message. */
  findings: number[];
  /** Per clone: file, line, end line of each copy, then tokens. */
  clones: number[];
  /** As they are: there are few. */
  suppressed: SuppressedFinding[];
}

/** Object keys in order; a nested object is [key, its shape]. */
type Shape = (string | [string, Shape])[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeOf(value: Record<string, unknown>): Shape {
  return Object.keys(value).map((key) => {
    const v = value[key];
    return isRecord(v) ? [key, shapeOf(v)] : key;
  });
}

/** Appends the values of `value` in shape order; false when its keys or kinds differ from `shape`. */
function flatten(value: Record<string, unknown>, shape: Shape, out: unknown[]): boolean {
  const keys = Object.keys(value);
  if (keys.length !== shape.length) return false;
  return shape.every((entry, i) => {
    const key = typeof entry === 'string' ? entry : entry[0];
    if (keys[i] !== key) return false;
    const v = value[key];
    if (typeof entry !== 'string') return isRecord(v) && flatten(v, entry[1], out);
    if (typeof v === 'object' && v !== null) return false;
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return false;
    out.push(v);
    return true;
  });
}

function inflate(values: readonly unknown[], shape: Shape, at: { i: number }): unknown {
  const out: Record<string, unknown> = {};
  for (const entry of shape) {
    if (typeof entry === 'string') out[entry] = values[at.i++];
    else out[entry[0]] = inflate(values, entry[1], at);
  }
  return out;
}

/** Every file's functions as flat values of one shared shape, or as they are when shapes differ. */
function packFunctions(files: readonly Pick<FileReport, 'functions'>[]): {
  shape: Shape | null;
  lists: unknown[][];
} {
  const first = files.find((f) => f.functions.length > 0)?.functions[0];
  if (first === undefined) return { shape: null, lists: files.map((f) => f.functions) };
  const shape = shapeOf(first as unknown as Record<string, unknown>);
  const lists: unknown[][] = [];
  for (const f of files) {
    const values: unknown[] = [];
    const fits = f.functions.every((fn) =>
      flatten(fn as unknown as Record<string, unknown>, shape, values),
    );
    if (!fits) return { shape: null, lists: files.map((file) => file.functions) };
    lists.push(values);
  }
  return { shape, lists };
}

function unpackFunctions(values: unknown[], shape: Shape | null): FileReport['functions'] {
  if (shape === null) return values as FileReport['functions'];
  const at = { i: 0 };
  const out: unknown[] = [];
  while (at.i < values.length) out.push(inflate(values, shape, at));
  return out as FileReport['functions'];
}

/** A file's analysis as cached: its function metrics packed like a repository result's. */
export function packAnalysis<T extends Pick<FileReport, 'functions'>>(analysis: T): unknown {
  const { shape, lists } = packFunctions([analysis]);
  return shape === null ? analysis : { ...analysis, functions: lists[0], functionShape: shape };
}

/** The analysis `packAnalysis` packed (or one cached unpacked), with its keys in their order. */
export function unpackAnalysis<T>(value: unknown): T {
  const { functionShape, ...rest } = value as { functionShape?: Shape; functions: unknown[] };
  if (functionShape === undefined) return value as T;
  return { ...rest, functions: unpackFunctions(rest.functions, functionShape) } as T;
}

const FINDING_WIDTH = 7;
const CLONE_WIDTH = 7;

/** Interns strings (or tuples, by their JSON text) as indexes into a list. */
function createTable<T>(list: T[], keyOf: (item: T) => string = String): (item: T) => number {
  const index = new Map<string, number>(list.map((item, i) => [keyOf(item), i]));
  return (item) => {
    const key = keyOf(item);
    let i = index.get(key);
    if (i === undefined) {
      i = list.push(item) - 1;
      index.set(key, i);
    }
    return i;
  };
}

export function encodeRepository(result: RepositoryResult): EncodedRepository {
  const paths: string[] = [];
  const pathIndex = createTable(paths);
  const functions = packFunctions(result.files);
  const files = result.files.map((f, i): EncodedFile => {
    pathIndex(f.path);
    return [f.hash, f.lang, f.metrics, functions.lists[i]!, [], f.score, f.parseError ?? null];
  });
  result.files.forEach((f, i) => {
    files[i]![4] = f.imports.map(pathIndex);
  });
  const metas: Meta[] = [];
  const metaIndex = createTable(metas, (m) => m.join('\0'));
  const messages: string[] = [];
  const messageIndex = createTable(messages);
  const findings: number[] = [];
  for (const f of result.findings) {
    const { location: l } = f;
    const meta: Meta = [f.ruleId, f.category, f.severity, f.effortMinutes, f.fixability];
    findings.push(metaIndex(meta), pathIndex(f.file), l.line, l.column, l.endLine, l.endColumn);
    findings.push(messageIndex(f.message));
  }
  const clones: number[] = [];
  for (const { a, b, tokens } of result.clones) {
    clones.push(pathIndex(a.file), a.line, a.endLine, pathIndex(b.file), b.line, b.endLine, tokens);
  }
  const { suppressed } = result;
  return {
    paths,
    functionShape: functions.shape,
    files,
    metas,
    messages,
    findings,
    clones,
    suppressed,
  };
}

export function decodeRepository(encoded: EncodedRepository): RepositoryResult {
  const { paths, metas, messages } = encoded;
  const files = encoded.files.map(
    ([hash, lang, metrics, functions, imports, score, parseError], i) => ({
      path: paths[i]!,
      hash,
      lang,
      metrics,
      functions: unpackFunctions(functions, encoded.functionShape),
      imports: imports.map((p) => paths[p]!),
      score,
      ...(parseError !== null ? { parseError } : {}),
    }),
  );
  const findings: Finding[] = [];
  const f = encoded.findings;
  for (let i = 0; i < f.length; i += FINDING_WIDTH) {
    const [ruleId, category, severity, effortMinutes, fixability] = metas[f[i]!]!;
    findings.push({
      ruleId,
      category,
      severity,
      message: messages[f[i + 6]!]!,
      file: paths[f[i + 1]!]!,
      location: { line: f[i + 2]!, column: f[i + 3]!, endLine: f[i + 4]!, endColumn: f[i + 5]! },
      effortMinutes,
      fixability,
    });
  }
  const clones: Clone[] = [];
  const c = encoded.clones;
  for (let i = 0; i < c.length; i += CLONE_WIDTH) {
    clones.push({
      a: { file: paths[c[i]!]!, line: c[i + 1]!, endLine: c[i + 2]! },
      b: { file: paths[c[i + 3]!]!, line: c[i + 4]!, endLine: c[i + 5]! },
      tokens: c[i + 6]!,
    });
  }
  return { files, findings, clones, suppressed: encoded.suppressed };
}
