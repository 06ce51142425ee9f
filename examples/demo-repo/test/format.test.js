import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPercent, formatPrice, isFree, priceTag } from '../src/format.js';

test('formats prices and percentages', () => {
  assert.equal(formatPrice(3), '$3.00');
  assert.equal(formatPercent(0.125), '12.5%');
});

test('isFree', () => {
  assert.equal(isFree(0), true);
  assert.equal(isFree(1), false);
});

test('priceTag', () => {
  assert.deepEqual(priceTag('tea', 2.5), { label: 'tea', text: 'tea: $2.50' });
});
