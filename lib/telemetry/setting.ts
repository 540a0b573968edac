// The one answer to "is telemetry on, and who decided?". Precedence, highest
// first: FLOWFORGE_TELEMETRY in the environment, telemetry.enabled in
// flowforge.yml, the value saved in the database (wizard, Admin Settings, CLI),
// then the default (on). Everything else asks getTelemetrySetting().
import type { Config } from '../config';

export type TelemetrySource = 'env' | 'file' | 'database' | 'default';

export interface TelemetrySetting {
  enabled: boolean;
  source: TelemetrySource;
  /** True when the environment or the file decides: the UI and CLI must not change it. */
  locked: boolean;
  /** Plain-language reason, e.g. "Set to off by telemetry.enabled in flowforge.yml". */
  reason: string;
}

export const TELEMETRY_DEFAULT = true;

/** Audit log event of every change to the stored value (wizard, Admin Settings, CLI). */
export const TELEMETRY_AUDIT_EVENT = 'settings.telemetry.enabled';

const onOff = (value: boolean) => (value ? 'on' : 'off');

export function resolveTelemetrySetting(inputs: {
  env?: boolean;
  file?: boolean;
  database?: boolean | null;
  fileName?: string;
}): TelemetrySetting {
  if (inputs.env !== undefined) {
    return {
      enabled: inputs.env,
      source: 'env',
      locked: true,
      reason: `Set to ${onOff(inputs.env)} by the FLOWFORGE_TELEMETRY environment variable`,
    };
  }
  if (inputs.file !== undefined) {
    const name = inputs.fileName ?? 'flowforge.yml';
    return {
      enabled: inputs.file,
      source: 'file',
      locked: true,
      reason: `Set to ${onOff(inputs.file)} by telemetry.enabled in ${name}`,
    };
  }
  if (inputs.database !== undefined && inputs.database !== null) {
    return {
      enabled: inputs.database,
      source: 'database',
      locked: false,
      reason:
        `Set to ${onOff(inputs.database)} in the database ` +
        'by the setup wizard, Admin Settings or the flowforge CLI',
    };
  }
  return { enabled: TELEMETRY_DEFAULT, source: 'default', locked: false, reason: `On by default` };
}

/** Parses the stored database value ("true"/"false"); anything else counts as unset. */
export function parseStoredTelemetry(value: string | null | undefined): boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

export function telemetrySettingFrom(
  config: Pick<Config, 'telemetryEnv' | 'telemetry' | 'file'>,
  stored: string | null,
): TelemetrySetting {
  return resolveTelemetrySetting({
    env: config.telemetryEnv,
    file: config.telemetry.enabled,
    database: parseStoredTelemetry(stored),
    fileName: config.file.path.split('/').pop(),
  });
}

/** What an operator must do so that Admin Settings and the CLI decide again. */
export function howToUnlock(setting: Pick<TelemetrySetting, 'source'>, fileName = 'flowforge.yml'): string {
  const where = 'in Admin Settings or with "flowforge config set"';
  if (setting.source === 'env') return `To decide it ${where}, unset FLOWFORGE_TELEMETRY and restart FlowForge.`;
  if (setting.source === 'file')
    return `To decide it ${where}, remove telemetry.enabled from ${fileName} and restart FlowForge.`;
  return '';
}

/** Why a change was refused: the value in force and who decides it. */
export function lockedChangeMessage(setting: TelemetrySetting, fileName?: string): string {
  return (
    `${setting.reason}, which overrides the value saved in the database. Nothing was saved. ` +
    howToUnlock(setting, fileName)
  );
}

const TRUE_WORDS = ['true', 'on', '1', 'yes'];
const FALSE_WORDS = ['false', 'off', '0', 'no'];

/** Parses a typed value (CLI, forms): true/false, on/off, 1/0, yes/no; null when it is none of them. */
export function parseBooleanWord(value: string): boolean | null {
  const word = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  return null;
}
