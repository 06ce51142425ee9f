import path from 'node:path';

const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const INDEX_FILES = ['index.ts', 'index.tsx', 'index.js', 'index.jsx', 'index.mjs', 'index.cjs'];
// TypeScript's NodeNext style: `./x.js` in source refers to `./x.ts`.
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

/** Pure: the scanned file a relative specifier refers to, if any. */
export function resolveImport(
  from: string,
  specifier: string,
  files: ReadonlySet<string>,
): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const suffix of RESOLVE_SUFFIXES) if (files.has(base + suffix)) return base + suffix;
  const ext = path.posix.extname(base);
  for (const replacement of JS_TO_TS[ext] ?? []) {
    const candidate = base.slice(0, -ext.length) + replacement;
    if (files.has(candidate)) return candidate;
  }
  for (const index of INDEX_FILES) if (files.has(`${base}/${index}`)) return `${base}/${index}`;
  return undefined;
}

export interface ImportGraph {
  /** Internal edges: file -> files it imports (value imports only for `valueEdges`). */
  edges: Map<string, Set<string>>;
  valueEdges: Map<string, Set<string>>;
  fanIn: Map<string, number>;
  /** Distinct modules imported: internal files plus external packages. */
  fanOut: Map<string, number>;
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

export function buildImportGraph(
  files: readonly { path: string; imports: readonly { specifier: string; typeOnly: boolean }[] }[],
): ImportGraph {
  const all = new Set(files.map((f) => f.path));
  const edges = new Map<string, Set<string>>();
  const valueEdges = new Map<string, Set<string>>();
  const fanIn = new Map<string, number>();
  const fanOut = new Map<string, number>();
  for (const file of files) {
    const targets = new Set<string>();
    const valueTargets = new Set<string>();
    const external = new Set<string>();
    for (const { specifier, typeOnly } of file.imports) {
      const target = resolveImport(file.path, specifier, all);
      if (target !== undefined) {
        if (target === file.path) continue;
        targets.add(target);
        if (!typeOnly) valueTargets.add(target);
      } else if (!specifier.startsWith('.')) {
        external.add(packageName(specifier));
      }
    }
    edges.set(file.path, targets);
    valueEdges.set(file.path, valueTargets);
    fanOut.set(file.path, targets.size + external.size);
    for (const t of targets) fanIn.set(t, (fanIn.get(t) ?? 0) + 1);
  }
  return { edges, valueEdges, fanIn, fanOut };
}

/** Strongly connected components with more than one file (Tarjan, iterative). */
export function findCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;
  for (const start of [...edges.keys()].sort()) {
    if (index.has(start)) continue;
    const work: { node: string; children: string[]; i: number }[] = [];
    const push = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, children: [...(edges.get(node) ?? [])].sort(), i: 0 });
    };
    push(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.children.length) {
        const child = frame.children[frame.i++]!;
        if (!index.has(child)) push(child);
        else if (onStack.has(child))
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}
