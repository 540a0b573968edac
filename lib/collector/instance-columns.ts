// The columns of CollectorInstance a report may carry, in INSERT order, and the SQL lists
// built from them, shared by the PostgreSQL statement (store.ts) and the SQLite ones
// (sqlite-ping-writes.ts, run in the ping writer's thread: free of server-only imports).
export const STATE_COLUMNS = [
  'version',
  'osType',
  'osRelease',
  'arch',
  'nodeMajor',
  'driver',
  'users',
  'teams',
  'projects',
  'usersBucket',
  'teamsBucket',
  'projectsBucket',
] as const;

export const STATE_NAMES = STATE_COLUMNS.map((column) => `"${column}"`).join(', ');
// A field the report does not carry is NULL and keeps the stored value (COALESCE).
export const STATE_UPDATES = STATE_COLUMNS.map(
  (column) => `"${column}" = COALESCE(excluded."${column}", "CollectorInstance"."${column}")`,
).join(', ');
