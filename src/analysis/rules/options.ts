import { z } from 'zod';

/** Options of a rule that compares a measure with a threshold: just `threshold`. */
export function thresholdOptions(
  fallback: number,
  description: string,
): z.ZodObject<{ threshold: z.ZodDefault<z.ZodNumber> }, z.core.$strict> {
  return z.strictObject({
    threshold: z.number().int().min(0).default(fallback).describe(description),
  });
}

/**
 * A regular expression written as a string (the ESLint convention, as in `ignorePattern`). One that
 * does not compile is the config's error, found when the config is read rather than by the rule
 * inside a worker.
 */
export function regExpOption(fallback: string, description: string): z.ZodDefault<z.ZodString> {
  return z
    .string()
    .superRefine((value, context) => {
      try {
        new RegExp(value);
      } catch (error) {
        const reason = (error as Error).message.replace(/^.*\/[a-z]*: /, '');
        context.addIssue({
          code: 'custom',
          message: `invalid regular expression "${value}": ${reason}`,
        });
      }
    })
    .default(fallback)
    .describe(description);
}
