/**
 * The rule registry: every rule, in a stable order (by category, then roughly by importance).
 * Adding a rule means adding its file, named by its id, and one line here.
 */
import type { RuleMeta } from '../../core/index.js';
import { banTsComment } from './ban-ts-comment.js';
import { circularImport } from './circular-import.js';
import { cognitiveComplexity } from './cognitive-complexity.js';
import { cyclomaticComplexity } from './cyclomatic-complexity.js';
import { duplicateImport } from './duplicate-import.js';
import { duplicatedCode } from './duplicated-code.js';
import { emptyBlock } from './empty-block.js';
import { emptyCatch } from './empty-catch.js';
import { emptyFunction } from './empty-function.js';
import { eqeqeq } from './eqeqeq.js';
import { forDirection } from './for-direction.js';
import { maxFileLines } from './max-file-lines.js';
import { maxFunctionLines } from './max-function-lines.js';
import { maxNestedCallbacks } from './max-nested-callbacks.js';
import { maxNestingDepth } from './max-nesting-depth.js';
import { maxParams } from './max-params.js';
import { noAsyncPromiseExecutor } from './no-async-promise-executor.js';
import { noCompareNegZero } from './no-compare-neg-zero.js';
import { noCondAssign } from './no-cond-assign.js';
import { noConsole } from './no-console.js';
import { noConstantCondition } from './no-constant-condition.js';
import { noDebugger } from './no-debugger.js';
import { noDoubleTypeAssertion } from './no-double-type-assertion.js';
import { noDupeClassMembers } from './no-dupe-class-members.js';
import { noDupeElseIf } from './no-dupe-else-if.js';
import { noDupeKeys } from './no-dupe-keys.js';
import { noDuplicateCase } from './no-duplicate-case.js';
import { noExplicitAny } from './no-explicit-any.js';
import { noExtraBooleanCast } from './no-extra-boolean-cast.js';
import { noFallthrough } from './no-fallthrough.js';
import { noLonelyIf } from './no-lonely-if.js';
import { noMagicNumbers } from './no-magic-numbers.js';
import { noNestedTernary } from './no-nested-ternary.js';
import { noNonNullAssertedOptionalChain } from './no-non-null-asserted-optional-chain.js';
import { noNonNullAssertion } from './no-non-null-assertion.js';
import { noRedundantBoolean } from './no-redundant-boolean.js';
import { noSelfAssign } from './no-self-assign.js';
import { noSelfCompare } from './no-self-compare.js';
import { noSparseArrays } from './no-sparse-arrays.js';
import { noThrowLiteral } from './no-throw-literal.js';
import { noUnsafeFinally } from './no-unsafe-finally.js';
import { noUnsafeFunctionType } from './no-unsafe-function-type.js';
import { noUnsafeNegation } from './no-unsafe-negation.js';
import { noUnsafeOptionalChaining } from './no-unsafe-optional-chaining.js';
import { noUselessCatch } from './no-useless-catch.js';
import { noUselessElseAfterReturn } from './no-useless-else-after-return.js';
import { noVar } from './no-var.js';
import { noWrapperObjectTypes } from './no-wrapper-object-types.js';
import { objectShorthand } from './object-shorthand.js';
import { preferConst } from './prefer-const.js';
import { preferEarlyReturn } from './prefer-early-return.js';
import { preferOptionalChain } from './prefer-optional-chain.js';
import { preferPromiseRejectErrors } from './prefer-promise-reject-errors.js';
import { preferTemplate } from './prefer-template.js';
import { todoComment } from './todo-comment.js';
import { unreachableCode } from './unreachable-code.js';
import { unusedImport } from './unused-import.js';
import { unusedPrivateClassMember } from './unused-private-class-member.js';
import { unusedSuppression } from './unused-suppression.js';
import { unusedVariable } from './unused-variable.js';
import { useIsnan } from './use-isnan.js';
import { validTypeof } from './valid-typeof.js';
import { PARSE_ERROR_META } from './parse-error.js';
import type { FileRule, RepositoryRule, Rule } from './types.js';

export type * from './types.js';
export { PARSE_ERROR_META };

/** Rules that look at one file at a time, through one shared AST traversal. */
export const fileRules: readonly FileRule[] = [
  // complexity
  cognitiveComplexity,
  cyclomaticComplexity,
  maxNestingDepth,
  maxNestedCallbacks,
  // size
  maxFunctionLines,
  maxFileLines,
  maxParams,
  // unused
  unusedImport,
  unusedVariable,
  unusedPrivateClassMember,
  unreachableCode,
  emptyFunction,
  emptyBlock,
  // type-safety
  noExplicitAny,
  noNonNullAssertion,
  banTsComment,
  noDoubleTypeAssertion,
  noNonNullAssertedOptionalChain,
  noWrapperObjectTypes,
  noUnsafeFunctionType,
  // error-handling
  emptyCatch,
  noThrowLiteral,
  noAsyncPromiseExecutor,
  preferPromiseRejectErrors,
  noUselessCatch,
  // correctness
  eqeqeq,
  noSelfCompare,
  noDupeKeys,
  noDuplicateCase,
  noSelfAssign,
  useIsnan,
  noConstantCondition,
  noUnsafeFinally,
  noSparseArrays,
  noCondAssign,
  validTypeof,
  noDebugger,
  noDupeElseIf,
  duplicateImport,
  noUnsafeNegation,
  noDupeClassMembers,
  noFallthrough,
  noUnsafeOptionalChaining,
  forDirection,
  noCompareNegZero,
  // maintainability
  preferConst,
  noVar,
  noNestedTernary,
  preferTemplate,
  noUselessElseAfterReturn,
  noRedundantBoolean,
  preferOptionalChain,
  noLonelyIf,
  objectShorthand,
  noExtraBooleanCast,
  preferEarlyReturn,
  noConsole,
  todoComment,
  noMagicNumbers,
];

/** Rules that need the whole repository at once. */
export const repositoryRules: readonly RepositoryRule[] = [
  duplicatedCode,
  circularImport,
  unusedSuppression,
];

/** Every rule, file rules first. */
export const allRules: readonly Rule[] = [...fileRules, ...repositoryRules];

/** Metadata of every rule plus the scanner's own `parse-error`, for reports and documentation. */
export const allRuleMetas: readonly RuleMeta[] = [...allRules.map((r) => r.meta), PARSE_ERROR_META];

const byId: ReadonlyMap<string, Rule> = new Map(allRules.map((r) => [r.meta.id, r]));

/** The rule with this id, or undefined. */
export function findRule(id: string): Rule | undefined {
  return byId.get(id);
}
