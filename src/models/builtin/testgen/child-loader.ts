/**
 * Module hooks of the exploring child (registered with `module.register`): TypeScript files of the
 * repository load as ES modules transpiled by TypeScript's `transpileModule` (the target's own text
 * comes from the parent, which keyed coverage over it), and the `.js` specifiers NodeNext code
 * writes, or extensionless ones, resolve to the `.ts` files beside them. Imports nothing but Node's
 * own modules and the TypeScript whose path the parent passes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { LoaderData } from './child-protocol.js';

interface TypeScriptApi {
  transpileModule(
    input: string,
    options: { compilerOptions: Record<string, unknown>; fileName: string },
  ): { outputText: string };
  ModuleKind: { ESNext: number };
  ScriptTarget: { ES2022: number };
  JsxEmit: { ReactJSX: number };
}

let data: LoaderData = { typescript: '', sources: {} };
let ts: TypeScriptApi | undefined;

export function initialize(given: LoaderData): void {
  data = given;
}

const TS = /\.(ts|tsx|mts|cts)$/;

type Next<T> = (specifier: string, context: unknown) => Promise<T>;
interface Resolved {
  url: string;
  format?: string | null;
}

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  next: Next<Resolved>,
): Promise<Resolved> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/');
    if (!relative || context.parentURL === undefined) throw error;
    const base = specifier.replace(/\.(m|c)?js$/, '');
    const ext = /\.mjs$/.test(specifier) ? ['.mts'] : /\.cjs$/.test(specifier) ? ['.cts'] : [];
    const candidates = [
      ...ext.map((e) => base + e),
      `${base}.ts`,
      `${base}.tsx`,
      `${base}.js`,
      `${base}/index.ts`,
      `${base}/index.tsx`,
      `${base}/index.js`,
    ];
    for (const candidate of candidates) {
      try {
        return await next(candidate, context);
      } catch {
        // try the next spelling
      }
    }
    throw error;
  }
}

interface Loaded {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array | null;
  shortCircuit?: boolean;
}

export async function load(
  url: string,
  context: { format?: string | null },
  next: Next<Loaded>,
): Promise<Loaded> {
  const given = data.sources[url];
  if (given !== undefined) return { format: 'module', source: given, shortCircuit: true };
  if (url.startsWith('file:') && TS.test(url) && !url.includes('/node_modules/')) {
    return { format: 'module', source: transpile(url), shortCircuit: true };
  }
  return next(url, context);
}

function transpile(url: string): string {
  ts ??= createRequire(import.meta.url)(data.typescript) as TypeScriptApi;
  const file = fileURLToPath(url);
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      jsx: ts.JsxEmit.ReactJSX,
      esModuleInterop: true,
    },
  });
  return outputText;
}
