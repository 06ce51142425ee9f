import { open, realpath } from 'node:fs/promises';

async function isNodeScript(path: string): Promise<boolean> {
  if (/\.[cm]?js$/.test(path)) return true;
  const file = await open(path, 'r').catch(() => undefined);
  if (file === undefined) return false;
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(128), 0, 128, 0);
    return /^#!.*\bnode\b/.test(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await file.close();
  }
}

/**
 * How to start a `node_modules/.bin` entry: when it is a Node script (the usual symlink to a
 * package's JS file), `node` (our own by default) with `nodeArgs` and the script, which needs no
 * shebang, PATH lookup or shell; otherwise the entry itself, and `nodeArgs` cannot apply.
 */
export async function resolveBin(
  bin: string,
  nodeArgs: readonly string[],
  node: string = process.execPath,
): Promise<{ command: string; args: string[] }> {
  const target = await realpath(bin).catch(() => bin);
  if (await isNodeScript(target)) return { command: node, args: [...nodeArgs, target] };
  return { command: bin, args: [] };
}
