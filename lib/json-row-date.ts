// Free of the Prisma clients so that the collector's worker thread can use it (lib/collector/event-writes.ts).

/**
 * A date as the text a JSON row carries to raw SQL (rows expanded by json_each or
 * jsonb_array_elements), so the stored value is the one Prisma itself would store: SQLite's
 * adapter writes ISO 8601 with "+00:00"; PostgreSQL's `timestamp(3)` reads the UTC time and
 * ignores the "Z".
 */
export function jsonRowDate(postgres: boolean): (date: Date) => string {
  return postgres ? (date) => date.toISOString() : (date) => date.toISOString().replace('Z', '+00:00');
}
