import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextEdit } from './edits.js';

/** What we use of Prettier's API (3.x): it is loaded from the repository, never bundled. */
interface PrettierApi {
  version: string;
  format(source: string, options: Record<string, unknown>): Promise<string>;
  check(source: string, options: Record<string, unknown>): Promise<boolean>;
  resolveConfig(file: string): Promise<Record<string, unknown> | null>;
  getFileInfo(file: string, options?: Record<string, unknown>): Promise<{ ignored: boolean }>;
}

/** The repository's own formatter, applied to changed code so changes match its style. */
export interface Formatter {
  readonly name: string;
  /**
   * `proposed` formatted as the repository formats `file`, or `proposed` unchanged when the file
   * is ignored by the formatter or `original` was not formatted to begin with (we never reformat
   * code the user did not format).
   */
  format(file: string, original: string, proposed: string): Promise<string>;
}

const CONFIG_FILES =
  /^(\.prettierrc(\.(json5?|ya?ml|toml|[cm]?[jt]s))?|prettier\.config\.[cm]?[jt]s)$/;

function hasPrettierConfig(root: string): boolean {
  if (readdirSync(root).some((name) => CONFIG_FILES.test(name))) return true;
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      prettier?: unknown;
    };
    return pkg.prettier !== undefined;
  } catch {
    return false;
  }
}

/**
 * Prettier from the repository's own dependencies, when it has both Prettier installed and a
 * Prettier config; otherwise the reason there is none.
 */
export async function loadFormatter(
  root: string,
): Promise<{ formatter: Formatter } | { reason: string }> {
  if (!hasPrettierConfig(root)) return { reason: 'no Prettier config' };
  let entry: string;
  try {
    entry = createRequire(path.join(root, 'package.json')).resolve('prettier');
  } catch {
    return { reason: 'a Prettier config, but Prettier is not installed' };
  }
  const prettier = (await import(pathToFileURL(entry).href)) as PrettierApi & {
    default?: PrettierApi;
  };
  const api: PrettierApi = typeof prettier.format === 'function' ? prettier : prettier.default!;
  if (typeof api.check !== 'function') return { reason: 'an unsupported Prettier version' };
  return {
    formatter: {
      name: `Prettier ${api.version}`,
      async format(file, original, proposed) {
        const filepath = path.join(root, file);
        if (!existsSync(filepath)) return proposed;
        const info = await api.getFileInfo(filepath, { resolveConfig: true });
        if (info.ignored) return proposed;
        const options = { ...(await api.resolveConfig(filepath)), filepath };
        if (!(await api.check(original, options))) return proposed;
        try {
          return await api.format(proposed, options);
        } catch {
          // Code Prettier cannot parse is left for the gate's parse check to reject.
          return proposed;
        }
      },
    },
  };
}

/** The smallest single edit that turns `before` into `after`: common prefix and suffix stay. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const limit = Math.min(before.length, after.length);
  while (start < limit && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < limit - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  ) {
    end++;
  }
  return {
    start,
    end: before.length - end,
    text: after.slice(start, after.length - end),
  };
}
