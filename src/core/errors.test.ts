import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, describeError, describeNativeModuleError } from './errors.js';

/** Node's own message for an addon built for another ABI, as Node 22 words it. */
const ABI_MESSAGE = `The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'
was compiled against a different Node.js version using
NODE_MODULE_VERSION 115. This version of Node.js requires
NODE_MODULE_VERSION 127. Please try re-compiling or re-installing
the module (for instance, using \`npm rebuild\` or \`npm install\`).`;

function dlopenError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_DLOPEN_FAILED' });
}

describe('describeError', () => {
  it('keeps the first line of an ordinary error', () => {
    expect(describeError(new Error('first\nsecond'))).toBe('first');
    expect(describeError('text')).toBe('text');
  });

  it('names the package, both ABIs and the fix for an addon built for another Node', () => {
    expect(describeError(dlopenError(ABI_MESSAGE))).toBe(
      `better-sqlite3 was built for Node ABI 115 (Node 20) but this is Node ${process.versions.node} (ABI 127): run \`npm rebuild better-sqlite3\` with this Node`,
    );
  });

  it('keeps the cause under a wrapper, whether or not the wrapper quoted it', () => {
    const cause = dlopenError(ABI_MESSAGE);
    const native = describeNativeModuleError(cause)!;
    const quoted = new InputError(`cannot open store x.db: ${describeError(cause)}`, { cause });
    expect(describeError(quoted)).toBe(`cannot open store x.db: ${native}`);
    const bare = new Error(`cannot open store x.db: ${cause.message}`, { cause });
    expect(describeError(bare)).toBe(
      `cannot open store x.db: The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node': ${native}`,
    );
  });

  it('describes a real dlopen failure by its package', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'beast-native-'));
    const file = path.join(root, 'node_modules/@scope/addon/build/addon.node');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'not a shared object');
    let thrown: unknown;
    try {
      process.dlopen({ exports: {} }, file);
    } catch (error) {
      thrown = error;
    }
    expect(describeError(thrown)).toMatch(
      /^@scope\/addon does not load: .*addon\.node: (invalid ELF header|file too short): run `npm rebuild @scope\/addon`$/,
    );
  });

  it('says which binding is missing when napi-rs found none', () => {
    const tried = new Error("Cannot find module '@oxc-parser/binding-linux-x64-gnu'", {
      cause: new Error("Cannot find module './parser.linux-x64-gnu.node'"),
    });
    const error = new Error('Cannot find native binding. npm has a bug …', { cause: tried });
    expect(describeError(error)).toBe(
      'a native binding is missing (@oxc-parser/binding-linux-x64-gnu): reinstall the dependencies (npm install) on this platform',
    );
    const failed = new Error('Cannot find native binding. npm has a bug …', {
      cause: dlopenError(
        '/x/node_modules/@oxc-parser/binding-linux-x64-gnu/parser.node: invalid ELF header',
      ),
    });
    expect(describeError(failed)).toBe(
      '@oxc-parser/binding-linux-x64-gnu does not load: /x/node_modules/@oxc-parser/binding-linux-x64-gnu/parser.node: invalid ELF header: run `npm rebuild @oxc-parser/binding-linux-x64-gnu`',
    );
  });

  it('names the package whose bindings file is missing', () => {
    const error = new Error(
      'Could not locate the bindings file. Tried:\n → /app/node_modules/better-sqlite3/build/better_sqlite3.node',
    );
    expect(describeError(error)).toBe(
      `better-sqlite3 is not built for this Node (${process.versions.node}; no .node file): run \`npm rebuild better-sqlite3\``,
    );
  });
});
