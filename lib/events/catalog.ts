// Every usage event FlowForge can send, with a strict schema per event: an
// unknown property, a free-text value or a value of the wrong kind refuses the
// event before it is queued. Properties are numbers, booleans, enums and short
// tokens by construction; no event carries a name, an email, a value typed by
// someone, a path, an error message or a request payload. TELEMETRY.md
// documents these events and properties, and a test keeps the two in step.
// Pure (no server-only): Admin Settings, the wizard and the CLI build their
// examples with the same functions the sender uses.
import { z } from 'zod';
import { findSensitiveText } from '../sensitive-text';
import { DB_DRIVERS } from '../db-driver';
import { firstIssue } from '../zod-issue';

export const EVENT_NAMES = [
  'server_started',
  'server_stopped',
  'server_heartbeat',
  'cli_command',
  'admin_action',
  'action_error',
  'instance_ping',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Kinds of record an admin action changes, and what happened to it. */
export const RECORD_KINDS = ['user', 'team', 'project', 'setting'] as const;
export const RECORD_VERBS = ['created', 'updated', 'deleted'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];
export type RecordVerb = (typeof RECORD_VERBS)[number];

/** The CLI commands, as the cli_command event names them. */
export const CLI_COMMANDS = ['config get', 'config set', 'help', 'version', 'usage error'] as const;
export type CliCommandName = (typeof CLI_COMMANDS)[number];

/** An error's type: a class name such as "NotFoundError", or "exit_<code>". Never its message. */
export const errorType = z
  .string()
  .regex(/^(?:[A-Z][A-Za-z0-9]{0,63}|exit_\d{1,3})$/, 'must be a class name or exit_<code>');

/** One sanitised CLI argument: a flag name, a known word, or a placeholder (lib/events/cli-args.ts). */
export const cliArgument = z
  .string()
  .regex(
    /^(?:--?[A-Za-z0-9][A-Za-z0-9_.-]{0,39}(?:=<(?:value|path|redacted)>)?|--|<(?:value|path|redacted)>|[a-z][a-z0-9.]{0,39})$/,
    'must be a flag name, a known word or a placeholder',
  );

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const seconds = count;

/** Properties every event carries. */
export const commonPropertiesSchema = z.strictObject({
  flowforge_version: z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,6}(?:-[0-9A-Za-z.-]{1,40})?$/),
  node_major: z.number().int().min(0).max(1000),
  os_type: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,30}$/),
  os_arch: z.string().regex(/^[a-z0-9_]{1,16}$/),
  db_driver: z.enum(DB_DRIVERS),
  is_ci: z.boolean(),
  session_id: z.uuid(),
});
export type CommonProperties = z.infer<typeof commonPropertiesSchema>;

/** Properties of each event, besides the common ones. */
export const eventPropertySchemas = {
  server_started: z.strictObject({
    deployment: z.enum(['bare', 'docker', 'kubernetes']),
    setup_complete: z.boolean(),
  }),
  server_stopped: z.strictObject({ uptime_seconds: seconds, signal: z.enum(['SIGTERM', 'SIGINT']) }),
  server_heartbeat: z.strictObject({ uptime_seconds: seconds }),
  cli_command: z.strictObject({
    command: z.enum(CLI_COMMANDS),
    arguments: z.array(cliArgument).max(50),
    duration_ms: count,
    success: z.boolean(),
    error_type: errorType.nullable(),
  }),
  admin_action: z.strictObject({ record: z.enum(RECORD_KINDS), verb: z.enum(RECORD_VERBS) }),
  action_error: z.strictObject({ record: z.enum(RECORD_KINDS), error_type: errorType }),
  instance_ping: z.strictObject({
    trigger: z.enum(['boot', 'daily', 'manual']),
    ok: z.boolean(),
    users: count,
    teams: count,
    projects: count,
  }),
} satisfies Record<EventName, z.ZodObject>;

export type EventProperties<Name extends EventName> = z.infer<(typeof eventPropertySchemas)[Name]>;

/** What the sender hands to the PostHog client: the event, who sends it, and its properties. */
export interface EventMessage {
  event: EventName;
  distinctId: string;
  properties: Record<string, string | number | boolean | null | string[]>;
}

