import type { AstNode } from '../ast.js';
import { LineIndex, walk } from '../ast.js';
import { resolveImport } from '../imports.js';
import { parseSource } from '../parse.js';
import { sha256 } from '../sources.js';

/*
 * Facts about a repository's modules, extracted from their text: pure functions, no IO. Each fact
 * cites the lines that back it, so that a reader (or another service) can check it against the
 * commit it was read at, and so that a later run can tell when it no longer holds.
 */

export type FactKind =
  'purpose' | 'api' | 'entry-point' | 'config' | 'error' | 'side-effect' | 'dependency' | 'test';

export type FactSource = 'code' | 'readme' | 'llm';

/** Lines of one file, 1-based and inclusive. */
export interface FactCitation {
  file: string;
  startLine: number;
  endLine: number;
}

/** A fact as extracted, before it is stored. */
export interface ExtractedFact {
  /** The module (repository-relative path) it is about; '' for the repository as a whole. */
  module: string;
  kind: FactKind;
  /** Identifies the fact within its module and kind across commits: the same key is the same fact. */
  key: string;
  text: string;
  citations: FactCitation[];
  source: FactSource;
}

/** A module's facts and what other extractions need from it. */
export interface ModuleExtraction {
  facts: ExtractedFact[];
  /** Exported names (for README sections that name them). */
  exports: string[];
  /** Internal modules imported, resolved against the repository's files, with the import's line. */
  internalImports: { module: string; line: number }[];
  /** Relative specifiers that name no file of the repository (a file added later may resolve them). */
  unresolved: string[];
  /** The first syntax error, if the module did not parse cleanly. */
  error?: string;
}

/** How many lines a citation of a side effect or error may hold at most, per fact. */
const MAX_SITES = 5;
const MAX_SIGNATURE = 240;

/** Pure: the package an import specifier names (`@scope/name`, `name`), or undefined for relative ones. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#'))
    return undefined;
  const bare = specifier.replace(/^node:/, '');
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Pure: the text of a citation's lines in `source` (lines out of range give ''). */
export function citedLines(source: string, citation: FactCitation): string {
  return source
    .split('\n')
    .slice(citation.startLine - 1, citation.endLine)
    .join('\n');
}

/** Pure: the hash of the cited lines' text, given each cited file's source (missing file: ''). */
export function citationHash(
  citations: readonly FactCitation[],
  sourceOf: (file: string) => string | undefined,
): string {
  const parts = citations.map((c) => {
    const source = sourceOf(c.file);
    return `${c.file}\0${source === undefined ? '\u0001missing' : citedLines(source, c)}`;
  });
  return sha256(parts.join('\0\0'));
}

const BUILTIN_NODE = /^(?:node:)?(fs|fs\/promises|http|https|http2|net|tls|dgram|child_process)$/;
const NETWORK_PACKAGES = new Set(['undici', 'node-fetch', 'axios', 'got', 'ky', 'cross-fetch']);
const PROCESS_PACKAGES = new Set(['execa', 'cross-spawn', 'zx']);
const FS_WRITE =
  /^(?:write|append|mkdir|mkdtemp|rm|rmdir|unlink|rename|copyFile|cp|chmod|chown|symlink|link|truncate|utimes|createWriteStream|outputFile)/;
const FS_READ =
  /^(?:read|stat|lstat|exists|access|createReadStream|open|opendir|realpath|watch|glob)/;
const CONFIG_FILE =
  /^(?:[\w./-]*\/)?(?:\.[\w-]+rc(?:\.\w+)?|[\w.-]*(?:config|settings|options)[\w.-]*\.(?:json|jsonc|js|cjs|mjs|ts|ya?ml|toml)|[\w.-]+\.(?:ya?ml|toml|ini)|\.env(?:\.[\w-]+)?|package\.json|tsconfig[\w.-]*\.json)$/i;

type Effect = 'filesystem read' | 'filesystem write' | 'network' | 'process';

/** Where a local name comes from: the module and the imported name ('*' or 'default' for namespaces). */
interface Binding {
  module: string;
  imported: string;
}

