import { describe, expect, it } from 'vitest';
import { codeTokens, queryTokens, splitIdentifier } from './tokenize.js';

describe('splitIdentifier', () => {
  it.each([
    ['parseHTTPResponse2', ['parse', 'http', 'response', '2']],
    ['XMLHttpRequest', ['xml', 'http', 'request']],
    ['snake_case_name', ['snake', 'case', 'name']],
    ['kebab-case', ['kebab', 'case']],
    ['$el', ['el']],
    ['MAX_SIZE', ['max', 'size']],
    ['utf8Decode', ['utf', '8', 'decode']],
    ['x', ['x']],
  ])('%s', (identifier, parts) => {
    expect(splitIdentifier(identifier)).toEqual(parts);
  });
});

describe('codeTokens and queryTokens', () => {
  it('keep the parts and the whole identifier', () => {
    expect(codeTokens('getUser(id)')).toEqual(['get', 'user', 'getuser', 'id']);
  });

  it('leave stopwords out of queries only', () => {
    expect(queryTokens('Returns the user for an id')).toEqual(['returns', 'user', 'id']);
    expect(codeTokens('the user')).toEqual(['the', 'user']);
    expect(queryTokens('the of and')).toEqual([]);
  });
});
