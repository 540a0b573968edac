// Usage events of the server process: started once from boot, then
// trackEvent() from anywhere (server actions, the ping, the heartbeat) and
// server_stopped on SIGTERM/SIGINT. trackEvent() returns at once and never
// throws: the setting check, the event's build and its checks happen after the
// caller has moved on, and the client only queues. Whether events are on is
// read from the database, kept for EVENTS_SETTING_MAX_AGE_MS (a burst of events
// shares one read): turning telemetry off in this process (Admin Settings, the
// wizard) stops the very next event; in the CLI or another replica, every event
// from a quarter of a second later. Events already queued are withheld, not sent,
// when their batch leaves after the change.
import 'server-only';
import { randomUUID } from 'node:crypto';
import { getConfig, type Config } from '../config';
import { db, type Db } from '../db';
import { getInstanceId, isSetupComplete } from '../data/settings';
import {
  buildEventMessage,
  EVENT_NAMES,
  EXAMPLE_PROPERTIES,
  wireEvent,
  type EventContext,
  type EventName,
  type EventProperties,
} from './catalog';
import { createEventsClient, NO_EVENT_COUNTERS, type EventCounters, type EventsClient } from './client';
import { EVENTS_SETTING_MAX_AGE_MS, type EventsSetting } from './setting';
import { commonProperties, readEventsSetting } from './context';
import { POSTHOG_NODE_VERSION } from './posthog-version';
import { errorLine } from '../error-line';
import { onShutdown } from '../shutdown';
import { recentValue } from '../recent-value';
import { onTelemetrySettingChange } from '../telemetry/setting-changes';

export interface EventsRuntimeOptions {
  client?: Db;
  config?: Config;
  /** Tests replace the network of the PostHog client. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  warn?: (line: string) => void;
  /** Install the SIGTERM/SIGINT handler (the server does; tests do not). */
  handleSignals?: boolean;
  queueLimit?: number;
}

