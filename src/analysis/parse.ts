import { parseSync, rawTransferSupported, type Comment, type EcmaScriptModule } from 'oxc-parser';
import type { Lang } from '../core/index.js';
import type { AstNode } from './ast.js';
import { tooDeep } from './depth.js';

export interface Parsed {
  program: AstNode;
  comments: Comment[];
  module: EcmaScriptModule;
  /** The first syntax error, if any; oxc recovers, but a file with errors is reported as unparsable. */
  error: string | undefined;
  errorOffset: number | undefined;
}

// Raw transfer builds the JS AST straight from the parser's memory, several times faster than
// the JSON path; oxc supports it from Node 22 on. Asking on Node 20 is not just useless: the check
// loads an ES module through require(), which trips a Node 20 loader assertion in worker threads.
const RAW_TRANSFER = Number(process.versions.node.split('.')[0]) >= 22 && rawTransferSupported();

export function langOf(file: string): Lang {
  if (file.endsWith('.tsx')) return 'tsx';
  if (/\.[cm]?ts$/.test(file)) return 'ts';
  if (file.endsWith('.jsx')) return 'jsx';
  return 'js';
}

/**
 * Parses one file with oxc-parser. Never throws on bad syntax: see `error`. Syntax nested too
 * deeply for the parser's native stack is refused unparsed, with an error, since the overflow
 * would kill the process.
 */
export function parseSource(file: string, source: string, lang: Lang = langOf(file)): Parsed {
  const deep = tooDeep(source);
  if (deep !== undefined) return unparsed(source, deep);
  let result: ReturnType<typeof parseSync>;
  let program: AstNode;
  try {
    result = parseSync(file, source, {
      lang,
      sourceType: file.endsWith('.cjs') || file.endsWith('.cts') ? 'commonjs' : 'unambiguous',
      preserveParens: false,
      ...(RAW_TRANSFER ? { experimentalRawTransfer: true } : {}),
    });
    program = result.program as unknown as AstNode;
  } catch (error) {
    // The AST is built in JavaScript, recursively on Node 22 (raw transfer): deep code under the
    // native limit can still overflow V8's smaller stack, which at least can be caught.
    if (error instanceof RangeError && /call stack size/i.test(error.message))
      return unparsed(source, `syntax nested too deeply to build its tree: ${error.message}`);
    throw error;
  }
  const first = result.errors.find((e) => e.severity === 'Error');
  return {
    program,
    comments: result.comments,
    module: result.module,
    error: first?.message,
    errorOffset: first?.labels[0]?.start,
  };
}

function unparsed(source: string, error: string): Parsed {
  return {
    program: {
      type: 'Program',
      body: [],
      sourceType: 'module',
      hashbang: null,
      start: 0,
      end: source.length,
    },
    comments: [],
    module: {
      hasModuleSyntax: false,
      staticImports: [],
      staticExports: [],
      dynamicImports: [],
      importMetas: [],
    },
    error,
    errorOffset: 0,
  };
}
