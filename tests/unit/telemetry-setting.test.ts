// Every combination of the four ways to set telemetry: environment x file x
// database (x default), and every malformed environment value.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseTelemetryEnv } from '../../lib/config';
import {
  howToUnlock,
  lockedChangeMessage,
  parseBooleanWord,
  parseStoredTelemetry,
  resolveTelemetrySetting,
  telemetrySettingFrom,
  type TelemetrySource,
} from '../../lib/telemetry/setting';

const ENV = [undefined, true, false] as const;
const FILE = [undefined, true, false] as const;
const DATABASE = [null, 'true', 'false', 'garbage'] as const; // stored strings; garbage counts as unset

function expected(
  env: boolean | undefined,
  file: boolean | undefined,
  stored: string | null,
): { enabled: boolean; source: TelemetrySource } {
  if (env !== undefined) return { enabled: env, source: 'env' };
  if (file !== undefined) return { enabled: file, source: 'file' };
  if (stored === 'true' || stored === 'false') return { enabled: stored === 'true', source: 'database' };
  return { enabled: true, source: 'default' };
}

describe('telemetry precedence: env > file > database > default', () => {
  const cases = ENV.flatMap((env) => FILE.flatMap((file) => DATABASE.map((stored) => [env, file, stored] as const)));

  it('covers all 36 combinations', () => {
    expect(cases).toHaveLength(36);
  });

  it.each(cases)('env=%s file=%s database=%s', (env, file, stored) => {
    const setting = resolveTelemetrySetting({ env, file, database: parseStoredTelemetry(stored) });
    const want = expected(env, file, stored);
    expect(setting.enabled).toBe(want.enabled);
    expect(setting.source).toBe(want.source);
    // Only the environment and the file lock the setting against the UI and CLI.
    expect(setting.locked).toBe(want.source === 'env' || want.source === 'file');
    const word = want.enabled ? 'on' : 'off';
    const reason = {
      env: `Set to ${word} by the FLOWFORGE_TELEMETRY environment variable`,
      file: `Set to ${word} by telemetry.enabled in flowforge.yml`,
      database: `Set to ${word} in the database by the setup wizard, Admin Settings or the flowforge CLI`,
      default: 'On by default',
    }[want.source];
    expect(setting.reason).toBe(reason);
  });

  it('builds the same answer from a loaded configuration, naming the actual config file', () => {
    const config = {
      telemetryEnv: undefined,
      telemetry: { enabled: false },
      file: { path: '/etc/flowforge/prod.yml' },
    };
    const setting = telemetrySettingFrom(config as never, 'true');
    expect(setting).toEqual({
      enabled: false,
      source: 'file',
      locked: true,
      reason: 'Set to off by telemetry.enabled in prod.yml',
    });
    expect(telemetrySettingFrom({ ...config, telemetryEnv: true } as never, 'false').source).toBe('env');
    expect(telemetrySettingFrom({ ...config, telemetry: {} } as never, 'false')).toMatchObject({
      enabled: false,
      source: 'database',
      locked: false,
    });
  });
});

// The one place FLOWFORGE_TELEMETRY's words are tested (tests/unit/config.test.ts covers the file).
describe('FLOWFORGE_TELEMETRY', () => {
  it.each([
    ['0', false],
    ['false', false],
    ['off', false],
    ['no', false],
    [' OFF ', false],
    [' no ', false],
    ['False', false],
    ['1', true],
    ['true', true],
    ['on', true],
    ['yes', true],
    ['ON', true],
    ['On', true],
    [undefined, undefined],
    ['', undefined],
    ['   ', undefined],
  ])('%j means %s', (value, want) => {
    expect(parseTelemetryEnv(value)).toBe(want);
  });

  it.each(['2', 'enabled', 'disable', 'of', 'truee', '-1', 'null', 'y', 'maybe'])(
    '%j is a startup error naming the variable',
    (value) => {
      expect(() => parseTelemetryEnv(value)).toThrow(ConfigError);
      expect(() => parseTelemetryEnv(value)).toThrow(
        `environment variable FLOWFORGE_TELEMETRY must be one of 0, false, off, no, 1, true, on, yes (got "${value}")`,
      );
    },
  );

  it('stops loading the configuration, whatever the file says', () => {
    expect(() =>
      loadConfig({ FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml', FLOWFORGE_TELEMETRY: 'sometimes' }),
    ).toThrow(/FLOWFORGE_TELEMETRY/);
    expect(
      loadConfig({ FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml', FLOWFORGE_TELEMETRY: 'off' }).telemetryEnv,
    ).toBe(false);
  });
});

describe('refusal messages', () => {
  it('says what decides and how to decide it elsewhere', () => {
    const file = resolveTelemetrySetting({ file: false, database: true });
    expect(lockedChangeMessage(file)).toBe(
      'Set to off by telemetry.enabled in flowforge.yml, which overrides the value saved in the database. ' +
        'Nothing was saved. To decide it in Admin Settings or with "flowforge config set", ' +
        'remove telemetry.enabled from flowforge.yml and restart FlowForge.',
    );
    expect(howToUnlock(resolveTelemetrySetting({ env: true }))).toContain('unset FLOWFORGE_TELEMETRY');
    expect(howToUnlock(resolveTelemetrySetting({ database: false }))).toBe('');
  });
});

describe('parseBooleanWord', () => {
  it('accepts the words the environment variable accepts, and nothing else', () => {
    expect(['true', 'On', '1', 'YES'].map(parseBooleanWord)).toEqual([true, true, true, true]);
    expect(['false', 'Off', '0', 'no'].map(parseBooleanWord)).toEqual([false, false, false, false]);
    expect(['maybe', '', 'tru', '2'].map(parseBooleanWord)).toEqual([null, null, null, null]);
  });
});
