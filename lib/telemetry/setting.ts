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

const onOff = (value: boolean) => (value ? 'on' : 'off');

export function resolveTelemetrySetting(inputs: { env?: boolean; file?: boolean; database?: boolean | null; fileName?: string }): TelemetrySetting {
  if (inputs.env !== undefined) {
    return { enabled: inputs.env, source: 'env', locked: true, reason: `Set to ${onOff(inputs.env)} by the FLOWFORGE_TELEMETRY environment variable` };
  }
  if (inputs.file !== undefined) {
    const name = inputs.fileName ?? 'flowforge.yml';
    return { enabled: inputs.file, source: 'file', locked: true, reason: `Set to ${onOff(inputs.file)} by telemetry.enabled in ${name}` };
  }
  if (inputs.database !== undefined && inputs.database !== null) {
    return { enabled: inputs.database, source: 'database', locked: false, reason: `Set to ${onOff(inputs.database)} in Admin Settings` };
  }
  return { enabled: TELEMETRY_DEFAULT, source: 'default', locked: false, reason: `On by default` };
}

/** Parses the stored database value ("true"/"false"); anything else counts as unset. */
export function parseStoredTelemetry(value: string | null | undefined): boolean | null {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

export function telemetrySettingFrom(config: Pick<Config, 'telemetryEnv' | 'telemetry' | 'file'>, stored: string | null): TelemetrySetting {
  return resolveTelemetrySetting({
    env: config.telemetryEnv,
    file: config.telemetry.enabled,
    database: parseStoredTelemetry(stored),
    fileName: config.file.path.split('/').pop(),
  });
}
