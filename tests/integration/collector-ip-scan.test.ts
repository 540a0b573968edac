// The collector must never keep a sender address in any form that a table of
// all 2^32 IPv4 addresses could reverse. Ingest from known addresses on every
// endpoint, then read every text column of every table of the database.
import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';
import { COLLECTOR, collectorRequest, samplePing, stoppedClock, withCollectorConfig } from '../helpers/collector';
import { senderLimits } from '../../lib/collector/sender-limits';
import { handlePing, handlePosthog } from '../../lib/collector/handlers';
import { hmacAddress, utcDay } from '../../lib/collector/sender-fingerprint';
import type { Db } from '../../lib/db-client';

const SENDER_IPS = ['203.0.113.5', '198.51.100.23', '192.0.2.200', '10.20.30.40'];

/** Every encoding of an address a reverse table over IPv4 would contain. */
function reversibleForms(ip: string): string[] {
  const forms = [ip, `::ffff:${ip}`];
  for (const algorithm of ['sha256', 'sha1', 'md5']) {
    for (const input of [ip, `::ffff:${ip}`]) {
      const digest = createHash(algorithm).update(input).digest();
      forms.push(
        digest.toString('hex'),
        digest.toString('base64'),
        digest.toString('base64url'),
        digest.toString('base64').replace(/=+$/, ''),
      );
    }
  }
  return forms.map((form) => form.toLowerCase());
}

