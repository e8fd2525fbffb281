/** What mysql2 reports: `errno` is MariaDB's error number, `code` its name (ER_DUP_ENTRY…). */
export type DriverError = Error & { errno?: number; code?: string };

/**
 * The driver's error behind drizzle's DrizzleQueryError, whose own message quotes the whole
 * statement (for a batch insert, hundreds of kilobytes of data): log and match on this one.
 */
export function driverError(error: unknown): DriverError {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error) return cause as DriverError;
  return error instanceof Error ? (error as DriverError) : new Error(String(error));
}
