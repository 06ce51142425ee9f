/** A file path as a glob that matches only itself: glob characters escaped. Pure. */
export function globLiteral(path: string): string {
  return path.replace(/[\\*?[\]{}()!+@]/g, (c) => `\\${c}`);
}
