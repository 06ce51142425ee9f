/**
 * Pure reading of package.json scripts: split a script into commands and words as a POSIX shell
 * would (quotes, escapes, `&&`, `||`, `;`, `|`), and peel off what wraps the command that matters
 * (variable assignments, cross-env, npx, c8, nyc).
 */

/** One simple command of a script: its variable assignments, program and arguments. */
export interface ScriptCommand {
  env: Record<string, string>;
  program: string;
  args: string[];
}

const OPERATORS = ['&&', '||', ';', '|', '&'];

interface Lexer {
  text: string;
  i: number;
}

function readQuoted(lexer: Lexer, quote: string): string {
  let out = '';
  lexer.i++;
  while (lexer.i < lexer.text.length && lexer.text[lexer.i] !== quote) {
    const c = lexer.text[lexer.i] ?? '';
    if (quote === '"' && c === '\\' && /["\\$`]/.test(lexer.text[lexer.i + 1] ?? '')) lexer.i++;
    out += lexer.text[lexer.i] ?? '';
    lexer.i++;
  }
  lexer.i++;
  return out;
}

/** Reads one word at `lexer.i`, which is not whitespace and not an operator. */
function readWord(lexer: Lexer): string {
  let word = '';
  while (lexer.i < lexer.text.length) {
    const c = lexer.text[lexer.i] ?? '';
    if (/\s/.test(c) || OPERATORS.some((op) => lexer.text.startsWith(op, lexer.i))) break;
    if (c === "'" || c === '"') {
      word += readQuoted(lexer, c);
    } else if (c === '\\') {
      word += lexer.text[lexer.i + 1] ?? '';
      lexer.i += 2;
    } else {
      word += c;
      lexer.i++;
    }
  }
  return word;
}

/** Splits a script into simple commands, each a list of words. Redirections stay words. */
export function splitScript(text: string): string[][] {
  const lexer: Lexer = { text, i: 0 };
  const commands: string[][] = [[]];
  while (lexer.i < text.length) {
    if (/\s/.test(text[lexer.i] ?? '')) {
      lexer.i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, lexer.i));
    if (op !== undefined) {
      commands.push([]);
      lexer.i += op.length;
      continue;
    }
    commands.at(-1)?.push(readWord(lexer));
  }
  return commands.filter((words) => words.length > 0);
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

/** Programs that run the rest of the line: the words after them (and their options) are the command. */
const WRAPPERS = new Set(['npx', 'bunx', 'cross-env', 'cross-env-shell', 'env', 'c8', 'nyc']);

function basename(program: string): string {
  return program.split(/[\\/]/).at(-1) ?? program;
}

/** Index of the first word after a wrapper's own options (which must use the `--opt=value` form). */
function skipWrapperOptions(words: string[], from: number): number {
  let i = from;
  while (i < words.length && (words[i] ?? '').startsWith('-')) {
    if (words[i] === '--') return i + 1;
    i++;
  }
  return i;
}

function isExecWrapper(words: string[], i: number): boolean {
  const word = words[i];
  return (word === 'pnpm' || word === 'yarn') && words[i + 1] === 'exec';
}

/**
 * Peels variable assignments and wrappers (cross-env, npx, pnpm exec, c8, nyc) off a command.
 * `NODE_ENV=test cross-env TZ=UTC npx jest --ci` becomes `{ env, program: 'jest', args: ['--ci'] }`.
 */
export function unwrapCommand(words: string[]): ScriptCommand | undefined {
  const env: Record<string, string> = {};
  let i = 0;
  while (i < words.length) {
    const word = words[i] ?? '';
    const assignment = ASSIGNMENT.exec(word);
    if (assignment) {
      env[assignment[1] ?? ''] = assignment[2] ?? '';
      i++;
    } else if (WRAPPERS.has(basename(word))) {
      i = skipWrapperOptions(words, i + 1);
    } else if (isExecWrapper(words, i)) {
      i = skipWrapperOptions(words, i + 2);
    } else {
      return { env, program: word, args: words.slice(i + 1) };
    }
  }
  return undefined;
}

/** Splits runner arguments into options (with their values) and positionals. */
export interface ArgSpec {
  /** Options that take a value as the next word when not written `--opt=value`. */
  values: ReadonlySet<string>;
  /** Options to remove, with their value (watch mode, reporters, coverage, snapshot updates). */
  drop: ReadonlySet<string>;
}

export interface SplitArgs {
  options: string[];
  positionals: string[];
}

function optionName(word: string): string {
  const name = word.split('=')[0] ?? word;
  // `--coverage.enabled` is one of `--coverage`'s family for dropping.
  return name.startsWith('--') ? (name.split('.')[0] ?? name) : name;
}

/** Separates options (dropping those in `spec.drop`) from positionals. Pure. */
export function splitArgs(args: readonly string[], spec: ArgSpec): SplitArgs {
  const options: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i] ?? '';
    if (word === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      positionals.push(word);
      continue;
    }
    const name = optionName(word);
    const taken = !word.includes('=') && spec.values.has(name) ? [word, args[++i] ?? ''] : [word];
    if (!spec.drop.has(name)) options.push(...taken.filter((w) => w !== ''));
  }
  return { options, positionals };
}