export interface EventsRuntime {
  startedAt: number;
  sessionId: string;
  client: EventsClient;
  track<Name extends EventName>(event: Name, properties: EventProperties<Name>): void;
  setting(): Promise<EventsSetting>;
  context(): Promise<EventContext>;
  /** Waits for events being built, then sends the queue, all within `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
}

export function createEventsRuntime(options: EventsRuntimeOptions = {}): EventsRuntime {
  const client = options.client ?? db;
  const config = options.config ?? getConfig();
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const sessionId = randomUUID();
  const startedAt = Date.now();
  // In CI the id is made up for this run and never stored: CI runs are not installations.
  const ciId = config.environment.ci.isCi ? `ci-${randomUUID()}` : null;
  let instanceId: string | null = null;
  let lastWarning = '';
  const building = new Set<Promise<void>>();

  // One database read shared by the events of a quarter of a second; this process's own changes apply at once.
  const recentSetting = recentValue(() => readEventsSetting(client, config), EVENTS_SETTING_MAX_AGE_MS);
  const stopListening = onTelemetrySettingChange(recentSetting.forget);
  const setting = recentSetting.get;

  const events = createEventsClient({
    host: config.eventsTarget.host,
    apiKey: config.eventsTarget.apiKey,
    timeoutMs: config.telemetry.timeoutMs,
    queueLimit: options.queueLimit,
    // Checked again as each batch leaves: events queued before telemetry was turned off stay here.
    stillOn: async () => (await setting()).enabled,
    fetch: options.fetch,
    warn,
  });

  async function context(): Promise<EventContext> {
    instanceId ??= await getInstanceId(client);
    return { distinctId: ciId ?? instanceId, common: commonProperties(config, sessionId) };
  }

  function warnOnce(line: string) {
    if (line === lastWarning) return;
    lastWarning = line;
    warn(line);
  }

  return {
    startedAt,
    sessionId,
    client: events,
    setting,
    context,
    track(event, properties) {
      const job = (async () => {
        const [on, ctx] = await Promise.all([setting(), context()]);
        if (!on.enabled) return;
        events.capture(buildEventMessage(event, properties, ctx));
      })()
        .catch((error) => warnOnce(`[flowforge] usage event ${event} not sent: ${errorLine(error)}`))
        .finally(() => building.delete(job));
      building.add(job);
    },
    async stop(timeoutMs) {
      stopListening();
      const deadline = Date.now() + timeoutMs;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...building]),
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)).unref()),
      ]);
      clearTimeout(timer);
      await events.close(Math.max(0, deadline - Date.now()));
    },
  };
}

const state = globalThis as unknown as { flowforgeEvents?: EventsRuntime };

/** The running server's events (undefined before boot, in the CLI and in tests that did not start them). */
export function currentEventsRuntime(): EventsRuntime | undefined {
  return state.flowforgeEvents;
}

/** Queues an event of the server process; does nothing before start. Returns at once, never throws. */
export function trackEvent<Name extends EventName>(event: Name, properties: EventProperties<Name>): void {
  try {
    state.flowforgeEvents?.track(event, properties);
  } catch {
    // never let telemetry break the caller
  }
}

/**
 * Starts the server's events once per process: server_started now, server_stopped
 * on SIGTERM/SIGINT (the hourly heartbeat is a job in lib/jobs.ts). Never throws,
 * never blocks boot.
 */
export function startUsageEvents(options: EventsRuntimeOptions = {}): EventsRuntime {
  if (state.flowforgeEvents) return state.flowforgeEvents;
  const runtime = createEventsRuntime(options);
  state.flowforgeEvents = runtime;
  const config = options.config ?? getConfig();
  const uptime = () => Math.round((Date.now() - runtime.startedAt) / 1000);
  void isSetupComplete(options.client ?? db)
    .catch(() => false)
    .then((setupComplete) =>
      runtime.track('server_started', { deployment: config.environment.deployment, setup_complete: setupComplete }),
    );
  if (options.handleSignals !== false) {
    onShutdown(async (signal) => {
      runtime.track('server_stopped', { uptime_seconds: uptime(), signal });
      await runtime.stop(config.telemetry.timeoutMs);
    });
  }
  return runtime;
}

/** Tests: forget the process's runtime so another can start. */
export function stopUsageEventsForTests(): void {
  state.flowforgeEvents = undefined;
}

/** The hourly job (lib/jobs.ts): server_heartbeat with the uptime. */
export function sendHeartbeat(): void {
  const runtime = state.flowforgeEvents;
  runtime?.track('server_heartbeat', { uptime_seconds: Math.round((Date.now() - runtime.startedAt) / 1000) });
}

export interface EventsOverview {
  setting: EventsSetting;
  host: string;
  hostFrom: Config['eventsTarget']['hostFrom'];
  counters: EventCounters;
  /** Each event as it would travel, built by the code that sends. */
  examples: Array<{ event: EventName; wire: ReturnType<typeof wireEvent> }>;
}

/** What Admin Settings and the setup wizard show about events. */
export async function getEventsOverview(client: Db = db, config: Config = getConfig()): Promise<EventsOverview> {
  const runtime = state.flowforgeEvents;
  // Before boot has started events (a page of a test server): the same setting and context code, nothing queued.
  const [setting, context] = runtime
    ? await Promise.all([runtime.setting(), runtime.context()])
    : await Promise.all([
        readEventsSetting(client, config),
        getInstanceId(client).then((id) => ({ distinctId: id, common: commonProperties(config, randomUUID()) })),
      ]);
  return {
    setting,
    host: withoutCredentials(config.eventsTarget.host),
    hostFrom: config.eventsTarget.hostFrom,
    counters: runtime?.client.counters() ?? { ...NO_EVENT_COUNTERS },
    examples: EVENT_NAMES.map((event) => ({
      event,
      wire: wireEvent(buildEventMessage(event, EXAMPLE_PROPERTIES[event], context), POSTHOG_NODE_VERSION),
    })),
  };
}

/** A host as pages may show it: user name and password taken out. */
function withoutCredentials(host: string): string {
  try {
    const url = new URL(host);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(invalid host)';
  }
}
