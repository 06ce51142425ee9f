import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUser, displayName } from '../src/users.js';

test('findUser finds by id', () => {
  assert.deepEqual(findUser([{ id: 1 }, { id: 2 }], 2), { id: 2 });
  assert.equal(findUser([], 1), null);
});

test('displayName falls back to anonymous', () => {
  assert.equal(displayName({ profile: { name: 'Ada' } }), 'Ada');
  assert.equal(displayName(undefined), 'anonymous');
});
