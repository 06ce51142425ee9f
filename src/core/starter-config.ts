/**
 * What `beast init` writes: a commented `beast.config.jsonc` that loads as it stands (a test
 * keeps it so), starting from the defaults and showing the keys a project sets first.
 */
export const STARTER_CONFIG = `// BEAST MODE configuration. Comments and trailing commas are allowed here.
// Every key is optional; \`beast rules\` lists the rules and their options.
{
  "$schema": "./node_modules/beast-mode/schema/beast.config.schema.json",

  // Start from the defaults. "beast:strict" switches the opt-in rules on and tightens the
  // size and complexity thresholds; a relative path extends a shared file of this repository.
  "extends": ["beast:recommended"],

  // Files to skip, on top of the built-ins (dependencies, build output, vendored and generated code).
  "exclude": [],

  // Per rule: "off", "on", "warn" (severity minor), "error" (the rule's own severity), a severity
  // (blocker, critical, major, minor, info), or ["error", { options }].
  "rules": {
    // "max-params": ["error", { "threshold": 5 }],
  },

  // Settings for some files, applied after "rules" in order, the later winning.
  "overrides": [
    {
      // Test code: long describe blocks and literal expectations are its nature.
      "files": ["**/*.{test,spec}.*", "**/{test,tests,__tests__}/**"],
      "rules": { "max-function-lines": "off", "no-magic-numbers": "off" },
    },
  ],

  // \`beast scan\` exits 1 when the gate fails: failOn is a grade (A-E, fail when worse), a severity
  // (fail on any finding at least that severe) or "none"; minScore is 0-100.
  "gate": { "failOn": "none", "minScore": 0 },
  // The gate for \`beast scan --since REF\`: findings on changed lines only.
  "newCodeGate": { "failOn": "major" },
}
`;