function effectOf(module: string, name: string): Effect | undefined {
  const bare = module.replace(/^node:/, '');
  if (bare === 'fs' || bare === 'fs/promises' || bare === 'fs-extra' || bare === 'graceful-fs') {
    if (FS_WRITE.test(name)) return 'filesystem write';
    if (FS_READ.test(name)) return 'filesystem read';
    return undefined;
  }
  if (BUILTIN_NODE.test(module) && bare !== 'child_process') return 'network';
  if (NETWORK_PACKAGES.has(bare)) return 'network';
  if (bare === 'child_process' || PROCESS_PACKAGES.has(bare)) return 'process';
  return undefined;
}

function nameOf(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as AstNode;
  if (n.type === 'Identifier') return n.name as string;
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  return undefined;
}

function stringValue(node: unknown): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const n = node as AstNode;
  if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n.type === 'TemplateLiteral') {
    const quasis = n.quasis as { value: { cooked: string | null } }[];
    return quasis.map((q) => q.value.cooked ?? '').join('${…}');
  }
  // "prefix " + detail: the literal part, marked as cut.
  if (n.type === 'BinaryExpression' && n.operator === '+') {
    const left = stringValue(n.left);
    if (left !== undefined) return `${left}…`;
  }
  return undefined;
}

/** `process.env` as an expression. */
function isProcessEnv(node: unknown): boolean {
  const n = node as AstNode | undefined;
  return (
    n?.type === 'MemberExpression' &&
    !n.computed &&
    nameOf(n.property) === 'env' &&
    nameOf(n.object) === 'process' &&
    (n.object as AstNode).type === 'Identifier'
  );
}

/** `import.meta.env` as an expression. */
function isImportMetaEnv(node: unknown): boolean {
  const n = node as AstNode | undefined;
  return (
    n?.type === 'MemberExpression' &&
    !n.computed &&
    nameOf(n.property) === 'env' &&
    (n.object as AstNode).type === 'MetaProperty'
  );
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SIGNATURE ? `${flat.slice(0, MAX_SIGNATURE - 1)}…` : flat;
}

