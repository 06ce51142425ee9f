import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { testEnvironment } from './process.js';

const PROVIDER = '@vitest/coverage-v8';

/**
 * The custom provider module vitest loads: the v8 provider, renamed `custom`. Vitest hands its
 * workers the provider's name as `coverage.provider`; named `v8`, they would import
 * `@vitest/coverage-v8` by name from where vitest is (the repository, which has none); named
 * `custom`, they load this module again by its path.
 */
const WRAPPER = `import v8 from PROVIDER;
export default {
  ...v8,
  async getProvider() {
    const provider = await v8.getProvider();
    provider.name = 'custom';
    return provider;
  },
};
`;

/** How vitest gets its coverage provider: the repository's own, a module path, or why not. */
export type VitestProvider =
  { module: undefined } | { module: string; how: string } | { reason: string };

interface PackageInfo {
  dir: string;
  version: string;
  dependencies: string[];
}

/** The folder of package `name` as Node resolves it from `from` (node_modules up the tree). */
function findPackage(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

async function readPackage(dir: string): Promise<PackageInfo | undefined> {
  try {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      version?: unknown;
      dependencies?: Record<string, unknown>;
    };
    return {
      dir,
      version: typeof pkg.version === 'string' ? pkg.version : '',
      dependencies: Object.keys(pkg.dependencies ?? {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Copies a package and everything it depends on (as Node resolves them from our node_modules)
 * into `target/node_modules`, flat where names do not clash, nested under the dependent where
 * they do: real files, readable in the sandbox wherever our own install lives.
 */
async function copyClosure(from: string, target: string, skip: ReadonlySet<string>): Promise<void> {
  const placed = new Map<string, string>(); // name -> real folder placed at the top
  const copyInto = async (real: string, where: string, name: string): Promise<void> => {
    const pkg = await readPackage(real);
    if (pkg === undefined) return;
    const dest = join(where, 'node_modules', name);
    await cp(real, dest, {
      recursive: true,
      dereference: true,
      filter: (src) => !src.slice(real.length).split(/[\\/]/).includes('node_modules'),
    });
    for (const dep of pkg.dependencies) {
      if (skip.has(dep)) continue;
      const depReal = findPackage(real, dep);
      if (depReal === undefined) continue;
      const top = placed.get(dep);
      if (top === depReal) continue;
      if (top === undefined) {
        placed.set(dep, depReal);
        await copyInto(depReal, target, dep);
      } else {
        await copyInto(depReal, dest, dep);
      }
    }
  };
  placed.set(PROVIDER, from);
  await copyInto(from, target, PROVIDER);
}

/** Variables npm needs to reach the user's registry; never tokens (`npm_config__authToken`). */
const NPM_VARIABLES =
  /^(https?_proxy|no_proxy|all_proxy|npm_config_(registry|cache|proxy|https_proxy|noproxy|strict_ssl|cafile))$/i;

/** The environment for our `npm install`: the tests' (no secrets) plus the registry's way out. */
function npmEnvironment(): NodeJS.ProcessEnv {
  const env = testEnvironment();
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && NPM_VARIABLES.test(name)) env[name] = value;
  }
  return env;
}

function npmInstall(prefix: string, spec: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      [
        'install',
        '--prefix',
        prefix,
        '--no-save',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--legacy-peer-deps',
        spec,
      ],
      { env: npmEnvironment(), timeout: timeoutMs },
      (error, _stdout, stderr) => {
        if (error === null) resolve(undefined);
        else resolve((stderr.trim().split('\n').at(-1) ?? '') || error.message);
      },
    );
  });
}

const INSTALL_TIMEOUT_MS = 180_000;

/**
 * The coverage provider for a vitest run in `cwd`: the repository's own `@vitest/coverage-v8`
 * when it resolves from there (undefined module); else a temporary copy in `scratch` (our own when
 * its version is the repository's vitest's, else `npm install --prefix` of that version from the
 * registry), whose `vitest` is the repository's (so that one vitest runs), loaded as a custom
 * provider. Nothing is written into the repository.
 */
export async function prepareVitestProvider(cwd: string, scratch: string): Promise<VitestProvider> {
  try {
    return await prepare(cwd, scratch);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { reason: `a temporary ${PROVIDER} could not be prepared: ${message}` };
  }
}

async function prepare(cwd: string, scratch: string): Promise<VitestProvider> {
  if (findPackage(cwd, PROVIDER) !== undefined) return { module: undefined };
  const vitestDir = findPackage(cwd, 'vitest');
  const vitest = vitestDir === undefined ? undefined : await readPackage(vitestDir);
  if (vitest === undefined) return { reason: 'vitest is not installed' };
  const ours = findPackage(dirname(fileURLToPath(import.meta.url)), PROVIDER);
  const ourInfo = ours === undefined ? undefined : await readPackage(ours);
  await mkdir(scratch, { recursive: true });
  let how: string;
  if (ourInfo !== undefined && ourInfo.version === vitest.version) {
    await copyClosure(ourInfo.dir, scratch, new Set(['vitest', '@vitest/browser']));
    how = `${PROVIDER}@${vitest.version} copied from beast's own into a temporary folder (the repository has none)`;
  } else {
    const spec = `${PROVIDER}@${vitest.version}`;
    const failed = await npmInstall(scratch, spec, INSTALL_TIMEOUT_MS);
    if (failed !== undefined) {
      return {
        reason: `the repository has no ${PROVIDER}, and installing ${spec} into a temporary folder failed: ${failed}`,
      };
    }
    how = `${spec} installed from the registry into a temporary folder (the repository has none)`;
  }
  const link = join(scratch, 'node_modules', 'vitest');
  await rm(link, { recursive: true, force: true });
  await symlink(vitest.dir, link, 'dir');
  const provider = join(scratch, 'node_modules', PROVIDER, 'dist', 'index.js');
  if (!existsSync(provider)) return { reason: `the temporary ${PROVIDER} has no dist/index.js` };
  const module = join(scratch, 'beast-vitest-coverage.mjs');
  await writeFile(
    module,
    WRAPPER.replace('PROVIDER', JSON.stringify(pathToFileURL(provider).href)),
  );
  return { module, how };
}
