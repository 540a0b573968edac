// Stores one report and keeps the rollups the dashboard reads in step with it,
// in one transaction: the raw ping, the instance's latest state, and the day's
// totals (pings, distinct instances, distinct senders). The first statement is
// the INSERT so that on SQLite the transaction is a writer from the start
// (a read-then-write transaction could fail with SQLITE_BUSY under concurrency).
import 'server-only';
import { db, type Db } from '../db';
import { isUniqueViolation } from '../data/prisma-errors';
import { bucketOf, nodeMajor, type InstanceState } from './report-schema';
import { utcDay } from './sender-fingerprint';

export interface Report {
  source: 'ping' | 'posthog';
  event: string;
  instanceId: string;
  eventUuid: string | null;
  occurredAt: Date | null;
  payload: unknown;
  droppedFields: number;
  state: InstanceState;
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** 'duplicate' when an event with the same uuid was stored before (retries are stored once). */
export async function storeReport(report: Report, sender: { receivedAt: Date; senderHash: string }, client: Db = db): Promise<'stored' | 'duplicate'> {
  if (report.eventUuid && (await client.collectorPing.findUnique({ where: { eventUuid: report.eventUuid }, select: { id: true } }))) {
    return 'duplicate';
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await client.$transaction((tx) => writeReport(tx as Tx, report, sender));
      return 'stored';
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Either the same event raced in from another request, or two first-pings of the day raced on a rollup row.
      if (report.eventUuid && (await client.collectorPing.findUnique({ where: { eventUuid: report.eventUuid }, select: { id: true } }))) {
        return 'duplicate';
      }
      if (attempt >= 3) throw error;
    }
  }
}

async function writeReport(tx: Tx, report: Report, { receivedAt, senderHash }: { receivedAt: Date; senderHash: string }) {
  await tx.collectorPing.create({
    data: {
      receivedAt,
      occurredAt: report.occurredAt ?? receivedAt,
      source: report.source,
      event: report.event,
      instanceId: report.instanceId,
      eventUuid: report.eventUuid,
      senderHash,
      droppedFields: report.droppedFields,
      payload: JSON.stringify(report.payload),
    },
  });
  const state = stateColumns(report.state);
  await tx.collectorInstance.upsert({
    where: { instanceId: report.instanceId },
    create: { instanceId: report.instanceId, firstSeenAt: receivedAt, lastSeenAt: receivedAt, ...state },
    update: { lastSeenAt: receivedAt, ...state },
  });
  const day = utcDay(receivedAt);
  const newInstance = await markSeen(tx, day, 'instance', report.instanceId);
  const newSender = await markSeen(tx, day, 'sender', senderHash);
  await tx.collectorDay.upsert({
    where: { day },
    create: { day, pings: 1, instances: newInstance, senders: newSender },
    update: { pings: { increment: 1 }, instances: { increment: newInstance }, senders: { increment: newSender } },
  });
}

/** 1 when (day, kind, key) was not seen before, else 0. ON CONFLICT DO NOTHING reads the same on SQLite and PostgreSQL. */
async function markSeen(tx: Tx, day: string, kind: 'instance' | 'sender', key: string): Promise<number> {
  return tx.$executeRaw`INSERT INTO "CollectorDaySeen" ("day", "kind", "key") VALUES (${day}, ${kind}, ${key}) ON CONFLICT DO NOTHING`;
}

/** Only the fields the report carries: a PostHog event without a payload must not blank the last known state. */
export function stateColumns(state: InstanceState) {
  const columns: Record<string, string | number> = {};
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  set('version', state.env?.flowforge);
  set('nodeMajor', state.env?.nodejs === undefined ? undefined : nodeMajor(state.env.nodejs));
  set('osType', state.os?.type);
  set('osRelease', state.os?.release);
  set('arch', state.os?.arch);
  set('driver', state.platform?.config?.driver);
  const counts = state.platform?.counts ?? {};
  for (const key of ['users', 'teams', 'projects'] as const) {
    const value = counts[key];
    set(key, value);
    set(`${key}Bucket`, value === undefined ? undefined : bucketOf(value));
  }
  return columns;
}
