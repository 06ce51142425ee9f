import { readFile } from 'node:fs/promises';
import type { Profiler } from 'node:inspector';
import { join } from 'node:path';
import type { CoverageMapData } from 'istanbul-lib-coverage';
import type * as TS from 'typescript';
import v8ToIstanbul from 'v8-to-istanbul';
import { bundledTypeScript } from '../typecheck.js';

const TYPESCRIPT = /\.[cm]?tsx?$/;
const EMPTY = '(empty-report)';

/** A function's name as V8 infers it: its own, its variable's or its property's. */
function functionName(ts: typeof TS, node: TS.Node): string {
  const named = node as TS.Node & { name?: TS.Node };
  if (named.name !== undefined && !ts.isComputedPropertyName(named.name)) {
    return named.name.getText();
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
    !ts.isComputedPropertyName(parent.name)
  ) {
    return parent.name.getText();
  }
  return '';
}

/** Every function of a JavaScript text, as V8 would list them unrun: name and range. */
function functionBlocks(ts: typeof TS, code: string): Profiler.FunctionCoverage[] {
  const file = ts.createSourceFile('x.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const blocks: Profiler.FunctionCoverage[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
      // V8's range starts after `export`/`async`: at `function`, the name or the parameters.
      let start = modifiers?.at(-1)?.end ?? node.getStart();
      while (/\s/.test(code[start] ?? '')) start++;
      blocks.push({
        functionName: functionName(ts, node),
        isBlockCoverage: false,
        ranges: [{ startOffset: start, endOffset: node.end, count: 0 }],
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return blocks;
}

/**
 * Istanbul data for a source file that no test loaded, everything in it uncovered: what V8 would
 * report for the file had it been loaded and nothing run, its functions found by parsing it with
 * TypeScript (transpiled first, with a source map, when it is TypeScript), read with v8-to-istanbul
 * as the coverage of the files that were loaded is. Undefined when the file cannot be read.
 */
export async function zeroCoverage(
  root: string,
  file: string,
): Promise<CoverageMapData | undefined> {
  const path = join(root, file);
  const original = await readFile(path, 'utf8').catch(() => undefined);
  if (original === undefined) return undefined;
  const ts = bundledTypeScript();
  let code = original;
  let sources: Parameters<typeof v8ToIstanbul>[2] = { source: original };
  if (TYPESCRIPT.test(file)) {
    const out = ts.transpileModule(original, {
      fileName: path,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        jsx: ts.JsxEmit.Preserve,
        sourceMap: true,
      },
    });
    code = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
    const sourcemap = JSON.parse(out.sourceMapText ?? '{}') as Record<string, unknown>;
    sources = {
      source: code,
      originalSource: original,
      sourceMap: {
        sourcemap: { ...sourcemap, sources: [path], sourcesContent: [original] } as never,
      },
    };
  }
  const blocks: Profiler.FunctionCoverage[] = [
    // v8-to-istanbul's `--all` record: every line 0, also those a source map leaves out (types).
    {
      functionName: EMPTY,
      isBlockCoverage: true,
      ranges: [{ startOffset: 0, endOffset: code.length, count: 0 }],
    },
    ...functionBlocks(ts, code),
  ];
  const converter = v8ToIstanbul(path, 0, sources);
  await converter.load();
  converter.applyCoverage(blocks);
  const data = converter.toIstanbul();
  // The record is not a function of the file.
  for (const file of Object.values(data)) {
    for (const [key, fn] of Object.entries(file.fnMap)) {
      if (fn.name !== EMPTY) continue;
      delete file.fnMap[key];
      delete file.f[key];
    }
  }
  return data;
}
