import { ValidationError } from '../../../core/index.js';
import type { TestStyle } from '../../../fixes/index.js';
import type { Exploration, ObservedCall } from './types.js';

/** A generated test file. */
export interface EmittedTest {
  /** Root-relative path of the test file. */
  file: string;
  content: string;
  /** Test cases in it. */
  cases: number;
}

/**
 * The fewest calls that reach every key the exploration reached (greedy set cover), keeping only
 * deterministic calls.
 */
export function minimiseCalls(calls: readonly ObservedCall[]): ObservedCall[] {
  void calls;
  throw new ValidationError('minimiseCalls: not built yet');
}

/**
 * Writes a characterisation test for an exploration in the repository's style: one test per
 * call, asserting the observed return value (deep equality), type or thrown error.
 */
export function emitTestFile(
  style: TestStyle,
  exploration: Exploration,
  testFile: string,
): EmittedTest {
  void style;
  void exploration;
  void testFile;
  throw new ValidationError('emitTestFile: not built yet');
}
