/**
 * Database errors, classified where they enter (by name and SQLSTATE, not instanceof: drizzle
 * wraps the driver's error in a DrizzleQueryError whose `cause` carries the code).
 */

/** SQLSTATE 23505: a unique constraint refused the row. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 3; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
