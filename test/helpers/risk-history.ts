import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const DAY = 86_400;

/** A function of `branches` if-statements: cognitive complexity the scanner measures. */
function branchy(name: string, branches: number): string {
  const body = Array.from({ length: branches }, (_, i) => `  if (a > ${i}) b += ${i};`).join('\n');
  return `export function ${name}(a: number): number {\n  let b = 0;\n${body}\n  return b;\n}\n`;
}

export interface RiskHistoryOptions {
  /**
   * When true, the bug fixes move in the last `shiftDays` from the small, simple files that were
   * fixed all along to the large, complex, churning files: a model trained on the past ranks the
   * wrong files, while churn x complexity, which learns nothing, ranks the right ones.
   */
  shift: boolean;
  shiftDays?: number;
  days?: number;
}

/**
 * A git repository whose history has a known answer for defect risk, written with
 * `git fast-import` (real commits, real trees, dated over `days` ending now):
 * - `src/simple{0..3}.ts`: small, no branches, rarely changed, yet fixed again and again;
 * - `src/complex{0..3}.ts`: functions full of branches, changed every few days, never fixed
 *   (until the shift, when they are the files that get fixed);
 * - `src/quiet{0..3}.ts`: small and quiet, never fixed.
 * The model learns "fixed before, fixed again"; churn x complexity ranks the complex files first.
 */
export async function makeRiskHistory(options: RiskHistoryOptions): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'beast-risk-history-'));
  const days = options.days ?? 540;
  const shiftFrom = days - (options.shiftDays ?? 85);
  const start = Math.floor(Date.now() / 1000) - days * DAY - DAY;
  const files = new Map<string, string[]>();
  for (let i = 0; i < 4; i++) {
    files.set(`src/simple${i}.ts`, [`export const simple${i} = ${i};\n`]);
    files.set(`src/complex${i}.ts`, [branchy(`complex${i}`, 3)]);
    files.set(`src/quiet${i}.ts`, [`export const quiet${i} = ${i};\n`]);
  }
  const parts: string[] = [];
  let mark = 0;
  const commit = (day: number, message: string, touched: string[]): void => {
    mark++;
    const time = start + Math.round(day * DAY);
    parts.push(
      `commit refs/heads/main\nmark :${mark}\ncommitter Dev <dev@example.com> ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`,
    );
    for (const file of touched) {
      const body = (files.get(file) ?? []).join('');
      parts.push(`M 644 inline ${file}\ndata ${Buffer.byteLength(body)}\n${body}`);
    }
    parts.push('\n');
  };
  commit(0, 'initial modules', [...files.keys()]);
  for (let k = 1; day(k) < days; k++) {
    const d = day(k);
    const shifted = options.shift && d >= shiftFrom;
    // Features grow the complex files: more branches, more lines.
    const grown = `src/complex${k % 4}.ts`;
    files.get(grown)?.push(branchy(`feature${k}`, 2 + (k % 4)));
    commit(d, `feat: feature ${k}`, [grown]);
    // A fix of a simple file rewrites its newest line; of a complex one, adds a guard.
    const fixed = shifted ? `src/complex${(k + 1) % 4}.ts` : `src/simple${k % 4}.ts`;
    const lines = files.get(fixed) ?? [];
    if (shifted) lines.push(branchy(`guard${k}`, 1));
    else lines[lines.length - 1] = `export const fixed${k} = ${k};\n`;
    commit(d + 1, `fix: wrong value in ${path.basename(fixed)} (${k})`, [fixed]);
    if (k % 6 === 0) {
      const quiet = `src/quiet${(k / 6) % 4}.ts`;
      files.get(quiet)?.push(`export const q${k} = ${k};\n`);
      commit(d + 2, `chore: constant ${k}`, [quiet]);
    }
  }
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: parts.join('') });
  execFileSync('git', ['checkout', '-q', 'main'], { cwd: dir });
  return dir;
}

/** Every fifth day, a feature and the next day a fix. */
function day(k: number): number {
  return k * 5;
}
