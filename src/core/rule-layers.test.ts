import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from './config.js';
import {
  matchingLayers,
  mergeRuleLayers,
  normaliseRuleSetting,
  ruleLayers,
  settingsForFile,
} from './rule-layers.js';

const config = (file: unknown) => {
  const result = parseConfig(file);
  expect(result.errors).toEqual([]);
  return result.config;
};

describe('overrides', () => {
  const withTests = config({
    rules: { 'max-params': { options: { threshold: 3 } }, 'no-console': 'critical' },
    overrides: [
      {
        files: ['test/**', '**/*.test.ts'],
        ignores: ['test/fixtures/**'],
        rules: { 'max-params': 'off' },
      },
      { files: ['test/**'], rules: { 'max-params': 'minor', 'no-console': 'off' } },
    ],
  });

  it.each([
    [
      'src/a.ts',
      {
        'max-params': { enabled: true, options: { threshold: 3 } },
        'no-console': { enabled: true, severity: 'critical' },
      },
    ],
    [
      'src/a.test.ts',
      {
        'max-params': { enabled: false, options: { threshold: 3 } },
        'no-console': { enabled: true, severity: 'critical' },
      },
    ],
    // The later override switches it on again and keeps the options beneath, as ESLint does.
    [
      'test/a.ts',
      {
        'max-params': { enabled: true, severity: 'minor', options: { threshold: 3 } },
        'no-console': { enabled: false, severity: 'critical' },
      },
    ],
    // Ignored by the first override, matched by the second.
    [
      'test/fixtures/x.ts',
      {
        'max-params': { enabled: true, severity: 'minor', options: { threshold: 3 } },
        'no-console': { enabled: false, severity: 'critical' },
      },
    ],
    [
      '.github/x.test.ts',
      {
        'max-params': { enabled: false, options: { threshold: 3 } },
        'no-console': { enabled: true, severity: 'critical' },
      },
    ],
  ])('gives %s its settings, later layers winning', (file, expected) => {
    expect(settingsForFile(withTests, file)).toEqual(expected);
  });

  it('lists layers lowest first: base layers, top-level rules, overrides', () => {
    const layered = {
      ...withTests,
      baseLayers: [{ files: ['**'], rules: { 'max-params': 'off' as const } }],
    };
    expect(ruleLayers(layered).map((l) => l.where)).toEqual([
      'baseLayers[0]',
      'rules',
      'overrides[0]',
      'overrides[1]',
    ]);
    // The config file's top-level rules win over a base layer.
    expect(settingsForFile(layered, 'src/a.ts')['max-params']).toEqual({
      enabled: true,
      options: { threshold: 3 },
    });
    expect(matchingLayers(ruleLayers(layered), 'src/a.ts')).toEqual([0, 1]);
    expect(matchingLayers(ruleLayers(layered), 'test/a.ts')).toEqual([0, 1, 2, 3]);
  });

  it('a setting in object form without enabled switches the rule on, as at top level', () => {
    expect(
      mergeRuleLayers([{ rules: { x: 'off' } }, { rules: { x: { options: { a: 1 } } } }]),
    ).toEqual({ x: { enabled: true, options: { a: 1 } } });
    // ESLint's levels carry a severity: "error" over "warn" puts the rule's own back.
    expect(
      mergeRuleLayers([{ rules: { x: 'warn' } }, { rules: { x: ['error', { a: 1 }] } }]),
    ).toEqual({ x: { enabled: true, severity: 'default', options: { a: 1 } } });
    expect(mergeRuleLayers([{ rules: { x: 'critical' } }, { rules: { x: 'on' } }])).toEqual({
      x: { enabled: true, severity: 'critical' },
    });
  });

  it('concatenates overrides after the base config and refuses one without files', () => {
    expect(
      parseConfig({ overrides: [{ files: ['a'], rules: {} }] }, withTests).config.overrides,
    ).toHaveLength(3);
    expect(parseConfig({ overrides: [{ rules: {} }] }).errors[0]).toMatch(/^overrides\.0\.files: /);
    expect(parseConfig({ overrides: [{ files: [], rules: {} }] }).errors[0]).toMatch(
      /^overrides\.0\.files: /,
    );
    expect(DEFAULT_CONFIG.overrides).toEqual([]);
  });
});

describe('rule settings as ESLint writes them', () => {
  it.each([
    ['off', { enabled: false }],
    [0, { enabled: false }],
    ['error', { enabled: true, severity: 'default' }],
    [2, { enabled: true, severity: 'default' }],
    ['on', { enabled: true }],
    ['warn', { enabled: true, severity: 'minor' }],
    [1, { enabled: true, severity: 'minor' }],
    ['critical', { enabled: true, severity: 'critical' }],
    [['error'], { enabled: true, severity: 'default' }],
    [['warn', { threshold: 6 }], { enabled: true, severity: 'minor', options: { threshold: 6 } }],
    [['off', { threshold: 6 }], { enabled: false, options: { threshold: 6 } }],
    [
      { enabled: false, severity: 'info' },
      { enabled: false, severity: 'info' },
    ],
  ] as const)('reads %j as %j', (setting, expected) => {
    expect(parseConfig({ rules: { r: setting } }).errors).toEqual([]);
    expect(normaliseRuleSetting(setting as never)).toEqual(expected);
  });

  it.each([3, 'warning', [], ['error', 5], ['error', {}, {}]])('refuses %j', (setting) => {
    expect(parseConfig({ rules: { r: setting } }).errors[0]).toMatch(/^rules\.r: /);
  });
});
