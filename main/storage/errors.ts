/**
 * Store errors for people: knex prefixes the driver's message with the whole SQL statement
 * (easily 100 KB for a batch insert); keep the driver's part and cap the length.
 */
const MAX_CHARS = 300;

export function storeErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const driverPart = /(SQLITE_\w+:.*)$/s.exec(message)?.[1] ?? message;
  return driverPart.length > MAX_CHARS ? `${driverPart.slice(0, MAX_CHARS)}…` : driverPart;
}
