import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/repo.js';

/**
 * The layers of `src/`, lowest first (docs/architecture.md): a folder imports only folders of a
 * lower layer, through their `index.ts`. `models` sits above `analysis` and `fixes` because the
 * built-in engines are made of the rules' fixes and TypeScript's code fixes.
 */
const LAYERS: Record<string, number> = {
  core: 0,
  analysis: 1,
  fixes: 1,
  store: 1,
  models: 2,
  pipeline: 3,
  server: 4,
  cli: 4,
};

/** Imports across one layer that are allowed by name: the `serve` command starts the server. */
const ALLOWED = new Set(['cli -> server']);

const SRC = path.join(PROJECT_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every relative module a file imports or re-exports, statically or dynamically. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const { module } = parseSync(file, source);
  const dynamic = module.dynamicImports.map((d) =>
    source.slice(d.moduleRequest.start, d.moduleRequest.end).replace(/^['"`]|['"`]$/g, ''),
  );
  return [
    ...module.staticImports.map((i) => i.moduleRequest.value),
    ...module.staticExports.flatMap((e) => e.entries.flatMap((x) => x.moduleRequest?.value ?? [])),
    ...dynamic,
  ].filter((request) => request.startsWith('.'));
}

/** Pure: what is wrong with an import of `target` from `file` (paths relative to `src`). */
export function importProblem(file: string, target: string): string | undefined {
  const from = file.split('/')[0]!;
  const to = target.split('/')[0]!;
  if (!file.includes('/') || from === to) return undefined;
  if (!(to in LAYERS)) return `${target} is outside the layered folders`;
  if (target !== `${to}/index.js`) return `reaches past ${to}/index.ts`;
  const pair = `${from} -> ${to}`;
  if (ALLOWED.has(pair)) return undefined;
  if ((LAYERS[to] ?? 0) >= (LAYERS[from] ?? 0)) {
    return `${from} (layer ${LAYERS[from]}) imports ${to} (layer ${LAYERS[to]}): against the direction`;
  }
  return undefined;
}

function violations(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const relative = path.relative(SRC, file).split(path.sep).join('/');
    for (const request of importsOf(file)) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(relative), request));
      const problem = importProblem(relative, target);
      if (problem) found.push(`${relative} imports ${request}: ${problem}`);
    }
  }
  return found.sort();
}

describe('the architecture', () => {
  it('has every folder of src/ in a layer', () => {
    const folders = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders).toEqual(Object.keys(LAYERS).sort());
  });

  it('imports point one way, through index.ts', () => {
    expect(violations()).toEqual([]);
  });

  it('would catch an import against the direction or past an index', () => {
    expect(importProblem('core/files.ts', 'analysis/index.js')).toMatch(/against the direction/);
    expect(importProblem('analysis/scan.ts', 'fixes/index.js')).toMatch(/against the direction/);
    expect(importProblem('pipeline/run.ts', 'fixes/gate/lint.js')).toMatch(/past fixes\/index/);
    expect(importProblem('server/app.ts', 'cli/index.js')).toMatch(/against the direction/);
    expect(importProblem('cli/commands/serve.ts', 'server/index.js')).toBeUndefined();
    expect(importProblem('pipeline/run.ts', 'core/index.js')).toBeUndefined();
    expect(importProblem('analysis/rules/a.ts', 'analysis/ast.js')).toBeUndefined();
  });
});
