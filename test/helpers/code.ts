/**
 * A function of about a dozen lines, the same whatever its name: two copies under different names
 * make one clone for the duplication rule.
 */
export const loop = (name: string) => `
export function ${name}(items: number[], limit: number): number[] {
  const out: number[] = [];
  for (const item of items) {
    if (item > limit) {
      out.push(item * 2);
    } else if (item === limit) {
      out.push(item + 2);
    } else {
      out.push(item - 2);
    }
  }
  return out.filter((x) => x % 2 === 0).map((x) => x / 2);
}
`;