/** A declaration's signature: its text cut at its body (functions, classes) or its initialiser's body. */
function signatureOf(source: string, node: AstNode): string {
  return oneLine(
    source
      .slice(node.start, signatureEnd(node))
      .replace(/=\s*$/, '')
      .replace(/\{\s*$/, ''),
  );
}

/** Where a declaration's signature ends: at its body or initialiser, else at its end. */
function signatureEnd(node: AstNode): number {
  let end = node.end;
  const body = node.body as AstNode | undefined | null;
  if (node.type === 'VariableDeclaration') {
    const declarator = (node.declarations as AstNode[])[0];
    const init = declarator?.init as AstNode | undefined | null;
    const initBody = init?.body as AstNode | undefined;
    if (
      init &&
      (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression') &&
      initBody
    )
      end = initBody.start;
    else if (init) end = init.start;
  } else if (body && typeof body === 'object' && typeof body.start === 'number') {
    end = body.start;
  }
  return end;
}

function declaredNames(node: AstNode): string[] {
  if (node.type === 'VariableDeclaration')
    return (node.declarations as AstNode[]).flatMap((d) => {
      const id = d.id as AstNode;
      if (id.type === 'Identifier') return [id.name as string];
      return [];
    });
  const id = nameOf(node.id);
  return id === undefined ? [] : [id];
}

const LICENSE = /copyright|licen[sc]e|eslint|@ts-|prettier|istanbul|biome-ignore|#!/i;

/** The module's leading doc comment: before the first statement, not attached to a declaration. */
function moduleDoc(
  source: string,
  program: AstNode,
  comments: readonly { type: string; value: string; start: number; end: number }[],
  lines: LineIndex,
): { text: string; startLine: number; endLine: number } | undefined {
  const first = (program.body as AstNode[])[0];
  const limit = first?.start ?? source.length;
  for (const comment of comments) {
    if (comment.start >= limit) break;
    if (comment.type !== 'Block' || LICENSE.test(comment.value)) continue;
    const text = comment.value
      .split('\n')
      .map((l) => l.replace(/^\s*\*\s?/, '').trimEnd())
      .join('\n')
      .trim();
    if (text === '') continue;
    const gap = source.slice(comment.end, limit);
    const attached =
      !gap.includes('\n\n') && first !== undefined && first.type !== 'ImportDeclaration';
    if (attached && !/@(?:module|file|fileoverview|packageDocumentation)/.test(text)) continue;
    return {
      text: text.replace(/@(?:module|file|fileoverview|packageDocumentation)\b\s*/g, '').trim(),
      startLine: lines.lineOf(comment.start),
      endLine: lines.lineOf(comment.end - 1),
    };
  }
  return undefined;
}

/** The first sentence (or first 300 characters) of a doc text, on one line. */
function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const match = /^(.{10,}?[.!?])(?:\s|$)/.exec(flat);
  const sentence = match?.[1] ?? flat;
  return sentence.length > 300 ? `${sentence.slice(0, 299)}…` : sentence;
}

/**
 * Pure: the facts one module's own text backs: its purpose (leading doc comment), public API,
 * configuration and environment variables read, errors thrown and declared, side effects, and
 * dependencies. `files` is the repository's set of files, to resolve internal imports.
 */
export function extractModuleFacts(
  file: string,
  source: string,
  files: ReadonlySet<string>,
): ModuleExtraction {
  const parsed = parseSource(file, source);
  const lines = new LineIndex(source);
  const facts: ExtractedFact[] = [];
  const cite = (start: number, end: number): FactCitation => ({
    file,
    startLine: lines.lineOf(start),
    endLine: lines.lineOf(Math.max(start, end - 1)),
  });
  const add = (kind: FactKind, key: string, text: string, citations: FactCitation[]) =>
    facts.push({ module: file, kind, key, text, citations, source: 'code' });

  const doc = moduleDoc(source, parsed.program, parsed.comments, lines);
  if (doc)
    add('purpose', 'doc', firstSentence(doc.text), [
      { file, startLine: doc.startLine, endLine: doc.endLine },
    ]);

  const exports: string[] = [];
  const internalImports: ModuleExtraction['internalImports'] = [];
  const unresolved: string[] = [];
  const bindings = new Map<string, Binding>();
  const depSeen = new Set<string>();

  const addDependency = (specifier: string, node: AstNode) => {
    const pkg = packageOf(specifier);
    const line = lines.lineOf(node.start);
    if (pkg !== undefined) {
      const key = `package:${specifier.startsWith('node:') ? `node:${pkg}` : pkg}`;
      if (depSeen.has(key)) return;
      depSeen.add(key);
      add('dependency', key, `imports package \`${key.slice(8)}\``, [cite(node.start, node.end)]);
      return;
    }
    const target = resolveImport(file, specifier, files);
    if (target === undefined) {
      if (specifier.startsWith('.')) unresolved.push(specifier);
      return;
    }
    internalImports.push({ module: target, line });
    const key = `module:${target}`;
    if (depSeen.has(key)) return;
    depSeen.add(key);
    add('dependency', key, `imports module \`${target}\``, [cite(node.start, node.end)]);
  };

  // An API fact is backed by its signature's lines, not its body's: a change inside the body
  // leaves what callers see as it was.
  const addApi = (name: string, node: AstNode, signature: string, declaration?: AstNode) => {
    exports.push(name);
    const end = declaration ? Math.max(signatureEnd(declaration), declaration.start + 1) : node.end;
    add('api', name, `exports \`${name}\`: \`${signature}\``, [cite(node.start, end)]);
  };

  for (const statement of parsed.program.body as AstNode[]) {
    if (statement.type === 'ImportDeclaration') {
      const specifier = stringValue(statement.source) ?? '';
      addDependency(specifier, statement);
      for (const s of (statement.specifiers as AstNode[] | undefined) ?? []) {
        const local = nameOf(s.local);
        if (local === undefined) continue;
        const imported =
          s.type === 'ImportNamespaceSpecifier'
            ? '*'
            : s.type === 'ImportDefaultSpecifier'
              ? 'default'
              : (nameOf(s.imported) ?? local);
        bindings.set(local, { module: specifier, imported });
      }
      continue;
    }
    if (statement.type === 'ExportNamedDeclaration') {
      const declaration = statement.declaration as AstNode | null;
      if (declaration) {
        for (const name of declaredNames(declaration))
          addApi(name, statement, signatureOf(source, declaration), declaration);
      }
      const from = stringValue(statement.source);
      if (from !== undefined) addDependency(from, statement);
      for (const s of (statement.specifiers as AstNode[] | undefined) ?? []) {
        const name = nameOf(s.exported);
        if (name !== undefined)
          addApi(name, statement, oneLine(source.slice(statement.start, statement.end)));
      }
      continue;
    }
    if (statement.type === 'ExportAllDeclaration') {
      const from = stringValue(statement.source) ?? '';
      addDependency(from, statement);
      const name = nameOf(statement.exported) ?? `* from ${from}`;
      addApi(name, statement, oneLine(source.slice(statement.start, statement.end)));
      continue;
    }
    if (statement.type === 'ExportDefaultDeclaration') {
      const declaration = statement.declaration as AstNode;
      addApi(
        'default',
        statement,
        `export default ${signatureOf(source, declaration)}`,
        declaration,
      );
    }
  }

  const env = new Map<string, FactCitation[]>();
  const configFiles = new Map<string, FactCitation[]>();
  const errors = new Map<string, { text: string; citations: FactCitation[] }>();
  const effects = new Map<string, FactCitation[]>();
  const effectModules = new Map<string, string>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T) => {
    const list = map.get(key) ?? [];
    if (list.length < MAX_SITES) list.push(value);
    map.set(key, list);
  };
  const throwOf = (argument: AstNode, site: AstNode, how: string) => {
    if (argument.type !== 'NewExpression') return;
    const cls = nameOf(argument.callee);
    if (cls === undefined) return;
    const message = stringValue((argument.arguments as AstNode[])[0]);
    const key = `${how}:${cls}:${message ?? ''}`;
    const text = `${how} \`${cls}\`${message === undefined ? '' : `: "${oneLine(message)}"`}`;
    const entry = errors.get(key) ?? { text, citations: [] };
    if (entry.citations.length < MAX_SITES) entry.citations.push(cite(site.start, site.end));
    errors.set(key, entry);
  };

  walk(parsed.program, {
    enter(node) {
      switch (node.type) {
        case 'MemberExpression': {
          const key = node.computed ? stringValue(node.property) : nameOf(node.property);
          if (key === undefined) break;
          if (isProcessEnv(node.object))
            push(env, `process.env.${key}`, cite(node.start, node.end));
          else if (isImportMetaEnv(node.object))
            push(env, `import.meta.env.${key}`, cite(node.start, node.end));
          break;
        }
        case 'VariableDeclarator': {
          const id = node.id as AstNode;
          if (id.type !== 'ObjectPattern') break;
          const init = node.init as AstNode | null;
          const prefix = isProcessEnv(init)
            ? 'process.env'
            : isImportMetaEnv(init)
              ? 'import.meta.env'
              : undefined;
          if (prefix === undefined) break;
          for (const property of id.properties as AstNode[]) {
            const name = property.type === 'Property' ? nameOf(property.key) : undefined;
            if (name !== undefined) push(env, `${prefix}.${name}`, cite(node.start, node.end));
          }
          break;
        }
        case 'ThrowStatement':
          throwOf(node.argument as AstNode, node, 'throws');
          break;
        case 'ClassDeclaration': {
          const name = nameOf(node.id);
          const base = nameOf(node.superClass);
          if (name !== undefined && base !== undefined && /Error$/.test(base))
            errors.set(`class:${name}`, {
              text: `declares error class \`${name}\` (extends \`${base}\`)`,
              citations: [cite(node.start, (node.body as AstNode).start + 1)],
            });
          break;
        }
        case 'ImportExpression': {
          const specifier = stringValue(node.source);
          if (specifier !== undefined) addDependency(specifier, node);
          break;
        }
        case 'CallExpression':
        case 'NewExpression':
          callFacts(node);
          break;
      }
    },
  });

  function callFacts(node: AstNode): void {
    const callee = node.callee as AstNode;
    const args = node.arguments as AstNode[];
    // Rejections: Promise.reject(new E()) and a promise executor's reject(new E()).
    const calleeName =
      callee.type === 'Identifier'
        ? (callee.name as string)
        : callee.type === 'MemberExpression' && !callee.computed
          ? `${nameOf(callee.object) ?? ''}.${nameOf(callee.property) ?? ''}`
          : undefined;
    if (
      node.type === 'CallExpression' &&
      (calleeName === 'Promise.reject' || calleeName === 'reject') &&
      args[0]
    )
      throwOf(args[0], node, 'rejects with');
    if (node.type === 'CallExpression' && (calleeName === 'require' || callee.type === 'Import')) {
      const specifier = stringValue(args[0]);
      if (specifier !== undefined) addDependency(specifier, node);
    }
    // Config files read by literal name.
    for (const arg of args) {
      const literal =
        arg.type === 'BinaryExpression' && arg.operator === '+'
          ? stringValue(arg.right)?.replace(/^\//, '')
          : stringValue(arg);
      if (literal !== undefined && CONFIG_FILE.test(literal) && !literal.includes('${'))
        push(configFiles, literal, cite(node.start, node.end));
    }
    const effect = effectOfCall(callee);
    if (effect) {
      const key = `${effect.kind}: ${effect.name}`;
      if (effect.module !== undefined) effectModules.set(key, effect.module);
      push(effects, key, cite(node.start, node.end));
    }
  }

  function effectOfCall(
    callee: AstNode,
  ): { kind: Effect; name: string; module?: string } | undefined {
    if (callee.type === 'Identifier') {
      const name = callee.name as string;
      const binding = bindings.get(name);
      if (binding) {
        const imported =
          binding.imported === 'default' || binding.imported === '*' ? name : binding.imported;
        const kind =
          effectOf(binding.module, imported) ??
          (binding.imported === 'default' && NETWORK_PACKAGES.has(binding.module)
            ? 'network'
            : binding.imported === 'default' && PROCESS_PACKAGES.has(binding.module)
              ? 'process'
              : undefined);
        return kind ? { kind, name: imported, module: binding.module } : undefined;
      }
      if (name === 'fetch') return { kind: 'network', name: 'fetch' };
      return undefined;
    }
    if (callee.type === 'MemberExpression' && !callee.computed) {
      const object = callee.object as AstNode;
      const property = nameOf(callee.property);
      if (property === undefined) return undefined;
      // fs.promises.readFile
      const root =
        object.type === 'MemberExpression' && nameOf(object.property) === 'promises'
          ? nameOf(object.object)
          : nameOf(object);
      const binding = root === undefined ? undefined : bindings.get(root);
      if (
        binding &&
        (binding.imported === '*' ||
          binding.imported === 'default' ||
          binding.imported === 'promises')
      ) {
        const kind = effectOf(binding.module, property);
        return kind ? { kind, name: `${root}.${property}`, module: binding.module } : undefined;
      }
      if (root === 'globalThis' && property === 'fetch') return { kind: 'network', name: 'fetch' };
    }
    return undefined;
  }

  for (const [name, citations] of env)
    add(
      'config',
      `env:${name}`,
      `reads environment variable \`${name.replace(/^.*\.env\./, '')}\` (\`${name}\`)`,
      citations,
    );
  for (const [name, citations] of configFiles)
    add('config', `file:${name}`, `reads configuration file \`${name}\``, citations);
  for (const [key, { text, citations }] of errors) add('error', key, text, citations);
  for (const [key, citations] of effects) {
    const [kind, name] = key.split(': ');
    const from = effectModules.get(key);
    add('side-effect', key, `${kind}: \`${name}\`${from ? ` from \`${from}\`` : ''}`, citations);
  }
  return {
    facts,
    exports,
    internalImports,
    unresolved,
    ...(parsed.error === undefined ? {} : { error: parsed.error }),
  };
}

/**
 * Pure: "tests that cover it": one fact per (module, test file importing it), citing the test's
 * import line.
 */
export function extractTestFacts(
  testFile: string,
  imports: readonly { module: string; line: number }[],
): ExtractedFact[] {
  const seen = new Set<string>();
  const out: ExtractedFact[] = [];
  for (const { module, line } of imports) {
    if (seen.has(module)) continue;
    seen.add(module);
    out.push({
      module,
      kind: 'test',
      key: testFile,
      text: `covered by test \`${testFile}\``,
      citations: [{ file: testFile, startLine: line, endLine: line }],
      source: 'code',
    });
  }
  return out;
}

