// Large PostHog bodies (over the heavy-lane threshold, or of no declared length) on both
// drivers: stored whole in one transaction, once however often retried, counted in the
// rollups, and refused whole by the sender's event limit. On SQLite they are checked and
// stored in the body worker thread: while another connection holds the write lock, the
// request waits there and this thread keeps running (before, better-sqlite3's busy wait
// froze it for as long as the lock was held).
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { POST as batch } from '../../app/batch/route';
import { stopBodyCheckWorker } from '../../lib/collector/body-check-worker';
import { senderLimits } from '../../lib/collector/sender-limits';
import { getConfig, setConfig } from '../../lib/config';
import { COLLECTOR, collectorRequest } from '../helpers/collector';
import { DRIVERS } from '../helpers/databases';
import { validBatchBody } from '../helpers/hostile-bodies';
import { useTestDatabase } from '../helpers/use-database';

afterAll(stopBodyCheckWorker);

let ipCounter = 0;
const nextIp = () => `198.18.7.${++ipCounter}`;

/** A 1 MB batch of 500 events, with its Content-Length declared as a real client sends it. */
function largeBatch(body = validBatchBody()) {
  const request = collectorRequest('/batch/', body, {
    ip: nextIp(),
    headers: { 'content-length': String(Buffer.byteLength(body)) },
  });
  return { body, request };
}

describe.each(DRIVERS)('large /batch/ bodies on %s', (driver) => {
  const { db } = useTestDatabase(driver, { collector: COLLECTOR });

  it('stores all 500 events in one go, counts them once, and a retry adds nothing', async () => {
    const { body, request } = largeBatch();
    expect(Buffer.byteLength(body)).toBeGreaterThan(900_000);
    const response = await batch(request);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 1 });
    const stored = await db().collectorEvent.findMany({ where: { instanceId: 'heavy-sender' } });
    expect(stored).toHaveLength(500);
    expect(JSON.parse(stored[0].properties)).toMatchObject({ success: true });
    const days = await db().collectorEventDay.findMany({ where: { event: 'cli_command' } });
    expect(days.map((day) => day.count)).toEqual([500]);

    const retried = await batch(largeBatch(body).request);
    expect(retried.status).toBe(200);
    expect(await db().collectorEvent.count({ where: { instanceId: 'heavy-sender' } })).toBe(500);
    expect((await db().collectorEventDay.findMany({ where: { event: 'cli_command' } })).map((d) => d.count)).toEqual([
      500,
    ]);
  });

  it('refuses a batch over the sender’s event allowance whole, storing none of it', async () => {
    const before = await db().collectorEvent.count();
    const saved = getConfig();
    setConfig({ ...saved, collector: { ...saved.collector, maxEventsPerMinute: 499 } });
    try {
      const response = await batch(largeBatch().request);
      expect(response.status).toBe(429);
      expect((await response.json()).message).toMatch(/Too many events/);
    } finally {
      setConfig(saved);
    }
    expect(await db().collectorEvent.count()).toBe(before);
  });
});

describe('a large /batch/ body on sqlite while another connection holds the write lock', () => {
  const { db } = useTestDatabase('sqlite', { collector: COLLECTOR });

  it('waits for a write lock held elsewhere without stopping this thread, then stores', async () => {
    // The request thread's own writes go first: today's salt (a first request), and the limits'
    // sync, stopped, so that only the events' INSERT meets the lock.
    expect((await batch(largeBatch().request)).status).toBe(200);
    await senderLimits(db()).stop();
    const before = await db().collectorEvent.count();
    const other = new Database(getConfig().db.url);
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    try {
      const answered = batch(largeBatch().request);
      await new Promise((resolve) => setTimeout(resolve, 400));
      // The body is checked by now and its INSERT waits for the lock, in the worker.
      expect(await db().collectorEvent.count()).toBe(before);
      other.exec('COMMIT');
      expect((await answered).status).toBe(200);
    } finally {
      clearInterval(ticker);
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
    // 400 ms of 10 ms ticks: a frozen thread would have seen one or two.
    expect(ticks).toBeGreaterThan(15);
    expect(await db().collectorEvent.count()).toBe(before + 500);
  });
});