/** Where an event comes from: the instance (or a throwaway CI id) and the common properties. */
export interface EventContext {
  distinctId: string;
  common: CommonProperties;
}

/** The instance id (a UUID) or, in CI, "ci-<uuid>" fresh for each run. */
export const distinctIdSchema = z
  .string()
  .regex(/^(?:ci-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export class EventRefused extends Error {
  name = 'EventRefused';
}

/**
 * Checks one event and returns the message to queue. Throws EventRefused naming
 * the property (never its value) when anything is not exactly as documented.
 */
export function buildEventMessage<Name extends EventName>(
  event: Name,
  properties: EventProperties<Name>,
  context: EventContext,
): EventMessage {
  const specific = eventPropertySchemas[event].safeParse(properties);
  if (!specific.success) throw refused(event, specific.error);
  const common = commonPropertiesSchema.safeParse(context.common);
  if (!common.success) throw refused(event, common.error);
  if (!distinctIdSchema.safeParse(context.distinctId).success)
    throw new EventRefused(`event ${event} refused: distinct_id is not an instance id`);
  const message: EventMessage = {
    event,
    distinctId: context.distinctId,
    properties: { ...common.data, ...(specific.data as EventMessage['properties']) },
  };
  // The last check before the queue: the privacy rule every stored or sent string obeys (lib/sensitive-text.ts).
  for (const [key, value] of Object.entries(message.properties)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      const kind = typeof text === 'string' ? findSensitiveText(text) : null;
      if (kind) throw new EventRefused(`event ${event} refused: ${key} contains ${SENSITIVE_WORDS[kind]}`);
    }
  }
  return message;
}

const SENSITIVE_WORDS = { email: 'an email address', address: 'an IP address', path: 'a file path' } as const;

function refused(event: string, error: z.ZodError): EventRefused {
  const issue = firstIssue(error, 'is not a documented property', '(properties)');
  return new EventRefused(`event ${event} refused: ${issue.where} ${issue.message}`);
}

/** One example of each event's own properties (Admin Settings, the wizard, TELEMETRY.md's test). */
export const EXAMPLE_PROPERTIES: { [Name in EventName]: EventProperties<Name> } = {
  server_started: { deployment: 'docker', setup_complete: true },
  server_stopped: { uptime_seconds: 86_400, signal: 'SIGTERM' },
  server_heartbeat: { uptime_seconds: 3_600 },
  cli_command: {
    command: 'config set',
    arguments: ['config', 'set', 'telemetry.enabled', '<value>'],
    duration_ms: 412,
    success: true,
    error_type: null,
  },
  admin_action: { record: 'project', verb: 'created' },
  action_error: { record: 'user', error_type: 'FieldError' },
  instance_ping: { trigger: 'daily', ok: true, users: 42, teams: 7, projects: 19 },
};

/** When each event is sent, in words (Admin Settings). */
export const EVENT_DESCRIPTIONS: Record<EventName, string> = {
  server_started: 'When the server starts.',
  server_stopped: 'When the server is stopped (SIGTERM or SIGINT), with its uptime.',
  server_heartbeat: 'Once an hour while the server runs, with its uptime.',
  cli_command: 'After each flowforge command, with its arguments reduced to flag names and placeholders.',
  admin_action:
    'When an admin creates, changes or deletes a user, team, project or setting (which kind, not which one).',
  action_error: 'When an admin action fails, with the type of error only.',
  instance_ping: 'When a telemetry ping goes out, with the same counts as the ping.',
};

/** Properties the PostHog client adds to every event (it sends them; we document them). */
export function clientAddedProperties(libVersion: string): Record<string, string | boolean> {
  return { $lib: 'posthog-node', $lib_version: libVersion, $is_server: true, $geoip_disable: true };
}

/** An event as it travels in a /batch/ request (uuid and timestamp are made when it is queued). */
export function wireEvent(
  message: EventMessage,
  libVersion: string,
  at = new Date(),
  uuid = '0190a8f4-6c2e-7000-8000-000000000000',
) {
  return {
    event: message.event,
    properties: { ...message.properties, ...clientAddedProperties(libVersion) },
    timestamp: at.toISOString(),
    uuid,
    distinct_id: message.distinctId,
  };
}
