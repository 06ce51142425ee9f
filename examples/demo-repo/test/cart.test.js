import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cartTotal, countItems, describeCart } from '../src/cart.js';

const items = [
  { sku: 'apple', price: 2, quantity: 3, category: 'food' },
  { sku: 'lamp', price: 150, quantity: 1 },
  { sku: 'gift', price: 0, quantity: 1 },
];

test('cartTotal applies region, membership, coupons and express', () => {
  assert.equal(cartTotal(items), 156);
  assert.equal(cartTotal(items, undefined, false, 'EU'), 184.92);
  assert.equal(cartTotal(items, 'HALF', true, 'US', true), 89.25);
  assert.equal(cartTotal(items, 'TENOFF'), 146);
  assert.equal(cartTotal([{ sku: 'caviar', price: 200, quantity: 1, category: 'food' }], '', false, 'US'), 210);
});

test('describeCart lists items', () => {
  assert.equal(describeCart(items), 'apple: $6.00\nlamp: $150.00\ngift: free');
});

test('countItems', () => {
  assert.equal(countItems(items), 5);
});
