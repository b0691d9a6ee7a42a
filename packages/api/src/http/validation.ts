import type { z } from 'zod';
import { AppError } from '../errors.js';
import { issuesFromZod } from '../issues.js';

/** One error for a failed validation: the first problem's code and field, every problem in `issues`. */
export function validationError(error: z.ZodError, input: unknown, target?: string, prefix: (string | number)[] = []): AppError {
  const issues = issuesFromZod(error, input, prefix);
  const first = issues[0];
  if (!first) return new AppError('VALIDATION_FAILED', 'The request is not valid');
  const where = target === 'json' || target === undefined ? 'body' : target;
  return new AppError(first.code, `Invalid ${where}: ${first.field ? `${first.field}: ` : ''}${first.message}`, first.field, issues);
}
