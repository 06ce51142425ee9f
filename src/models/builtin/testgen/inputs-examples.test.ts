import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../../../fixes/gate/testing.js';
import { findExamples, findTestExamples } from './inputs-examples.js';

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
      'test/index.test.js': [
        "import toMs, { format as fmt } from '../index.js';",
        "import other from 'other-package';",
        "test('x', () => { expect(toMs('3d')).toBe(1); fmt(2, [1]); other('not ours'); });",
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

describe('findTestExamples', () => {
  it('reads calls of the module from the repository’s tests, defaults only of its own import', () => {
    const examples = findTestExamples(`${fixture.root}/index.js`, fixture.root);
    expect(examples.default).toEqual([["'3d'"]]);
    expect(examples.format).toEqual([['2', '[1]']]);
    // Another package's default import stays under its own name.
    expect(examples.other).toEqual([["'not ours'"]]);
  });
});
