import { resolveImport } from '../imports.js';
import type { FileImport } from './types.js';

/*
 * The reference graph of a repository, by names: a symbol refers to another when its body uses an
 * identifier that the file's imports bind to that symbol (followed through `export ... from`
 * re-exports and barrel files), or that names a declaration of the same file (or, inside a class,
 * a member of the same class). No type checker: `obj.method()` on an imported value's instance
 * is not resolved, nor are packages outside the repository.
 */

export interface GraphFile {
  path: string;
  isTest: boolean;
  imports: readonly FileImport[];
  exportAliases: readonly { exported: string; local: string }[];
}

export interface GraphNode {
  id: number;
  path: string;
  name: string;
  qualifiedName: string;
  references: readonly string[];
}

export interface ReferenceGraph {
  edges: [source: number, target: number][];
  /** Symbol id -> PageRank (sums to 1). */
  ranks: Map<number, number>;
  /** Test file -> module it uses, directly or through a barrel; test files left out as modules. */
  testLinks: [test: string, module: string][];
}

const MAX_DEPTH = 16;

/** Pure: the edges, ranks and test links of a repository's files and symbols. */
export function buildReferenceGraph(
  files: readonly GraphFile[],
  symbols: readonly GraphNode[],
): ReferenceGraph {
  const resolver = createResolver(files, symbols);
  const edges = new Map<number, Set<number>>();
  for (const symbol of symbols) {
    const targets = new Set<number>();
    for (const id of resolver.referencesOf(symbol)) if (id !== symbol.id) targets.add(id);
    if (targets.size > 0) edges.set(symbol.id, targets);
  }
  const pairs: [number, number][] = [];
  for (const [source, targets] of edges) for (const t of targets) pairs.push([source, t]);
  const ranks = pageRank(
    symbols.map((s) => s.id),
    pairs,
  );
  return { edges: pairs, ranks, testLinks: resolver.testLinks() };
}

function createResolver(files: readonly GraphFile[], symbols: readonly GraphNode[]) {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const paths = new Set(byPath.keys());
  // path -> top-level name -> ids; path -> qualified name -> id (members).
  const topLevel = new Map<string, Map<string, number[]>>();
  const qualified = new Map<string, Map<string, number>>();
  const idPath = new Map<number, string>();
  for (const s of symbols) {
    idPath.set(s.id, s.path);
    if (s.name === s.qualifiedName) {
      const names = topLevel.get(s.path) ?? new Map<string, number[]>();
      names.set(s.name, [...(names.get(s.name) ?? []), s.id]);
      topLevel.set(s.path, names);
    } else {
      const names = qualified.get(s.path) ?? new Map<string, number>();
      names.set(s.qualifiedName, s.id);
      qualified.set(s.path, names);
    }
  }
  const importTargets = new Map<string, (string | undefined)[]>();
  const targetsOf = (file: GraphFile): (string | undefined)[] => {
    let targets = importTargets.get(file.path);
    if (!targets) {
      targets = file.imports.map((i) => resolveImport(file.path, i.specifier, paths));
      importTargets.set(file.path, targets);
    }
    return targets;
  };

  const exportMemo = new Map<string, number[]>();
  /** The symbols `name`, as `path` exports it, stands for. */
  function resolveExport(path: string, name: string, depth = 0): number[] {
    const key = `${path}\0${name}`;
    const memo = exportMemo.get(key);
    if (memo) return memo;
    exportMemo.set(key, []); // cycles of re-exports end here
    const found = depth > MAX_DEPTH ? [] : findExport(path, name, depth);
    exportMemo.set(key, found);
    return found;
  }

  function findExport(path: string, name: string, depth: number): number[] {
    const file = byPath.get(path);
    if (!file) return [];
    const local = file.exportAliases.find((a) => a.exported === name)?.local ?? name;
    const own = topLevel.get(path)?.get(local);
    if (own) return own;
    const bound = resolveBinding(file, local, depth);
    if (bound.length > 0) return bound;
    const targets = targetsOf(file);
    for (const [i, entry] of file.imports.entries()) {
      const target = targets[i];
      if (target === undefined || !entry.names.some((n) => n.imported === '*' && n.local === '*'))
        continue;
      const found = resolveExport(target, name, depth + 1);
      if (found.length > 0) return found;
    }
    return [];
  }

  /** The symbols a name the file's imports bind stands for; [] for a namespace or a package. */
  function resolveBinding(file: GraphFile, local: string, depth: number): number[] {
    const targets = targetsOf(file);
    for (const [i, entry] of file.imports.entries()) {
      const target = targets[i];
      if (target === undefined) continue;
      const binding = entry.names.find((n) => n.local === local);
      if (binding === undefined || binding.imported === '*') continue;
      return resolveExport(target, binding.imported, depth + 1);
    }
    return [];
  }

  /** Files a namespace binding (`import * as ns`, `require`) of `file` refers to. */
  function namespaces(file: GraphFile, refs: ReadonlySet<string>): string[] {
    const found: string[] = [];
    const targets = targetsOf(file);
    for (const [i, entry] of file.imports.entries()) {
      const target = targets[i];
      if (target === undefined) continue;
      if (entry.names.some((n) => n.imported === '*' && n.local !== '*' && refs.has(n.local)))
        found.push(target);
    }
    return found;
  }

  function referencesOf(symbol: GraphNode): number[] {
    const file = byPath.get(symbol.path);
    if (!file) return [];
    const out: number[] = [];
    const refs = new Set(symbol.references);
    const dot = symbol.qualifiedName.lastIndexOf('.');
    const owner = dot < 0 ? symbol.name : symbol.qualifiedName.slice(0, dot);
    const members = qualified.get(symbol.path);
    const locals = topLevel.get(symbol.path);
    for (const ref of refs) {
      const same = locals?.get(ref);
      if (same) out.push(...same);
      else out.push(...resolveBinding(file, ref, 0));
      const member = members?.get(`${owner}.${ref}`);
      if (member !== undefined) out.push(member);
    }
    // `ns.name` through `import * as ns`: the parts are both among the references.
    for (const target of namespaces(file, refs))
      for (const ref of refs) out.push(...resolveExport(target, ref));
    return out;
  }

  function testLinks(): [string, string][] {
    const links = new Set<string>();
    for (const file of files) {
      if (!file.isTest) continue;
      const targets = targetsOf(file);
      for (const [i, entry] of file.imports.entries()) {
        const target = targets[i];
        if (target === undefined) continue;
        const modules = new Set([target]);
        for (const { imported } of entry.names)
          if (imported !== '*')
            for (const id of resolveExport(target, imported)) modules.add(idPath.get(id)!);
        for (const module of modules)
          if (!byPath.get(module)?.isTest) links.add(`${file.path}\0${module}`);
      }
    }
    return [...links].sort().map((l) => l.split('\0') as [string, string]);
  }

  return { referencesOf, testLinks };
}

