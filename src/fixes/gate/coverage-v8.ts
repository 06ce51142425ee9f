import { readdir, readFile } from 'node:fs/promises';
import type { Profiler } from 'node:inspector';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import libCoverage, { type CoverageMap } from 'istanbul-lib-coverage';
import v8ToIstanbul from 'v8-to-istanbul';

/**
 * esbuild's helpers (`__name`, `__export`, `__toESM`) that tsx and other transpilers put in the
 * generated code: not functions of the source, though the source map places them in it.
 */
const BUNDLER_HELPER = /^__[a-z][A-Za-z]*$/;

/** One script's raw V8 coverage, as `NODE_V8_COVERAGE` writes it. */
interface ScriptCoverage {
  url: string;
  functions: Profiler.FunctionCoverage[];
}

/** Node's record of a source map it used (`--enable-source-maps`, tsx). */
interface SourceMapEntry {
  lineLengths: number[];
  data: unknown;
}

interface ProcessCoverage {
  result: ScriptCoverage[];
  sourceMaps: Record<string, SourceMapEntry>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseProcessCoverage(text: string): ProcessCoverage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || !Array.isArray(value.result)) return undefined;
  const result = value.result.filter(
    (s): s is ScriptCoverage =>
      isRecord(s) && typeof s.url === 'string' && Array.isArray(s.functions),
  );
  const cache = value['source-map-cache'];
  const sourceMaps: Record<string, SourceMapEntry> = {};
  if (isRecord(cache)) {
    for (const [url, entry] of Object.entries(cache)) {
      if (isRecord(entry) && Array.isArray(entry.lineLengths) && isRecord(entry.data)) {
        sourceMaps[url] = { lineLengths: entry.lineLengths as number[], data: entry.data };
      }
    }
  }
  return { result, sourceMaps };
}

/**
 * A path relative to the first of `roots` (a folder as given, and as its real path) that holds it,
 * with `/`; undefined outside them all.
 */
export function relativeTo(roots: string | readonly string[], path: string): string | undefined {
  for (const root of typeof roots === 'string' ? [roots] : roots) {
    const rel = relative(root, path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
  }
  return undefined;
}

/**
 * Reads the raw V8 coverage that processes run under `NODE_V8_COVERAGE=<dir>` wrote (one file per
 * process and thread) and converts the scripts under `root` that `keep` accepts (given their
 * root-relative path) with v8-to-istanbul, as c8 does: through the source map Node recorded (tsx,
 * `--enable-source-maps`) or one inline in the file, merged over processes by location.
 */
export async function readV8Coverage(
  dir: string,
  root: string | readonly string[],
  keep: (file: string) => boolean,
): Promise<CoverageMap> {
  const map = libCoverage.createCoverageMap({});
  // Each process that loaded a file reports it: read its text once.
  const texts = new Map<string, Promise<string | undefined>>();
  const textOf = (path: string) => {
    let text = texts.get(path);
    if (text === undefined) {
      text = readFile(path, 'utf8').catch(() => undefined);
      texts.set(path, text);
    }
    return text;
  };
  const names = (await readdir(dir).catch(() => [])).filter((n) => n.endsWith('.json')).sort();
  const wanted = (path: string) => {
    const rel = relativeTo(root, path);
    return rel !== undefined && !rel.split('/').includes('node_modules') && keep(rel);
  };
  for (const name of names) {
    const coverage = parseProcessCoverage(await readFile(join(dir, name), 'utf8').catch(() => ''));
    if (coverage === undefined) continue;
    for (const script of coverage.result) {
      if (!script.url.startsWith('file://')) continue;
      const path = fileURLToPath(script.url);
      if (!wanted(path)) continue;
      const mapped = coverage.sourceMaps[script.url];
      const text = mapped === undefined ? await textOf(path) : undefined;
      if (mapped === undefined && text === undefined) continue; // Gone (a temporary script).
      const sources =
        mapped === undefined
          ? { source: text ?? '' }
          : {
              // v8-to-istanbul needs the generated code's line lengths only: c8's stand-in.
              source: mapped.lineLengths.map((n) => '.'.repeat(n)).join('\n'),
              sourceMap: { sourcemap: mapped.data as never },
            };
      const converter = v8ToIstanbul(path, 0, sources as never, (p) => !wanted(p));
      try {
        await converter.load();
      } catch {
        continue; // The file is gone (a temporary script): nothing to report.
      }
      converter.applyCoverage(
        mapped === undefined
          ? script.functions
          : script.functions.filter((f) => !BUNDLER_HELPER.test(f.functionName)),
      );
      map.merge(converter.toIstanbul());
    }
  }
  return map;
}