/** Every text value in the database, with where it came from. */
async function allTextValues(db: Db, driver: string): Promise<{ where: string; value: string }[]> {
  const columns: { table: string; column: string }[] =
    driver === 'sqlite'
      ? await db.$queryRawUnsafe(
          `SELECT m.name AS "table", p.name AS "column" FROM sqlite_master m JOIN pragma_table_info(m.name) p
           WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
        )
      : await db.$queryRawUnsafe(
          `SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
           WHERE table_schema = 'public'`,
        );
  expect(columns.length).toBeGreaterThan(20);
  const values: { where: string; value: string }[] = [];
  for (const { table, column } of columns) {
    // Cast everything to text, so a value hidden in a non-text column is read too.
    const cast = driver === 'sqlite' ? `CAST("${column}" AS TEXT)` : `"${column}"::text`;
    const rows: { v: string | null }[] = await db.$queryRawUnsafe(`SELECT ${cast} AS v FROM "${table}"`);
    for (const row of rows)
      if (row.v !== null) values.push({ where: `${table}.${column}`, value: row.v.toLowerCase() });
  }
  return values;
}

function findAddresses(values: { where: string; value: string }[]): string[] {
  const hits: string[] = [];
  for (const ip of SENDER_IPS) {
    for (const form of reversibleForms(ip)) {
      for (const { where, value } of values) if (value.includes(form)) hits.push(`${ip} as "${form}" in ${where}`);
    }
  }
  return hits;
}

describe.each(DRIVERS)('no sender address is stored, on %s', (driver) => {
  const { db } = useTestDatabase(driver, { collector: COLLECTOR });

  // Pings, PostHog events and rate-limited requests, all from known addresses.
  it('after traffic from known addresses, no table holds any reversible form of them', async () => {
    const clock = stoppedClock();
    await withCollectorConfig({ maxRequestsPerMinute: 3 }, async () => {
      for (const ip of SENDER_IPS) {
        const instanceId = randomUUID();
        expect(
          (await handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId }), { ip }), clock)).status,
        ).toBe(202);
        // A PostHog sender that tries to hand us its address in properties.
        const event = {
          api_key: 'phc_test',
          event: 'server started',
          distinct_id: instanceId,
          properties: { $ip: ip, ip, uptime: 3 },
        };
        expect((await handlePosthog(collectorRequest('/capture/', event, { ip }), clock)).status).toBe(200);
        expect(
          (
            await handlePosthog(
              collectorRequest('/batch/', { api_key: 'k', batch: [event] }, { ip, gzip: true }),
              clock,
            )
          ).status,
        ).toBe(200);
        expect(
          (await handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId }), { ip }), clock)).status,
        ).toBe(429);
      }
    });
    // Without a trusted proxy the address is the TCP peer's; it must not be kept either.
    await withCollectorConfig({ trustProxy: false }, async () => {
      for (const ip of SENDER_IPS) {
        expect(
          (
            await handlePing(
              collectorRequest('/api/v1/ping', samplePing({ instanceId: randomUUID() }), { ip: '192.0.2.1', peer: ip }),
            )
          ).status,
        ).toBe(202);
      }
    });
    expect(await db().collectorPing.count()).toBe(SENDER_IPS.length * 2);
    expect(await db().collectorEvent.count()).toBe(SENDER_IPS.length * 2);
    await senderLimits(db()).sync(); // the per-sender counters, as every replica shares them
    expect(await db().rateLimit.count()).toBeGreaterThanOrEqual(SENDER_IPS.length);

    const values = await allTextValues(db(), driver);
    expect(findAddresses(values)).toEqual([]);
  });

  it('the scan itself finds an address planted in any table (it can fail)', async () => {
    const planted = createHash('md5').update(SENDER_IPS[1]).digest('base64');
    await db().auditLog.create({ data: { actor: 'test', event: 'planted', newValue: `x${planted}y` } });
    const hits = findAddresses(await allTextValues(db(), driver));
    await db().auditLog.deleteMany({ where: { event: 'planted' } });
    expect(hits).toContain(`${SENDER_IPS[1]} as "${planted.toLowerCase()}" in AuditLog.newValue`);
    expect(hits.every((hit) => hit.startsWith(SENDER_IPS[1]) && hit.endsWith('in AuditLog.newValue'))).toBe(true);
  });

  it("fingerprints agree within a day, differ across days; a day's salt is deleted once the next starts", async () => {
    const ip = '203.0.113.77';
    const day1 = new Date('2032-03-01T10:00:00Z');
    const day1Later = new Date('2032-03-01T23:59:00Z');
    const day2 = new Date('2032-03-02T00:01:00Z');
    const ping = (at: Date) =>
      handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId: randomUUID() }), { ip }), { now: () => at });
    for (const at of [day1, day1Later, day2]) expect((await ping(at)).status).toBe(202);
    const hashes = await db().collectorPing.findMany({
      where: { receivedAt: { in: [day1, day1Later, day2] } },
      orderBy: { receivedAt: 'asc' },
      select: { senderHash: true },
    });
    expect(hashes[0].senderHash).toBe(hashes[1].senderHash);
    expect(hashes[2].senderHash).not.toBe(hashes[0].senderHash);
    const salts = await db().collectorSalt.findMany();
    expect(salts.map((s) => s.day)).toEqual([utcDay(day2)]);
    // The surviving salt explains day 2's fingerprint; nothing left can recompute day 1's.
    expect(hmacAddress(salts[0].secret, ip)).toBe(hashes[2].senderHash);
    expect(await db().collectorDay.findUnique({ where: { day: '2032-03-01' } })).toMatchObject({
      pings: 2,
      senders: 1,
    });
  });

  it('a replica whose clock lags behind midnight uses the newer salt, not re-creating a deleted one', async () => {
    const ip = '203.0.113.78';
    const ahead = new Date('2033-01-02T00:00:05Z');
    const behind = new Date('2033-01-01T23:59:58Z');
    expect(
      (
        await handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId: randomUUID() }), { ip }), {
          now: () => ahead,
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await handlePing(collectorRequest('/api/v1/ping', samplePing({ instanceId: randomUUID() }), { ip }), {
          now: () => behind,
        })
      ).status,
    ).toBe(202);
    expect((await db().collectorSalt.findMany()).map((s) => s.day)).toEqual(['2033-01-02']);
  });

  it('two replicas creating the first salt of a day at once agree on one salt', async () => {
    const at = new Date('2034-06-01T08:00:00Z');
    const { currentSalt } = await import('../../lib/collector/sender-fingerprint');
    const salts = await Promise.all(Array.from({ length: 8 }, () => currentSalt(at, db())));
    expect(new Set(salts.map((s) => s.secret)).size).toBe(1);
    expect(await db().collectorSalt.count({ where: { day: '2034-06-01' } })).toBe(1);
  });
});
