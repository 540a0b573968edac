// The telemetry payload: one builder for the sender and every preview, so what
// an admin sees is what is sent. Counts only; nothing that names a person, a
// host, a path or a secret. Every payload is checked against the strict schema
// and this machine's own identifiers before it may leave the process.
import 'server-only';
import os from 'node:os';
import { getConfig } from '../config';
import { db, type Db } from '../db';
import { getInstanceId } from '../data/settings';
import { getPlatformCounts } from '../data/row-counts';
import { FLOWFORGE_VERSION } from '../version';
import { firstIssue } from '../zod-issue';
import { telemetryPayloadSchema, type TelemetryPayloadShape } from './payload-schema';
import { serializeTelemetryPayload } from './serialize';

export type TelemetryPayload = TelemetryPayloadShape;

/** Thrown when a payload fails the checks; nothing is sent. The message names the field, never its value. */
export class TelemetryPayloadRefused extends Error {
  name = 'TelemetryPayloadRefused';
}

/** Where the non-database fields come from (tests inject odd values to prove they are refused). */
export interface PayloadSources {
  os(): { type: string; release: string; arch: string };
  nodejs: string;
  flowforge: string;
  driver: string;
}

export function defaultPayloadSources(): PayloadSources {
  return {
    os: () => ({ type: os.type(), release: os.release(), arch: os.arch() }),
    nodejs: process.version,
    flowforge: FLOWFORGE_VERSION,
    driver: getConfig().db.type,
  };
}

/** Identifiers of this machine that must never appear in a payload, whatever field they hide in. */
export function hostIdentifiers(): string[] {
  const names = [os.hostname()];
  try {
    names.push(os.userInfo().username);
  } catch {
    // no user entry (some containers): nothing to guard
  }
  return names.filter((name) => name.length >= 2).map((name) => name.toLowerCase());
}

/** A whole word of the value (e.g. "vm" in "Linux vm"), or anywhere inside it for longer names. */
function containsIdentifier(value: string, name: string): boolean {
  const lower = value.toLowerCase();
  if (name.length >= 6 && lower.includes(name)) return true;
  return lower.split(/[^a-z0-9]+/).includes(name);
}

/** Strict schema, then no host identifier in any string. Returns the payload, typed. */
export function validateTelemetryPayload(payload: unknown, forbidden: string[] = hostIdentifiers()): TelemetryPayload {
  const result = telemetryPayloadSchema.safeParse(payload);
  if (!result.success) {
    const issue = firstIssue(result.error, 'is not a documented field');
    throw new TelemetryPayloadRefused(`telemetry payload refused: ${issue.where} ${issue.message}`);
  }
  for (const [field, value] of stringLeaves(result.data)) {
    if (forbidden.some((name) => containsIdentifier(value, name))) {
      throw new TelemetryPayloadRefused(
        `telemetry payload refused: ${field} contains this machine's host or user name`,
      );
    }
  }
  return result.data;
}

function stringLeaves(value: unknown, prefix = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[prefix, value]];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => stringLeaves(child, prefix ? `${prefix}.${key}` : key));
  }
  return [];
}

export async function buildTelemetryPayload(
  client: Db = db,
  sources: PayloadSources = defaultPayloadSources(),
): Promise<TelemetryPayload> {
  const [instanceId, counts] = await Promise.all([getInstanceId(client), getPlatformCounts(client)]);
  return validateTelemetryPayload({
    instanceId,
    os: sources.os(),
    env: { nodejs: sources.nodejs, flowforge: sources.flowforge },
    platform: { counts, config: { driver: sources.driver } },
  });
}

/** The exact text the next ping would send (previews show this). */
export async function buildTelemetryBody(client: Db = db, sources?: PayloadSources): Promise<string> {
  return serializeTelemetryPayload(await buildTelemetryPayload(client, sources));
}
