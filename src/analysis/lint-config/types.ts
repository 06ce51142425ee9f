import type { RuleSetting } from '../../core/index.js';
import type { EslintOptions } from './names.js';

/** The linters whose configuration is read. */
export type LinterKind = 'eslint' | 'biome' | 'oxlint' | 'xo';

/** One rule's state in another linter's configuration. */
export interface TheirSetting {
  on: boolean;
  /** As ESLint writes them after the severity (Biome's are converted when read). */
  options: EslintOptions;
}

/**
 * A block of another linter's configuration: rules for the files it applies to, later blocks over
 * earlier ones (ESLint's `overrides`, Biome's and oxlint's `overrides`).
 */
export interface LintLayer {
  /**
   * Repository-relative globs, each list any-of, every list must match (a nested override lies
   * within its parent's); absent: every file.
   */
  files?: string[][];
  /** Globs of files the block does not apply to. */
  ignores?: string[];
  /** By the linter's own rule name. */
  rules: Record<string, TheirSetting>;
}

/** One configuration file, as read. */
export interface LintSource {
  linter: LinterKind;
  /** Repository-relative path of the config file (`package.json#xo` for a key in it). */
  file: string;
  /** Read without running anything: its blocks in order. */
  layers?: LintLayer[];
  /** Asked of the linter itself: each file's rules; a file absent was not configured by it. */
  perFile?: ReadonlyMap<string, Readonly<Record<string, TheirSetting>>>;
  /** What the reader could not take into account (an `extends` it does not follow). */
  notes: string[];
}

/** A config file that was found but not used, and why. */
export interface LintNotRead {
  file: string;
  reason: string;
}

/**
 * Project lint configuration as BEAST MODE config: rule settings for the files they apply to, in
 * the shape of config `overrides` (`files` are exact repository-relative paths, or `**` for all).
 */
export interface LintConfigLayer {
  files: string[];
  rules: Record<string, RuleSetting>;
}
