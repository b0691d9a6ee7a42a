/**
 * A database error and the errors it wraps: drizzle and the drivers put their
 * own around PostgreSQL's, so the SQLSTATE or constraint may sit a few causes
 * deep.
 */
export function* errorChain(err: unknown): Generator<Record<string, unknown>> {
  for (let current = err, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    yield current as Record<string, unknown>;
    current = (current as { cause?: unknown }).cause;
  }
}

/** The SQLSTATE of a database error (e.g. "23505", a unique violation). */
export function databaseErrorCode(err: unknown): string | undefined {
  for (const error of errorChain(err)) {
    if (typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code)) return error.code;
  }
  return undefined;
}

/** The constraint a database error names (postgres-js says `constraint_name`, PGlite `constraint`). */
export function constraintOf(err: unknown): string | undefined {
  for (const error of errorChain(err)) {
    const name = error.constraint_name ?? error.constraint;
    if (typeof name === 'string') return name;
  }
  return undefined;
}
