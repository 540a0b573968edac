// Benchmark: /admin/audit pages cost the same however deep they are.
// Seeds BENCH_AUDIT rows (default 500,000) with bulk SQL into a temporary
// SQLite file and a fresh PostgreSQL database (dropped afterwards), then times,
// interleaved in one run: the newest page, the oldest page reached by its
// keyset cursor (what the page does), and that same oldest page with
// COUNT + OFFSET (the usual way, for reference). Prints medians and ratios.
// Expectation: oldest/newest about 1x with keyset; OFFSET grows with the table.
//
//   npm run bench:audit         (or: npx tsx bench/audit-pages.ts)
//   BENCH_AUDIT=100000 to scale down; BENCH_REPS=15 repetitions.
import { benchOptions, median, relaunchUnderReactServer, reportRow, thousands, timed } from './harness';
import { bulkLoadPostgres, bulkLoadSqlite, seededDatabases } from './seed';

// lib/data is server-only.
relaunchUnderReactServer(import.meta.url);

const { AUDIT: ROWS, REPS } = benchOptions({ AUDIT: 500_000, REPS: 15 });

const { listAuditPage, AUDIT_PAGE_SIZE } = await import('../lib/data/audit');
type Db = import('../lib/db-client').Db;

const COLUMNS = `"AuditLog" ("id", "actor", "event", "oldValue", "newValue", "createdAt")`;
const ENTRY = `'admin@example.com', 'settings.telemetry.enabled', 'true', 'false'`;

// One entry per second from 2025-01-01; ids shaped like UUIDs.
function seedSqlite(file: string) {
  bulkLoadSqlite(file, (lite) =>
    lite.exec(`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${ROWS})
      INSERT INTO ${COLUMNS}
      SELECT printf('%08x-0000-4000-8000-%012x', n, n), ${ENTRY},
        strftime('%Y-%m-%dT%H:%M:%S.000+00:00', '2025-01-01', '+' || n || ' seconds') FROM seq`),
  );
}

async function seedPostgres(url: string) {
  await bulkLoadPostgres(url, async (client) => {
    await client.query(`INSERT INTO ${COLUMNS}
      SELECT gen_random_uuid()::text, ${ENTRY}, TIMESTAMP '2025-01-01' + n * INTERVAL '1 second'
      FROM generate_series(1, ${ROWS}) AS n`);
  });
}

async function measure(label: string, db: Db) {
  // The cursor of the oldest page: the entry just newer than the last AUDIT_PAGE_SIZE ones.
  const [anchor] = await db.auditLog.findMany({
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    skip: AUDIT_PAGE_SIZE,
    take: 1,
  });
  const before = { createdAt: anchor.createdAt, id: anchor.id };
  const offset = ROWS - AUDIT_PAGE_SIZE;
  const offsetPage = () =>
    Promise.all([
      db.auditLog.count(),
      db.auditLog.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: offset, take: AUDIT_PAGE_SIZE }),
    ]);
  const deep = await listAuditPage({ before }, db);
  if (deep.rows.length !== AUDIT_PAGE_SIZE || deep.older !== null || deep.newer === null)
    throw new Error(`${label}: the deep page is not the oldest page`);
  const times = { newest: [] as number[], oldest: [] as number[], offset: [] as number[] };
  // warm up
  for (let i = 0; i < 3; i++) await Promise.all([listAuditPage({}, db), listAuditPage({ before }, db), offsetPage()]);
  for (let i = 0; i < REPS; i++) {
    times.newest.push((await timed(() => listAuditPage({}, db)))[0]);
    times.oldest.push((await timed(() => listAuditPage({ before }, db)))[0]);
    times.offset.push((await timed(offsetPage))[0]);
  }
  const [newest, oldest, off] = [median(times.newest), median(times.oldest), median(times.offset)];
  console.log(
    `${label.padEnd(10)} newest page ${newest.toFixed(2)} ms` +
      ` | oldest page (keyset) ${oldest.toFixed(2)} ms = ${(oldest / newest).toFixed(2)}x newest` +
      ` | oldest page (COUNT + OFFSET) ${off.toFixed(2)} ms = ${(off / newest).toFixed(1)}x newest`,
  );
  reportRow({
    bench: 'audit',
    figure:
      `/admin/audit oldest page vs newest page (keyset), ${label}, ` + `${thousands(ROWS)} entries (median of ${REPS})`,
    measured: `${oldest.toFixed(2)} ms vs ${newest.toFixed(2)} ms (COUNT + OFFSET: ${off.toFixed(2)} ms)`,
    ratio: `${(oldest / newest).toFixed(2)}x`,
  });
}

console.log(
  `audit log pages with ${ROWS.toLocaleString('en')} entries, ${AUDIT_PAGE_SIZE} per page, median of ${REPS}`,
);

const seeded = await seededDatabases({ sqlite: seedSqlite, postgres: seedPostgres });
try {
  for (const { label, db } of seeded.databases) await measure(label, db);
} finally {
  await seeded.dispose();
}
