import type { ErrorCode, ErrorIssue } from '@orderpost/shared';
import type { z } from 'zod';

/*
 * Validation problems as the API reports them, independent of HTTP: the route
 * layer (http/validation.ts) and feature services (batch and file imports) both
 * turn zod issues into the same stable codes and dotted field paths.
 */

/**
 * At most this many problems are listed in one answer: a hostile body of a
 * million bad values would otherwise cost seconds of CPU on the event loop and
 * an answer many times the size of the request.
 */
export const maxReportedIssues = 100;

/** Turns zod issues into our stable codes with the offending field as a dotted path (the first `maxReportedIssues`). */
export function issuesFromZod(error: z.ZodError, input: unknown, prefix: (string | number)[] = []): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  for (const issue of error.issues) {
    if (issues.length >= maxReportedIssues) break;
    const path = [...prefix, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys.slice(0, maxReportedIssues - issues.length)) {
        issues.push({ code: 'UNKNOWN_FIELD', field: joinPath([...path, key]), message: `unknown field "${key}"` });
      }
      continue;
    }
    issues.push({ code: codeOf(issue, input, issue.path), field: joinPath(path), message: issue.message });
  }
  return issues;
}

function codeOf(issue: z.core.$ZodIssue, input: unknown, path: PropertyKey[]): ErrorCode {
  if (issue.code === 'invalid_type') {
    // Without the input at hand (route validation), zod's own wording tells a missing value.
    const missing = input === undefined ? /received undefined$/.test(issue.message) : valueAt(input, path) === undefined;
    return missing ? 'REQUIRED_FIELD' : 'INVALID_TYPE';
  }
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'INVALID_EMAIL';
  if (issue.code === 'custom' && typeof issue.params?.code === 'string') return issue.params.code as ErrorCode;
  return 'INVALID_VALUE';
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

export function joinPath(path: (string | number)[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === 'number') return `${text}[${part}]`;
    return text ? `${text}.${part}` : part;
  }, '');
}
