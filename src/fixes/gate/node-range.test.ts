import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNodeRange, parseVersion, satisfiesRange, type Version } from './node-range.js';

/** npm's semver, the reference this matcher follows (present in the install, not our dependency). */
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  validRange(range: string): string | null;
};

function matches(version: string, range: string): boolean | undefined {
  const parsed = parseNodeRange(range);
  const v = parseVersion(version);
  if (parsed === undefined || v === undefined) return undefined;
  return satisfiesRange(v, parsed);
}

describe('parseNodeRange', () => {
  it.each([
    // [range, version, expected]
    ['>=22', '22.0.0', true],
    ['>=22', '21.99.99', false],
    ['>= 22.12', '22.12.0', true],
    ['>=20.19 <21 || >=22.12', '20.20.2', true],
    ['>=20.19 <21 || >=22.12', '22.11.0', false],
    ['>=20.19 <21 || >=22.12', '24.0.0', true],
    ['^20.19.0 || ^22.12.0 || >=23', '21.0.0', false],
    ['^20.19.0 || ^22.12.0 || >=23', '22.13.1', true],
    ['^0.2.3', '0.3.0', false],
    ['^0.0.3', '0.0.4', false],
    ['~22.1', '22.1.9', true],
    ['~22.1', '22.2.0', false],
    ['~22', '22.99.0', true],
    ['22.x', '22.5.0', true],
    ['22.x', '23.0.0', false],
    ['22', '22.0.0', true],
    ['v22.1.0', '22.1.0', true],
    ['v22.1.0', '22.1.1', false],
    ['*', '20.0.0', true],
    ['', '20.0.0', true],
    ['18 - 20', '20.9.0', true],
    ['18 - 20', '21.0.0', false],
    ['18.1.2 - 20.1.2', '20.1.3', false],
    ['>20', '20.9.9', false],
    ['>20', '21.0.0', true],
    ['<=20', '20.99.0', true],
    ['<20.1', '20.1.0', false],
    ['>*', '20.0.0', false],
    ['lts/iron', '20.20.2', true],
    ['lts/iron', '22.0.0', false],
    ['lts/*', '22.0.0', true],
    ['node', '25.0.0', true],
  ])('%j with %s: %s', (range, version, expected) => {
    expect(matches(version, range)).toBe(expected);
  });

  it.each(['foo', '>=abc', '22..1', 'lts/nonesuch', '>=22 <<23'])('refuses %j', (range) => {
    expect(parseNodeRange(range)).toBeUndefined();
  });

  it('agrees with npm semver on generated ranges', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 3 }).map(String), fc.constant('x'));
    const partial = fc
      .tuple(part, fc.option(part, { nil: undefined }), fc.option(part, { nil: undefined }))
      .map(([a, b, c]) =>
        [a, b, b === undefined ? undefined : c].filter((p) => p !== undefined).join('.'),
      );
    const op = fc.constantFrom('', '=', '>=', '>', '<', '<=', '^', '~');
    const comparator = fc.tuple(op, partial).map(([o, p]) => `${o}${p}`);
    const set = fc.oneof(
      fc.array(comparator, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(' ')),
      fc.tuple(partial, partial).map(([a, b]) => `${a} - ${b}`),
    );
    const range = fc.array(set, { minLength: 1, maxLength: 3 }).map((sets) => sets.join(' || '));
    const version = fc.tuple(fc.nat(4), fc.nat(4), fc.nat(4)).map((v: number[]) => v.join('.'));
    fc.assert(
      fc.property(range, version, (r, v) => {
        fc.pre(semver.validRange(r) !== null);
        expect(matches(v, r), `${v} in ${r}`).toBe(semver.satisfies(v, r));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('parseVersion', () => {
  it('reads release versions only', () => {
    expect(parseVersion('v22.1.0')).toEqual([22, 1, 0] satisfies Version);
    expect(parseVersion('22.1')).toBeUndefined();
    expect(parseVersion('v23.0.0-nightly2024')).toBeUndefined();
  });
});
