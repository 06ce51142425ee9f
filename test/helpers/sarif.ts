import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

/** The official OASIS SARIF 2.1.0 schema, vendored (see test/fixtures/sarif/README.md). */
export const sarifSchema = JSON.parse(
  readFileSync(new URL('../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

export function createSarifValidator(): ValidateFunction {
  // The OASIS schema declares draft-04, which Ajv 8 does not ship. Every keyword it uses means the
  // same in draft-07, Ajv's default, so drop the draft-04 markers (`$schema`, `id`) and compile it
  // as draft-07. strict: false because it lists `required` properties inside anyOf branches.
  const { $schema: _draft, id: _id, ...draft07 } = sarifSchema;
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS; under NodeNext its default import is the module object.
  ajvFormats.default(ajv);
  return ajv.compile(draft07);
}
