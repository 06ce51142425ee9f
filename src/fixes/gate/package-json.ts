import { readTextInside } from '../../core/index.js';

/** The parts of package.json the gate reads. */
export interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Reads `root/package.json`; a reason when there is none or it is not a JSON object. A symlink
 * out of the repository counts as none: its target would be read and quoted in the reason.
 */
export async function readPackageJson(
  root: string,
): Promise<{ pkg: PackageJson } | { reason: string }> {
  const text = await readTextInside(root, 'package.json', { followInside: true }).catch(
    () => undefined,
  );
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
