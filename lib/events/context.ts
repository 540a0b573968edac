// What every event of a process shares, for the server (lib/events/runtime.ts)
// and the CLI (lib/events/cli.ts): the common properties and the effective
// setting, read fresh from the database.
import 'server-only';
import os from 'node:os';
import type { Config } from '../config';
import type { Db } from '../db';
import { getTelemetrySetting } from '../data/telemetry-setting';
import { FLOWFORGE_VERSION } from '../version';
import type { CommonProperties } from './catalog';
import { resolveEventsSetting, type EventsSetting } from './setting';

/** The properties every event of this process carries. */
export function commonProperties(config: Config, sessionId: string): CommonProperties {
  return {
    flowforge_version: FLOWFORGE_VERSION,
    node_major: Number(process.versions.node.split('.')[0]),
    os_type: os.type(),
    os_arch: os.arch(),
    db_driver: config.db.type,
    is_ci: config.environment.ci.isCi,
    session_id: sessionId,
  };
}

/** The effective events setting, read fresh from the database. */
export async function readEventsSetting(client: Db, config: Config): Promise<EventsSetting> {
  const fileName = config.file.path.split('/').pop() || 'flowforge.yml';
  return resolveEventsSetting(await getTelemetrySetting(client, config), config.telemetry.events.enabled, fileName);
}
