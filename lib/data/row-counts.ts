// Platform totals for telemetry and dashboards. The RowCount table is kept
// exact by database triggers (migration 20261123100000_telemetry), so reading
// it costs one tiny query whatever the number of users or projects.
import 'server-only';
import { db, type Db } from '../db';

export interface PlatformCounts {
  users: number;
  teams: number;
  projects: number;
}

const TABLES = { users: 'User', teams: 'Team', projects: 'Project' } as const;

export async function getPlatformCounts(client: Db = db): Promise<PlatformCounts> {
  const rows = await client.rowCount.findMany({ where: { name: { in: Object.values(TABLES) } } });
  const byName = new Map(rows.map((row) => [row.name, row.count]));
  const counts = {} as PlatformCounts;
  for (const [key, table] of Object.entries(TABLES) as Array<[keyof PlatformCounts, string]>) {
    // A missing counter row can only come from a hand-edited database: count the slow way rather than lie.
    counts[key] = byName.get(table) ?? (await countTable(key, client));
  }
  return counts;
}

function countTable(key: keyof PlatformCounts, client: Db): Promise<number> {
  if (key === 'users') return client.user.count();
  if (key === 'teams') return client.team.count();
  return client.project.count();
}
