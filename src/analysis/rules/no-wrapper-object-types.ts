import { field, identifierName } from './ast-utils.js';
import { declaredNames } from './scope.js';
import type { FileRule } from './types.js';

const WRAPPERS: ReadonlyMap<string, string> = new Map([
  ['String', 'string'],
  ['Number', 'number'],
  ['Boolean', 'boolean'],
  ['Symbol', 'symbol'],
  ['BigInt', 'bigint'],
  ['Object', 'object'],
]);

export const noWrapperObjectTypes: FileRule = {
  kind: 'file',
  meta: {
    id: 'no-wrapper-object-types',
    category: 'type-safety',
    severity: 'minor',
    effortMinutes: 1,
    fixability: 'safe-fix',
    eslint: '@typescript-eslint/no-wrapper-object-types',
    description:
      'Wrapper object types (`String`, `Number`, `Boolean`, `Object`...) should not be used as types.',
    docs: '`String`, `Number`, `Boolean`, `Symbol` and `BigInt` are the types of boxed wrapper objects, which almost never exist at runtime; `Object` accepts nearly everything, primitives included. Use the primitive types `string`, `number`, `boolean`, `symbol`, `bigint`, and `object` or `Record<string, unknown>` for objects.',
  },
  create(context) {
    let declared: Set<string> | undefined;
    return {
      TSTypeReference(node) {
        const name = identifierName(field(node, 'typeName'));
        const replacement = name === undefined ? undefined : WRAPPERS.get(name);
        if (!replacement || field(node, 'typeArguments')) return;
        // A local declaration of the same name (`class String {}`) is not the global wrapper.
        declared ??= declaredNames(context.program, context.file);
        if (declared.has(name!)) return;
        context.report({
          node,
          message: `Use '${replacement}' instead of '${name!}'.`,
          // `Object` accepts primitives and `object` does not: that one needs a person to decide.
          fix: () =>
            name === 'Object'
              ? undefined
              : {
                  title: `Use '${replacement}' instead of '${name}'`,
                  edits: { start: node.start, end: node.end, text: replacement },
                },
        });
      },
    };
  },
};
