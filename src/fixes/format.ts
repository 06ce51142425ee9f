import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TextEdit } from '../core/index.js';
import { hasPrettierConfig, loadPrettier } from './formatters/prettier.js';
import { BIOME, DPRINT, findConfigFile, loadStdinFormatter, OXFMT } from './formatters/stdin.js';
import type { LoadedFormatter } from './formatters/types.js';

export type { Formatter, LoadedFormatter } from './formatters/types.js';

/** A formatter the repository may use: whether it is configured, and how to load it. */
interface FormatterKind {
  title: string;
  /** How the repository's scripts name it: they decide between two configured formatters. */
  command: RegExp;
  /** The config that says the repository uses it, or undefined. */
  config(root: string): string | undefined;
  load(root: string, config: string): Promise<LoadedFormatter>;
}

/** Formatters in the order they are tried when the scripts do not say which one is used. */
const FORMATTERS: readonly FormatterKind[] = [
  {
    title: 'Prettier',
    command: /\bprettier\b/,
    // Prettier without a config file formats with its defaults: a script that runs it says so.
    config: (root) =>
      hasPrettierConfig(root)
        ? 'Prettier config'
        : /\bprettier\b/.test(scriptsOf(root))
          ? 'Prettier defaults (its scripts run Prettier without a config)'
          : undefined,
    load: (root) => loadPrettier(root),
  },
  ...[BIOME, DPRINT, OXFMT].map((kind): FormatterKind => ({
    title: kind.title,
    command: new RegExp(`\\b${kind.bin}\\b`),
    config: (root) => findConfigFile(root, kind),
    load: (root, config) => loadStdinFormatter(root, kind, config),
  })),
];

/** What the improve report says when changes are not formatted by a formatter. */
export const FOLLOWS_FILE_STYLE = "built-in fixes follow each file's own style";

function scriptsOf(root: string): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts?: Record<string, unknown>;
    };
    return Object.values(pkg.scripts ?? {})
      .filter((s) => typeof s === 'string')
      .join('\n');
  } catch {
    return '';
  }
}

/**
 * The repository's own formatter, chosen by its config files (Prettier, Biome, dprint, oxfmt;
 * when several are configured, the ones its package.json scripts run first), or the reason there
 * is none. Each runs in a sandboxed process of its own (see `runProcess`), never in ours: its
 * config may be the repository's code.
 */
export async function loadFormatter(root: string): Promise<LoadedFormatter> {
  const scripts = scriptsOf(root);
  const configured = FORMATTERS.flatMap((kind) => {
    const config = kind.config(root);
    return config === undefined ? [] : [{ kind, config }];
  }).sort((a, b) => Number(b.kind.command.test(scripts)) - Number(a.kind.command.test(scripts)));
  if (configured.length === 0) {
    return {
      reason: `no formatter configured (Prettier, Biome, dprint, oxfmt); ${FOLLOWS_FILE_STYLE}`,
    };
  }
  const reasons: string[] = [];
  for (const { kind, config } of configured) {
    const loaded = await kind.load(root, config);
    if ('formatter' in loaded) return loaded;
    reasons.push(loaded.reason);
  }
  return { reason: `${reasons.join('; ')}; ${FOLLOWS_FILE_STYLE}` };
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
