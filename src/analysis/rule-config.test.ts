import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/index.js';
import { resolveRuleOptions, resolveRules } from './rule-config.js';
import { findRule } from './rules/index.js';

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const optionsOf = (id: string, options: Record<string, unknown>) =>
  errorOf(() => resolveRules({ [id]: { options } }));

describe('rule options', () => {
  it('fills in every default from the rule’s own schema', () => {
    expect(resolveRuleOptions(findRule('max-params')!)).toEqual({ threshold: 4 });
    expect(resolveRuleOptions(findRule('unused-variable')!, { params: 'after-used' })).toEqual({
      params: 'after-used',
      ignorePattern: '^_',
      caughtErrors: true,
    });
    expect(resolveRuleOptions(findRule('no-debugger')!)).toEqual({});
  });

  it('gives the active rule its validated options, config over defaults', () => {
    const active = resolveRules({ 'max-params': { options: { threshold: 6 } } });
    const maxParams = active.file.find((a) => a.rule.meta.id === 'max-params');
    expect(maxParams?.options).toEqual({ threshold: 6 });
  });

  it.each([
    ['max-params', { max: 5 }, 'rules.max-params: unknown option "max"; options: threshold'],
    [
      'unused-variable',
      { ignore: 'x', args: 1 },
      'rules.unused-variable: unknown options "ignore", "args"; options: params, ignorePattern, caughtErrors',
    ],
    [
      'no-debugger',
      { threshold: 1 },
      'rules.no-debugger: unknown option "threshold"; it takes no options',
    ],
    [
      'max-params',
      { threshold: '5' },
      'rules.max-params.options.threshold: expected number, got "5"',
    ],
    [
      'max-params',
      { threshold: 2.5 },
      'rules.max-params.options.threshold: expected a whole number, got 2.5',
    ],
    [
      'max-params',
      { threshold: -1 },
      'rules.max-params.options.threshold: expected at least 0, got -1',
    ],
    [
      'unused-variable',
      { params: 'all' },
      'rules.unused-variable.options.params: expected one of "none", "after-used", got "all"',
    ],
    [
      'no-magic-numbers',
      { ignore: [1, 'two'] },
      'rules.no-magic-numbers.options.ignore.1: expected number, got "two"',
    ],
    [
      'unused-variable',
      { ignorePattern: '^_(' },
      'rules.unused-variable.options.ignorePattern: invalid regular expression "^_(": Unterminated group',
    ],
  ])('%s with %j: one line naming the rule and the option', (id, options, message) => {
    expect(optionsOf(id, options)).toBe(message);
  });

  it('checks the options of a rule that is switched off', () => {
    expect(
      errorOf(() => resolveRules({ 'max-params': { enabled: false, options: { max: 1 } } })),
    ).toBe('rules.max-params: unknown option "max"; options: threshold');
  });
});
