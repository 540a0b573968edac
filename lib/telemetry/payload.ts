// The telemetry payload: one builder for the sender and every preview, so what
// an admin sees is what is sent. Counts only; nothing that names a person, a
// host, a path or a secret.
import 'server-only';
import os from 'node:os';
import { getConfig } from '../config';
import { db, type Db } from '../db';
import { getInstanceId } from '../data/settings';
import { FLOWFORGE_VERSION } from '../version';

export interface TelemetryPayload {
  instanceId: string;
  os: { type: string; release: string; arch: string };
  env: { nodejs: string; flowforge: string };
  platform: { counts: { users: number; teams: number; projects: number }; config: { driver: string } };
}

export async function buildTelemetryPayload(client: Db = db): Promise<TelemetryPayload> {
  const [instanceId, users, teams, projects] = await Promise.all([
    getInstanceId(client),
    client.user.count(),
    client.team.count(),
    client.project.count(),
  ]);
  return {
    instanceId,
    os: { type: os.type(), release: os.release(), arch: os.arch() },
    env: { nodejs: process.version, flowforge: FLOWFORGE_VERSION },
    platform: { counts: { users, teams, projects }, config: { driver: getConfig().db.type } },
  };
}