/**
 * Pure: PageRank (damping 0.85) of `nodes` over directed `edges`, personalised toward
 * `personal` (node -> weight; uniform when absent or empty). Rank of dangling nodes flows back
 * along the personalisation. Sums to 1.
 */
export function pageRank(
  nodes: readonly number[],
  edges: readonly (readonly [number, number])[],
  personal?: ReadonlyMap<number, number>,
  damping = 0.85,
): Map<number, number> {
  const n = nodes.length;
  const ranks = new Map<number, number>();
  if (n === 0) return ranks;
  const index = new Map(nodes.map((id, i) => [id, i]));
  const out = new Array<number[]>(n);
  for (let i = 0; i < n; i++) out[i] = [];
  for (const [s, t] of edges) {
    const si = index.get(s);
    const ti = index.get(t);
    if (si !== undefined && ti !== undefined) out[si]!.push(ti);
  }
  const p = new Float64Array(n);
  let total = 0;
  if (personal)
    for (const [id, w] of personal) {
      const i = index.get(id);
      if (i !== undefined && w > 0) {
        p[i]! += w;
        total += w;
      }
    }
  if (total === 0) p.fill(1 / n);
  else for (let i = 0; i < n; i++) p[i]! /= total;
  let rank = Float64Array.from(p);
  for (let iteration = 0; iteration < 100; iteration++) {
    const next = new Float64Array(n);
    let dangling = 0;
    for (let i = 0; i < n; i++) {
      const targets = out[i]!;
      if (targets.length === 0) {
        dangling += rank[i]!;
        continue;
      }
      const share = rank[i]! / targets.length;
      for (const t of targets) next[t]! += share;
    }
    let delta = 0;
    for (let i = 0; i < n; i++) {
      const value = damping * (next[i]! + dangling * p[i]!) + (1 - damping) * p[i]!;
      delta += Math.abs(value - rank[i]!);
      next[i] = value;
    }
    rank = next;
    if (delta < 1e-10) break;
  }
  for (let i = 0; i < n; i++) ranks.set(nodes[i]!, rank[i]!);
  return ranks;
}
