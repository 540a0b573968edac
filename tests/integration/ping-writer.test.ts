// lib/collector/ping-writer.ts: the collector's ping batches are written and committed in a
// thread of their own, on both databases. The rows land as the request thread built them, a
// database error reaches the caller with its code (store.ts retries PostgreSQL's unique
// violations by it), and while a large batch is written the calling thread keeps running:
// with the statements on this thread (as before) its timers stopped for the whole transaction.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { stopPingWriter, writePings, type PingTarget } from '../../lib/collector/ping-writer';
import type { PingRows } from '../../lib/collector/sqlite-ping-writes';
import { postgresUrlOf, sqliteFileOf } from '../../lib/db-client';
import { createPostgresDatabase, createTestDatabase, DRIVERS } from '../helpers/databases';

afterAll(stopPingWriter);

const DAY = '2026-12-04';

/** `count` pings of `payloadBytes` each, for instances of their own, as store.ts's jsonRows builds them. */
function rows(count: number, payloadBytes = 200): { rows: PingRows; ids: string[] } {
  const ids = Array.from({ length: count }, () => randomUUID());
  const at = `${DAY}T10:00:00.000Z`;
  const payload = JSON.stringify({ note: 'x'.repeat(payloadBytes) });
  return {
    ids,
    rows: {
      pings: JSON.stringify(ids.map((id) => [at, id, 'sender-hash', 0, payload])),
      instances: JSON.stringify(
        ids.map((id) => [id, at, at, '1.0.0', 'Linux', null, 'x64', 20, 'sqlite', 1, 0, 0, '1-9', '0', '0']),
      ),
      sightings: JSON.stringify(ids.map((id) => [DAY, 'instance', id]).sort()),
      days: JSON.stringify([[DAY, count]]),
      metricInstances: null,
      metrics: '[]',
      hasMetrics: false,
    },
  };
}

function targetOf(db: Parameters<typeof postgresUrlOf>[0]): PingTarget {
  const url = postgresUrlOf(db);
  return url ? { type: 'postgres', url, connections: 2 } : { type: 'sqlite', file: sqliteFileOf(db)! };
}

describe.each(DRIVERS)('the ping writer thread on %s', (driver) => {
  it('commits a batch with its rollups before it resolves', async () => {
    const database = await createTestDatabase(driver);
    try {
      const batch = rows(3);
      await writePings(targetOf(database.db), batch.rows);
      expect(await database.db.collectorPing.count()).toBe(3);
      expect(await database.db.collectorInstance.count({ where: { instanceId: { in: batch.ids } } })).toBe(3);
      expect(await database.db.collectorDay.findUnique({ where: { day: DAY } })).toMatchObject({
        pings: 3,
        instances: 3,
        senders: 0,
      });
    } finally {
      await database.dispose();
    }
  });

  it('keeps the calling thread running while a large batch is written', async () => {
    const database = await createTestDatabase(driver);
    try {
      // 200 pings of 50 KB (the group commit's largest batch of large pings): 10 MB of rows.
      const batch = rows(200, 50_000);
      let longestGap = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 1);
      const started = performance.now();
      await writePings(targetOf(database.db), batch.rows);
      const took = performance.now() - started;
      // One more tick, so a gap still open when the write resolved is counted too.
      await new Promise((resolve) => setTimeout(resolve, 5));
      clearInterval(ticker);
      expect(await database.db.collectorPing.count()).toBe(200);
      // The write itself takes a while, so that a gap as long as it would show.
      expect(took).toBeGreaterThan(40);
      expect(longestGap).toBeLessThan(took / 2);
    } finally {
      await database.dispose();
    }
  });
});

it('rejects with the database’s error code (PostgreSQL: a database without the tables, 42P01)', async () => {
  const empty = await createPostgresDatabase();
  try {
    const failure = await writePings({ type: 'postgres', url: empty.url, connections: 1 }, rows(1).rows).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { code?: string }).code).toBe('42P01');
  } finally {
    await empty.drop();
  }
});
