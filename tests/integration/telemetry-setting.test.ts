// The stored telemetry setting on both databases: saving with an audit entry,
// refusing (with nothing written) what the file or environment decides, reads
// that see a change at once, and the setup wizard's locked case.
import { describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../lib/config';
import {
  getTelemetrySetting,
  saveTelemetryEnabled,
  TelemetrySettingLockedError,
} from '../../lib/data/telemetry-setting';
import { completeSetup } from '../../lib/data/setup';
import { createDb } from '../../lib/db-client';
import { DRIVERS } from '../helpers/databases';
import { useTestDatabase } from '../helpers/use-database';

const KEY = 'telemetry.enabled';

describe.each(DRIVERS)('telemetry setting on %s', (driver) => {
  const database = useTestDatabase(driver);
  const config = (overrides: Partial<Config> = {}): Config => ({
    ...loadConfig({ FLOWFORGE_CONFIG: '/nonexistent/flowforge.yml' }),
    db: database.current.config,
    ...overrides,
  });
  const stored = async () => (await database.current.db.setting.findUnique({ where: { key: KEY } }))?.value ?? null;
  const audits = () =>
    database.current.db.auditLog.findMany({
      where: { event: 'settings.telemetry.enabled' },
      orderBy: { createdAt: 'asc' },
    });

  it('starts on by default, saves a change with an audit entry, and skips a non-change', async () => {
    const { db } = database.current;
    expect(await getTelemetrySetting(db, config())).toMatchObject({ enabled: true, source: 'default', locked: false });

    const change = await saveTelemetryEnabled(false, 'ada@example.com', db, config());
    expect(change).toMatchObject({
      changed: true,
      before: { enabled: true, source: 'default' },
      after: { enabled: false, source: 'database' },
    });
    expect(await stored()).toBe('false');
    expect(await getTelemetrySetting(db, config())).toMatchObject({ enabled: false, source: 'database' });

    expect((await saveTelemetryEnabled(false, 'ada@example.com', db, config())).changed).toBe(false);
    await saveTelemetryEnabled(true, 'cli:root', db, config());
    expect((await audits()).map((a) => [a.actor, a.oldValue, a.newValue])).toEqual([
      ['ada@example.com', null, 'false'],
      ['cli:root', 'false', 'true'],
    ]);
  });

  it('sees a change made by another process at once (no cache)', async () => {
    const other = createDb(database.current.config);
    try {
      await saveTelemetryEnabled(false, 'cli:root', other, config());
      expect((await getTelemetrySetting(database.current.db, config())).enabled).toBe(false);
      await saveTelemetryEnabled(true, 'cli:root', other, config());
      expect((await getTelemetrySetting(database.current.db, config())).enabled).toBe(true);
    } finally {
      await other.$disconnect();
    }
  });

  it.each([
    [
      'flowforge.yml',
      { telemetry: { enabled: false, url: 'https://ping.flowforge.com', timeoutMs: 3000 } },
      'Set to off by telemetry.enabled in flowforge.yml',
    ],
    ['FLOWFORGE_TELEMETRY', { telemetryEnv: true }, 'Set to on by the FLOWFORGE_TELEMETRY environment variable'],
  ] as const)('refuses a change while %s decides, writing nothing', async (_name, overrides, reason) => {
    const { db } = database.current;
    const locked = {
      ...config(),
      ...overrides,
      file: { path: '/etc/flowforge/flowforge.yml', exists: true },
    } as Config;
    const before = { value: await stored(), audits: await db.auditLog.count() };
    for (const value of [true, false]) {
      const attempt = saveTelemetryEnabled(value, 'ada@example.com', db, locked);
      await expect(attempt).rejects.toBeInstanceOf(TelemetrySettingLockedError);
      await expect(saveTelemetryEnabled(value, 'ada@example.com', db, locked)).rejects.toThrow(
        `${reason}, which overrides the value saved in the database. Nothing was saved.`,
      );
    }
    expect(await stored()).toBe(before.value);
    expect(await db.auditLog.count()).toBe(before.audits);
  });

  it('stores no choice from the setup wizard while the file or environment decides', async () => {
    const { db } = database.current;
    await db.setting.deleteMany({ where: { key: KEY } });
    await db.auditLog.deleteMany();
    await completeSetup(
      { email: 'grace@example.com', name: 'Grace', password: 'Compiler-Pioneer-1952', telemetry: null },
      db,
    );
    expect(await stored()).toBeNull();
    expect((await db.auditLog.findMany()).map((a) => a.event)).toEqual(['setup.completed']);
  });
});
