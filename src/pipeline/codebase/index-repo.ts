import { readFile } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import {
  buildReferenceGraph,
  createFileClassifier,
  discoverFiles,
  extractFile,
  indexText,
  isSourceFile,
  isTestCode,
  loadTestPatterns,
  readBlobSizes,
  readBlobs,
  readGitInfo,
  readHeadTree,
  sha256,
  skipByContent,
  skipByPath,
} from '../../analysis/index.js';
import { redactSecretsKeepingLines, resolveConfig, type Config } from '../../core/index.js';
import {
  applyIndexChange,
  codeIndexState,
  indexedFileHashes,
  touchCodeIndex,
  type IndexedFileRecord,
  type Store,
  type SymbolRecord,
} from '../../store/index.js';
import type { IndexStats } from './types.js';

export interface UpdateIndexOptions {
  store: Store;
  repoId: number;
  /** The repository's root; files are read from the tree of its HEAD commit. */
  root: string;
  signal?: AbortSignal;
}

/**
 * Bump when what is extracted or how it is tokenized changes: an index written by another version
 * is rebuilt from scratch, since unchanged files would otherwise keep what the old one extracted.
 */
export const INDEX_VERSION = 3;

/** Most characters of a declaration's code kept for snippets and extractive answers. */
const MAX_CODE = 8 * 1024;

/** A file the index could hold: where it is, what identifies its content, how to read it. */
interface Candidate {
  path: string;
  hash: string;
  /** Why it is left out before reading (too large), if it is. */
  tooLarge?: string;
  read?: () => Promise<Buffer>;
}

/**
 * Brings the repository's index up to date with its HEAD commit: only files whose content changed
 * are parsed again; the reference graph and its ranks are recomputed. Outside git (or before the
 * first commit) the working tree is indexed, by sha256, with `commit: null`.
 */
export async function updateIndex(options: UpdateIndexOptions): Promise<IndexStats> {
  const started = performance.now();
  const { store, repoId, root, signal } = options;
  // Independent reads at once: a warm update is mostly waiting on git and the file system.
  const [{ config }, tree, stored, known, testPatterns] = await Promise.all([
    resolveConfig(root, {}),
    readHeadTree(root),
    codeIndexState(store, repoId),
    indexedFileHashes(store, repoId),
    loadTestPatterns(root),
  ]);
  const { commit, candidates } = await listCandidates(root, config, tree);
  signal?.throwIfAborted();
  const state = stored?.version === INDEX_VERSION ? stored : undefined;
  const wanted = new Set(candidates.map((c) => c.path));
  const changed = candidates.filter((c) => state === undefined || known.get(c.path) !== c.hash);
  const removed = [...known.keys()].filter((p) => !wanted.has(p)).sort();
  const stats = (indexed: number, totals: { files: number; symbols: number }) =>
    ({
      commit,
      files: totals.files,
      indexed,
      reused: candidates.length - changed.length,
      removed: removed.length,
      symbols: totals.symbols,
      skipped: [],
      ms: 0,
    }) satisfies IndexStats;

  if (state && changed.length === 0 && removed.length === 0) {
    if (state.commit !== commit) await touchCodeIndex(store, repoId, commit);
    return { ...stats(0, state), skipped: state.skipped, ms: since(started) };
  }

  const classify = createFileClassifier(testPatterns);
  const contents = await readContents(root, changed, config.maxFileSizeKb);
  signal?.throwIfAborted();
  const files: { file: IndexedFileRecord; symbols: SymbolRecord[] }[] = [];
  let indexed = 0;
  for (const candidate of changed) {
    const result = indexFile(candidate, contents.get(candidate.path), {
      isTest: isTestCode(classify(candidate.path)),
      includeVendored: config.includeVendored,
    });
    if (result.file.skipReason === undefined) indexed++;
    files.push(result);
  }
  signal?.throwIfAborted();
  const totals = await applyIndexChange(store, {
    repoId,
    commit,
    version: INDEX_VERSION,
    removed,
    files,
    graph: ({ files: all, symbols }) => buildReferenceGraph(all, symbols),
  });
  const after = await codeIndexState(store, repoId);
  return { ...stats(indexed, totals), skipped: after?.skipped ?? [], ms: since(started) };
}

function since(started: number): number {
  return Math.round(performance.now() - started);
}

