import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUser, displayName, isAdmin } from '../src/users.js';

test('findUser finds by id', () => {
  assert.deepEqual(findUser([{ id: 1 }, { id: 2 }], 2), { id: 2 });
  assert.equal(findUser([], 1), null);
});

test('displayName falls back to anonymous', () => {
  assert.equal(displayName({ profile: { name: 'Ada' } }), 'Ada');
  assert.equal(displayName({ profile: {} }), 'anonymous');
  assert.equal(displayName(undefined), 'anonymous');
});

test('isAdmin', () => {
  assert.equal(isAdmin({ admin: true }), true);
  assert.equal(isAdmin({}), false);
  assert.equal(isAdmin(undefined), false);
});
