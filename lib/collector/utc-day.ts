// The UTC day of a time: the unit of salt rotation and of the daily rollups. Its own
// module, free of server-only imports, because the body worker thread needs it too.

/** "YYYY-MM-DD" of a time in UTC. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}