/** The line (1-based) of the first occurrence of `needle` in `text` at or after `fromLine`. */
function lineOfText(
  textLines: readonly string[],
  needle: string,
  fromLine = 1,
): number | undefined {
  for (let i = fromLine - 1; i < textLines.length; i++)
    if (textLines[i]!.includes(needle)) return i + 1;
  return undefined;
}

/**
 * Pure: the repository's facts from its package.json: entry points (main, module, types, exports,
 * bin), its description (purpose) and its declared dependencies.
 */
export function extractPackageFacts(file: string, text: string): ExtractedFact[] {
  let pkg: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
    pkg = parsed as Record<string, unknown>;
  } catch {
    return [];
  }
  const textLines = text.split('\n');
  const out: ExtractedFact[] = [];
  const at = (needle: string, from?: number) => {
    const line = lineOfText(textLines, needle, from) ?? 1;
    return [{ file, startLine: line, endLine: line }];
  };
  const add = (kind: FactKind, key: string, body: string, citations: FactCitation[]) =>
    out.push({ module: '', kind, key, text: body, citations, source: 'code' });

  if (typeof pkg.description === 'string' && pkg.description.trim() !== '')
    add('purpose', 'package.description', pkg.description.trim(), at('"description"'));
  for (const field of ['main', 'module', 'types', 'browser'] as const) {
    const value = pkg[field];
    if (typeof value === 'string')
      add('entry-point', field, `entry point (\`${field}\`): \`${value}\``, at(`"${field}"`));
  }
  const bin = pkg.bin;
  if (typeof bin === 'string')
    add('entry-point', 'bin', `command (\`bin\`): \`${bin}\``, at('"bin"'));
  else if (bin && typeof bin === 'object')
    for (const [name, target] of Object.entries(bin as Record<string, unknown>))
      if (typeof target === 'string')
        add(
          'entry-point',
          `bin:${name}`,
          `command \`${name}\` (\`bin\`): \`${target}\``,
          at(`"${name}"`, lineOfText(textLines, '"bin"')),
        );
  const exportsLine = lineOfText(textLines, '"exports"');
  const walkExports = (value: unknown, trail: string[]) => {
    if (typeof value === 'string') {
      const where = trail.length === 0 ? '.' : trail.join(' ');
      add(
        'entry-point',
        `exports:${where}`,
        `entry point (\`exports\` ${where}): \`${value}\``,
        at(`"${value}"`, exportsLine),
      );
    } else if (value && typeof value === 'object' && !Array.isArray(value))
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        walkExports(v, [...trail, k]);
  };
  if (pkg.exports !== undefined && exportsLine !== undefined) walkExports(pkg.exports, []);
  for (const field of ['dependencies', 'peerDependencies'] as const) {
    const deps = pkg[field];
    if (!deps || typeof deps !== 'object') continue;
    const from = lineOfText(textLines, `"${field}"`);
    for (const [name, range] of Object.entries(deps as Record<string, unknown>))
      add(
        'dependency',
        `${field}:${name}`,
        `depends on package \`${name}\` ${String(range)} (\`${field}\`)`,
        at(`"${name}"`, from),
      );
  }
  return out;
}

