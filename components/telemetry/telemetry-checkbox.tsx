// The telemetry on/off checkbox used by the setup wizard and Admin Settings.
// When flowforge.yml or FLOWFORGE_TELEMETRY decides, it is shown disabled with
// the value in force and the reason, never with a value that would not apply.
import type { TelemetrySetting } from '@/lib/telemetry/setting';

interface Props {
  setting: TelemetrySetting;
  defaultChecked?: boolean;
  /** Also explain an unlocked value ("Set to off in Admin Settings"); a locked one is always explained. */
  showReason?: boolean;
  /** How to unlock a locked value, e.g. "Remove telemetry.enabled from flowforge.yml and restart FlowForge ...". */
  lockHint?: string;
  children?: React.ReactNode;
}

const LOCKED_NOTE = 'rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900';
/** A padlock, drawn beside a setting that flowforge.yml or the environment fixes. */
const PADLOCK =
  'M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5' +
  'A3.5 3.5 0 0 0 8 1Zm2 6H6V4.5a2 2 0 1 1 4 0V7Z';

export function TelemetryCheckbox({ setting, defaultChecked, showReason = false, lockHint, children }: Props) {
  const explain = setting.locked || showReason;
  return (
    <div>
      <label className="flex items-start gap-3">
        <input
          type="checkbox"
          name="telemetry"
          aria-describedby={explain ? 'telemetry-reason' : undefined}
          className="mt-1 h-4 w-4"
          {...(setting.locked
            ? { checked: setting.enabled, disabled: true, readOnly: true }
            : { defaultChecked: defaultChecked ?? setting.enabled })}
        />
        <span>
          <span className="font-medium">Share anonymous usage statistics with the FlowForge team</span>
          {children}
        </span>
      </label>
      {explain && (
        <p
          id="telemetry-reason"
          data-testid="telemetry-reason"
          data-source={setting.source}
          className={`mt-2 text-sm ${setting.locked ? LOCKED_NOTE : 'text-slate-600'}`}
        >
          {setting.locked && (
            <svg
              aria-hidden="true"
              viewBox="0 0 16 16"
              className="mr-1 inline h-3.5 w-3.5 align-[-2px]"
              fill="currentColor"
            >
              <path d={PADLOCK} />
            </svg>
          )}
          {setting.reason}.{setting.locked && <> It cannot be changed here. {lockHint}</>}
        </p>
      )}
    </div>
  );
}
