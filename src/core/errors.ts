/** Base class of every error BEAST MODE raises on purpose; `code` is stable and machine-readable. */
export class BeastError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The configuration file or a flag or environment value is invalid. */
export class ConfigError extends BeastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

/** The user's input is unusable: a missing path, an unreadable file, a bad git ref. */
export class InputError extends BeastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, options);
  }
}

/** A model provider failed; `isRetryable` tells the router whether to try again. */
export class ProviderError extends BeastError {
  readonly isRetryable: boolean;
  constructor(message: string, isRetryable: boolean, options?: { cause?: unknown }) {
    super('provider', message, options);
    this.isRetryable = isRetryable;
  }
}

/** A proposed change could not be validated. */
export class ValidationError extends BeastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('validation', message, options);
  }
}

/**
 * One-line description of any thrown value, for the CLI boundary. A native module that failed to
 * load is described by what failed and how to fix it: Node's own message puts the cause (the ABI
 * mismatch, the missing file) on later lines, which the first line alone would lose.
 */
export function describeError(error: unknown): string {
  const first =
    error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
  const native = describeNativeModuleError(error);
  if (native === undefined) return first;
  // A wrapper (`cannot open store x: …`) keeps its own words; the failure itself is replaced.
  const wrapper =
    error instanceof Error &&
    !error.message.startsWith(NAPI_MISSING) &&
    describeNativeModuleError(error.cause) !== undefined;
  if (!wrapper) return native;
  return first.includes(native) ? first : `${first}: ${native}`;
}

/** Node's major release for each native-module ABI (`process.versions.modules`). */
const NODE_OF_ABI: Readonly<Record<string, string>> = {
  '93': '16',
  '102': '17',
  '108': '18',
  '111': '19',
  '115': '20',
  '120': '21',
  '127': '22',
  '131': '23',
  '137': '24',
  '141': '25',
};

/** The package a native file belongs to: the last `node_modules/<name>` (or `@scope/name`) named. */
function packageOf(text: string): string {
  const names = [...text.matchAll(/node_modules[\\/]((?:@[^\\/\s'"]+[\\/])?[^\\/\s'"]+)/g)];
  return names.at(-1)?.[1]?.replace('\\', '/') ?? 'a native module';
}

function errorChain(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let e = error; e instanceof Error && chain.length < 8; e = e.cause) chain.push(e);
  return chain;
}

/** How napi-rs loaders (oxc-parser's) begin when no binding loaded; each one tried is a cause. */
const NAPI_MISSING = 'Cannot find native binding';

const ABI_MISMATCH =
  /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/;

/** The one line for `e` itself when it is a native module's load failure. */
function nativeProblem(e: Error): string | undefined {
  const message = e.message;
  const abi = ABI_MISMATCH.exec(message);
  const pkg = packageOf(message);
  if (abi) {
    const [, built = '', needed = ''] = abi;
    const builtFor = NODE_OF_ABI[built] ? ` (Node ${NODE_OF_ABI[built]})` : '';
    return `${pkg} was built for Node ABI ${built}${builtFor} but this is Node ${process.versions.node} (ABI ${needed}): run \`npm rebuild ${pkg}\` with this Node`;
  }
  if ((e as NodeJS.ErrnoException).code === 'ERR_DLOPEN_FAILED') {
    return `${pkg} does not load: ${message.split('\n')[0]}: run \`npm rebuild ${pkg}\``;
  }
  if (message.startsWith('Could not locate the bindings file')) {
    return `${pkg} is not built for this Node (${process.versions.node}; no .node file): run \`npm rebuild ${pkg}\``;
  }
  if (message.startsWith(NAPI_MISSING)) {
    // napi-rs chains each binding it tried as a cause: one that exists but fails says more.
    const causes = errorChain(e.cause);
    const loaded = causes.map(nativeProblem).find((line) => line !== undefined);
    if (loaded !== undefined) return loaded;
    const missing = causes
      .map((c) => /Cannot find module '([^']+)'/.exec(c.message)?.[1])
      .find((name) => name !== undefined);
    return `a native binding is missing${missing ? ` (${missing})` : ''}: reinstall the dependencies (npm install) on this platform`;
  }
  return undefined;
}

/**
 * One line for a native module that failed to load (built for another Node, missing, unloadable),
 * naming the package and the fix; undefined for any other error. Looks through `cause`.
 */
export function describeNativeModuleError(error: unknown): string | undefined {
  for (const e of errorChain(error)) {
    const line = nativeProblem(e);
    if (line !== undefined) return line;
  }
  return undefined;
}

/** Whether `error`, or an error it wraps, is a native module that failed to load. */
export function isNativeModuleError(error: unknown): boolean {
  return describeNativeModuleError(error) !== undefined;
}
