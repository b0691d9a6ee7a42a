/**
 * The SQLSTATE of a database error (e.g. "23505", a unique violation), looking
 * through the wrappers drizzle and the drivers put around it.
 */
export function databaseErrorCode(err: unknown): string | undefined {
  for (let current = err, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
