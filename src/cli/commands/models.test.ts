import { describe, expect, it } from 'vitest';
import { formatUsd } from './models.js';

describe('formatUsd', () => {
  it.each([
    [0, '$0.0000'],
    [0.0123, '$0.0123'],
    [0.00002, '$2.0e-5'],
    [-0.00002, '-$2.0e-5'],
    [12.5, '$12.5000'],
    [33_000_000, '$33,000,000'],
    [-33_000_000, '-$33,000,000'],
    [2e9, '$2,000,000,000'],
    [2e15, '$2.00e+15'],
    [Number.NaN, '$NaN'],
  ])('shows %d as %s', (value, shown) => {
    expect(formatUsd(value)).toBe(shown);
  });
});
