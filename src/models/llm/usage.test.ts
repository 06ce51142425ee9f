import { describe, expect, it } from 'vitest';
import { checkUsage } from './usage.js';

const BOUNDS = { inputTokens: 1000, outputTokens: 200 };

describe('checkUsage', () => {
  it.each([
    [100, 50],
    [0, 0],
    [1000, 200],
  ])('believes input %d, output %d', (inputTokens, outputTokens) => {
    expect(checkUsage({ inputTokens, outputTokens }, BOUNDS)).toEqual({
      inputTokens,
      outputTokens,
    });
  });

  it.each([
    ['negative input', -5_000_000, 50, /impossible token usage .*input -5000000 of at most 1000/],
    ['negative output', 100, -1, /output -1 of at most 200/],
    ['input beyond the prompt', 1001, 50, /impossible/],
    ['output beyond the allowance', 100, 201, /impossible/],
    ['huge', 1e15, 1e15, /impossible/],
    ['NaN', Number.NaN, 50, /input NaN/],
    ['infinite', Number.POSITIVE_INFINITY, 50, /impossible/],
    ['fractional', 10.5, 50, /impossible/],
    ['one missing', undefined, 50, /input none/],
    ['both missing', undefined, undefined, /^no token usage reported/],
  ])('charges the bounds for %s usage', (_name, inputTokens, outputTokens, anomaly) => {
    const checked = checkUsage({ inputTokens, outputTokens }, BOUNDS);
    expect(checked.inputTokens).toBe(1000);
    expect(checked.outputTokens).toBe(200);
    expect(checked.anomaly).toMatch(anomaly);
  });
});
