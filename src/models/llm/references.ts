import path from 'node:path';

/**
 * The signatures of what the code around a finding refers to: declarations of the identifiers on
 * the lines near it, from the same file or from the relative modules it imports them from. A
 * textual search, not a type-checker: cheap, and enough to show a model the shapes it works with.
 */
export interface ReferenceOptions {
  /** Repository-relative file of the finding. */
  file: string;
  source: string;
  /** Lines (1-based, inclusive) whose identifiers are looked up. */
  from: number;
  to: number;
  /** Lines already shown to the model; declarations there are not repeated. */
  shown: { first: number; last: number };
  readFile(file: string): Promise<string>;
  /** At most this many signatures (default 12). */
  limit?: number;
}

const KEYWORDS = new Set(
  'abstract as async await break case catch class const continue debugger default delete do else enum export extends false finally for from function get if implements import in instanceof interface let new null of private protected public readonly return set static super switch this throw true try type typeof undefined var void while with yield string number boolean unknown never any object'.split(
    ' ',
  ),
);

const DECLARATION =
  /^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|interface|type|enum|const|let|var)\s+([A-Za-z_$][\w$]*)/;

const IMPORT = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"](\.{1,2}\/[^'"]+)['"]/g;

const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.js'];

const TYPE_LIKE = /^\s*(?:export\s+)?(?:declare\s+)?(?:interface|type|enum)\b/;

/** A type, interface or enum in full (its shape is the point), up to 15 lines. */
function typeDeclaration(lines: readonly string[], index: number): string {
  const out: string[] = [];
  let depth = 0;
  for (let i = index; i < Math.min(lines.length, index + 15); i++) {
    const line = lines[i] ?? '';
    out.push(line);
    depth += (line.match(/[{(<[]/g) ?? []).length - (line.match(/[})>\]]/g) ?? []).length;
    if (depth <= 0 && /[};]\s*$/.test(line)) return out.join('\n');
  }
  return `${out.join('\n')}\n  ...`;
}

/** The declaration on `index` cut at its body: the signature a caller sees. */
function signature(lines: readonly string[], index: number): string {
  if (TYPE_LIKE.test(lines[index] ?? '')) return typeDeclaration(lines, index);
  let text = '';
  for (let i = index; i < Math.min(lines.length, index + 6); i++) {
    text += (i === index ? '' : ' ') + (lines[i] ?? '').trim();
    const body = text.search(/\s*(?:=>\s*)?\{\s*$/);
    if (body >= 0) return text.slice(0, body).trimEnd();
    if (/;\s*$/.test(text)) break;
  }
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

/** Declared names of a module, with the line each is declared on (0-based). */
function declarations(source: string): Map<string, number> {
  const found = new Map<string, number>();
  source.split('\n').forEach((line, index) => {
    const name = DECLARATION.exec(line)?.[1];
    if (name && !found.has(name)) found.set(name, index);
  });
  return found;
}

function importedFrom(source: string): Map<string, string> {
  const from = new Map<string, string>();
  for (const match of source.matchAll(IMPORT)) {
    for (const part of (match[1] ?? '').split(',')) {
      const [imported, local] = part.replace(/^\s*type\s+/, '').split(/\s+as\s+/);
      const name = (local ?? imported)?.trim();
      if (name && match[2]) from.set(name, match[2]);
    }
  }
  return from;
}

async function readModule(
  readFile: ReferenceOptions['readFile'],
  file: string,
  specifier: string,
): Promise<{ file: string; source: string } | undefined> {
  const base = path.posix.join(path.posix.dirname(file), specifier);
  // `./x.js` in TypeScript sources names `./x.ts`.
  const stems = [base, base.replace(/\.(m|c)?js$/, '')];
  for (const stem of stems) {
    for (const ext of EXTENSIONS) {
      const source = await readFile(stem + ext).catch(() => undefined);
      if (source !== undefined) return { file: stem + ext, source };
    }
  }
  return undefined;
}

/** Signatures, each prefixed by where it is declared, for the prompt. */
export async function referencedSignatures(options: ReferenceOptions): Promise<string[]> {
  const limit = options.limit ?? 12;
  const lines = options.source.split('\n');
  const names = new Set<string>();
  for (const line of lines.slice(options.from - 1, options.to)) {
    for (const match of line.matchAll(/[A-Za-z_$][\w$]*/g)) {
      if (!KEYWORDS.has(match[0])) names.add(match[0]);
    }
  }
  const local = declarations(options.source);
  const imports = importedFrom(options.source);
  const out: string[] = [];
  const modules = new Map<string, Promise<{ file: string; source: string } | undefined>>();
  for (const name of names) {
    if (out.length >= limit) break;
    const at = local.get(name);
    if (at !== undefined) {
      const shown = at + 1 >= options.shown.first && at + 1 <= options.shown.last;
      if (!shown) out.push(`${options.file}:${at + 1}: ${signature(lines, at)}`);
      continue;
    }
    const specifier = imports.get(name);
    if (!specifier) continue;
    let loading = modules.get(specifier);
    if (!loading) {
      loading = readModule(options.readFile, options.file, specifier);
      modules.set(specifier, loading);
    }
    const module = await loading;
    const line = module && declarations(module.source).get(name);
    if (module && line !== undefined) {
      out.push(`${module.file}:${line + 1}: ${signature(module.source.split('\n'), line)}`);
    }
  }
  return out;
}
