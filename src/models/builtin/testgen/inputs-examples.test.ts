import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../../../fixes/gate/testing.js';
import { findExamples } from './inputs-examples.js';

let fixture: Fixture;

beforeAll(async () => {
  fixture = await createFixture(
    {
      'package.json': { name: '@scope/to-ms' },
      'README.md': [
        '# to-ms',
        '```js',
        "const convert = require('@scope/to-ms');",
        "convert('2 days');",
        "toMs('1h', { long: true });",
        'toMs(someVariable);',
        "format(1000, (n) => n + 'ms');",
        '```',
        '```sh',
        "npm install toMs('ignored')",
        '```',
      ].join('\n'),
      'index.js': [
        '/**',
        ' * @example',
        ' * format(5, { short: true });',
        ' */',
        'module.exports = function toMs(s) { return s; };',
      ].join('\n'),
    },
    { nodeModules: false },
  );
});

afterAll(async () => {
  await fixture.remove();
});

describe('findExamples', () => {
  it('reads calls with standalone arguments from README blocks and JSDoc examples', () => {
    const examples = findExamples(
      `${fixture.root}/index.js`,
      fixture.root,
      fixture.read('index.js'),
    );
    // `convert` is bound to the package's default import; `toMs` is the package's name.
    expect(examples.default).toEqual([["'2 days'"], ["'1h'", '{ long: true }']]);
    expect(examples.format).toEqual([
      ['5', '{ short: true }'],
      ['1000', "(n) => n + 'ms'"],
    ]);
    // A call with a name of the snippet's own is no example; shell blocks are not read.
    expect(JSON.stringify(examples)).not.toContain('someVariable');
    expect(JSON.stringify(examples)).not.toContain('ignored');
  });
});
