// Which flowforge.yml and database the CLI uses: the server's. FLOWFORGE_CONFIG
// is relative to where the command is typed; the default file and a relative
// SQLite path are relative to the project folder (where `npm start` runs).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadCliConfig } from '../../lib/config';

const project = mkdtempSync(path.join(tmpdir(), 'flowforge-project-'));
const elsewhere = mkdtempSync(path.join(tmpdir(), 'flowforge-shell-'));
writeFileSync(path.join(project, 'flowforge.yml'), 'db:\n  url: ./data/project.db\n');
writeFileSync(path.join(elsewhere, 'custom.yml'), 'db:\n  url: ./data/custom.db\ntelemetry:\n  enabled: false\n');
afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

describe('loadCliConfig', () => {
  it("uses the project's flowforge.yml from any folder, with SQLite paths relative to the project", () => {
    const config = loadCliConfig(project, elsewhere, {});
    expect(config.file).toEqual({ path: path.join(project, 'flowforge.yml'), exists: true });
    expect(config.db.url).toBe(path.join(project, 'data/project.db'));
  });

  it('takes FLOWFORGE_CONFIG relative to the current folder', () => {
    const config = loadCliConfig(project, elsewhere, { FLOWFORGE_CONFIG: 'custom.yml' });
    expect(config.file.path).toBe(path.join(elsewhere, 'custom.yml'));
    expect(config.telemetry.enabled).toBe(false);
    expect(config.db.url).toBe(path.join(project, 'data/custom.db'));
  });

  it('refuses a FLOWFORGE_CONFIG that does not exist rather than switching to the defaults', () => {
    expect(() => loadCliConfig(project, elsewhere, { FLOWFORGE_CONFIG: 'custon.yml' })).toThrow(ConfigError);
    expect(() => loadCliConfig(project, elsewhere, { FLOWFORGE_CONFIG: 'custon.yml' })).toThrow(
      `FLOWFORGE_CONFIG points at ${path.join(elsewhere, 'custon.yml')}, which does not exist`,
    );
  });

  it('applies FLOWFORGE_TELEMETRY like the server', () => {
    expect(loadCliConfig(project, elsewhere, { FLOWFORGE_TELEMETRY: 'off' }).telemetryEnv).toBe(false);
    expect(() => loadCliConfig(project, elsewhere, { FLOWFORGE_TELEMETRY: 'perhaps' })).toThrow(/FLOWFORGE_TELEMETRY/);
  });
});
