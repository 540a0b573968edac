// The event catalog refuses anything undocumented, the events setting follows
// the telemetry precedence, the host follows the ping's collector unless told
// otherwise, and names hash to stable 16-hex tokens keyed per platform.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEventMessage, EVENT_NAMES, EventRefused, EXAMPLE_PROPERTIES } from '../../lib/events/catalog';
import { resolveEventsSetting } from '../../lib/events/setting';
import { hashName } from '../../lib/events/name-hash';
import { POSTHOG_NODE_VERSION } from '../../lib/events/posthog-version';
import { ConfigError, loadConfig, parseConfig, eventsTarget } from '../../lib/config';
import { resolveTelemetrySetting } from '../../lib/telemetry/setting';
import { EVENT_CONTEXT as context } from '../helpers/event-context';

describe('buildEventMessage', () => {
  it.each(EVENT_NAMES)('builds the example of %s', (event) => {
    const message = buildEventMessage(event, EXAMPLE_PROPERTIES[event] as never, context);
    expect(message.distinctId).toBe(context.distinctId);
    expect(message.properties).toMatchObject(context.common);
  });

  it('refuses a property that is not documented, naming it and not its value', () => {
    const attempt = () =>
      buildEventMessage('admin_action', { record: 'user', verb: 'created', email: 'a@b.c' } as never, context);
    expect(attempt).toThrow(EventRefused);
    expect(attempt).toThrow('admin_action refused: email is not a documented property');
    expect(attempt).not.toThrow(/a@b\.c/);
  });

  it('refuses free text where an enum or a token belongs', () => {
    expect(() => buildEventMessage('admin_action', { record: 'Alice', verb: 'created' } as never, context)).toThrow(
      EventRefused,
    );
    expect(() =>
      buildEventMessage('action_error', { record: 'user', error_type: 'Email alice@example.com is taken' }, context),
    ).toThrow(/error_type/);
    expect(() =>
      buildEventMessage('cli_command', { ...EXAMPLE_PROPERTIES.cli_command, arguments: ['/home/alice'] }, context),
    ).toThrow(/arguments/);
    expect(() =>
      buildEventMessage(
        'cli_command',
        { ...EXAMPLE_PROPERTIES.cli_command, arguments: ['alice@example.com'] },
        context,
      ),
    ).toThrow(/arguments/);
  });

  it('refuses a distinct id that is not an instance id or a ci- id', () => {
    expect(() =>
      buildEventMessage('server_heartbeat', { uptime_seconds: 1 }, { ...context, distinctId: 'alice' }),
    ).toThrow(/distinct_id/);
    expect(
      buildEventMessage(
        'server_heartbeat',
        { uptime_seconds: 1 },
        { ...context, distinctId: `ci-${context.distinctId}` },
      ).distinctId,
    ).toBe(`ci-${context.distinctId}`);
  });

  it('refuses common properties that are not what this process is', () => {
    expect(() =>
      buildEventMessage(
        'server_heartbeat',
        { uptime_seconds: 1 },
        { ...context, common: { ...context.common, os_type: 'Linux vm-alice' } },
      ),
    ).toThrow(/os_type/);
  });
});

describe('resolveEventsSetting', () => {
  const on = resolveTelemetrySetting({});
  it('follows telemetry when telemetry.events.enabled is unset', () => {
    expect(resolveEventsSetting(on, undefined)).toMatchObject({ enabled: true, source: 'default' });
    expect(resolveEventsSetting(resolveTelemetrySetting({ env: false }), undefined)).toMatchObject({
      enabled: false,
      source: 'env',
    });
    expect(resolveEventsSetting(resolveTelemetrySetting({ database: false }), true)).toMatchObject({
      enabled: false,
      source: 'database',
    });
  });

  it('telemetry.events.enabled: false turns events off on their own', () => {
    expect(resolveEventsSetting(on, false, 'ff.yml')).toEqual({
      enabled: false,
      source: 'file',
      reason: 'Set to off by telemetry.events.enabled in ff.yml',
    });
  });
});

describe('events host and key', () => {
  const telemetry = (url: string, events = {}) => ({ url, events });
  it('defaults to the collector of telemetry.url', () => {
    expect(eventsTarget(telemetry('https://ping.flowforge.com'), {})).toEqual({
      host: 'https://ping.flowforge.com',
      apiKey: 'flowforge',
      hostFrom: 'telemetry.url',
    });
    expect(eventsTarget(telemetry('https://c.example.com/api/v1/ping'), {}).host).toBe('https://c.example.com');
    expect(eventsTarget(telemetry('https://c.example.com/flowforge/ping'), {}).host).toBe(
      'https://c.example.com/flowforge',
    );
  });

  it('telemetry.events in the file, then FLOWFORGE_POSTHOG_HOST / _API_KEY over it', () => {
    const config = parseConfig('telemetry:\n  events:\n    host: https://posthog.example.com/\n    apiKey: phc_file\n');
    expect(eventsTarget(config.telemetry, {})).toEqual({
      host: 'https://posthog.example.com',
      apiKey: 'phc_file',
      hostFrom: 'file',
    });
    expect(
      eventsTarget(config.telemetry, {
        FLOWFORGE_POSTHOG_HOST: 'http://10.0.0.5:8000',
        FLOWFORGE_POSTHOG_API_KEY: 'phc_env',
      }),
    ).toEqual({ host: 'http://10.0.0.5:8000', apiKey: 'phc_env', hostFrom: 'env' });
  });

  it('a bad host names the variable or the line', () => {
    expect(() => loadConfig({ FLOWFORGE_CONFIG: '/nonexistent.yml', FLOWFORGE_POSTHOG_HOST: 'ftp://x' })).toThrow(
      ConfigError,
    );
    expect(() => parseConfig('telemetry:\n  events:\n    host: nope\n')).toThrow(
      'flowforge.yml:3 telemetry.events.host must be an http(s) URL',
    );
    expect(() => parseConfig('telemetry:\n  events:\n    colour: red\n')).toThrow(
      'flowforge.yml:3 telemetry.events.colour is not a known key',
    );
  });
});

describe('hashName', () => {
  const secret = 'a'.repeat(64);
  it('is 16 hex characters, stable, and differs by secret and by name', () => {
    const token = hashName(secret, 'Team Rocket');
    expect(token).toMatch(/^[0-9a-f]{16}$/);
    expect(hashName(secret, 'Team Rocket')).toBe(token);
    expect(hashName('b'.repeat(64), 'Team Rocket')).not.toBe(token);
    expect(hashName(secret, 'Team Rocket 2')).not.toBe(token);
    // NFKC: a fullwidth spelling is the same name.
    expect(hashName(secret, 'Ｔｅａｍ Ｒｏｃｋｅｔ')).toBe(token);
  });

  it('refuses a short secret', () => {
    expect(() => hashName('short', 'x')).toThrow();
  });
});

describe('posthog-node', () => {
  it('POSTHOG_NODE_VERSION is the installed version', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../node_modules/posthog-node/package.json'), 'utf8'));
    expect(POSTHOG_NODE_VERSION).toBe(pkg.version);
  });
});