/** The repository's candidate source files: HEAD's `tree`, or the working tree outside git. */
async function listCandidates(
  root: string,
  config: Config,
  tree: Awaited<ReturnType<typeof readHeadTree>>,
): Promise<{ commit: string | null; candidates: Candidate[] }> {
  if (tree === undefined) {
    const isGit = (await readGitInfo(root)) !== undefined;
    const discovery = await discoverFiles(root, {
      include: config.include,
      exclude: config.exclude,
      maxFileSizeKb: config.maxFileSizeKb,
      isGit,
      includeVendored: config.includeVendored,
    });
    const candidates = await Promise.all(
      discovery.files.map(async (file) => {
        const content = await readFile(path.join(root, file));
        return { path: file, hash: sha256(content), read: () => Promise.resolve(content) };
      }),
    );
    return { commit: null, candidates };
  }
  const include = config.include.length > 0 ? picomatch(config.include, { dot: true }) : undefined;
  const exclude = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : undefined;
  const candidates: Candidate[] = [];
  for (const file of tree.files) {
    if (!isSourceFile(file.path)) continue;
    if ((include && !include(file.path)) || exclude?.(file.path)) continue;
    const byPath = skipByPath(file.path);
    if (byPath && !(config.includeVendored && byPath.reason !== 'generated')) continue;
    candidates.push({ path: file.path, hash: file.blob });
  }
  return { commit: tree.commit, candidates };
}

/**
 * The contents of the candidates to parse, read from git where they are blobs: their sizes first
 * (one process), then those within maxFileSizeKb (another); a larger one gets `tooLarge`.
 */
async function readContents(
  root: string,
  candidates: readonly Candidate[],
  maxFileSizeKb: number,
): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  const blobsOf = (list: readonly Candidate[]) =>
    list.filter((c) => c.read === undefined && c.tooLarge === undefined);
  const sizes = await readBlobSizes(
    root,
    blobsOf(candidates).map((c) => c.hash),
  );
  for (const c of blobsOf(candidates))
    if ((sizes.get(c.hash) ?? 0) > maxFileSizeKb * 1024)
      c.tooLarge = `larger than maxFileSizeKb (${maxFileSizeKb} KB)`;
  const fromGit = blobsOf(candidates);
  const blobs = await readBlobs(
    root,
    fromGit.map((c) => c.hash),
  );
  for (const c of fromGit) {
    const blob = blobs.get(c.hash);
    if (blob) contents.set(c.path, blob);
  }
  for (const c of candidates) if (c.read) contents.set(c.path, await c.read());
  return contents;
}

/** Pure: what the index keeps of one file, or why it is left out. */
function indexFile(
  candidate: Candidate,
  content: Buffer | undefined,
  options: { isTest: boolean; includeVendored: boolean },
): { file: IndexedFileRecord; symbols: SymbolRecord[] } {
  const file: IndexedFileRecord = {
    path: candidate.path,
    hash: candidate.hash,
    isTest: options.isTest,
    lines: 0,
    imports: [],
    exports: [],
    exportAliases: [],
  };
  const skip = (reason: string) => ({ file: { ...file, skipReason: reason }, symbols: [] });
  if (candidate.tooLarge !== undefined) return skip(candidate.tooLarge);
  if (content === undefined) return skip('could not be read from git');
  const byContent = skipByContent(content);
  if (byContent && !(options.includeVendored && byContent.reason !== 'generated'))
    return skip(`${byContent.reason}: ${byContent.detail}`);
  // The index is kept in the store: key-shaped values in the code are stored redacted (lines kept).
  const text = redactSecretsKeepingLines(content.toString('utf8'));
  const extracted = extractFile(candidate.path, text);
  if ('error' in extracted) return skip(extracted.error);
  const lines = text.split('\n');
  const symbols = extracted.symbols.map((s): SymbolRecord => {
    const code = lines.slice(s.startLine - 1, s.endLine).join('\n');
    return {
      path: s.file,
      name: s.name,
      qualifiedName: s.qualifiedName,
      kind: s.kind,
      exported: s.exported,
      signature: s.signature,
      doc: s.doc,
      startLine: s.startLine,
      endLine: s.endLine,
      isTest: options.isTest,
      references: s.references,
      code: code.length > MAX_CODE ? code.slice(0, MAX_CODE) : code,
      text: {
        name: indexText(s.name),
        qualified: indexText(`${s.qualifiedName} ${s.file.replace(/\.[^./]+$/, '')}`),
        signature: indexText(s.signature),
        doc: indexText(s.doc),
        body: indexText(s.references.join(' ')),
      },
    };
  });
  return {
    file: {
      ...file,
      lines: extracted.lines,
      imports: extracted.imports,
      exports: extracted.exports,
      exportAliases: extracted.exportAliases,
    },
    symbols,
  };
}
