import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The parts of package.json the gate reads. */
export interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Reads `root/package.json`; a reason when there is none or it is not a JSON object. */
export async function readPackageJson(
  root: string,
): Promise<{ pkg: PackageJson } | { reason: string }> {
  const text = await readFile(join(root, 'package.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return { reason: 'no package.json' };
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      return { pkg: json as PackageJson };
    }
    return { reason: 'package.json is not an object' };
  } catch (error) {
    return { reason: `package.json is not valid JSON: ${(error as Error).message}` };
  }
}
