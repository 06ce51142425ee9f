import { describe, expect, it } from 'vitest';
import { JsoncError, parseJsonc } from './jsonc.js';

describe('parseJsonc', () => {
  it.each([
    '{}',
    '[]',
    '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"], "b": {"c": {}}}',
    '"s"',
    '0',
  ])('reads %s as JSON.parse does', (text) => {
    expect(parseJsonc(text)).toEqual(JSON.parse(text));
  });

  it('reads comments and trailing commas', () => {
    const text = `\uFEFF// top
{
  /* block
     comment */ "rules": { "a": "off", }, // trailing
  "list": [1, 2,],
  "url": "http://x//y /* not a comment */",
}
`;
    expect(parseJsonc(text)).toEqual({
      rules: { a: 'off' },
      list: [1, 2],
      url: 'http://x//y /* not a comment */',
    });
  });

  it('keeps "__proto__" a plain key', () => {
    const value = parseJsonc('{"__proto__": {"polluted": 1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected , or }'],
    ['{\n  "a": }', 2, 8, 'unexpected "}"'],
    ['{"a": 1', 1, 8, 'unexpected end of file'],
    ['{a: 1}', 1, 2, 'expected a "quoted" key or }'],
    ['/* open', 1, 1, 'unterminated comment'],
    ['{} x', 1, 4, 'unexpected text after the end'],
    ['[1,,]', 1, 4, 'unexpected ","'],
    ['"tab\there"', 1, 1, 'invalid or unterminated string'],
    ['['.repeat(100_000), 1, 258, 'nested more than 256 deep'],
  ])('refuses %j at %i:%i', (text, line, column, message) => {
    let error: unknown;
    try {
      parseJsonc(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsoncError);
    expect(error).toMatchObject({ line, column, message });
  });
});
