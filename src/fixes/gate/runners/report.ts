import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParsedReport, TestFailure, TestOutcome } from './types.js';

/** Title of the entry that stands for a whole test file (it failed to load, or a file hook failed). */
export const FILE_TITLE = '(file)';

/** First title of entries that stand for the whole run (an exit code, an uncaught error). */
export const RUN_TITLE = '(run)';

const MAX_MESSAGE = 2000;

/**
 * Collects per-test results into stable ids: `file > outer title > inner title`, the file relative
 * to the working folder with `/` separators. A repeated id gets ` #2`, ` #3` in order of appearance.
 */
export class ReportBuilder {
  private readonly tests: Record<string, TestOutcome> = {};
  private readonly files = new Set<string>();
  private readonly failures: TestFailure[] = [];
  private readonly seen = new Map<string, number>();

  private constructor(private readonly roots: string[]) {}

  /** A builder whose files are made relative to `cwd` (as given and with symlinks resolved). */
  static async create(cwd: string): Promise<ReportBuilder> {
    const real = await realpath(cwd).catch(() => cwd);
    return new ReportBuilder(real === cwd ? [cwd] : [cwd, real]);
  }

  /** The file's path relative to the working folder, or undefined for no file. */
  file(path: string | undefined): string | undefined {
    if (path === undefined || path === '') return undefined;
    if (path.startsWith('file://')) path = fileURLToPath(path);
    if (!isAbsolute(path)) return path.split(sep).join('/');
    const inside = this.roots
      .map((root) => relative(root, path))
      .find((rel) => !rel.startsWith('..') && !isAbsolute(rel));
    return (inside ?? path).split(sep).join('/');
  }

  /** Records a file as covered by the run even when it reported no test. */
  addFile(path: string | undefined): void {
    const file = this.file(path);
    if (file !== undefined) this.files.add(file);
  }

  add(path: string | undefined, titles: string[], outcome: TestOutcome, message = ''): void {
    const file = this.file(path);
    if (file !== undefined) this.files.add(file);
    const base = [...(file === undefined ? [] : [file]), ...titles].join(' > ');
    const count = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, count);
    const id = count === 1 ? base : `${base} #${count}`;
    this.tests[id] = outcome;
    if (outcome === 'fail') this.failures.push({ id, message: message.slice(0, MAX_MESSAGE) });
  }

  build(): ParsedReport {
    return { tests: this.tests, files: [...this.files].sort(), failures: this.failures };
  }
}

/** Reads and parses a JSON report file; undefined when it is missing or not JSON. */
export async function readJsonReport(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Narrowing helpers for reports we did not write. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