interface Section {
  heading: string;
  startLine: number;
  endLine: number;
  text: string;
}

/** Pure: a Markdown text's sections by heading (`#`..`######`), fenced code kept in its section. */
export function markdownSections(text: string): Section[] {
  const textLines = text.split('\n');
  const sections: Section[] = [];
  let current: Section = { heading: '', startLine: 1, endLine: 0, text: '' };
  let fenced = false;
  textLines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      if (current.endLine >= current.startLine) sections.push(current);
      current = { heading: heading[1]!.trim(), startLine: i + 1, endLine: i + 1, text: '' };
    } else {
      current.endLine = i + 1;
      current.text += `${line}\n`;
    }
  });
  if (current.endLine >= current.startLine) sections.push(current);
  return sections;
}

/**
 * Pure: purpose facts from a README: the repository's (its first paragraph of prose) and, per
 * module, the first section that names the module's path or one of its exported names (in code
 * spans; names shorter than 4 characters or exported by several modules are too vague to count).
 */
export function extractReadmeFacts(
  file: string,
  text: string,
  modules: ReadonlyMap<string, readonly string[]>,
): ExtractedFact[] {
  const out: ExtractedFact[] = [];
  const sections = markdownSections(text);
  for (const section of sections) {
    const paragraph = /(?:^|\n)((?:[^\n#<>![|`\s-][^\n]*\n?)+)/.exec(section.text);
    if (!paragraph?.[1] || paragraph[1].trim().length < 20) continue;
    const offset = section.text.slice(0, paragraph.index).split('\n').length - 1;
    const startLine =
      section.startLine +
      (section.heading === '' ? 0 : 1) +
      offset +
      (paragraph[0].startsWith('\n') ? 1 : 0);
    const lineCount = paragraph[1].trimEnd().split('\n').length;
    out.push({
      module: '',
      kind: 'purpose',
      key: `readme:${file}`,
      text: firstSentence(paragraph[1]),
      citations: [{ file, startLine, endLine: startLine + lineCount - 1 }],
      source: 'readme',
    });
    break;
  }
  const owners = new Map<string, number>();
  for (const names of modules.values())
    for (const n of new Set(names)) owners.set(n, (owners.get(n) ?? 0) + 1);
  for (const [module, names] of modules) {
    const stem = module.replace(/\.[cm]?[jt]sx?$/, '');
    const distinctive = names.filter(
      (n) => n.length >= 4 && owners.get(n) === 1 && n !== 'default',
    );
    const section = sections.find(
      (s) =>
        s.heading !== '' &&
        (s.text.includes(module) ||
          s.text.includes(`${stem}.`) ||
          distinctive.some((n) => s.text.includes(`\`${n}\``) || s.text.includes(`\`${n}(`))),
    );
    if (!section) continue;
    out.push({
      module,
      kind: 'purpose',
      key: `readme:${file}`,
      text: `described in ${file}, section "${section.heading}"`,
      citations: [{ file, startLine: section.startLine, endLine: section.endLine }],
      source: 'readme',
    });
  }
  return out;
}

/** Why an LLM-written fact was refused. */
export interface FactRejection {
  reason: 'unknown-identifier' | 'unknown-path' | 'empty';
  detail: string;
}

const BACKTICKED = /`([^`\n]+)`/g;
const CODE_LIKE =
  /\b(?:[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*|[a-z0-9]+_[a-z0-9_]+)\b/g;
/** Product names that look like code but are prose. */
const PROSE_WORDS = new Set([
  'JavaScript',
  'TypeScript',
  'GitHub',
  'GitLab',
  'NodeJS',
  'WebSocket',
  'PostgreSQL',
  'MySQL',
  'SQLite',
  'YouTube',
  'macOS',
  'iOS',
  'OAuth',
  'GraphQL',
  'OpenAI',
  'npm',
]);
const PATH_LIKE = /(?:^|[\s(`'"])((?:\.{0,2}\/)?(?:[\w@.-]+\/)+[\w@.-]+\.[A-Za-z]{1,5})\b/g;

/**
 * Pure: checks an LLM-written fact against the code it cites. Every identifier it names (code
 * spans, camelCase, PascalCase and snake_case words) must occur as a word in `code`; every path it
 * names must be one of `paths`. Returns the first failure, or undefined when it holds.
 */
export function validateLlmFact(
  text: string,
  code: string,
  paths: ReadonlySet<string>,
): FactRejection | undefined {
  if (text.trim() === '') return { reason: 'empty', detail: 'no text' };
  const words = new Set(code.match(/[A-Za-z_$][\w$]*/g) ?? []);
  const isPath = (token: string) => /\//.test(token) && /\.[A-Za-z]{1,5}$/.test(token);
  const pathKnown = (token: string) => paths.has(token.replace(/^\.\//, ''));
  for (const match of text.matchAll(PATH_LIKE)) {
    const token = match[1]!;
    if (!pathKnown(token)) return { reason: 'unknown-path', detail: token };
  }
  const identifiers = new Set<string>();
  for (const match of text.matchAll(BACKTICKED)) {
    const span = match[1]!.trim();
    if (isPath(span)) {
      if (!pathKnown(span)) return { reason: 'unknown-path', detail: span };
      continue;
    }
    for (const id of span.match(/[A-Za-z_$][\w$]*/g) ?? []) identifiers.add(id);
  }
  const prose = text.replace(BACKTICKED, ' ');
  for (const match of prose.replace(PATH_LIKE, ' ').matchAll(CODE_LIKE)) identifiers.add(match[0]);
  for (const id of identifiers) {
    if (!words.has(id) && !PROSE_WORDS.has(id)) return { reason: 'unknown-identifier', detail: id };
  }
  return undefined;
}
