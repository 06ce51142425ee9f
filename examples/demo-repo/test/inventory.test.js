import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadStock,
  receiveShipment,
  release,
  reserve,
  restock,
  stockLabel,
} from '../src/inventory.js';

const fresh = () => [{ sku: 'a', available: 5, reserved: 1 }];

test('reserve and release', () => {
  const stock = fresh();
  assert.equal(reserve(stock, 'a', 4), true);
  assert.equal(reserve(stock, 'a', 1), false);
  assert.equal(reserve(stock, 'zz', 1), false);
  assert.equal(release(stock, 'a', 2), true);
  assert.equal(release(stock, 'a', 9), false);
  assert.equal(release(stock, 'zz', 1), false);
});

test('loadStock tolerates bad input', () => {
  assert.deepEqual(loadStock('[{"sku":"a","available":1,"reserved":0}]'), [
    { sku: 'a', available: 1, reserved: 0 },
  ]);
  assert.deepEqual(loadStock('not json'), []);
});

test('restock and receiveShipment cap at 1000', () => {
  assert.deepEqual(restock(fresh(), 'a', 2000), [{ sku: 'a', available: 1000, reserved: 1 }]);
  assert.deepEqual(receiveShipment(fresh(), 'a', 3), [{ sku: 'a', available: 8, reserved: 1 }]);
  assert.deepEqual(receiveShipment(fresh(), 'b', 3), fresh());
});

test('stockLabel', () => {
  assert.equal(stockLabel({ sku: 'a', available: 0, reserved: 0 }, 'w1'), 'w1/a');
  assert.equal(stockLabel({ sku: 'a', available: 0, reserved: 0 }), 'a (sold out)');
  assert.equal(stockLabel({ sku: 'a', available: 2, reserved: 0 }), 'a');
});
