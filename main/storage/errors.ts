/**
 * Store errors for people: knex prefixes the driver's message with the whole SQL statement
 * (easily 100 KB for a batch insert); keep the driver's part and cap the length.
 */
const MAX_CHARS = 300;

export function storeErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const driverPart = (isPostgresError(error) ? /^[^]* - ([^]*)$/.exec(message)?.[1] : /(SQLITE_\w+:.*)$/s.exec(message)?.[1]) ?? message;
  return driverPart.length > MAX_CHARS ? `${driverPart.slice(0, MAX_CHARS)}…` : driverPart;
}

/** node-postgres errors carry the server's SQLSTATE `code` and `severity`. */
function isPostgresError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { severity?: unknown }).severity === 'string' && 'code' in error;
}
